"""Field-level differences between normalised live and desired objects (deepdiff)."""

from __future__ import annotations

from typing import Any

from ..core.paths import fmt, walk
from .plan import MISSING, FieldChange


def field_changes(live: dict[str, Any], desired: dict[str, Any]) -> list[FieldChange]:
    """What must change to turn `live` into `desired`; [] when they are equal."""
    if live == desired:  # the fast path: most objects of a large account are in sync
        return []
    if not live:
        return [FieldChange(key, MISSING, value) for key, value in desired.items()]
    from deepdiff import DeepDiff  # here, not at the top: it costs 0.1 s to import

    tree = DeepDiff(live, desired, view="tree", ignore_numeric_type_changes=True)
    changes: dict[tuple, FieldChange] = {}
    for levels in tree.values():
        for level in levels:
            path = tuple(level.path(output_format="list"))
            path = _collapse(path, live, desired)
            if path in changes:
                continue
            changes[path] = FieldChange(fmt(path), _at(live, path), _at(desired, path))
    return [changes[p] for p in sorted(changes, key=_sort_key)]


def _collapse(path: tuple, live: Any, desired: Any) -> tuple:
    """A change inside a list of plain values is shown as the whole list changing."""
    for i, step in enumerate(path):
        if isinstance(step, int):
            prefix = path[:i]
            for side in (live, desired):
                value = _at(side, prefix)
                if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
                    return prefix
    return path


def _at(obj: Any, path: tuple) -> Any:
    from deepdiff.helper import notpresent

    value = walk(obj, path, MISSING)
    return MISSING if value is notpresent else value


def _sort_key(path: tuple) -> tuple:
    return tuple((0, s) if isinstance(s, int) else (1, str(s)) for s in path)
