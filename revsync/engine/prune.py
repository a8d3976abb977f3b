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


@dataclass
class Pruning:
    doomed: dict[tuple[str, str], LiveObject] = field(default_factory=dict)  # (kind, id)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prune(state: DesiredState, live: LiveState, binding: Binding, enabled: bool) -> Pruning:
    out = Pruning()
    protected = set(state.settings.protect)
    for kind in kinds.KINDS.values():
        if kind.name not in state.managed_kinds:
            continue
        for obj in live.of(kind.name):
            if (kind.name, obj.id) in binding.bound_ids or not obj.managed:
                continue
            out.unmanaged.append(Unmanaged(kind.name, obj.name, obj.id))
            if not enabled:
                continue
            reason = "is protected: kept" if obj.address in protected else kind.deletable(obj)
            if reason:
                out.notes.append(f"{obj.address} (id {obj.id}) {reason}")
            else:
                out.doomed[(kind.name, obj.id)] = obj
    return out
