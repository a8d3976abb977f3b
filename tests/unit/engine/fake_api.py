"""An in-memory `Api` for engine unit tests: a dict store by path, with switchable failures.

Deliberately not the emulator: it knows nothing of Revenium's shapes (no nested references,
no server fields, no validation), shares no code with the emulator or the HTTP client, and
answers in microseconds. What the engine does with the API's answers is tested here; whether
revsync understands the real API stays the emulator's end-to-end job.

Paths: `POST <collection>` stores the body under a new id; `<collection>/<id>` addresses one
object (GET/PUT/PATCH/DELETE). A path below an object (`<collection>/<id>/<more>`) is a
sub-resource: its last write is kept under `subresources`, so a test can see it was sent.
"""

from __future__ import annotations

import copy
import fnmatch
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from revsync import kinds
from revsync.engine.api import Ambiguous, ApiError, ApiUnreachable

MASK = "[redacted]"


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, Any]
    body: Any


@dataclass
class Fault:
    """What the next matching request suffers; `times` counts down to zero."""

    method: str
    pattern: str  # fnmatch pattern over the path, e.g. "/v2/api/products*"
    error: Exception
    commit: bool  # True: the request takes effect, then its answer is lost
    times: int


class FakeApi:
    """A dict store implementing `revsync.engine.api.Api`."""

    def __init__(self, collections: Iterable[str] | None = None) -> None:
        """`collections`: the list paths that exist (default: every registered kind's)."""
        if collections is None:
            collections = [k.api_path for k in kinds.KINDS.values()]
        # collection -> id -> object
        self.store: dict[str, dict[str, dict[str, Any]]] = {c: {} for c in collections}
        self.subresources: dict[str, Any] = {}  # path below an object -> last body written
        self.calls: list[Call] = []
        self.secrets: set[str] = set()
        self._faults: list[Fault] = []
        self._unreachable = False
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # test set-up -------------------------------------------------------------------------
    def seed(self, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Put an object in place without a recorded call; it gets an id unless it has one."""
        with self._lock:
            stored = {**copy.deepcopy(obj)}
            stored.setdefault("id", self._new_id())
            self.store.setdefault(collection, {})[stored["id"]] = stored
            return copy.deepcopy(stored)

    def fail(self, method: str, pattern: str, status: int = 500, times: int = 1) -> None:
        """The next `times` matching requests answer with an `ApiError(status)`."""
        error = ApiError(f"{method} {pattern}: HTTP {status}", status)
        self._faults.append(Fault(method, pattern, error, False, times))

    def lose_answer(self, method: str, pattern: str, commit: bool = True, times: int = 1) -> None:
        """The next `times` matching requests raise `Ambiguous`, having committed or not."""
        error = Ambiguous("the connection dropped before the answer arrived")
        self._faults.append(Fault(method, pattern, error, commit, times))

    def go_away(self) -> None:
        """From now on every request raises `ApiUnreachable`."""
        self._unreachable = True

    def objects(self, collection: str) -> list[dict[str, Any]]:
        return [copy.deepcopy(o) for o in self.store.get(collection, {}).values()]

    def writes(self) -> list[Call]:
        return [c for c in self.calls if c.method != "GET"]

    # the Api protocol --------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
        *,
        retry_unsafe: bool | None = None,
    ) -> Any:
        with self._lock:
            self.calls.append(Call(method, path, dict(params or {}), copy.deepcopy(body)))
            if self._unreachable:
                raise ApiUnreachable("nothing answers at the fake API", "fake://api")
            fault = self._take_fault(method, path)
            if fault is not None and not fault.commit:
                raise fault.error
            answer = self._serve(method, path, params or {}, body)
            if fault is not None:
                raise fault.error
            return copy.deepcopy(answer)

    def list_all(
        self, path: str, params: dict[str, Any], on_page: Any = None
    ) -> list[dict[str, Any]]:
        answer = self.request("GET", path, params)
        if not isinstance(answer, list):
            raise ApiError(f"GET {path}: not a list", 500)
        if on_page:
            on_page(answer)
        return answer

    def find_by_key(
        self,
        path: str,
        field: str,
        value: str,
        *,
        params: dict[str, Any] | None = None,
        casefold: bool = False,
        query: str | None = None,
    ) -> list[dict[str, Any]]:
        def same(actual: Any) -> bool:
            if casefold and isinstance(actual, str):
                return actual.casefold() == value.casefold()
            return actual == value

        return [o for o in self.list_all(path, params or {}) if same(o.get(field))]

    def add_secret(self, value: str | None) -> None:
        if value:
            self.secrets.add(value)

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    # the store ---------------------------------------------------------------------------
    def _new_id(self) -> str:
        return f"f{next(self._ids)}"

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.times > 0 and fault.method == method and fnmatch.fnmatch(path, fault.pattern):
                fault.times -= 1
                return fault
        return None

    def _locate(self, path: str) -> tuple[str, str | None, str | None]:
        """(collection, object id or None, rest below the object or None) for a path."""
        known = set(self.store) | {kind.api_path for kind in kinds.KINDS.values()}
        if path in known:  # a collection whose path extends another's (sources/ai/models)
            return path, None, None
        for collection in sorted(known, key=len, reverse=True):
            if path.startswith(collection + "/"):
                ident, _, rest = path[len(collection) + 1 :].partition("/")
                return collection, ident, rest or None
        return path, None, None

    def _serve(self, method: str, path: str, params: dict[str, Any], body: Any) -> Any:
        collection, ident, rest = self._locate(path)
        items = self.store.get(collection, {})
        if ident is not None and ident not in items:
            raise ApiError(f"{method} {path}: not found", 404)
        if rest is not None:
            if method != "GET":
                self.subresources[path] = copy.deepcopy(body)
            return self.subresources.get(path)
        if ident is None:
            if method == "GET":
                return [o for o in items.values() if _selected(o, params)]
            if method == "POST":
                created = {**copy.deepcopy(body or {}), "id": self._new_id()}
                self.store.setdefault(collection, {})[created["id"]] = created
                return created
            raise ApiError(f"{method} {path}: method not allowed", 405)
        if method == "GET":
            return items[ident]
        if method == "PUT":
            items[ident] = {**copy.deepcopy(body or {}), "id": ident}
            return items[ident]
        if method == "PATCH":
            items[ident].update(copy.deepcopy(body or {}))
            return items[ident]
        if method == "DELETE":
            del items[ident]
            return None
        raise ApiError(f"{method} {path}: method not allowed", 405)


def _selected(obj: dict[str, Any], params: dict[str, Any]) -> bool:
    """A list query filters on the fields an object has (teamId, modelType); others pass."""
    return all(obj[name] == value for name, value in params.items() if name in obj)
