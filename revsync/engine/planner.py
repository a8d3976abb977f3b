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
from ..kinds.base import KindContext
from . import order, renames, targets
from .changes import EntryPlanner, secret_values
from .match import Binding, match
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
    pruning_on = options.prune or state.settings.prune
    _check_targets(state, live, options)
    plan = _empty_plan(state, live, account, api_url, options, pruning_on)
    binding = match(state, live)
    pruning = prune(state, live, binding, pruning_on)
    plan.unmanaged, plan.notes = pruning.unmanaged, list(pruning.notes)
    plan.secrets = secret_values(state, binding.keys)
    names = Names(live, binding)
    entries = _plan_entries(state, live, account, binding, names, pruning.doomed, options)
    for obj in pruning.doomed.values():
        entries.plan_delete(kinds.get(obj.kind), obj)
    _say_renames(state, live, binding, names, entries.changes, plan)
    if not pruning_on and plan.unmanaged:
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


def _plan_entries(
    state: DesiredState,
    live: LiveState,
    account: Account,
    binding: Binding,
    names: Names,
    doomed: dict,
    options: PlanOptions,
) -> EntryPlanner:
    resolved: dict = {}  # shared: a name resolves the same way for every entry
    entries = EntryPlanner(
        account,
        KindContext(account, live.objects),
        names,
        lambda: ReferenceResolver(state, live, binding, doomed, resolved),
        options.update_write_only,
    )
    for kind in kinds.KINDS.values():
        for entry in state.of(kind.name):
            if id(entry) not in binding.refused:
                key = binding.keys[id(entry)]
                entries.plan_entry(kind, entry, key, binding.bound.get(id(entry)))
    return entries


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
