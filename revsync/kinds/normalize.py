"""Canonical form: live objects and manifest entries are brought to the same shape before
diffing, so server defaults, list order, `1` vs `1.0` and date spellings never show as changes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ..core import paths

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


def tidy(value: Any) -> Any:
    """`numbers(drop_empty(value))` in one pass: normalising is on every plan's hot path."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = tidy(item)
            if item is None or item == [] or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [tidy(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
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


def sort_lists(obj: dict[str, Any], specs: dict[str, tuple[str, ...] | None]) -> None:
    """Sort, in place, the lists whose order the API does not keep (`path` -> key fields)."""
    for path, fields in specs.items():
        parent_path, _, leaf = path.rpartition(".")
        for _, container in paths.containers(obj, parent_path):
            items = container.get(leaf)
            if isinstance(items, list):
                container[leaf] = sorted(items, key=lambda i: sort_key(i, fields))


def remove_ids(obj: dict[str, Any], container_paths: tuple[str, ...]) -> None:
    """Server ids of nested children (plan tiers, dimensions) are not part of the config."""
    for path in container_paths:
        for _, container in paths.containers(obj, path):
            container.pop("id", None)


def apply_defaults(obj: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Fill what the API fills when a field is not sent (path -> value)."""
    for path, default in defaults.items():
        parent_path, _, leaf = path.rpartition(".")
        for _, container in paths.containers(obj, parent_path):
            if container.get(leaf) in EMPTY:
                container[leaf] = json.loads(json.dumps(default))
