"""`revsync show PLANFILE`: a saved plan rendered again, offline (like `terraform show`)."""

from __future__ import annotations

import click

from ..core.errors import EXIT_OK
from ..engine.planfile import load_plan
from .common import color_enabled, output_option
from .plan import render, summary_only_option


@click.command("show")
@click.argument("plan_file", metavar="PLANFILE", type=click.Path(dir_okay=False))
@summary_only_option
@output_option("text", "json", "markdown")
@click.option("--no-color", is_flag=True, help="No colours (also: NO_COLOR=1).")
def show_command(plan_file: str, summary_only: bool, output: str, no_color: bool) -> int:
    """Print a plan saved by `plan --out` as text, JSON or Markdown (no API access)."""
    plan = load_plan(plan_file)
    click.echo(render(plan, output, color_enabled(no_color), summary_only))
    return EXIT_OK
