"""A plan as a pull-request comment: a summary table and collapsible details per object."""

from __future__ import annotations

import html

from ..engine.plan import Plan
from .values import field_lines

ICONS = {"create": "🟢", "update": "🟡", "delete": "🔴"}
DIFF_SIGN = {"create": "+", "update": "~", "delete": "-"}


def render_plan(plan: Plan, title: str = "revsync plan") -> str:
    counts = plan.counts()
    lines = [
        f"### {title}: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete",
        "",
        f"Target: `{plan.target['api_url']}` (team `{plan.target['team_id']}`)",
        "",
    ]
    if plan.refused:
        lines += ["> [!CAUTION]", "> **Refused** — nothing will be applied while these remain:"]
        lines += [f"> - `{r.address}`: {_cell(r.reason)}" for r in plan.refusals]
        lines += [f"> - {_cell(item)}" for item in plan.safety]
        lines.append("")
    if plan.changes:
        lines += ["| | Object | Action | Id | Fields |", "|---|---|---|---|---|"]
        for c in plan.changes:
            lines.append(
                f"| {ICONS[c.action]} | `{c.address}` | {c.action} | {c.live_id or ''} | "
                f"{len(c.fields) if c.action != 'delete' else ''} |"
            )
        lines.append("")
        for c in plan.changes:
            rows = field_lines(c.fields, c.action)
            summary = f"{ICONS[c.action]} {c.action} <code>{html.escape(c.address)}</code>"
            lines += [f"<details><summary>{summary}</summary>", "", "```diff"]
            sign = DIFF_SIGN[c.action]
            if c.action == "delete":
                lines.append(f"- {c.address} (id {c.live_id})")
            for path, text in rows:
                lines.append(f"{sign} {path}: {text}".replace("```", "'''"))
            lines += ["```", ""]
            lines += [f"_{_cell(n)}_" for n in c.notes]
            lines += ["</details>", ""]
    else:
        lines += [f"No changes: Revenium matches the manifests ({plan.unchanged} objects).", ""]
    if plan.notes:
        lines += [f"- {_cell(n)}" for n in plan.notes]
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return html.escape(text).replace("|", "\\|")
