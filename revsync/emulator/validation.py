"""A small field-spec language for request bodies.

The emulator checks bodies the way a Spring backend does: unknown fields are ignored,
wrong types and bad enum values give 400 with a `details` map keyed by field path.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# what Java's BigDecimal(String) reads: no NaN/Infinity, no `_` digit groups (§6.4)
DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class F:
    """One field: its JSON type and constraints. `required` means the key must be non-null."""

    type: str  # string | number | decimal | integer | boolean | array | object | any
    required: bool = False
    enum: tuple[str, ...] | None = None
    items: F | None = None
    fields: dict[str, F] | None = None
    minimum: float | None = None
    max_items: int | None = None
    format: str | None = None  # iso8601 | email
    extra: dict[str, Any] = field(default_factory=dict)


def _type_ok(spec: F, value: Any) -> bool:
    t = spec.type
    if t == "any":
        return True
    if t == "string":
        return isinstance(value, str)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "decimal":
        return _is_decimal(value)
    if t == "array":
        return isinstance(value, list)
    if t == "object":
        return isinstance(value, dict)
    raise ValueError(f"unknown type {t}")


TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "decimal": "a decimal number",
    "integer": "an integer",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
}


def check(
    specs: dict[str, F], body: dict[str, Any], errors: dict[str, str], prefix: str = ""
) -> dict[str, Any]:
    """Validate `body` against `specs`; return only the known fields (others are ignored)."""
    clean: dict[str, Any] = {}
    for name, spec in specs.items():
        path = f"{prefix}{name}"
        value = body.get(name)
        if value is None:
            if spec.required:
                errors[path] = "must not be null"
            clean[name] = None
            continue
        clean[name] = _check_value(spec, value, path, errors)
    return clean


def _check_value(spec: F, value: Any, path: str, errors: dict[str, str]) -> Any:
    if not _type_ok(spec, value):
        errors[path] = f"must be {TYPE_WORDS.get(spec.type, spec.type)}"
        return None
    if spec.type == "integer":
        value = int(value)
    if spec.type == "decimal":
        value = to_number(value)
    if spec.enum is not None and value not in spec.enum:
        errors[path] = f"must be one of [{', '.join(spec.enum)}]"
        return None
    if spec.minimum is not None and value < spec.minimum:
        errors[path] = f"must be greater than or equal to {spec.minimum:g}"
    if spec.format == "iso8601" and not _is_iso(value):
        errors[path] = "Expected ISO 8601 format (e.g. 2024-09-01T00:00:00Z)"
    if spec.format == "email" and not EMAIL.match(value):
        errors[path] = "must be a well-formed email address"
    if spec.type == "array":
        if spec.max_items is not None and len(value) > spec.max_items:
            errors[path] = f"size must be at most {spec.max_items}"
        if spec.items is not None:
            out = []
            for i, item in enumerate(value):
                item_path = f"{path}[{i}]"
                if item is None:
                    errors[item_path] = "must not be null"
                    continue
                out.append(_check_value(spec.items, item, item_path, errors))
            return out
    if spec.type == "object" and spec.fields is not None:
        return check(spec.fields, value, errors, prefix=f"{path}.")
    return value


def _is_decimal(value: Any) -> bool:
    """Amounts and thresholds bind as BigDecimal: a JSON number or a numeric string."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    return isinstance(value, str) and bool(DECIMAL.match(value.strip()))


def to_number(value: int | float | str) -> int | float:
    """The stored (and returned) JSON number for an accepted decimal."""
    if isinstance(value, (int, float)):
        return value
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _is_iso(value: str) -> bool:
    if not ISO_8601.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
