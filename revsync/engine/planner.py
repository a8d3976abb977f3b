"""Desired state + live state -> Plan. Generic: every kind-specific decision is a Kind hook."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import kinds
from ..kinds import paths
from ..kinds.base import Account, Kind, KindContext, LiveObject, Unplannable
from ..manifest.model import DesiredState, Entry, Problem
from . import graph
from .diff import field_changes
from .live import LiveState
from .plan import MISSING, Change, FieldChange, Plan, Refusal, Unmanaged
from .steps import is_secret

SECRET = "$secret"


@dataclass
class PlanOptions:
    prune: bool = False
    allow_mass_delete: bool = False
    update_write_only: bool = False
    targets: tuple[str, ...] = ()


@dataclass
class PlanResult:
    plan: Plan
    problems: list[Problem] = field(default_factory=list)  # unresolved references: exit 3


class _Unresolved(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Blocked(Exception):
    """The entry depends on an entry that the plan refuses."""


def entry_keys(state: DesiredState) -> dict[int, str]:
    """A unique change key per entry: kind/name, or kind/name#id for pinned duplicates."""
    counts: dict[str, int] = defaultdict(int)
    for entry in state.all():
        counts[entry.address] += 1
    return {
        id(e): f"{e.address}#{e.pinned_id}" if counts[e.address] > 1 else e.address
        for e in state.all()
    }


def secret_values(state: DesiredState) -> dict[str, Any]:
    """Every sensitive value of the manifests by token; a saved plan holds only the tokens."""
    keys = entry_keys(state)
    out: dict[str, Any] = {}
    for entry in state.all():
        for path in entry.sensitive:
            value = _get(entry.fields, path)
            if value is not MISSING:
                out[f"{keys[id(entry)]}|{paths.fmt(path)}"] = value
    return out


def _get(obj: Any, path: tuple) -> Any:
    return paths.walk(obj, path, MISSING)


