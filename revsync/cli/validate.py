"""`revsync validate`: offline checks, every error at once, with file:line:col."""

from __future__ import annotations

import json

import click

from ..core.errors import EXIT_INVALID, EXIT_OK
from ..manifest.load import LoadResult, load
from .common import output_option


def validation_json(result: LoadResult) -> dict:
    return {
        "schemaVersion": 1,
        "kind": "validate",
        "valid": result.ok,
        "files": result.state.files,
        "objects": len(result.state.all()),
        "errors": [p.as_dict() for p in result.errors],
        "warnings": [p.as_dict() for p in result.warnings],  # placeholder notes included
    }


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--strict",
    is_flag=True,
    help="References to objects not in the manifests are errors (instead of warnings).",
)
@click.option(
    "--require-env",
    is_flag=True,
    help="An unset ${VAR} is an error (by default a placeholder: validate runs without secrets).",
)
@output_option("text", "json")
def validate_command(paths: tuple[str, ...], strict: bool, require_env: bool, output: str) -> int:
    """Check manifests offline: YAML, JSON Schema, references, duplicates.

    An unset ${VAR} is a placeholder (a note) unless --require-env, so CI jobs and
    pre-commit hooks need no secrets. Exit 0 when valid, 3 when not. Nothing is sent to
    Revenium.
    """
    result = load(paths, strict=strict, require_env=require_env)
    if output == "json":
        click.echo(json.dumps(validation_json(result), indent=2))
    else:
        for problem in result.errors:
            click.echo(str(problem))
        for problem in result.warnings:
            click.echo(f"{problem.severity}: {problem}")
        files = len(result.state.files)
        objects = len(result.state.all())
        if result.ok:
            click.echo(f"valid: {objects} objects in {files} file(s)")
        else:
            n = len(result.errors)
            click.echo(f"invalid: {n} error{'s' if n != 1 else ''} in {files} file(s)", err=True)
    return EXIT_OK if result.ok else EXIT_INVALID
