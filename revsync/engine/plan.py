"""The plan: a value that is printed, saved, and the only thing `apply` executes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ..core.steps import Step

PLAN_FORMAT = 2  # 2: saved steps are checked against a re-plan (issue 12)
ACTIONS = ("create", "update", "delete")


class Missing:
    """A field that is not set on one side of a change."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "(none)"


MISSING = Missing()


@dataclass
class FieldChange:
    path: str
    old: Any = MISSING
    new: Any = MISSING
    sensitive: bool = False
    note: str = ""

    def to_dict(self, mask: bool = True) -> dict[str, Any]:
        hide = mask and self.sensitive
        out: dict[str, Any] = {"path": self.path}
        if self.old is not MISSING:
            out["old"] = "(sensitive)" if hide else self.old
        if self.new is not MISSING:
            out["new"] = "(sensitive)" if hide else self.new
        if self.sensitive:
            out["sensitive"] = True
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FieldChange:
        return cls(
            data["path"],
            data.get("old", MISSING),
            data.get("new", MISSING),
            data.get("sensitive", False),
            data.get("note", ""),
        )


@dataclass
class Change:
    key: str  # unique in the plan: kind/name, or kind/name#id
    action: str  # create | update | delete
    kind: str
    name: str
    live_id: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str | None = None  # file:line:col of the manifest entry

    @property
    def address(self) -> str:
        return f"{self.kind}/{self.name}"

    def to_dict(self, steps: bool = True) -> dict[str, Any]:
        """The one serialisation of a change: plan file (with steps), JSON output, drift."""
        out = {
            "key": self.key,
            "action": self.action,
            "kind": self.kind,
            "name": self.name,
            "id": self.live_id,
            "source": self.source,
            "fields": [f.to_dict() for f in self.fields],
            "notes": list(self.notes),
            "dependsOn": list(self.depends_on),
        }
        if steps:
            out["steps"] = [s.to_dict() for s in self.steps]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        return cls(
            key=data["key"],
            action=data["action"],
            kind=data["kind"],
            name=data["name"],
            live_id=data.get("id"),
            fields=[FieldChange.from_dict(f) for f in data.get("fields", [])],
            steps=[Step.from_dict(s) for s in data.get("steps", [])],
            depends_on=list(data.get("dependsOn", [])),
            notes=list(data.get("notes", [])),
            source=data.get("source"),
        )


@dataclass
class Refusal:
    """An entry the plan will not touch, and why (ambiguous match, impossible change...)."""

    address: str
    reason: str
    source: str | None = None


@dataclass
class Unmanaged:
    """A live object of a managed kind that no manifest entry matches."""

    kind: str
    name: str
    id: str


@dataclass
class Plan:
    target: dict[str, str]  # api_url, team_id, tenant_id
    manifest_digest: str
    manifests: list[str]
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    safety: list[str] = field(default_factory=list)  # mass-delete refusals, with the numbers
    notes: list[str] = field(default_factory=list)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    fingerprints: Mapping[str, str] = field(default_factory=dict)  # "kind:id" -> hash
    read_kinds: list[str] = field(default_factory=list)
    created: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, Any] = field(default_factory=dict, repr=False)  # never serialised

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(ACTIONS, 0)
        for change in self.changes:
            out[change.action] += 1
        return out

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    @property
    def refused(self) -> bool:
        return bool(self.refusals or self.safety)

    def summary(self) -> str:
        c = self.counts()
        return f"Plan: {c['create']} to create, {c['update']} to update, {c['delete']} to delete."

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PLAN_FORMAT,
            "created": self.created,
            "target": dict(self.target),
            "manifests": list(self.manifests),
            "manifestDigest": self.manifest_digest,
            "options": dict(self.options),
            "summary": {**self.counts(), "unchanged": self.unchanged},
            "changes": [c.to_dict() for c in self.changes],
            "refusals": [asdict(r) for r in self.refusals],
            "safety": list(self.safety),
            "notes": list(self.notes),
            "unmanaged": [asdict(u) for u in self.unmanaged],
            "readKinds": list(self.read_kinds),
            "fingerprints": dict(sorted(self.fingerprints.items())),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            target=dict(data["target"]),
            manifest_digest=data["manifestDigest"],
            manifests=list(data.get("manifests", [])),
            changes=[Change.from_dict(c) for c in data.get("changes", [])],
            unchanged=int(data.get("summary", {}).get("unchanged", 0)),
            refusals=[Refusal(**r) for r in data.get("refusals", [])],
            safety=list(data.get("safety", [])),
            notes=list(data.get("notes", [])),
            unmanaged=[Unmanaged(**u) for u in data.get("unmanaged", [])],
            fingerprints=dict(data.get("fingerprints", {})),
            read_kinds=list(data.get("readKinds", [])),
            created=data.get("created", ""),
            options=dict(data.get("options", {})),
        )
