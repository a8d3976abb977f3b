"""`revsync graph`: the dependency graph of a saved plan or of the manifests, to look at."""

from __future__ import annotations

import click

from ..core.errors import EXIT_OK
from ..engine.planfile import load_plan
from ..output.graph import dot, manifest_graph, mermaid, plan_graph
from .common import load_or_exit, paths_argument


@click.command("graph")
@paths_argument
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False),
    help="Graph the changes of this saved plan (else: every entry of the manifests).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot"]),
    default="mermaid",
    show_default=True,
    help="Mermaid (GitHub renders it) or Graphviz DOT (`| dot -Tsvg`).",
)
def graph_command(paths: tuple[str, ...], plan_file: str | None, fmt: str) -> int:
    """Print the dependency graph: an arrow goes from what is applied first to what waits
    for it. Offline: reads no account."""
    if plan_file and paths:
        raise click.UsageError("give either manifest paths or --plan FILE, not both")
    graph = (
        plan_graph(load_plan(plan_file))
        if plan_file
        else manifest_graph(load_or_exit(paths, offline=True).state)
    )
    click.echo((mermaid if fmt == "mermaid" else dot)(graph), nl=False)
    return EXIT_OK
