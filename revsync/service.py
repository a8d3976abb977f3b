"""The application service: what every command does with manifests, Revenium and a plan.

It returns data (plans, reports) and raises `RevsyncError`s carrying problems; it never
prints. The command and output layers decide how things look.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .core.desired import DesiredState
from .core.errors import ManifestError, RefusedError
from .core.live import Account, LiveState
from .engine.api import Api
from .engine.changes import secret_values
from .engine.executor import Event, Executor
from .engine.freshness import stale, touched_kinds
from .engine.live import kinds_to_read, read_live
from .engine.match import entry_keys
from .engine.plan import Plan
from .engine.planner import PlanOptions, make_plan
from .engine.recovery import MIN_LOOKUP_WINDOW
from .engine.report import ApplyReport

try:  # POSIX; elsewhere only the freshness check guards concurrent applies
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


@dataclass
class Target:
    """Where the service works: the API, the account, and how hard it may push."""

    api: Api
    account: Account
    api_url: str
    parallelism: int = 4
    lookup_window: float = MIN_LOOKUP_WINDOW


def compute_plan(target: Target, state: DesiredState, options: PlanOptions) -> Plan:
    prune = options.prune or state.settings.prune
    live = read_live(target.api, target.account, kinds_to_read(state, prune))
    result = make_plan(state, live, target.account, target.api_url, options)
    if result.problems:
        n = len(result.problems)
        raise ManifestError(
            f"{n} reference{'s' if n != 1 else ''} cannot be resolved against Revenium; "
            "nothing was changed",
            problems=sorted(result.problems, key=lambda p: p.sort_key()),
        )
    return result.plan


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


def check_manifests(plan: Plan, state: DesiredState) -> None:
    if state.digest() != plan.manifest_digest:
        raise RefusedError(
            "the manifests (or the environment values they use) differ from those the plan "
            "was made from",
            "Run plan again.",
        )
    plan.secrets = secret_values(state, entry_keys(state))


def execute(target: Target, plan: Plan, on_event: Event | None = None) -> ApplyReport:
    with account_lock(target.api_url, target.account.team_id):
        executor = Executor(target.api, plan, target.parallelism, on_event, target.lookup_window)
        return executor.run()


@contextmanager
def account_lock(api_url: str, team_id: str) -> Iterator[None]:
    """One apply per account on this machine at a time; a second one is refused."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    digest = hashlib.sha256(f"{api_url}|{team_id}".encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"revsync-apply-{digest}.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise RefusedError(
                f"another revsync apply (pid {holder}) is running against this account",
                "Wait for it to finish, then plan again.",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
