"""How values look in text and Markdown output."""

from __future__ import annotations

import json
from typing import Any

from ..engine.plan import MISSING, FieldChange

SENSITIVE = "(sensitive)"
MAX_VALUE = 160


def show(value: Any, sensitive: bool = False) -> str:
    if value is MISSING:
        return "(none)"
    if sensitive:
        return SENSITIVE
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


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
