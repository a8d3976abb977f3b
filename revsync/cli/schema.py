"""`revsync schema`: print a JSON Schema (for editors and CI).

The manifest schema is built from the kind registry; `schemas/manifest.schema.json` is
this command's output, committed for editors (`make schema` regenerates it).
"""

from __future__ import annotations

import json

import click

from ..manifest.schema import manifest_schema
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
    schema = manifest_schema() if name == "manifest" else load_schema(f"{name}.schema.json")
    click.echo(json.dumps(schema, indent=2))
    return 0
