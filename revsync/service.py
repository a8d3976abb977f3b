"""The application service: what every command does with manifests, Revenium and a plan.

It returns data (plans, reports) and raises `RevsyncError`s carrying problems; it never
prints. The command and output layers decide how things look.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core.desired import DesiredState
from .core.errors import ManifestError, RefusedError
from .core.live import Account, LiveState
from .engine.api import Api
from .engine.changes import secret_values
from .engine.executor import Event, Executor
from .engine.freshness import stale, touched_kinds
from .engine.live import LiveReads, kinds_to_read, prepare_desired, read_live
from .engine.match import entry_keys
from .engine.plan import Plan
from .engine.plan_checks import differences, unsafe_paths
from .engine.planner import Planner, PlanOptions
from .engine.recovery import MIN_LOOKUP_WINDOW
from .engine.report import ApplyReport
from .lock import apply_lock


@dataclass
class Target:
    """Where the service works: the API, the account, and how hard it may push."""

    api: Api
    account: Account
    api_url: str
    parallelism: int = 4
    lookup_window: float = MIN_LOOKUP_WINDOW


def compute_plan(
    target: Target, state: DesiredState, options: PlanOptions, reads: LiveReads | None = None
) -> Plan:
    """`reads`: reads already under way (prefetch.py); otherwise the account is read now."""
    prune = options.prune or state.settings.prune
    needed = kinds_to_read(state, prune)
    prepare_desired(state)  # while the reads run
    state.digest()  # computed once, and now, while the reads run (the plan records it)
    planner = Planner(state, target.account, target.api_url, options)
    if reads:  # each kind is planned as soon as it and what it refers to are read
        live = reads.live_for(needed, planner.kind_read)
    else:
        live = read_live(target.api, target.account, needed, prepare=True)
    result = planner.finish(live)
    if result.problems:
        n = len(result.problems)
        raise ManifestError(
            f"{n} reference{'s' if n != 1 else ''} cannot be resolved against Revenium; "
            "nothing was changed",
            problems=sorted(result.problems, key=lambda p: p.sort_key()),
        )
    protect_secrets(target, result.plan)
    return result.plan


def protect_secrets(target: Target, plan: Plan) -> None:
    """The client redacts what it is told: every sensitive manifest value (webhook URLs)."""
    for value in plan.secrets.values():
        if isinstance(value, str):
            target.api.add_secret(value)


def read_again(target: Target, plan: Plan) -> LiveState:
    return read_live(target.api, target.account, touched_kinds(plan))


def verify_fresh(target: Target, plan: Plan) -> None:
    """Refuse (exit 4) when an object the plan touches changed since it was read."""
    reasons = stale(plan, read_again(target, plan))
    if reasons:
        raise RefusedError(
            "the plan is stale: Revenium changed since it was made:\n  " + "\n  ".join(reasons),
            "Run plan again (and review it) before applying.",
        )


def check_target(target: Target, plan: Plan) -> None:
    here = {
        "api_url": target.api_url,
        "team_id": target.account.team_id,
        "tenant_id": target.account.tenant_id,
    }
    if plan.target != here:
        raise RefusedError(
            f"the plan was made for {plan.target['api_url']} (team {plan.target['team_id']}), "
            f"not {here['api_url']} (team {here['team_id']})"
        )


def check_manifests(target: Target, plan: Plan, state: DesiredState) -> None:
    if state.digest() != plan.manifest_digest:
        raise RefusedError(
            "the manifests (or the environment values they use) differ from those the plan "
            "was made from",
            "Run plan again.",
        )
    plan.secrets = secret_values(state, entry_keys(state))
    protect_secrets(target, plan)


def check_saved_steps(plan: Plan) -> None:
    """Refuse (exit 4), before any request, a saved plan whose steps revsync would never
    send: an absolute URL (the key would go to another host), a path outside the kind."""
    problems = unsafe_paths(plan)
    if problems:
        raise RefusedError(
            "the plan file holds steps revsync does not send; nothing was applied:\n  "
            + "\n  ".join(problems),
            "Run plan again; never edit a plan file by hand.",
        )


def verify_saved_plan(target: Target, plan: Plan, state: DesiredState) -> None:
    """Refuse (exit 4) a saved plan whose changes are not exactly those a plan of the same
    manifests against the account makes now: an added or edited step is never obeyed."""
    verify_fresh(target, plan)  # the clearer message when the account moved on
    options = PlanOptions(
        prune=bool(plan.options.get("prune")),
        allow_mass_delete=bool(plan.options.get("allowMassDelete")),
        update_write_only=bool(plan.options.get("updateSensitive")),
        targets=tuple(plan.options.get("targets") or ()),
    )
    now = compute_plan(target, state, options)
    found = differences(plan, now)
    if found:
        raise RefusedError(
            "the saved plan is not what planning these manifests against Revenium gives "
            "now; nothing was applied:\n  " + "\n  ".join(found),
            "Run plan again (and review it); never edit a plan file by hand.",
        )


def execute(target: Target, plan: Plan, on_event: Event | None = None) -> ApplyReport:
    with apply_lock(target.api_url, target.account.team_id):
        executor = Executor(target.api, plan, target.parallelism, on_event, target.lookup_window)
        return executor.run()