def _top(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


class Planner:
    def __init__(
        self,
        state: DesiredState,
        live: LiveState,
        account: Account,
        api_url: str,
        options: PlanOptions,
    ) -> None:
        self.state = state
        self.live = live
        self.account = account
        self.options = options
        self.ctx = KindContext(account, live.objects)
        self.keys = entry_keys(state)
        self.bound: dict[int, LiveObject] = {}  # id(entry) -> live object
        self.bound_ids: dict[tuple[str, str], Entry] = {}  # (kind, live id) -> entry
        self.refused: dict[int, Refusal] = {}
        self.problems: list[Problem] = []
        self.changes: dict[str, Change] = {}
        self.deps: dict[str, set[str]] = {}
        self.doomed: dict[tuple[str, str], LiveObject] = {}  # (kind, id) to be deleted
        self.write_only_skipped: dict[str, int] = defaultdict(int)
        self.entries_by_key: dict[str, dict[tuple, list[Entry]]] = {}
        self.live_by_key: dict[str, dict[tuple, list[LiveObject]]] = {}
        self.live_by_id: dict[tuple[str, str], LiveObject] = {}
        for kind in kinds.KINDS.values():
            by_key: dict[tuple, list[Entry]] = defaultdict(list)
            for entry in state.of(kind.name):
                by_key[kind.fold(entry.key)].append(entry)
            self.entries_by_key[kind.name] = by_key
            live_key: dict[tuple, list[LiveObject]] = defaultdict(list)
            for obj in live.of(kind.name):
                live_key[kind.fold(obj.key)].append(obj)
                self.live_by_id[(kind.name, obj.id)] = obj
            self.live_by_key[kind.name] = live_key
        self.names: _Names | None = None
        self.plan = Plan(
            target={
                "api_url": api_url,
                "team_id": account.team_id,
                "tenant_id": account.tenant_id,
            },
            manifest_digest=state.digest(),
            manifests=list(state.files),
            created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            read_kinds=list(live.read_kinds),
            options={
                "prune": self.prune,
                "allowMassDelete": options.allow_mass_delete,
                "updateSensitive": options.update_write_only,
                "targets": list(options.targets),
            },
        )
        self.plan.secrets = secret_values(state)

    @property
    def prune(self) -> bool:
        return self.options.prune or self.state.settings.prune

    # ---------------------------------------------------------------------------------------
    def run(self) -> PlanResult:
        for kind in kinds.KINDS.values():
            self._match(kind)
        self._doomed()
        self.names = _Names(self)
        for kind in kinds.KINDS.values():
            for entry in self.state.of(kind.name):
                if id(entry) not in self.refused:
                    self._plan_entry(kind, entry)
        self._deletes()
        self._safety()
        self._order()
        self._select_targets()
        self._finish()
        return PlanResult(self.plan, self.problems)

    # matching live objects to entries ----------------------------------------------------------
    def _match(self, kind: Kind) -> None:
        entries = self.state.of(kind.name)
        by_key = self.live_by_key[kind.name]
        taken: set[str] = set()
        for entry in (e for e in entries if e.pinned_id):
            obj = self.live_by_id.get((kind.name, entry.pinned_id or ""))
            if obj is None or not obj.managed:
                self._refuse(
                    entry,
                    f"pinned id {entry.pinned_id} is not a {kind.title} in this account "
                    "(deleted, or another team's?); remove the id to create it anew",
                )
                continue
            self._bind(entry, obj)
            taken.add(obj.id)
        unsafe = {kind.fold(o.key) for o in self.live.unsafe if o.kind == kind.name}
        for entry in (e for e in entries if not e.pinned_id):
            key = kind.fold(entry.key)
            free = [o for o in by_key.get(key, []) if o.managed and o.id not in taken]
            if len(free) == 1:
                self._bind(entry, free[0])
                taken.add(free[0].id)
            elif len(free) > 1:
                ids = ", ".join(o.id for o in free)
                self._refuse(
                    entry,
                    f"{len(free)} live {kind.name} match '{entry.name}' (ids {ids}); "
                    "pin one with 'id:' in the manifest",
                )
            elif key in unsafe:
                self._refuse(
                    entry,
                    "a live object with this name has an id revsync will not "
                    "put in a URL; fix it in Revenium",
                )

    def _bind(self, entry: Entry, obj: LiveObject) -> None:
        self.bound[id(entry)] = obj
        self.bound_ids[(obj.kind, obj.id)] = entry

    def _refuse(self, entry: Entry, reason: str) -> None:
        self.refused[id(entry)] = Refusal(self.keys[id(entry)], reason, str(entry.location))

    def _doomed(self) -> None:
        """What --prune deletes (known before bodies are built, so references to it fail),
        and which live objects no entry matches (reported either way)."""
        protected = set(self.state.settings.protect)
        for kind_name in kinds.names():
            if kind_name not in self.state.managed_kinds:
                continue
            kind = kinds.get(kind_name)
            for obj in self.live.of(kind_name):
                if (kind_name, obj.id) in self.bound_ids or not obj.managed:
                    continue
                self.plan.unmanaged.append(Unmanaged(kind_name, obj.name, obj.id))
                if not self.prune:
                    continue
                reason = "is protected: kept" if obj.address in protected else kind.deletable(obj)
                if reason:
                    self.plan.notes.append(f"{obj.address} (id {obj.id}) {reason}")
                else:
                    self.doomed[(kind_name, obj.id)] = obj

    # one entry --------------------------------------------------------------------------------
    def _plan_entry(self, kind: Kind, entry: Entry) -> None:
        key = self.keys[id(entry)]
        live = self.bound.get(id(entry))
        binder = _Binder(self, entry)
        try:
            body = kind.body(entry, binder, self.account)
        except _Blocked as exc:
            self._refuse(entry, str(exc))
            return
        if binder.problems:
            self.problems += binder.problems
            return
        body = self._secret_placeholders(entry, body)
        names = self.names
        assert names is not None
        desired = kind.normalize_desired(entry.fields, names)
        masked = {p[0] for p in entry.sensitive} | set(kind.secret_fields)
        try:
            if live is None:
                change = self._create(kind, entry, body, desired, names)
            else:
                change = self._update(kind, entry, live, body, desired, names)
        except Unplannable as exc:
            self._refuse(entry, str(exc))
            return
        if change is None:
            self.plan.unchanged += 1
            return
        for fc in change.fields:
            fc.sensitive = fc.sensitive or _top(fc.path) in masked
        change.key = key
        change.source = str(entry.location)
        self.changes[key] = change
        self.deps[key] = binder.deps

    def _create(self, kind: Kind, entry: Entry, body: dict, desired: dict, names: _Names) -> Change:
        baseline = kind.create_baseline(entry, self.ctx)
        start: dict[str, Any] = {}
        notes = []
        if baseline is not None:
            start = kind.normalize_live(baseline.raw, names)
            if kind.merge_compare:
                start = {k: v for k, v in start.items() if k in desired}
            notes.append(f"cloned from {baseline.origin} model {baseline.name} (id {baseline.id})")
        steps = kind.create_steps(entry, body, self.ctx)
        fields = field_changes(start, desired)
        fields += [
            FieldChange(name, MISSING, "(sensitive)", True)
            for name in sorted(kind.write_only)
            if name in entry.fields
        ]
        return Change(
            key="",
            action="create",
            kind=kind.name,
            name=entry.name,
            fields=fields,
            steps=steps,
            notes=notes,
        )

    def _update(
        self, kind: Kind, entry: Entry, live: LiveObject, body: dict, desired: dict, names: _Names
    ) -> Change | None:
        current = kind.normalize_live(live.raw, names)
        if kind.merge_compare:
            current = {k: v for k, v in current.items() if k in desired}
        fields = field_changes(current, desired)
        write_only = sorted(f for f in kind.write_only if f in entry.fields)
        notes = []
        if write_only and self.options.update_write_only:
            for name in write_only:
                fields.append(
                    FieldChange(
                        name,
                        "(not readable)",
                        "(sensitive)",
                        True,
                        "write-only: sent again (--update-sensitive)",
                    )
                )
        elif write_only:
            for name in write_only:
                self.write_only_skipped[f"{kind.name}.{name}"] += 1
            if fields:
                notes.append(
                    f"{', '.join(write_only)}: write-only, not compared; sent as in the manifest"
                )
        if not fields:
            return None
        changed = {_top(f.path) for f in fields}
        steps = kind.update_steps(live, body, changed, self.ctx)
        if not steps:
            return None
        return Change(
            key="",
            action="update",
            kind=kind.name,
            name=entry.name,
            live_id=live.id,
            fields=fields,
            steps=steps,
            notes=notes,
        )

    def _secret_placeholders(self, entry: Entry, body: dict[str, Any]) -> dict[str, Any]:
        key = self.keys[id(entry)]
        for path in sorted(entry.sensitive, key=len):
            parent = _get(body, path[:-1]) if len(path) > 1 else body
            leaf = path[-1]
            if (isinstance(parent, dict) and leaf in parent and not is_secret(parent[leaf])) or (
                isinstance(parent, list) and isinstance(leaf, int) and leaf < len(parent)
            ):
                parent[leaf] = {SECRET: f"{key}|{paths.fmt(path)}"}
        return body

    # deletions ---------------------------------------------------------------------------------
    def _deletes(self) -> None:
        names = self.names
        assert names is not None
        for (kind_name, _), obj in self.doomed.items():
            kind = kinds.get(kind_name)
            current = kind.normalize_live(obj.raw, names)
            key = f"{obj.address}#{obj.id}"
            self.changes[key] = Change(
                key=key,
                action="delete",
                kind=kind_name,
                name=obj.name,
                live_id=obj.id,
                fields=[
                    FieldChange(k, v, MISSING, k in kind.secret_fields)
                    for k, v in sorted(current.items())
                ],
                steps=kind.delete_steps(obj, self.ctx),
            )
            self.deps[key] = set()
        if not self.prune and self.plan.unmanaged:
            n = len(self.plan.unmanaged)
            self.plan.notes.append(
                f"{n} live object{'s' if n != 1 else ''} of managed kinds are not in the "
                "manifests (not deleted without --prune)"
            )

    def _safety(self) -> None:
        limit = self.state.settings.max_delete_percent
        deletes: dict[str, int] = defaultdict(int)
        for change in self.changes.values():
            if change.action == "delete":
                deletes[change.kind] += 1
        for kind_name, count in sorted(deletes.items()):
            total = sum(1 for o in self.live.of(kind_name) if o.managed)
            percent = 100.0 * count / total if total else 0.0
            if total >= 10 and percent > limit and not self.options.allow_mass_delete:
                self.plan.safety.append(
                    f"refusing to delete {count} of {total} {kind_name} ({percent:.0f}% > "
                    f"maxDeletePercent {limit:g}%); pass --allow-mass-delete if you mean it"
                )

    # ordering ----------------------------------------------------------------------------------
    def _order(self) -> None:
        """Creates/updates after what they reference; deletes after whatever references them."""
        keys = set(self.changes)
        for key, deps in self.deps.items():
            deps &= keys
            deps.discard(key)
        by_live_id = {
            (c.kind, c.live_id): c.key for c in self.changes.values() if c.live_id is not None
        }
        deletes = [c for c in self.changes.values() if c.action == "delete"]
        referrers = self._live_referrers() if deletes else {}
        for change in deletes:
            obj = self.live_by_id[(change.kind, change.live_id or "")]
            found = referrers.get((obj.kind, obj.id), []) + referrers.get(
                (obj.kind, obj.name.lower()), []
            )
            for other in found:
                if other is obj:
                    continue
                referrer = by_live_id.get((other.kind, other.id))
                if referrer is not None:
                    self.deps[change.key].add(referrer)
                else:
                    change.notes.append(
                        f"still referenced by {other.address} (id {other.id}), which this plan "
                        "does not change: Revenium may refuse the delete"
                    )
        ordered, cyclic = graph.levels(keys, self.deps)
        for key in sorted(cyclic):
            change = self.changes.pop(key)
            self.plan.refusals.append(
                Refusal(
                    key, "dependency cycle between changes; apply them in two steps", change.source
                )
            )
        position = {key: i for i, level in enumerate(ordered) for key in level}
        kind_rank = {name: i for i, name in enumerate(kinds.names())}
        self.plan.changes = sorted(
            self.changes.values(),
            key=lambda c: (kind_rank[c.kind], c.name, c.key, position.get(c.key, 0)),
        )
        for change in self.plan.changes:
            change.depends_on = sorted(self.deps.get(change.key, set()) & set(self.changes))

    def _live_referrers(self) -> dict[tuple[str, str], list[LiveObject]]:
        """(kind, id) -> live objects referring to it (by key, lower-cased, for emails)."""
        out: dict[tuple[str, str], list[LiveObject]] = defaultdict(list)
        for other in self.live.all():
            for target, value, by_key in kinds.get(other.kind).live_refs(other.raw):
                out[(target, value.lower() if by_key else value)].append(other)
        return out

    def _select_targets(self) -> None:
        targets = self.options.targets
        if not targets:
            return
        wanted = {c.key for c in self.plan.changes if c.key in targets or c.address in targets}
        keep = graph.closure(wanted, {c.key: set(c.depends_on) for c in self.plan.changes})
        self.plan.changes = [c for c in self.plan.changes if c.key in keep]

    def _finish(self) -> None:
        refusals = [*self.plan.refusals, *self.refused.values()]
        targets = set(self.options.targets)
        if targets:
            refusals = [r for r in refusals if {r.address, r.address.split("#")[0]} & targets]
        self.plan.refusals = sorted(refusals, key=lambda r: r.address)
        for name, count in sorted(self.write_only_skipped.items()):
            kind_name, field_name = name.split(".")
            title = kinds.get(kind_name).title + ("s" if count != 1 else "")
            self.plan.notes.append(
                f"{field_name} of {count} {title} is write-only: not compared "
                "(apply --update-sensitive sends it again)"
            )
        for obj in self.live.unsafe:
            self.plan.notes.append(
                f"{obj.address}: its id {obj.id!r} is not safe to put in a URL; revsync leaves "
                "it alone"
            )
        self.plan.fingerprints = self.live.fingerprints()


class _Names:
    """Live id -> the name revsync uses for it (the manifest's name when it is bound)."""

    def __init__(self, planner: Planner) -> None:
        self._planner = planner
        self._index: dict[tuple[str, str], str] = {}
        for obj in planner.live.all():
            self._index[(obj.kind, obj.id)] = obj.name
        for (kind, ident), entry in planner.bound_ids.items():
            self._index[(kind, ident)] = entry.name

    def name_of(self, kind: str, ident: str) -> str | None:
        return self._index.get((kind, ident))


class _Binder:
    """Resolves references by name for one entry's request body, recording dependencies."""

    def __init__(self, planner: Planner, entry: Entry) -> None:
        self._planner = planner
        self._entry = entry
        self.deps: set[str] = set()
        self.problems: list[Problem] = []

    def resolve(self, kind_name: str, name: str, entry: Entry, path: tuple) -> Any:
        try:
            return self._resolve(kind_name, name, entry, path)
        except _Unresolved as exc:
            self.problems.append(exc.problem)
            return None

    def _resolve(self, kind_name: str, name: str, entry: Entry, path: tuple) -> Any:
        planner = self._planner
        target = kinds.get(kind_name)
        key = tuple(name.split("/")) if len(target.key_fields) > 1 else (name,)
        folded = target.fold(key)
        matches = planner.entries_by_key[kind_name].get(folded, [])
        label = paths.fmt(path)
        if len(matches) == 1:
            other = matches[0]
            other_key = planner.keys[id(other)]
            if id(other) in planner.refused:
                raise _Blocked(f"{label}: depends on {other_key}, which this plan refuses")
            self.deps.add(other_key)
            bound = planner.bound.get(id(other))
            return bound.id if bound is not None else {"$ref": other_key}
        live = planner.live_by_key[kind_name].get(folded, [])
        where = entry.where(path)
        if len(matches) > 1 or len(live) > 1:
            ids = ", ".join(o.id for o in live) or "several manifest entries"
            raise _Unresolved(
                Problem(
                    f"{label}: {target.title} '{name}' is ambiguous ({ids}); refer to it by id",
                    where,
                    entry.address,
                )
            )
        if len(live) == 1:
            obj = live[0]
            if (kind_name, obj.id) in planner.doomed:
                raise _Unresolved(
                    Problem(
                        f"{label}: {target.title} '{name}' is not in the manifests, so --prune "
                        "would delete it; add it to the manifests or to settings.protect",
                        where,
                        entry.address,
                    )
                )
            return obj.id
        known = sorted(
            {e.name for e in planner.state.of(kind_name)}
            | {o.name for o in planner.live.of(kind_name)}
        )
        shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
        raise _Unresolved(
            Problem(
                f"{label}: {target.title} '{name}' exists neither in the manifests nor in "
                f"Revenium" + (f" (known: {shown})" if known else f" (no {kind_name} at all)"),
                where,
                entry.address,
            )
        )


def make_plan(
    state: DesiredState, live: LiveState, account: Account, api_url: str, options: PlanOptions
) -> PlanResult:
    return Planner(state, live, account, api_url, options).run()
