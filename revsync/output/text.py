"""Terraform-like text: `+ create`, `~ update` with `field: old -> new`, `- delete`."""

from __future__ import annotations

import click

from ..engine.plan import Plan
from ..engine.report import ApplyReport
from .values import field_lines

SIGNS = {"create": ("+", "green"), "update": ("~", "yellow"), "delete": ("-", "red")}


def render_plan(plan: Plan, color: bool) -> str:
    def style(text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color else text

    target = plan.target
    lines = [f"Revenium: {target['api_url']} (team {target['team_id']})", ""]
    for change in plan.changes:
        sign, fg = SIGNS[change.action]
        head = f"  {sign} {change.action} {change.address}"
        if change.live_id:
            head += f" (id {change.live_id})"
        lines.append(style(head, fg, bold=True))
        rows = field_lines(change.fields, change.action)
        width = min(40, max((len(p) for p, _ in rows), default=0))
        for path, text in rows:
            lines.append(f"      {path + ':':<{width + 1}} {text}")
        for note in change.notes:
            lines.append(style(f"      # {note}", "cyan"))
    if not plan.changes:
        lines.append(
            f"No changes. Revenium matches the manifests ({plan.unchanged} objects in sync)."
        )
    if plan.refusals or plan.safety:
        lines += ["", style("Refused (nothing will be applied while these remain):", "red", True)]
        for refusal in plan.refusals:
            where = f" [{refusal.source}]" if refusal.source else ""
            lines.append(style(f"  ! {refusal.address}: {refusal.reason}{where}", "red"))
        for item in plan.safety:
            lines.append(style(f"  ! {item}", "red"))
    if plan.notes:
        lines.append("")
        lines += [style(f"Note: {note}", "cyan") for note in plan.notes]
    lines += ["", style(plan.summary(), bold=True)]
    return "\n".join(lines)


def render_report(report: ApplyReport, color: bool) -> str:
    def style(text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color else text

    lines = []
    failed = [r for r in report.results if r.status == "failed"]
    skipped = [r for r in report.results if r.status == "skipped"]
    if failed:
        lines.append(style("Failed:", "red", True))
        lines += [style(f"  {r.key}: {r.error}", "red") for r in failed]
    if skipped:
        lines.append(style("Skipped:", "yellow", True))
        lines += [f"  {r.key}: {r.error}" for r in skipped]
    recovered = [r for r in report.results if r.recovered]
    if recovered:
        lines.append(
            f"{len(recovered)} create(s) lost their answer and were found by natural key "
            "(no duplicates)."
        )
    if report.interrupted:
        lines.append(style("Interrupted: run apply again to finish.", "yellow"))
    summary = report.summary() + f" ({report.seconds:.2f} s)"
    lines.append(style(summary, "green" if report.ok else "red", True))
    return "\n".join(lines)


def progress_line(action: str, address: str, status: str, ident: str | None, color: bool) -> str:
    sign, fg = SIGNS[action]
    text = f"  {sign} {address}: {status}" + (f" (id {ident})" if ident else "")
    if status in ("failed", "skipped"):
        fg = "red" if status == "failed" else "yellow"
    return click.style(text, fg=fg) if color else text
