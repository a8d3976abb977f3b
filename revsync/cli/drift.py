"""`revsync drift`: the plan for scheduled jobs. Exit 0 in sync, 2 on drift, 1 on error."""

from __future__ import annotations

from typing import Any

import click

from ..core.errors import EXIT_CHANGES, EXIT_OK
from ..engine.drift import DriftReport
from ..engine.planner import PlanOptions
from ..output import drift as drift_output
from ..service import compute_plan
from .common import api_options, output_option, paths_argument, with_session_options
from .pipeline import planning


@click.command("drift")
@paths_argument
@api_options
@output_option("text", "json", "markdown")
@with_session_options
def drift_command(options: dict[str, Any], paths: tuple[str, ...], output: str) -> int:
    """Report how Revenium differs from the manifests; change nothing.

    Categories: changed in Revenium, missing in Revenium, present in Revenium but not in
    the manifests. Exit 0 in sync, 2 on drift, 1 on error, 3 for invalid manifests.
    """
    with planning(options, paths, prune=False) as (session, loaded, reads):
        plan = compute_plan(session.target, loaded.state, PlanOptions(prune=False), reads)
        report = DriftReport.from_plan(plan)
        if output == "json":
            click.echo(drift_output.render_json(report))
        elif output == "markdown":
            click.echo(drift_output.render_markdown(report))
        else:
            click.echo(drift_output.render_text(report, session.color))
    return EXIT_OK if report.in_sync else EXIT_CHANGES
