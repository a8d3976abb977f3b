"""Stage 2 of planning: what `--prune` deletes, and which live objects no entry matches.

Known before request bodies are built, so a reference to a doomed object fails the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import kinds
from ..core.desired import DesiredState
from ..core.live import LiveObject, LiveState
from .match import Binding
from .plan import Unmanaged
from .targets import Pattern


@dataclass
class Pruning:
    doomed: dict[tuple[str, str], LiveObject] = field(default_factory=dict)  # (kind, id)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Protection:
    """`settings.protect`, matched with each kind's own key rules (emails ignore case)."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        self.patterns = [Pattern.parse(p) for p in dict.fromkeys(entries)]

    def reason(self, obj: LiveObject) -> str | None:
        for p in self.patterns:
            if p.matches(obj.kind, obj.name, obj.id):
                return "is protected: kept"
        for p in self.patterns:
            if p.matches_ignoring_case(obj.kind, obj.name):
                return (
                    f"is kept: settings.protect names '{p.text}', which differs only in case "
                    "(names of this kind are case-sensitive; fix the entry)"
                )
        return None

    def unmatched(self, state: DesiredState, live: LiveState) -> list[str]:
        """Every protect entry that names no live object and no entry: it protects nothing."""
        out = []
        for p in self.patterns:
            if p.kind not in live.read_kinds:
                continue  # not read: unknown kinds are named by validate
            names = [(e.kind, e.name, e.pinned_id) for e in state.of(p.kind)]
            names += [(o.kind, o.name, o.id) for o in live.of(p.kind)]
            if any(p.matches(*n) for n in names):
                continue
            near = [n for k, n, _ in names if p.matches_ignoring_case(k, n)]
            hint = f"; did you mean {p.kind}/{near[0]}?" if near else ""
            out.append(
                f"warning: settings.protect '{p.text}' matches no {kinds.get(p.kind).title} "
                f"in Revenium or the manifests: it protects nothing{hint}"
            )
        return out


def prune(state: DesiredState, live: LiveState, binding: Binding, enabled: bool) -> Pruning:
    out = Pruning()
    guard = Protection(state.settings.protect)
    for kind in kinds.KINDS.values():
        if kind.name not in state.managed_kinds:
            continue
        contested = _contested_keys(kind, binding)
        for obj in live.of(kind.name):
            if (kind.name, obj.id) in binding.bound_ids or not obj.managed:
                continue
            if kind.fold(obj.key) in contested:
                continue  # an entry names it but cannot choose: refused, never deleted
            out.unmanaged.append(Unmanaged(kind.name, obj.name, obj.id))
            if not enabled:
                continue
            reason = guard.reason(obj) or kind.deletable(obj)
            if reason:
                out.notes.append(f"{obj.address} (id {obj.id}) {reason}")
            else:
                out.doomed[(kind.name, obj.id)] = obj
    out.notes += guard.unmatched(state, live)
    return out


def _contested_keys(kind: kinds.Kind, binding: Binding) -> set[tuple]:
    """Keys (and previous names) of refused entries: the live objects they name stay."""
    refused = [
        e
        for entries in binding.entries_by_key.get(kind.name, {}).values()
        for e in entries
        if id(e) in binding.refused
    ]
    keys = {kind.fold(e.key) for e in refused}
    keys |= {kind.fold(kind.parse_name(old)) for e in refused for old in e.previous_names}
    return keys
