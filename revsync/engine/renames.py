"""Renames the plan can see: a create and a live object no entry matches that look alike.

A product renamed in the web UI reads as "create New, delete Old" (and every subscription
moved to New): the plan says so and how to make it an update instead.
"""

from __future__ import annotations

from typing import Any

from .. import kinds
from ..core.desired import DesiredState
from ..core.live import LiveObject, LiveState
from .match import Binding
from .plan import Change
from .references import Names


def look_alikes(
    state: DesiredState, live: LiveState, binding: Binding, names: Names
) -> list[tuple[str, LiveObject]]:
    """(change key of the create, live object) for each unmatched pair with equal content."""
    pairs = []
    for kind in kinds.KINDS.values():
        loose = [
            o
            for o in live.of(kind.name)
            if o.managed and (kind.name, o.id) not in binding.bound_ids
        ]
        if not loose:
            continue
        for entry in state.of(kind.name):
            if id(entry) in binding.bound or id(entry) in binding.refused:
                continue
            desired = _content(kind, kind.normalize_desired(entry.fields, names))
            if not desired:
                continue
            same = [o for o in loose if _live_content(kind, o, names, desired) == desired]
            if len(same) == 1:
                pairs.append((binding.keys[id(entry)], same[0]))
    return pairs


def _content(kind: kinds.Kind, obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in kind.key_fields}


def _live_content(
    kind: kinds.Kind, obj: LiveObject, names: Names, desired: dict[str, Any]
) -> dict[str, Any]:
    current = kind.normalize_live(obj.raw, names)
    if kind.merge_compare:
        current = {k: v for k, v in current.items() if k in desired}
    return _content(kind, current)


def explain(pairs: list[tuple[str, LiveObject]], changes: dict[str, Change]) -> list[str]:
    """Notes on the create (and the delete, if pruning) and one plan note per pair."""
    notes = []
    for key, obj in pairs:
        create = changes.get(key)
        if create is None or create.action != "create":
            continue
        hint = (
            f"to update it instead, pin 'id: {obj.id}' on the entry or add "
            f"'previousNames: [{obj.name}]'"
        )
        create.notes.append(f"looks like {obj.address} (id {obj.id}) renamed: same content; {hint}")
        delete = changes.get(f"{obj.address}#{obj.id}")
        if delete is not None:
            delete.notes.append(f"looks renamed to {create.address} (created by this plan)")
        notes.append(
            f"{create.address} is created and {obj.address} (id {obj.id}) "
            f"{'deleted' if delete else 'left unmatched'}, but they look alike "
            f"(a rename in the web UI?): {hint}"
        )
    return notes
