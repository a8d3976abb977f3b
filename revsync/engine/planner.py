"""Desired state + live state -> Plan, in stages with plain data between them:

match (entry <-> live object) -> prune (what --prune deletes) -> changes (bodies, references,
diffs) -> safety (thresholds) -> order (graphlib) -> targets. Every kind-specific decision is
a Kind hook; this module names no kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from .. import kinds
from ..core.desired import DesiredState
from ..core.errors import ManifestError
from ..core.live import Account, LiveState
from ..core.problems import Problem
from ..kinds.base import Kind, KindContext
from . import order, renames, targets
from .changes import EntryPlanner, secret_values
from .match import Binding, entry_keys, match_kind
from .plan import Plan
from .prune import prune
from .references import Names, ReferenceResolver
from .safety import Breach, SafetyPolicy


@dataclass
class PlanOptions:
    prune: bool = False
    allow_mass_delete: bool = False
    update_write_only: bool = False
    targets: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    @property
    def targeted(self) -> bool:
        return bool(self.targets or self.excludes)


@dataclass
class PlanResult:
    plan: Plan
    problems: list[Problem] = field(default_factory=list)  # unresolved references: exit 3
    breaches: list[Breach] = field(default_factory=list)


def make_plan(
    state: DesiredState, live: LiveState, account: Account, api_url: str, options: PlanOptions
) -> PlanResult:
    return Planner(state, account, api_url, options).finish(live)


class Planner:
    """A plan, begun while the account is still being read.

    `kind_read` is told of each kind as its read ends: once a kind and every kind it refers
    to are read, its entries are planned then, while later pages arrive (reading is bound by
    the API's rate limit, planning by our CPU). `finish` plans the rest and makes the Plan,
    exactly as planning everything at the end would. With --prune nothing is planned early:
    what prune deletes, which needs every kind, decides how some names resolve.
    """

    def __init__(
        self, state: DesiredState, account: Account, api_url: str, options: PlanOptions
    ) -> None:
        self.state, self.account, self.api_url, self.options = state, account, api_url, options
        self.pruning_on = options.prune or state.settings.prune
        self.binding = Binding(entry_keys(state))
        self.names = Names()
        self.resolved: dict = {}  # shared: a name resolves the same way for every entry
        self._matched: set[str] = set()
        self._planned: dict[str, EntryPlanner] = {}

    def kind_read(self, live: LiveState, name: str) -> None:
        """`live` holds every object of `name` now."""
        if self.pruning_on or name not in kinds.KINDS:
            return
        self._match(live, name)
        for kind in kinds.KINDS.values():
            if kind.name not in self._planned and self._ready(kind):
                entries = self._entry_planner(live, {})
                self._plan_kind(entries, kind)
                self._planned[kind.name] = entries

    def _ready(self, kind: kinds.Kind) -> bool:
        """Matched with every kind it refers to; kinds planning their own way (a body or a
        normal form of their own, which may look further) wait for `finish`."""
        if kind.name not in self._matched:  # matched: read, with all its objects
            return False
        if type(kind).body is not Kind.body or not _named_by_refs_only(kind):
            return False
        return all(ref.target in self._matched for ref in kind.refs)

    def _match(self, live: LiveState, name: str) -> None:
        match_kind(self.binding, kinds.get(name), self.state, live)
        self.names.add_kind(name, live, self.state, self.binding)
        self._matched.add(name)

    def finish(self, live: LiveState) -> PlanResult:
        state, account, options = self.state, self.account, self.options
        _check_targets(state, live, options)
        plan = _empty_plan(state, live, account, self.api_url, options, self.pruning_on)
        for kind in kinds.KINDS.values():
            if kind.name not in self._matched:
                self._match(live, kind.name)
        binding = self.binding
        pruning = prune(state, live, binding, self.pruning_on)
        plan.unmanaged, plan.notes = pruning.unmanaged, list(pruning.notes)
        plan.secrets = secret_values(state, binding.keys)
        entries = self._entry_planner(live, pruning.doomed)
        for kind in kinds.KINDS.values():
            early = self._planned.get(kind.name)
            if early is not None:
                entries.absorb(early)
            else:
                self._plan_kind(entries, kind)
        for obj in pruning.doomed.values():
            entries.plan_delete(kinds.get(obj.kind), obj)
        _say_renames(state, live, binding, self.names, entries.changes, plan)
        if not self.pruning_on and plan.unmanaged:
            n = len(plan.unmanaged)
            plan.notes.append(
                f"{n} live object{'s' if n != 1 else ''} of managed kinds are not in the "
                "manifests (not deleted without --prune)"
            )
        policy = SafetyPolicy(state.settings.max_delete_percent, state.settings.max_update_percent)
        breaches = policy.check(list(entries.changes.values()), live)
        if options.allow_mass_delete:
            breaches = [b for b in breaches if b.action != "delete"]
        plan.safety = [_safety_message(b) for b in breaches]
        order.delete_edges(entries.changes, entries.deps, live)
        cycles = order.order(entries.changes, entries.deps)
        plan.changes = order.display_order(entries.changes)
        plan.unchanged = entries.unchanged
        refusals = [*cycles, *binding.refused.values(), *entries.refusals.values()]
        if options.targeted:
            refusals = _select_targets(plan, options, refusals)
        _finish(plan, live, refusals, entries.write_only_skipped)
        return PlanResult(plan, entries.problems, breaches)

    def _entry_planner(self, live: LiveState, doomed: dict) -> EntryPlanner:
        state, binding = self.state, self.binding
        resolved = self.resolved if not doomed else {}  # names resolve otherwise then
        return EntryPlanner(
            self.account,
            KindContext(self.account, live.objects),
            self.names,
            lambda: ReferenceResolver(state, live, binding, doomed, resolved),
            self.options.update_write_only,
        )

    def _plan_kind(self, entries: EntryPlanner, kind: kinds.Kind) -> None:
        binding = self.binding
        for entry in self.state.of(kind.name):
            if id(entry) not in binding.refused:
                key = binding.keys[id(entry)]
                entries.plan_entry(kind, entry, key, binding.bound.get(id(entry)))


def _named_by_refs_only(kind: kinds.Kind) -> bool:
    """The kind's normal forms use names only through its declared references."""
    return kind.names_only_in_refs or (
        type(kind).normalize_live is Kind.normalize_live
        and type(kind).normalize_desired is Kind.normalize_desired
    )


def _say_renames(state, live, binding: Binding, names: Names, changes: dict, plan: Plan) -> None:
    """Renames matched by `previousNames`, and creates that look like an unmatched object."""
    for entry_id, old in binding.renamed.items():
        change = changes.get(binding.keys[entry_id])
        if change is not None:
            change.notes.append(f"renamed from '{old}' (previousNames)")
    pairs = renames.look_alikes(state, live, binding, names)
    plan.notes += renames.explain(pairs, changes)


def _safety_message(breach: Breach) -> str:
    """The policy states the numbers; the way out is worded here, once."""
    if breach.action == "delete":
        return f"{breach.describe()}; pass --allow-mass-delete if you mean it"
    return f"{breach.describe()}; raise settings.maxUpdatePercent if you mean it"


def _empty_plan(state, live, account, api_url, options, pruning_on) -> Plan:
    return Plan(
        target={"api_url": api_url, "team_id": account.team_id, "tenant_id": account.tenant_id},
        manifest_digest=state.digest(),
        manifests=list(state.files),
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        read_kinds=list(live.read_kinds),
        options={
            "prune": pruning_on,
            "allowMassDelete": options.allow_mass_delete,
            "updateSensitive": options.update_write_only,
            "targets": list(options.targets),
            "excludes": list(options.excludes),
        },
    )


def _check_targets(state: DesiredState, live: LiveState, options: PlanOptions) -> None:
    """A --target or --exclude that names nothing is a mistake, not "No changes"."""
    candidates = [(e.kind, e.name, e.pinned_id) for e in state.all()]
    candidates += [(o.kind, o.name, o.id) for o in [*live.all(), *live.unsafe]]
    problems = targets.unmatched(options.targets, candidates, "--target")
    problems += targets.unmatched(options.excludes, candidates, "--exclude")
    if problems:
        n = len(problems)
        raise ManifestError(
            f"{n} target{'s match' if n != 1 else ' matches'} nothing; nothing was planned",
            "Targets are KIND/NAME as in the manifests (e.g. products/Pro, products/*).",
            problems=problems,
        )


def _select_targets(plan: Plan, options: PlanOptions, refusals: list) -> list:
    """Keep the targeted changes and their pending dependencies; say so in the notes."""
    chosen = targets.select(plan.changes, options.targets, options.excludes)
    plan.changes = [c for c in plan.changes if c.key in chosen.keep]
    plan.notes[:0] = chosen.notes(options.targets, options.excludes)
    return targets.refusals_in_scope(refusals, options.targets, options.excludes)


def _finish(plan, live, refusals, write_only_skipped) -> None:
    plan.refusals = sorted(refusals, key=lambda r: r.address)
    for (kind_name, field_name), count in sorted(write_only_skipped.items()):
        title = kinds.get(kind_name).title + ("s" if count != 1 else "")
        plan.notes.append(
            f"{field_name} of {count} {title} is write-only: not compared "
            "(apply --update-sensitive sends it again)"
        )
    for obj in live.unsafe:
        plan.notes.append(
            f"{obj.address}: its id {obj.id!r} is not safe to put in a URL; revsync leaves it alone"
        )
    plan.fingerprints = live.fingerprints()
