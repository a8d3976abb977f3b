"""How values look in text and Markdown output."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..engine.plan import MISSING, FieldChange, Unmanaged

SENSITIVE = "(sensitive)"
MAX_VALUE = 160
MAX_NAMED = 10  # unmanaged objects named in a note before "and N more"


def show(value: Any, sensitive: bool = False) -> str:
    if value is MISSING:
        return "(none)"
    if sensitive:
        return SENSITIVE
    text = literal(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


def literal(value: Any) -> str:
    """JSON-like, but numbers as written by people: 0.0000006, never 6e-07."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (float, Decimal)):
        return decimal_text(value)
    if isinstance(value, dict):
        items = ", ".join(
            f"{json.dumps(str(k), ensure_ascii=False)}: {literal(v)}" for k, v in value.items()
        )
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


def decimal_text(value: float | Decimal) -> str:
    """A number in plain positional notation (prices are often tiny: 0.0000006)."""
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not number.is_finite():
        return str(value)
    return format(number, "f")


def unmanaged_names(unmanaged: list[Unmanaged], limit: int = MAX_NAMED) -> str:
    """`kind/name (id 1), ... and N more`: which live objects no manifest entry matches."""
    named = [f"{u.kind}/{u.name} (id {u.id})" for u in unmanaged[:limit]]
    rest = len(unmanaged) - len(named)
    return ", ".join(named) + (f" and {rest} more" if rest > 0 else "")


def leaves(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """A nested value as (path, scalar-or-plain-list) pairs, for showing what a create sets."""
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            out += leaves(item, f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        out = []
        for i, item in enumerate(value):
            out += leaves(item, f"{prefix}[{i}]")
        return out
    return [(prefix, value)]


def field_lines(change_fields: list[FieldChange], action: str) -> list[tuple[str, str]]:
    """(path, text) per line: `old -> new` for updates, the value for creates."""
    lines = []
    for fc in change_fields:
        if action == "create" and fc.old is MISSING:
            if fc.sensitive:
                lines.append((fc.path, SENSITIVE))
            else:
                for path, value in leaves(fc.new, fc.path):
                    lines.append((path, show(value)))
        elif action == "delete":
            continue
        else:
            text = f"{show(fc.old, fc.sensitive)} -> {show(fc.new, fc.sensitive)}"
            if fc.note:
                text += f"  # {fc.note}"
            lines.append((fc.path, text))
    return lines
