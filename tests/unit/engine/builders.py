"""Small desired and live states built in code, for the planner's stages and the executor."""

from __future__ import annotations

import itertools
from typing import Any

from revsync import kinds
from revsync.core.desired import DesiredState, Entry, Settings
from revsync.core.live import Account, LiveObject, LiveState
from revsync.core.location import Location, LocDict

ACCOUNT = Account("team1", "tenant1", "owner1")
API_URL = "https://api.example.test/profitstream"
_lines = itertools.count(1)


def entry(kind: str, pinned_id: str | None = None, **fields: Any) -> Entry:
    """One manifest entry of `kind`, located at its own line of `m.yaml`."""
    location = Location("m.yaml", next(_lines), 3)
    key = kinds.get(kind).key_of(fields)
    assert key is not None, f"{kind} entry needs its key fields: {fields}"
    return Entry(kind, key, LocDict(fields, loc=location), location, pinned_id)


def desired(
    *entries: Entry,
    managed: tuple[str, ...] = (),
    prune: bool = False,
    protect: tuple[str, ...] = (),
    max_delete_percent: float = 30.0,
    max_update_percent: float | None = None,
) -> DesiredState:
    """The manifests as a state; every kind of an entry (and `managed`) is managed."""
    state = DesiredState(
        settings=Settings(prune, protect, max_delete_percent, max_update_percent),
        files=["m.yaml"],
    )
    for item in entries:
        state.entries.setdefault(item.kind, []).append(item)
        state.managed_kinds.add(item.kind)
    state.managed_kinds |= set(managed)
    return state


def obj(kind: str, ident: str, managed: bool = True, origin: str = "", **raw: Any) -> LiveObject:
    """One live object as the API answered it (`raw` without its id)."""
    return kinds.get(kind).live_object({"id": ident, **raw}, managed, origin)


def live(*objects: LiveObject, unsafe: tuple[LiveObject, ...] = ()) -> LiveState:
    state = LiveState(read_kinds=kinds.names(), unsafe=list(unsafe))
    for name in kinds.names():
        state.objects[name] = []
    for item in objects:
        state.objects[item.kind].append(item)
    return state


def elements(*names: str, prefix: str = "me") -> list[LiveObject]:
    """Live metering elements `me1`, `me2`, ... named `names` (type NUMBER)."""
    return [
        obj("meteringElements", f"{prefix}{i}", name=n, type="NUMBER")
        for i, n in enumerate(names, 1)
    ]
