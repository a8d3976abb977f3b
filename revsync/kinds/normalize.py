"""Canonical form: live objects and manifest entries are brought to the same shape before
diffing, so server defaults, list order, `1` vs `1.0` and date spellings never show as changes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core import paths
from ..core.location import plain

EMPTY = (None, [], {})


def drop_empty(value: Any) -> Any:
    """None, [] and {} mean "not set" to the API; remove them everywhere."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = drop_empty(item)
            if item is None or item == [] or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [drop_empty(v) for v in value]
    return value


def numbers(value: Any) -> Any:
    """`49.0` and `49` are the same price."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [numbers(v) for v in value]
    return value


def decimal(value: Any) -> Any:
    """An amount as the API binds it (BigDecimal): `"49.00"`, `49` and `49.0` are one price.

    The result is an int when whole, else the float nearest the decimal, so that two
    spellings of one amount are equal and the canonical form stays plain JSON.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return value
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(repr(value))
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def plain_number(value: Any) -> str:
    """A number as a price list writes it: `0.0000025`, never `2.5e-06`."""
    number = decimal(value)
    if isinstance(number, float):
        return format(Decimal(repr(number)), "f")
    return str(number)


def tidy(value: Any) -> Any:
    """`numbers(drop_empty(value))` in one pass: normalising is on every plan's hot path, so
    scalars are handled inline rather than by a call each."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                item = tidy(item)
                if not item:
                    continue
            elif item is None:
                continue
            elif type(item) is float and item.is_integer() and abs(item) < 2**53:
                item = int(item)
            out[key] = item
        return out
    if isinstance(value, list):
        return [tidy(v) if isinstance(v, (dict, list, float)) else v for v in value]
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def canonical_datetime(value: Any) -> Any:
    """`2024-09-01`, `2024-09-01T00:00:00Z` and `...+00:00` are one instant."""
    if not isinstance(value, str):
        return value
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sort_key(item: Any, fields: tuple[str, ...] | None) -> Any:
    if fields and isinstance(item, dict):
        return (*(_orderable(item.get(f)) for f in fields), _orderable(item))
    return _orderable(item)


def _orderable(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, (int, float)):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    return (4, json.dumps(value, sort_keys=True, default=str))


Sorts = tuple[tuple[str, tuple[tuple[str, tuple[str, ...] | None], ...]], ...]


def group_sorts(specs: dict[str, tuple[str, ...] | None]) -> Sorts:
    """Sort specs (path -> key fields), consecutive ones of one mapping path together, so
    that mapping is reached once for them; the order of the sorts stays as declared (an
    item's tie-breaking key holds the lists below it)."""
    groups: list[tuple[str, list[tuple[str, tuple[str, ...] | None]]]] = []
    for path, fields in specs.items():
        parent, leaf = paths.parent_and_leaf(path)
        if not groups or groups[-1][0] != parent:
            groups.append((parent, []))
        groups[-1][1].append((leaf, fields))
    return tuple((parent, tuple(leaves)) for parent, leaves in groups)


def sort_lists(obj: dict[str, Any], sorts: Sorts) -> None:
    """Sort, in place, the lists whose order the API does not keep (grouped by `group_sorts`
    from `path` -> key fields of the items)."""
    for parent, leaves in sorts:
        for container in [obj] if not parent else paths.mappings(obj, parent):
            for leaf, fields in leaves:
                items = container.get(leaf)
                if not isinstance(items, list) or len(items) < 2:
                    continue
                if fields is None and all(type(i) is str for i in items):
                    container[leaf] = sorted(items)
                else:
                    container[leaf] = sorted(items, key=lambda i: sort_key(i, fields))


def apply_defaults(obj: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Fill what the API fills when a field is not sent (path -> value)."""
    for path, default in defaults.items():
        parent_path, leaf = paths.parent_and_leaf(path)
        for container in paths.mappings(obj, parent_path):
            fill_default(container, leaf, default)


def fill_default(mapping: dict[str, Any], leaf: str, default: Any) -> None:
    """One default, as the API fills it: where the field is missing or empty. The one rule
    for request bodies and for normal forms (`canonical_ops`)."""
    if mapping.get(leaf) in EMPTY:
        mapping[leaf] = plain(default)  # a copy: the kind's default is shared
