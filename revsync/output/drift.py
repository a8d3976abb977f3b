"""Drift reports as text, JSON and Markdown."""

from __future__ import annotations

from dataclasses import replace

import click

from ..engine.drift import DriftReport
from ..engine.plan import FieldChange
from .json_out import SCHEMA_VERSION, dumps, target_document
from .values import field_lines

TITLES = {
    "changed": "Changed in Revenium (apply would change them back)",
    "missing": "Missing in Revenium (apply would create them)",
    "unmanaged": "In Revenium but not in the manifests (apply --prune would delete them)",
    "conflicts": "Cannot be compared",
}
PRUNING = "In Revenium but not in the manifests (pruning is on: apply would delete them)"


def title(report: DriftReport, category: str) -> str:
    if category == "unmanaged" and report.plan.options.get("prune"):
        return PRUNING
    return TITLES[category]


def revenium_side(fields: list[FieldChange]) -> list[FieldChange]:
    """A plan's update reads manifest-wards (live -> manifest); drift tells what Revenium
    changed, so each field reads from the manifest's value to the live one."""
    return [replace(fc, old=fc.new, new=fc.old) for fc in fields]


def render_text(report: DriftReport, color: bool) -> str:
    def style(text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color else text

    target = report.plan.target
    lines = [f"Revenium: {target['api_url']} (team {target['team_id']})", ""]
    if report.in_sync:
        lines.append(
            style(f"In sync: {report.plan.unchanged} objects match the manifests.", "green", True)
        )
        return "\n".join(lines)
    for category in ("changed", "missing", "unmanaged", "conflicts"):
        items = getattr(report, category)
        if not items:
            continue
        lines.append(style(f"{title(report, category)}: {len(items)}", "yellow", True))
        for item in items:
            if category == "unmanaged":
                lines.append(f"  ? {item.kind}/{item.name} (id {item.id})")
            elif category == "conflicts":
                lines.append(f"  ! {item.address}: {item.reason}")
            else:
                ident = f" (id {item.live_id})" if item.live_id else ""
                lines.append(f"  {'~' if category == 'changed' else '+'} {item.address}{ident}")
                if category == "changed":
                    for path, text in field_lines(revenium_side(item.fields), "update"):
                        lines.append(f"      {path}: {text}")
        lines.append("")
    c = report.counts()
    lines.append(
        style(
            f"Drift: {c['changed']} changed, {c['missing']} missing, {c['unmanaged']} unmanaged"
            + (f", {c['conflicts']} conflicts" if c["conflicts"] else "")
            + ".",
            bold=True,
        )
    )
    return "\n".join(lines)


def render_json(report: DriftReport) -> str:
    return dumps(
        {
            "schemaVersion": SCHEMA_VERSION,
            "kind": "drift",
            "target": target_document(report.plan.target),
            **report.to_dict(),
        }
    )


def render_markdown(report: DriftReport) -> str:
    c = report.counts()
    target = report.plan.target
    if report.in_sync:
        return (
            f"### revsync drift: in sync\n\n`{target['api_url']}` (team `{target['team_id']}`)"
            f" matches the manifests ({report.plan.unchanged} objects).\n"
        )
    lines = [
        f"### revsync drift: {c['changed']} changed, {c['missing']} missing, "
        f"{c['unmanaged']} unmanaged",
        "",
        f"Target: `{target['api_url']}` (team `{target['team_id']}`)",
        "",
        "| Category | Object | Id |",
        "|---|---|---|",
    ]
    for change in report.changed:
        lines.append(f"| changed in Revenium | `{change.address}` | {change.live_id} |")
    for change in report.missing:
        lines.append(f"| missing in Revenium | `{change.address}` | |")
    for item in report.unmanaged:
        lines.append(f"| not in manifests | `{item.kind}/{item.name}` | {item.id} |")
    for item in report.conflicts:
        lines.append(f"| conflict | `{item.address}` | {item.reason} |")
    lines.append("")
    for change in report.changed:
        lines += [f"<details><summary>~ <code>{change.address}</code></summary>", "", "```diff"]
        lines += [f"~ {p}: {t}" for p, t in field_lines(revenium_side(change.fields), "update")]
        lines += ["```", "</details>", ""]
    return "\n".join(lines).rstrip() + "\n"
