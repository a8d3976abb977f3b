"""Stage 4 of planning: thresholds that refuse a plan changing too much of an account at once.

As octoDNS does, deletes and (optionally) updates are bounded per kind as a share of the
managed live objects, and only once a kind has enough objects for a share to mean anything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..core.live import LiveState
from .plan import Change

MIN_EXISTING = 10


@dataclass(frozen=True)
class Breach:
    """One threshold a plan exceeds; the caller words the way out (a flag, a setting)."""

    action: str  # "delete" | "update"
    kind: str
    count: int
    total: int
    limit: float
    setting: str

    @property
    def percent(self) -> float:
        return 100.0 * self.count / self.total

    def describe(self) -> str:
        return (
            f"refusing to {self.action} {self.count} of {self.total} {self.kind} "
            f"({self.percent:.0f}% > {self.setting} {self.limit:g}%)"
        )


@dataclass(frozen=True)
class SafetyPolicy:
    max_delete_percent: float = 30.0
    max_update_percent: float | None = None  # off by default
    min_existing: int = MIN_EXISTING

    def check(self, changes: list[Change], live: LiveState) -> list[Breach]:
        limits = [("delete", self.max_delete_percent, "maxDeletePercent")]
        if self.max_update_percent is not None:
            limits.append(("update", self.max_update_percent, "maxUpdatePercent"))
        breaches = []
        for action, limit, setting in limits:
            counts = Counter(c.kind for c in changes if c.action == action)
            for kind, count in sorted(counts.items()):
                total = sum(1 for o in live.of(kind) if o.managed)
                if total >= self.min_existing and 100.0 * count / total > limit:
                    breaches.append(Breach(action, kind, count, total, limit, setting))
        return breaches
