"""`revsync export`: the live account as manifests (adopt an existing account)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import kinds
from ..core.errors import EXIT_OK, RevsyncError
from ..core.files import write_atomic
from ..export import export_account
from .common import api_options, open_session, with_session_options

FORMAT_NAMES = frozenset({"json", "yaml", "yml", "text", "txt", "markdown", "md"})


@click.command("export")
@click.option(
    "-o",
    "--output-dir",
    "output_dir",
    type=click.Path(file_okay=False),
    help="Write one file per kind here (default: print to stdout).",
)
@click.option(
    "--kind",
    "kind_names",
    multiple=True,
    type=click.Choice(kinds.names()),
    help="Only these kinds (repeatable; default: all).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite existing files in the output folder (or use a folder named like a format).",
)
@api_options
@with_session_options
def export_command(
    options: dict[str, Any],
    output_dir: str | None,
    kind_names: tuple[str, ...],
    force: bool,
    paths: tuple[str, ...] = (),
) -> int:
    """Write the live account out as manifests; `plan` on them shows no changes.

    Write-only secrets (Slack webhook URLs) become ${VAR} placeholders to set before
    plan/apply. GLOBAL AI models are not exported (revsync never manages them).
    """
    if output_dir and Path(output_dir).name.lower() in FORMAT_NAMES and not force:
        raise RevsyncError(
            f"-o {output_dir} writes manifests into a folder named '{Path(output_dir).name}'; "
            "export has no output formats (it writes YAML manifests)",
            "Give a folder (`-o manifests/`), or pass --force if you mean that folder name.",
        )
    selected = [k for k in kinds.names() if not kind_names or k in kind_names]
    targets = {k: Path(output_dir) / f"{k}.yaml" for k in selected} if output_dir else {}
    existing = [str(p) for p in targets.values() if p.exists()]
    if existing and not force:
        raise RevsyncError(
            f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}",
            "Pass --force to overwrite, or choose another --output-dir.",
        )
    with open_session(options) as session:
        result = export_account(
            session.client, session.account, session.credentials.api_url, selected
        )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if output_dir:
        _make_folder(Path(output_dir))
        for kind_name, text in result.files.items():
            write_atomic(targets[kind_name], text)
        total = sum(result.counts.values())
        click.echo(
            f"Exported {total} objects to {output_dir}/ "
            f"({', '.join(f'{k}: {n}' for k, n in result.counts.items())})",
            err=True,
        )
    else:
        click.echo("---\n".join(result.files.values()), nl=False)
    if result.variables:
        click.echo(
            "Set these before plan/apply (write-only values Revenium does not return): "
            + ", ".join(sorted(set(result.variables))),
            err=True,
        )
    return EXIT_OK


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RevsyncError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None
