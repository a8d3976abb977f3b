"""What an apply did, change by change: the report always tells exactly what happened."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .plan import Change

DONE_STATUS = {"create": "created", "update": "updated", "delete": "deleted"}
STATUSES = ("created", "updated", "deleted", "failed", "skipped")


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
    unknown: bool = False  # failed create whose outcome is not known (it may exist)
    note: str | None = None  # e.g. "already gone": a delete whose object was absent

    @property
    def status_text(self) -> str:
        """The status as a person reads it: "deleted (already gone)"."""
        return f"{self.status} ({self.note})" if self.note else self.status

    @property
    def ok(self) -> bool:
        return self.status in DONE_STATUS.values()

    @classmethod
    def done(cls, change: Change, ident: str | None, seconds: float, recovered: bool):
        status = DONE_STATUS[change.action]
        return cls(
            change.key,
            change.action,
            change.kind,
            change.name,
            status,
            ident,
            None,
            seconds,
            recovered,
        )

    @classmethod
    def failed(cls, change: Change, ident: str | None, why: str, seconds: float = 0.0):
        return cls(
            change.key, change.action, change.kind, change.name, "failed", ident, why, seconds
        )

    @classmethod
    def skipped(cls, change: Change, why: str):
        return cls(
            change.key, change.action, change.kind, change.name, "skipped", change.live_id, why
        )


@dataclass
class ApplyReport:
    results: list[ChangeResult] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    stopped: str | None = None  # why the run stopped early (API unreachable, ...)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results) and not self.interrupted and not self.stopped

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
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
            "stopped": self.stopped,
            "seconds": round(self.seconds, 3),
            "summary": self.counts(),
            "results": [asdict(r) for r in self.results],
        }
