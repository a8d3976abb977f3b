"""Stage 3 of planning, per entry: the change (fields and HTTP steps) that makes it so."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..core import paths
from ..core.desired import DesiredState, Entry
from ..core.live import Account, LiveObject
from ..core.problems import Problem
from ..core.steps import is_secret
from ..kinds.base import Kind, KindContext, Unplannable
from .diff import field_changes
from .plan import MISSING, Change, FieldChange, Refusal
from .references import Blocked, Names, ReferenceResolver

SECRET = "$secret"


def top_field(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


@cache
def list_keys(kind: Kind) -> dict[str, tuple[str, ...]]:
    """The kind's lists whose items have a key: the plan shows their items by key
    (computed once per kind; callers only read it)."""
    return {path: fields for path, fields in kind.unordered.items() if fields}


def secret_values(state: DesiredState, keys: dict[int, str]) -> dict[str, Any]:
    """Every sensitive value of the manifests by token; a saved plan holds only the tokens."""
    out: dict[str, Any] = {}
    for entry in state.all():
        for path in entry.sensitive:
            value = paths.walk(entry.fields, path, MISSING)
            if value is not MISSING:
                out[f"{keys[id(entry)]}|{paths.fmt(path)}"] = value
    return out


@dataclass
class EntryPlanner:
    """Builds the change of each entry; collects refusals, problems and dependencies."""

    account: Account
    ctx: KindContext
    names: Names
    resolver_for: Any  # () -> ReferenceResolver
    update_write_only: bool = False
    changes: dict[str, Change] = field(default_factory=dict)
    deps: dict[str, set[str]] = field(default_factory=dict)
    refusals: dict[str, Refusal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0
    write_only_skipped: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def plan_entry(self, kind: Kind, entry: Entry, key: str, live: LiveObject | None) -> None:
        resolver: ReferenceResolver = self.resolver_for()
        try:
            _resolve_references(kind, entry, resolver, self.account)
        except Blocked as exc:
            self.refusals[key] = Refusal(key, str(exc), str(entry.location))
            return
        if resolver.problems:
            self.problems += resolver.problems
            return

        def body() -> dict[str, Any]:  # built only for a change: most entries have none
            return _secret_placeholders(entry, key, kind.body(entry, resolver, self.account))

        desired = kind.desired_form(entry, self.names)
        try:
            if live is None:
                change = self._create(kind, entry, body(), desired)
            else:
                change = self._update(kind, entry, live, body, desired)
        except Unplannable as exc:
            self.refusals[key] = Refusal(key, str(exc), str(entry.location))
            return
        if change is None:
            self.unchanged += 1
            return
        masked = {p[0] for p in entry.sensitive} | set(kind.secret_fields)
        for fc in change.fields:
            fc.sensitive = fc.sensitive or top_field(fc.path) in masked
        change.key = key
        change.source = str(entry.location)
        self.changes[key] = change
        self.deps[key] = resolver.deps

    def absorb(self, other: EntryPlanner) -> None:
        """Take in what `other` planned (entries planned earlier, as their kind's read ended),
        as if planned here: in order, after what this one has."""
        self.changes.update(other.changes)
        self.deps.update(other.deps)
        self.refusals.update(other.refusals)
        self.problems += other.problems
        self.unchanged += other.unchanged
        for key, count in other.write_only_skipped.items():
            self.write_only_skipped[key] += count

    def _create(self, kind: Kind, entry: Entry, body: dict, desired: dict) -> Change:
        baseline = kind.create_baseline(entry, self.ctx)
        start: dict[str, Any] = {}
        notes = []
        if baseline is not None:
            start = kind.normalize_live(baseline.raw, self.names)
            desired = kind.follow_live(desired, start)
            if kind.merge_compare:
                start = {k: v for k, v in start.items() if k in desired}
            notes.append(f"cloned from {baseline.origin} model {baseline.name} (id {baseline.id})")
        fields = field_changes(start, desired, list_keys(kind))
        fields += [
            FieldChange(name, MISSING, "(sensitive)", True)
            for name in sorted(kind.write_only)
            if name in entry.fields
        ]
        steps = kind.create_steps(entry, body, self.ctx)
        return Change("", "create", kind.name, entry.name, fields=fields, steps=steps, notes=notes)

    def _update(
        self,
        kind: Kind,
        entry: Entry,
        live: LiveObject,
        body: Callable[[], dict[str, Any]],
        desired: dict,
    ) -> Change | None:
        current = kind.live_form(live, self.names)
        current, desired = kind.comparable(entry.fields, current, desired)
        fields = field_changes(current, desired, list_keys(kind))
        write_only = sorted(f for f in kind.write_only if f in entry.fields)
        notes = []
        if write_only and self.update_write_only:
            fields += [
                FieldChange(
                    name,
                    "(not readable)",
                    "(sensitive)",
                    True,
                    "write-only: sent again (--update-sensitive)",
                )
                for name in write_only
            ]
        elif write_only:
            for name in write_only:
                self.write_only_skipped[(kind.name, name)] += 1
            if fields:
                notes.append(
                    f"{', '.join(write_only)}: write-only, not compared; sent as in the manifest"
                )
        if not fields:
            return None
        changed = {top_field(f.path) for f in fields}
        steps = kind.update_steps(live, body(), changed, self.ctx)
        if not steps:
            return None
        notes += kind.update_notes(live, changed)
        return Change(
            "",
            "update",
            kind.name,
            entry.name,
            live_id=live.id,
            fields=fields,
            steps=steps,
            notes=notes,
        )

    def plan_delete(self, kind: Kind, obj: LiveObject) -> None:
        current = kind.live_form(obj, self.names)
        key = f"{obj.address}#{obj.id}"
        self.changes[key] = Change(
            key=key,
            action="delete",
            kind=kind.name,
            name=obj.name,
            live_id=obj.id,
            fields=[
                FieldChange(k, v, MISSING, k in kind.secret_fields)
                for k, v in sorted(current.items())
            ],
            steps=kind.delete_steps(obj, self.ctx),
        )
        self.deps[key] = set()


def _resolve_references(
    kind: Kind, entry: Entry, resolver: ReferenceResolver, account: Account
) -> None:
    """The entry's references, resolved as its body would resolve them (problems, what it
    depends on), without building the body; a kind with its own body resolves its way."""
    if type(kind).body is Kind.body:
        kind.resolve_references(entry, resolver)
    else:
        kind.body(entry, resolver, account)


def _secret_placeholders(entry: Entry, key: str, body: dict[str, Any]) -> dict[str, Any]:
    for path in sorted(entry.sensitive, key=len):
        parent = paths.walk(body, path[:-1], MISSING) if len(path) > 1 else body
        leaf = path[-1]
        if (isinstance(parent, dict) and leaf in parent and not is_secret(parent[leaf])) or (
            isinstance(parent, list) and isinstance(leaf, int) and leaf < len(parent)
        ):
            parent[leaf] = {SECRET: f"{key}|{paths.fmt(path)}"}
    return body
