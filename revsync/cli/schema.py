"""`revsync schema`: print the manifest JSON Schema (for editors and CI)."""

from __future__ import annotations

import json

import click

from ..resources import load_schema


@click.command("schema")
@click.option(
    "--name",
    type=click.Choice(["manifest", "plan"]),
    default="manifest",
    show_default=True,
    help="Which schema: manifests, or the JSON output of plan/apply/drift.",
)
def schema_command(name: str) -> int:
    """Print a JSON Schema revsync uses."""
    click.echo(json.dumps(load_schema(f"{name}.schema.json"), indent=2))
    return 0
