"""`revsync apply`: execute a plan, dependencies first; or a saved plan, exactly."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import click

from ..core.errors import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, RevsyncError
from ..engine.plan import Change, Plan
from ..engine.planfile import load_plan, manifest_paths
from ..engine.planner import PlanOptions
from ..engine.report import ApplyReport, ChangeResult
from ..output import json_out, text
from ..prefetch import reads_started
from ..service import (
    check_manifests,
    check_saved_steps,
    check_target,
    compute_plan,
    execute,
    verify_fresh,
    verify_saved_plan,
)
from . import collect_cycles
from .common import (
    api_options,
    load_or_exit,
    open_session,
    output_option,
    paths_argument,
    with_session_options,
)
from .plan import plan_options, render


@click.command("apply")
@paths_argument
@api_options
@plan_options
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False),
    help="Apply this saved plan exactly (refused if Revenium changed since).",
)
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress lines on stderr (the report still prints)."
)
@output_option("text", "json")
@with_session_options
def apply_command(
    options: dict[str, Any],
    paths: tuple[str, ...],
    plan_options: PlanOptions,
    plan_file: str | None,
    auto_approve: bool,
    quiet: bool,
    output: str,
) -> int:
    """Make Revenium match the manifests.

    Asks for confirmation on a terminal; needs --auto-approve elsewhere. Exit 0 when
    everything was applied, 1 when something failed (the report says exactly what),
    3 for invalid manifests, 4 when refused (unsafe or stale plan).
    """
    if plan_file and plan_options != PlanOptions():
        raise click.UsageError(
            "a saved plan is applied as it is: --prune, --target, "
            "--allow-mass-delete and --update-sensitive go to `plan`"
        )
    with open_session(options) as session:
        if plan_file:
            plan = load_plan(plan_file)
            loaded = load_or_exit(paths or manifest_paths(plan, plan_file))
            check_target(session.target, plan)
            check_saved_steps(plan)
            check_manifests(session.target, plan, loaded.state)
            verify_saved_plan(session.target, plan, loaded.state)
        else:  # reading Revenium overlaps loading the manifests, as for `plan`
            prune = plan_options.prune
            with reads_started(session.client, session.account, paths, prune) as reads:
                loaded = load_or_exit(paths)
                plan = compute_plan(session.target, loaded.state, plan_options, reads)
        if output == "text":
            click.echo(render(plan, "text", session.color))
        if plan.refused:
            _emit_json(output, plan, None)
            click.echo("Nothing was applied: the plan is refused.", err=True)
            return EXIT_REFUSED
        if not plan.has_changes:
            _emit_json(output, plan, ApplyReport())
            if output == "text":
                click.echo("Nothing to apply.")
            return EXIT_OK
        if not auto_approve:
            _confirm()
        if not (plan_file and auto_approve):  # a saved plan was re-planned a moment ago
            verify_fresh(session.target, plan)
        collect_cycles()
        report = execute(session.target, plan, None if quiet else _progress(len(plan.changes)))
        if output == "text":
            click.echo(text.render_report(report, session.color))
        _emit_json(output, plan, report)
    return EXIT_OK if report.ok else EXIT_ERROR


def _confirm() -> None:
    if not sys.stdin.isatty():
        raise RevsyncError(
            "not on a terminal, so apply cannot ask for confirmation",
            "Pass --auto-approve to apply without asking (as CI jobs do).",
        )
    answer = click.prompt(
        "Apply these changes? Only 'yes' is accepted", default="", show_default=False
    )
    if answer.strip() != "yes":
        raise RevsyncError("apply cancelled; nothing was changed")


def _progress(total: int):
    """`[120/700] created organizations/...  12.3 s` on stderr as each change finishes, on a
    terminal and in CI logs alike (stdout stays for the report)."""
    started = time.monotonic()
    done = 0
    lock = threading.Lock()

    def event(what: str, change: Change, result: ChangeResult | None) -> None:
        nonlocal done
        if what != "done" or result is None:
            return
        with lock:
            done += 1
            line = text.progress_line(
                done,
                total,
                result.status_text,
                change.address,
                result.id,
                time.monotonic() - started,
            )
            click.echo(line, err=True)

    return event


def _emit_json(output: str, plan: Plan, report: ApplyReport | None) -> None:
    if output == "json":
        click.echo(json_out.dumps(json_out.apply_document(plan, report)))
