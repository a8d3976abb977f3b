"""Terraform-like text: `+ create`, `~ update` with `field: old -> new`, `- delete`.

Every name and value goes through `plain`, so none can forge a line or drive the terminal."""

from __future__ import annotations

import click

from ..engine.plan import Plan
from ..engine.report import ApplyReport
from .escape import plain
from .values import field_lines, unmanaged_names

SIGNS = {"create": ("+", "green"), "update": ("~", "yellow"), "delete": ("-", "red")}
MAX_WIDTH = 48  # longer paths put their value on the next line, so the column stays straight


def render_plan(plan: Plan, color: bool) -> str:
    def style(text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color else text

    target = plan.target
    lines = [f"Revenium: {plain(target['api_url'])} (team {plain(target['team_id'])})", ""]
    for change in plan.changes:
        sign, fg = SIGNS[change.action]
        head = f"  {sign} {change.action} {plain(change.address)}"
        if change.live_id:
            head += f" (id {plain(change.live_id)})"
        lines.append(style(head, fg, bold=True))
        lines += field_rows(field_lines(change.fields, change.action))
        for note in change.notes:
            lines.append(style(f"      # {plain(note)}", "cyan"))
    if not plan.changes:
        lines.append(
            f"No changes. Revenium matches the manifests ({plan.unchanged} objects in sync)."
        )
    if plan.refusals or plan.safety:
        lines += ["", style("Refused (nothing will be applied while these remain):", "red", True)]
        for refusal in plan.refusals:
            where = f" [{plain(refusal.source)}]" if refusal.source else ""
            lines.append(
                style(f"  ! {plain(refusal.address)}: {plain(refusal.reason)}{where}", "red")
            )
        for item in plan.safety:
            lines.append(style(f"  ! {plain(item)}", "red"))
    notes = [plain(n) for n in plan.notes]
    if plan.unmanaged:
        notes.append("Not in the manifests: " + plain(unmanaged_names(plan.unmanaged)) + ".")
    if notes:
        lines.append("")
        lines += [style(f"Note: {note}", "cyan") for note in notes]
    lines += ["", style(plan.summary(), bold=True)]
    return "\n".join(lines)


def field_rows(rows: list[tuple[str, str]], indent: str = "      ") -> list[str]:
    """`path: value` with the values in one column; a very long path puts its value below."""
    fitting = [len(plain(p)) for p, _ in rows if len(plain(p)) <= MAX_WIDTH]
    width = max(fitting, default=0)
    lines = []
    for path, text in rows:
        shown = plain(path)
        if len(shown) > width:
            lines += [f"{indent}{shown}:", f"{indent}{'':<{width + 1}} {plain(text)}"]
        else:
            lines.append(f"{indent}{shown + ':':<{width + 1}} {plain(text)}")
    return lines


def render_report(report: ApplyReport, color: bool) -> str:
    def style(text: str, fg: str | None = None, bold: bool = False) -> str:
        return click.style(text, fg=fg, bold=bold) if color else text

    lines = []
    failed = [r for r in report.results if r.status == "failed"]
    skipped = [r for r in report.results if r.status == "skipped"]
    if failed:
        lines.append(style("Failed:", "red", True))
        lines += [style(f"  {plain(r.key)}: {plain(r.error)}", "red") for r in failed]
    if skipped:
        lines.append(style("Skipped:", "yellow", True))
        lines += [f"  {plain(r.key)}: {plain(r.error)}" for r in skipped]
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


def progress_line(
    done: int, total: int, status: str, address: str, ident: str | None, seconds: float
) -> str:
    """`[120/700] created organizations/Acme (id 42) 12.3 s`: one line per finished change."""
    width = len(str(total))
    text = f"[{done:>{width}}/{total}] {status} {plain(address)}"
    if ident:
        text += f" (id {plain(ident)})"
    return f"{text} {seconds:.1f} s"
