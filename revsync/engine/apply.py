"""Executing a plan: exactly its steps, dependencies first, in parallel where independent.

A create whose answer was lost (timeout, dropped connection, 5xx, or a 409 on retry) is
looked up by its natural key before it is sent again, so a retry never makes a duplicate.
A failed change stops everything that depends on it; independent work still finishes.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from typing import Any

from ..core.ids import quote_id, safe_id
from . import graph
from .api import Ambiguous, ApiError
from .api import Api as ApiClient
from .plan import Change, Plan
from .steps import Lookup, Step, is_ref, is_secret

DONE_STATUS = {"create": "created", "update": "updated", "delete": "deleted"}
MAX_CREATE_ATTEMPTS = 5


class StepFailed(Exception):
    pass


@dataclass
class ChangeResult:
    key: str
    action: str
    kind: str
    name: str
    status: str  # created | updated | deleted | failed | skipped
    id: str | None = None
    error: str | None = None
    seconds: float = 0.0
    recovered: bool = False  # a lost create answer was found by looking it up

    @property
    def ok(self) -> bool:
        return self.status in DONE_STATUS.values()


@dataclass
class ApplyReport:
    results: list[ChangeResult] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results) and not self.interrupted

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("created", "updated", "deleted", "failed", "skipped"), 0)
        for result in self.results:
            out[result.status] += 1
        return out

    def summary(self) -> str:
        c = self.counts()
        head = "Apply complete" if self.ok else "Apply failed"
        text = f"{head}: {c['created']} created, {c['updated']} updated, {c['deleted']} deleted"
        if not self.ok:
            text += f", {c['failed']} failed, {c['skipped']} skipped"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
            "summary": self.counts(),
            "results": [asdict(r) for r in self.results],
        }


Event = Callable[[str, Change, ChangeResult | None], None]


class Executor:
    def __init__(
        self,
        client: ApiClient,
        plan: Plan,
        parallelism: int = 4,
        on_event: Event | None = None,
    ) -> None:
        self.client = client
        self.plan = plan
        self.parallelism = max(1, parallelism)
        self.on_event = on_event or (lambda *_: None)
        self.ids: dict[str, str] = {}  # change key -> object id (known or created)
        self._ids_lock = threading.Lock()
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> ApplyReport:
        started = time.monotonic()
        changes = {c.key: c for c in self.plan.changes}
        deps = {k: set(c.depends_on) & changes.keys() for k, c in changes.items()}
        dependants: dict[str, list[str]] = {k: [] for k in changes}
        for key, needs in deps.items():
            for need in needs:
                dependants[need].append(key)
        missing = {k: len(needs) for k, needs in deps.items()}
        ready = deque(c.key for c in self.plan.changes if not deps[c.key])
        results: dict[str, ChangeResult] = {}
        report = ApplyReport()
        running: dict[Future, str] = {}
        with ThreadPoolExecutor(self.parallelism, thread_name_prefix="revsync-apply") as pool:
            try:
                while ready or running:
                    while ready and len(running) < self.parallelism and not self._stop.is_set():
                        key = ready.popleft()
                        self.on_event("start", changes[key], None)
                        running[pool.submit(self._run_change, changes[key])] = key
                    if not running:
                        break
                    done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for future in done:
                        key = running.pop(future)
                        result = future.result()
                        results[key] = result
                        self.on_event("done", changes[key], result)
                        if result.ok:
                            for other in dependants[key]:
                                missing[other] -= 1
                                if missing[other] == 0 and other not in results:
                                    ready.append(other)
                            continue
                        for skipped in sorted(graph.dependants(key, deps)):
                            if skipped in results:
                                continue
                            change = changes[skipped]
                            results[skipped] = ChangeResult(
                                skipped,
                                change.action,
                                change.kind,
                                change.name,
                                "skipped",
                                change.live_id,
                                f"not attempted: depends on {key}, which failed",
                            )
                            self.on_event("done", change, results[skipped])
            except KeyboardInterrupt:
                self._stop.set()
                report.interrupted = True
                for future in list(running):
                    key = running.pop(future)
                    results[key] = future.result()
        for key, change in changes.items():
            if key not in results:
                results[key] = ChangeResult(
                    key,
                    change.action,
                    change.kind,
                    change.name,
                    "skipped",
                    change.live_id,
                    "not attempted: apply was interrupted",
                )
        report.results = [results[c.key] for c in self.plan.changes]
        report.seconds = time.monotonic() - started
        return report

    # one change -----------------------------------------------------------------------------
    def _run_change(self, change: Change) -> ChangeResult:
        started = time.monotonic()
        object_id = change.live_id
        recovered = False
        try:
            for step in change.steps:
                answer, found = self._run_step(step, object_id)
                recovered = recovered or found
                if step.capture_id:
                    new_id = answer.get("id") if isinstance(answer, dict) else None
                    if not safe_id(new_id):
                        raise StepFailed(f"{step.method} {step.path}: answer has no usable id")
                    object_id = new_id
                    with self._ids_lock:
                        self.ids[change.key] = object_id
        except (ApiError, StepFailed) as exc:
            message = getattr(exc, "message", None) or str(exc)
            if object_id and change.action == "create" and object_id != change.live_id:
                message += f" (the object was created with id {object_id}; re-run to finish it)"
            return ChangeResult(
                change.key,
                change.action,
                change.kind,
                change.name,
                "failed",
                object_id,
                self.client.redact(message),
                time.monotonic() - started,
                recovered,
            )
        if object_id:
            with self._ids_lock:
                self.ids.setdefault(change.key, object_id)
        return ChangeResult(
            change.key,
            change.action,
            change.kind,
            change.name,
            DONE_STATUS[change.action],
            object_id,
            None,
            time.monotonic() - started,
            recovered,
        )

    def _run_step(self, step: Step, object_id: str | None) -> tuple[Any, bool]:
        path = step.path
        if "{id}" in path:
            if not object_id:
                raise StepFailed(f"{step.description or path}: the object has no id yet")
            path = path.replace("{id}", quote_id(object_id))
        body = self._fill(step.body)
        if step.method == "POST" and step.lookup is not None:
            return self._create(step, path, body)
        try:
            return self.client.request(step.method, path, step.params, body), False
        except ApiError as exc:
            if step.missing_ok and exc.status == 404:
                return None, False  # already gone: the delete's goal holds
            raise

    def _create(self, step: Step, path: str, body: Any) -> tuple[Any, bool]:
        assert step.lookup is not None
        last = ""
        for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
            try:
                return self.client.request("POST", path, step.params, body), False
            except Ambiguous as exc:
                last = exc.cause
            except ApiError as exc:
                if exc.status != 409:
                    raise
                last = exc.message
            found = self._lookup(step.lookup)
            if found is not None:
                return found, True
            time.sleep(min(5.0, 0.2 * 2**attempt))
        raise StepFailed(
            f"POST {path}: {last}; after {MAX_CREATE_ATTEMPTS} attempts nothing was created"
        )

    def _lookup(self, lookup: Lookup) -> dict[str, Any] | None:
        """Find a create that was committed although its answer was lost."""
        items = self.client.list_all(lookup.path, lookup.params)

        def same(item: dict[str, Any]) -> bool:
            for name, value in lookup.match.items():
                actual = item.get(name)
                if isinstance(value, str) and isinstance(actual, str):
                    if name == "email" or "@" in value:
                        if actual.lower() != value.lower():
                            return False
                    elif actual != value:
                        return False
                elif actual != value:
                    return False
            return True

        found = [item for item in items if same(item)]
        return found[-1] if found else None

    def _fill(self, value: Any) -> Any:
        if is_ref(value):
            key = value["$ref"]
            with self._ids_lock:
                if key not in self.ids:
                    raise StepFailed(f"{key} has no id: it was not created")
                return self.ids[key]
        if is_secret(value):
            token = value["$secret"]
            if token not in self.plan.secrets:
                raise StepFailed(
                    f"the value of {token.split('|')[0]} ({token.split('|')[1]}) is not "
                    "available: run apply with the same manifests and environment"
                )
            return self.plan.secrets[token]
        if isinstance(value, dict):
            return {k: self._fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._fill(v) for v in value]
        return value
