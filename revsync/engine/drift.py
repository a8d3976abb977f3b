"""Drift: the plan, seen as what differs between Revenium and the manifests."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .plan import Change, Plan, Refusal, Unmanaged


@dataclass
class DriftReport:
    plan: Plan
    changed: list[Change] = field(default_factory=list)  # changed in Revenium
    missing: list[Change] = field(default_factory=list)  # missing in Revenium
    unmanaged: list[Unmanaged] = field(default_factory=list)  # in Revenium, not in manifests
    conflicts: list[Refusal] = field(default_factory=list)  # cannot be compared

    @classmethod
    def from_plan(cls, plan: Plan) -> DriftReport:
        return cls(
            plan=plan,
            changed=[c for c in plan.changes if c.action == "update"],
            missing=[c for c in plan.changes if c.action == "create"],
            unmanaged=list(plan.unmanaged),
            conflicts=list(plan.refusals),
        )

    @property
    def in_sync(self) -> bool:
        return not (self.changed or self.missing or self.unmanaged or self.conflicts)

    def counts(self) -> dict[str, int]:
        return {
            "changed": len(self.changed),
            "missing": len(self.missing),
            "unmanaged": len(self.unmanaged),
            "conflicts": len(self.conflicts),
            "inSync": self.plan.unchanged,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "inSync": self.in_sync,
            "summary": self.counts(),
            "changed": [_change(c) for c in self.changed],
            "missing": [_change(c) for c in self.missing],
            "unmanaged": [asdict(u) for u in self.unmanaged],
            "conflicts": [asdict(r) for r in self.conflicts],
        }


DRIFT_FIELDS = ("key", "kind", "name", "id", "source", "fields")


def _change(change: Change) -> dict[str, Any]:
    data = change.to_dict(steps=False)
    return {name: data[name] for name in DRIFT_FIELDS}
