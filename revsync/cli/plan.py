"""`revsync plan`: read Revenium, compare with the manifests, print what apply would do."""

from __future__ import annotations

import functools
from typing import Any

import click

from ..core.errors import EXIT_CHANGES, EXIT_OK, EXIT_REFUSED
from ..engine.plan import Plan
from ..engine.planfile import save_plan
from ..engine.planner import PlanOptions
from ..output import json_out, markdown, text
from ..service import compute_plan
from .common import api_options, output_option, paths_argument, with_session_options
from .pipeline import planning


def plan_options(f):
    """--prune, --allow-mass-delete, --target, --exclude, --update-sensitive, handed over as one
    `plan_options: PlanOptions` argument."""
    options = [
        click.option(
            "--prune",
            is_flag=True,
            help="Delete live objects of managed kinds that no entry matches.",
        ),
        click.option(
            "--allow-mass-delete",
            is_flag=True,
            help="Allow deleting more than settings.maxDeletePercent of a kind.",
        ),
        click.option(
            "--target",
            "targets",
            multiple=True,
            metavar="KIND/NAME",
            help="Only this object and the pending changes it depends on; repeatable; "
            "KIND/* for a whole kind.",
        ),
        click.option(
            "--exclude",
            "excludes",
            multiple=True,
            metavar="KIND/NAME",
            help="Leave out this object (and what depends on it); repeatable; KIND/* allowed.",
        ),
        click.option(
            "--update-sensitive",
            is_flag=True,
            help="Send write-only fields (Slack webhookUrl) again.",
        ),
    ]

    @functools.wraps(f)
    def wrapper(**kwargs: Any) -> Any:
        kwargs["plan_options"] = PlanOptions(
            prune=kwargs.pop("prune"),
            allow_mass_delete=kwargs.pop("allow_mass_delete"),
            update_write_only=kwargs.pop("update_sensitive"),
            targets=kwargs.pop("targets"),
            excludes=kwargs.pop("excludes"),
        )
        return f(**kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def render(plan: Plan, output: str, color: bool, summary_only: bool = False) -> str:
    if output == "json":
        return json_out.dumps(json_out.plan_document(plan))
    if output == "markdown":
        return markdown.render_plan(plan, summary_only=summary_only)
    return text.render_plan(plan, color)


summary_only_option = click.option(
    "--summary-only",
    is_flag=True,
    help="Markdown: only the summary table and notes (for very large plans).",
)


@click.command("plan")
@paths_argument
@api_options
@plan_options
@click.option(
    "--out",
    "-out",
    "out_file",
    type=click.Path(dir_okay=False),
    help="Save the plan for `apply --plan FILE` (no secrets inside).",
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes.")
@summary_only_option
@output_option("text", "json", "markdown")
@with_session_options
def plan_command(
    options: dict[str, Any],
    paths: tuple[str, ...],
    plan_options: PlanOptions,
    out_file: str | None,
    detailed_exitcode: bool,
    summary_only: bool,
    output: str,
) -> int:
    """Show what apply would change in Revenium.

    Exit 0 (2 with --detailed-exitcode when there are changes), 1 on API or network errors,
    3 for invalid manifests, 4 when the plan is refused (ambiguous objects, mass deletion).
    """
    with planning(options, paths, plan_options.prune) as (session, loaded, reads):
        plan = compute_plan(session.target, loaded.state, plan_options, reads)
        click.echo(render(plan, output, session.color, summary_only))
        if out_file and plan.refused:
            click.echo(f"The plan is refused: not saved to {out_file}.", err=True)
        elif out_file:
            save_plan(plan, out_file)
            click.echo(
                f"Saved the plan to {out_file}; apply it with: revsync apply --plan {out_file}",
                err=True,
            )
    if plan.refused:
        return EXIT_REFUSED
    if detailed_exitcode and plan.has_changes:
        return EXIT_CHANGES
    return EXIT_OK
