"""Reading the live account: every object of the kinds a plan needs, a page at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any

from .. import kinds
from ..core.desired import DesiredState
from ..core.ids import safe_id
from ..core.live import Account, LiveObject, LiveState
from ..kinds.base import Prepared
from .api import Api, OnPage


def kinds_to_read(state: DesiredState, prune: bool) -> list[str]:
    """Managed kinds, the kinds they reference, and (when deleting) the kinds referencing them."""
    return kinds_for(state.managed_kinds, prune)


def kinds_for(managed: Iterable[str], prune: bool) -> list[str]:
    """The kinds a plan of `managed` kinds reads, in registry order."""
    managed = {k for k in managed if k in kinds.KINDS}
    wanted = set(managed)
    frontier = list(wanted)
    while frontier:
        for ref in kinds.get(frontier.pop()).refs:
            if ref.target not in wanted:
                wanted.add(ref.target)
                frontier.append(ref.target)
    if prune:
        for kind in kinds.KINDS.values():
            if any(ref.target in managed for ref in kind.refs):
                wanted.add(kind.name)
    return [k for k in kinds.names() if k in wanted]


def read_live(
    client: Api, account: Account, kind_names: list[str], prepare: bool = False
) -> LiveState:
    """`prepare`: also normalise the objects for a plan, as they are read (prepare_live)."""
    reads = LiveReads(client, account, kind_names, prepare)
    try:
        return reads.live_for(kind_names)
    finally:
        reads.close()


class _Prepared:
    """Normal forms of one kind's answers, made page by page as the pages arrive (a list
    that is read again sends its pages again: forms are matched to answers by identity)."""

    def __init__(self, kind: kinds.Kind) -> None:
        self._kind = kind
        self._forms: dict[int, tuple[dict[str, Any], Prepared | None]] = {}

    def page(self, items: list[dict[str, Any]]) -> None:
        drop_page_links(items)
        for raw in items:
            self._forms[id(raw)] = (raw, _prepared(self._kind, raw))

    def attach(self, objects: list[LiveObject]) -> None:
        for obj in objects:
            raw, form = self._forms.pop(id(obj.raw), (None, None))
            obj.prepared = form if raw is obj.raw else _prepared(self._kind, obj.raw)
        self._forms.clear()


def drop_page_links(items: list[dict[str, Any]]) -> None:
    """HATEOAS links of each answer and of the objects it embeds: revsync never follows
    them, and held for 100,000 objects they are a sixth of a plan's memory. Dropped once,
    as each page arrives, before anything is made of the answers."""
    for raw in items:
        if type(raw) is not dict:
            continue
        raw.pop("_links", None)
        for value in raw.values():
            if type(value) is dict:
                value.pop("_links", None)
            elif type(value) is list:
                for item in value:
                    if type(item) is dict:
                        item.pop("_links", None)


def _prepared(kind: kinds.Kind, raw: dict[str, Any]) -> Prepared | None:
    """An answer that cannot be normalised is left to the plan, which reports it."""
    try:
        return kind.prepare_live(raw)
    except Exception:
        return None


def prepare_desired(state: DesiredState) -> None:
    """The entries' side of `prepare_live`: done before waiting for the reads to end."""
    for entry in state.all():
        try:
            entry.prepared = kinds.get(entry.kind).prepare_desired(entry.fields)
        except Exception:  # as above
            entry.prepared = None


OnKind = Callable[[LiveState, str], None]


class ReadsCancelled(Exception):
    """The reads were stopped (the manifests turned out invalid): nothing more is sent."""


class LiveReads:
    """Reads of whole kinds that run in the background, one thread per kind.

    Started before the manifests are loaded, so reading (bound by the API's rate limit)
    and checking the manifests (bound by our CPU) overlap. `live_for` joins them and
    reads any kind the early guess missed; `close` stops reads that are no longer wanted.
    """

    def __init__(
        self, client: Api, account: Account, kind_names: Iterable[str], prepare: bool = False
    ) -> None:
        self._client = client
        self._prepare = prepare
        self._account = account
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(len(kinds.KINDS) or 1, thread_name_prefix="revsync-kind")
        self._futures: dict[str, Future[list[LiveObject]]] = {}
        self.start(kind_names)

    def start(self, kind_names: Iterable[str]) -> None:
        for name in kind_names:
            if name not in self._futures:
                self._futures[name] = self._pool.submit(self._read, name)

    def started(self) -> list[str]:
        return list(self._futures)

    def _read(self, name: str) -> list[LiveObject]:
        kind = kinds.get(name)
        if not self._prepare:
            return kind.read(self._drop_links_and_list, self._account)
        prepared = _Prepared(kind)

        def lister(path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
            return self._list_all(path, params, prepared.page)

        objects = kind.read(lister, self._account)
        prepared.attach(objects)
        return objects

    def _drop_links_and_list(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._list_all(path, params, drop_page_links)

    def _list_all(
        self, path: str, params: dict[str, Any], on_page: OnPage | None = None
    ) -> list[dict[str, Any]]:
        if self._stop.is_set():
            raise ReadsCancelled(path)
        return self._client.list_all(path, params, on_page)

    def live_for(self, kind_names: list[str], on_kind: OnKind | None = None) -> LiveState:
        """The live state of exactly `kind_names` (reading those not started yet).

        `on_kind(live, name)` is called as each kind's read ends, in the order they end,
        with `live` holding that kind and those before it; the state returned lists the
        kinds in the order asked for, as without `on_kind`."""
        self.start(kind_names)
        live = LiveState(read_kinds=list(kind_names))
        unsafe: dict[str, list[LiveObject]] = {}
        futures = {self._futures[name]: name for name in kind_names}
        for future in as_completed(futures) if on_kind else futures:
            name = futures[future]
            live.objects[name], unsafe[name] = [], []
            for obj in future.result():  # an id unsafe in a path is never written to
                (live.objects[name] if safe_id(obj.id) else unsafe[name]).append(obj)
            live.unsafe += unsafe[name]
            if on_kind:
                on_kind(live, name)
        live.objects = {name: live.objects[name] for name in kind_names}
        live.unsafe = [o for name in kind_names for o in unsafe[name]]
        return live

    def close(self) -> None:
        """Stop: no new list is started; kinds not begun are dropped. Does not wait."""
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
