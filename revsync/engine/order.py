"""Stage 5 of planning: dependency edges between changes, ordered with stdlib graphlib.

Creates and updates come after what they reference; deletes after whatever references the
deleted object. A cycle is refused, never silently broken.
"""

from __future__ import annotations

from collections import defaultdict
from graphlib import CycleError, TopologicalSorter

from .. import kinds
from ..core.live import LiveObject, LiveState
from .plan import Change, Refusal


def live_referrers(live: LiveState) -> dict[tuple[str, str], list[LiveObject]]:
    """(kind, id or folded key) -> live objects referring to it."""
    out: dict[tuple[str, str], list[LiveObject]] = defaultdict(list)
    for other in live.all():
        for target, value, _ in kinds.get(other.kind).live_refs(other.raw):
            out[(target, value)].append(other)
    return out


def delete_edges(changes: dict[str, Change], deps: dict[str, set[str]], live: LiveState) -> None:
    """A delete waits for the changes of every live object that refers to the deleted one."""
    deletes = [c for c in changes.values() if c.action == "delete"]
    if not deletes:
        return
    by_live_id = {(c.kind, c.live_id): c.key for c in changes.values() if c.live_id is not None}
    by_id = {(o.kind, o.id): o for o in live.all()}
    referrers = live_referrers(live)
    for change in deletes:
        obj = by_id[(change.kind, change.live_id or "")]
        kind = kinds.get(obj.kind)
        found = referrers.get((obj.kind, obj.id), []) + referrers.get(
            (obj.kind, "/".join(kind.fold(obj.key))), []
        )
        for other in found:
            if other is obj:
                continue
            referrer = by_live_id.get((other.kind, other.id))
            if referrer is not None:
                deps[change.key].add(referrer)
            else:
                change.notes.append(
                    f"still referenced by {other.address} (id {other.id}), which this plan "
                    "does not change: Revenium may refuse the delete"
                )


def order(changes: dict[str, Change], deps: dict[str, set[str]]) -> list[Refusal]:
    """Sets `depends_on` on every change; refuses (and removes) the changes in a cycle."""
    for key in changes:
        deps[key] = (deps.get(key, set()) & changes.keys()) - {key}
    refusals = []
    while True:
        try:
            TopologicalSorter({k: deps[k] for k in changes}).prepare()
            break
        except CycleError as exc:
            cycle = [key for key in dict.fromkeys(exc.args[1]) if key in changes]
            for key in cycle:
                refusals.append(
                    Refusal(
                        key,
                        "dependency cycle between changes; apply them in two steps",
                        changes.pop(key).source,
                    )
                )
            refusals += _refuse_dependants(changes, deps, cycle)
            for key in changes:
                deps[key] &= changes.keys()
    for change in changes.values():
        change.depends_on = sorted(deps[change.key])
    return refusals


def _refuse_dependants(
    changes: dict[str, Change], deps: dict[str, set[str]], refused: list[str]
) -> list[Refusal]:
    """Whatever waits for a refused change is refused too: it never runs without it."""
    out = []
    stack = list(refused)
    while stack:
        missing = stack.pop(0)
        for key in sorted(k for k in changes if missing in deps[k]):
            reason = f"depends on {missing}, which this plan refuses"
            out.append(Refusal(key, reason, changes.pop(key).source))
            stack.append(key)
    return out


def display_order(changes: dict[str, Change]) -> list[Change]:
    """Kinds in dependency order, then by name: the order a person reads a plan in."""
    rank = {name: i for i, name in enumerate(kinds.names())}
    return sorted(changes.values(), key=lambda c: (rank[c.kind], c.name, c.key))


def closure(start: set[str], depends_on: dict[str, set[str]]) -> set[str]:
    """`start` and everything it depends on, transitively."""
    seen: set[str] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(depends_on.get(node, ()))
    return seen


def dependants(node: str, depends_on: dict[str, set[str]]) -> set[str]:
    """Everything that depends on `node`, transitively."""
    reverse: dict[str, set[str]] = defaultdict(set)
    for n, deps in depends_on.items():
        for d in deps:
            reverse[d].add(n)
    return closure(set(reverse.get(node, set())), reverse)
