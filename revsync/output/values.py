"""How values look in text and Markdown output."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from ..engine.plan import MISSING, FieldChange

SENSITIVE = "(sensitive)"
MAX_VALUE = 160


def show(value: Any, sensitive: bool = False) -> str:
    if value is MISSING:
        return "(none)"
    if sensitive:
        return SENSITIVE
    text = _plain_json(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


def _plain_json(value: Any) -> str:
    """JSON text whose numbers read as written in a price list: 0.0000006, not 6e-07."""
    plain: dict[str, str] = {}

    def mark(item: Any) -> Any:
        if isinstance(item, Decimal) or (isinstance(item, float) and math.isfinite(item)):
            number = item if isinstance(item, Decimal) else Decimal(repr(item))
            token = f"\u0000{len(plain)}\u0000"
            plain[json.dumps(token)] = format(number, "f")
            return token
        if isinstance(item, dict):
            return {k: mark(v) for k, v in item.items()}
        if isinstance(item, list):
            return [mark(v) for v in item]
        return item

    text = json.dumps(mark(value), ensure_ascii=False, default=str)
    for token, number in plain.items():
        text = text.replace(token, number)
    return text


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
