"""The steps every command shares: read live state, plan, check freshness, apply, save."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .engine.apply import ApplyReport, Event, Executor
from .engine.freshness import stale, touched_kinds
from .engine.live import LiveState, kinds_to_read, read_live
from .engine.plan import Plan
from .engine.planner import PlanOptions, make_plan, secret_values
from .errors import ManifestError, RefusedError, RevsyncError
from .manifest.model import DesiredState

try:  # POSIX; elsewhere only the freshness check guards concurrent applies
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

PLAN_FILE_MARKER = "revsyncPlan"


def compute_plan(session, state: DesiredState, options: PlanOptions) -> Plan:
    prune = options.prune or state.settings.prune
    live = read_live(session.client, session.account, kinds_to_read(state, prune))
    result = make_plan(state, live, session.account, session.credentials.api_url, options)
    if result.problems:
        for problem in sorted(result.problems, key=lambda p: p.sort_key()):
            click.echo(str(problem), err=True)
        n = len(result.problems)
        raise ManifestError(
            f"{n} reference{'s' if n != 1 else ''} cannot be resolved against Revenium; "
            "nothing was changed"
        )
    return result.plan


def read_again(session, plan: Plan) -> LiveState:
    return read_live(session.client, session.account, touched_kinds(plan))


def verify_fresh(session, plan: Plan) -> None:
    """Refuse (exit 4) when an object the plan touches changed since it was read."""
    reasons = stale(plan, read_again(session, plan))
    if reasons:
        raise RefusedError(
            "the plan is stale: Revenium changed since it was made:\n  " + "\n  ".join(reasons),
            "Run plan again (and review it) before applying.",
        )


def check_target(session, plan: Plan) -> None:
    here = {
        "api_url": session.credentials.api_url,
        "team_id": session.account.team_id,
        "tenant_id": session.account.tenant_id,
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
    plan.secrets = secret_values(state)


def execute(session, plan: Plan, on_event: Event | None = None) -> ApplyReport:
    with account_lock(session.credentials.api_url, session.account.team_id):
        return Executor(session.client, plan, session.parallelism, on_event).run()


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


def save_plan(plan: Plan, path: str) -> None:
    data = {PLAN_FILE_MARKER: 1, **plan.to_dict()}
    text = json.dumps(data, indent=1, ensure_ascii=False, default=str)
    Path(path).write_text(text + "\n", encoding="utf-8")


def load_plan(path: str) -> Plan:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RevsyncError(f"cannot read plan file {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError):
        raise RevsyncError(f"{path} is not a revsync plan file (not JSON)") from None
    if not isinstance(data, dict) or data.get(PLAN_FILE_MARKER) != 1:
        raise RevsyncError(f"{path} is not a revsync plan file (format 1)")
    try:
        return Plan.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise RevsyncError(f"{path} is a damaged plan file ({exc})") from None
