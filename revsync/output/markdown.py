"""A plan as a pull-request comment: a summary table first, then folded details, always under
GitHub's 65,536-character comment limit (what does not fit is counted, never dropped silently)."""

from __future__ import annotations

from ..engine.plan import ACTIONS, Change, Plan
from .escape import fence, html_text, md_code, md_text, plain
from .graph import mermaid, plan_graph
from .values import field_lines

ICONS = {"create": "🟢", "update": "🟡", "delete": "🔴"}
DIFF_SIGN = {"create": "+", "update": "~", "delete": "-"}
COMMENT_LIMIT = 65_536  # GitHub's limit for one comment
BUDGET = 60_000  # room left for the tail and for what CI wraps around the plan
GRAPH_MAX = 25  # changes beyond which a graph is no longer readable


def render_plan(plan: Plan, title: str = "revsync plan", summary_only: bool = False) -> str:
    head = _head(plan, title)
    tail = [f"- {md_text(n)}" for n in plan.notes]
    if plan.changes and not summary_only:
        body = _body(plan, BUDGET - _size(head) - _size(tail))
    elif plan.changes:
        body = ["_Details left out (`--summary-only`)._", ""]
    else:
        body = [f"No changes: Revenium matches the manifests ({plan.unchanged} objects).", ""]
    return "\n".join(head + body + tail).rstrip() + "\n"


def _head(plan: Plan, title: str) -> list[str]:
    counts = plan.counts()
    lines = [
        f"### {md_text(title)}: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete",
        "",
        f"Target: {md_code(plan.target['api_url'])} (team {md_code(plan.target['team_id'])})",
        "",
    ]
    if plan.refused:
        lines += ["> [!CAUTION]", "> **Refused** — nothing will be applied while these remain:"]
        lines += [f"> - {md_code(r.address)}: {md_text(r.reason)}" for r in plan.refusals]
        lines += [f"> - {md_text(item)}" for item in plan.safety]
        lines.append("")
    if plan.changes:
        lines += ["| Kind | Create | Update | Delete |", "|---|---:|---:|---:|"]
        for kind, row in _by_kind(plan.changes).items():
            lines.append(f"| {md_text(kind)} | " + " | ".join(str(row[a]) for a in ACTIONS) + " |")
        lines.append("")
    return lines


def _by_kind(changes: list[Change]) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = {}
    for change in changes:
        rows.setdefault(change.kind, dict.fromkeys(ACTIONS, 0))[change.action] += 1
    return rows


def _body(plan: Plan, budget: int) -> list[str]:
    """Graph (when readable), object table, then per-object details, while they fit."""
    lines: list[str] = []
    if len(plan.changes) <= GRAPH_MAX and any(c.depends_on for c in plan.changes):
        graph = ["<details><summary>Order of the changes</summary>", ""]
        graph += fence(mermaid(plan_graph(plan)).splitlines(), "mermaid")
        graph += ["</details>", ""]
        if _size(graph) < budget // 4:
            lines += graph
    n = len(plan.changes)
    table = [f"<details><summary>Changes: {n} object{'s' if n != 1 else ''}</summary>", ""]
    table += ["| | Object | Action | Id | Fields |", "|---|---|---|---|---|"]
    closing = ["</details>", ""]
    shown = 0
    for change in plan.changes:
        row = _row(change)
        if _size(lines + table + closing) + len(row) + 200 > budget // 2:
            break
        table.append(row)
        shown += 1
    if shown < n:
        table += ["", f"_… and {n - shown} more not listed (comment size limit)._"]
    lines += [*table, "", *closing]
    detailed = 0
    for change in plan.changes:
        block = _details(change)
        if _size(lines) + _size(block) + 200 > budget:
            break
        lines += block
        detailed += 1
    if detailed < n:
        lines += [
            f"_Details of {n - detailed} more change{'s' if n - detailed != 1 else ''} are not "
            "shown (GitHub comment size limit): see the plan in the CI log or "
            "`revsync show PLANFILE`._",
            "",
        ]
    return lines


def _row(change: Change) -> str:
    fields = len(change.fields) if change.action != "delete" else ""
    ident = md_code(change.live_id, in_table=True) if change.live_id else ""
    return (
        f"| {ICONS[change.action]} | {md_code(change.address, in_table=True)} | "
        f"{change.action} | {ident} | {fields} |"
    )


def _details(change: Change) -> list[str]:
    summary = f"{ICONS[change.action]} {change.action} <code>{html_text(change.address)}</code>"
    sign = DIFF_SIGN[change.action]
    diff = []
    if change.action == "delete":
        diff.append(f"- {plain(change.address)} (id {plain(change.live_id)})")
    for path, text in field_lines(change.fields, change.action):
        diff.append(f"{sign} {plain(path)}: {plain(text)}")
    lines = [f"<details><summary>{summary}</summary>", "", *fence(diff, "diff"), ""]
    lines += [f"_{md_text(n)}_" for n in change.notes]
    return [*lines, "</details>", ""]


def _size(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)
