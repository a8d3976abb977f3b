"""Field-level differences between normalised live and desired objects (deepdiff).

Lists whose items have a key (a kind's `unordered` declaration, e.g. tiers by name) are
compared item by item by that key, so inserting one tier shows one added tier, not every
later tier shifted by one index: `plan.tiers[name=Growth]: (none) -> {...}`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .plan import MISSING, FieldChange

ListKeys = dict[str, tuple[str, ...]]  # list path (`a.b[].c`) -> the fields keying its items
ITEM = "[]"


class Keyed(dict):
    """A keyed list as a mapping from item label (`name=Growth`) to item.

    `ranks` (shared by both sides) puts items in the desired list's order, removed ones last.
    """

    def __init__(self, items: list[tuple[str, Any]], ranks: dict[str, int]) -> None:
        super().__init__(items)
        self.ranks = ranks


def field_changes(
    live: dict[str, Any], desired: dict[str, Any], list_keys: ListKeys | None = None
) -> list[FieldChange]:
    """What must change to turn `live` into `desired`; [] when they are equal."""
    if live == desired:  # the fast path: most objects of a large account are in sync
        return []
    if not live:
        return [FieldChange(key, MISSING, value) for key, value in desired.items()]
    from deepdiff import DeepDiff  # here, not at the top: it costs 0.1 s to import

    if list_keys:
        patterns = {_pattern(path): fields for path, fields in list_keys.items() if fields}
        live, desired = _by_key(live, desired, patterns, ())
    # threshold 0: items of a keyed list are added and removed one by one even when the
    # two sides share few of them (deepdiff would show the whole mapping as one value)
    tree = DeepDiff(
        live, desired, view="tree", ignore_numeric_type_changes=True, threshold_to_diff_deeper=0
    )
    changes: dict[tuple, FieldChange] = {}
    for levels in tree.values():
        for level in levels:
            path = tuple(level.path(output_format="list"))
            path = _collapse(path, live, desired)
            if path in changes:
                continue
            changes[path] = FieldChange(
                _fmt(path, live, desired), _at(live, path), _at(desired, path)
            )
    return [changes[p] for p in sorted(changes, key=lambda p: _sort_key(p, live, desired))]


# keyed lists --------------------------------------------------------------------------------
def _pattern(path: str) -> tuple[str, ...]:
    """`plan.ratingAggregations[].tiers` -> ("plan", "ratingAggregations", "[]", "tiers")."""
    out: list[str] = []
    for part in path.split("."):
        out += [part[:-2], ITEM] if part.endswith(ITEM) else [part]
    return tuple(out)


def _by_key(live: Any, desired: Any, patterns: dict[tuple, tuple], at: tuple) -> tuple[Any, Any]:
    """Copies of both sides where every keyed list under `at` is a `Keyed` mapping."""
    deeper = {p[len(at)] for p in patterns if len(p) > len(at) and p[: len(at)] == at}
    if isinstance(live, dict) and isinstance(desired, dict):
        live, desired = dict(live), dict(desired)
        for name in deeper & live.keys() & desired.keys():
            live[name], desired[name] = _by_key(live[name], desired[name], patterns, (*at, name))
        return live, desired
    if not (isinstance(live, list) and isinstance(desired, list)):
        return live, desired
    labels = _labels(live, desired, patterns.get(at, ()))
    if labels is None:  # by index: keyed lists inside items of the same index still match
        if ITEM not in deeper:
            return live, desired
        live, desired = list(live), list(desired)
        for i in range(min(len(live), len(desired))):
            live[i], desired[i] = _by_key(live[i], desired[i], patterns, (*at, ITEM))
        return live, desired
    old = dict(zip(labels[0], live, strict=True))
    new = dict(zip(labels[1], desired, strict=True))
    if ITEM in deeper:
        for label in old.keys() & new.keys():
            old[label], new[label] = _by_key(old[label], new[label], patterns, (*at, ITEM))
    ranks = {label: i for i, label in enumerate([*new, *(k for k in old if k not in new)])}
    return Keyed(list(old.items()), ranks), Keyed(list(new.items()), ranks)


def _labels(live: list, desired: list, fields: tuple) -> tuple[list[str], list[str]] | None:
    """Item labels of both lists, unique on each side, or None (then items match by index).

    A declared `name` alone is the item's identity when every item has a distinct one (the
    other fields only order the list: a tier's bounds move when a tier is inserted)."""
    if not fields:
        return None
    for candidate in ((("name",),) if "name" in fields else ()) + (fields,):
        old, new = _side_labels(live, candidate), _side_labels(desired, candidate)
        if old is not None and new is not None:
            return old, new
    return None


def _side_labels(items: list, fields: tuple) -> list[str] | None:
    labels = []
    for item in items:
        if not isinstance(item, dict):
            return None
        parts = [f"{f}={_label_value(item[f])}" for f in fields if item.get(f) is not None]
        if not parts:
            return None
        labels.append(",".join(parts))
    return labels if len(set(labels)) == len(labels) else None


def _label_value(value: Any) -> str:
    """Plain words stay plain (`Growth`, `first 1k`); anything that could mislead is JSON."""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if not isinstance(value, str):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    plain = value and value == value.strip() and not any(c in value for c in '[]=,"')
    try:
        json.loads(value)  # "1000", "true", "null": quoted, so they never read as numbers
    except ValueError:
        return value if plain else json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


# paths --------------------------------------------------------------------------------------
def _steps(path: tuple, live: Any, desired: Any) -> list[tuple[Any, int | None]]:
    """Each step of `path` with its rank when it is a keyed item label, else None."""
    out: list[tuple[Any, int | None]] = []
    sides = [live, desired]
    for step in path:
        keyed = next((s for s in sides if isinstance(s, Keyed) and step in s), None)
        out.append((step, keyed.ranks[step] if keyed is not None else None))
        sides = [_child(s, step) for s in sides]
    return out


def _child(obj: Any, step: Any) -> Any:
    if isinstance(obj, dict) and not isinstance(step, int):
        return obj.get(step)
    if isinstance(obj, list) and isinstance(step, int) and 0 <= step < len(obj):
        return obj[step]
    return None


def _fmt(path: tuple, live: Any, desired: Any) -> str:
    """`plan.tiers[name=Growth].unitAmount`, `plan.elements[0].name`."""
    out = ""
    for step, rank in _steps(path, live, desired):
        if isinstance(step, int) or rank is not None:
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def _sort_key(path: tuple, live: Any, desired: Any) -> tuple:
    """Fields by name; list items (by index or by key) in list order."""
    return tuple(
        (0, step if rank is None else rank)
        if isinstance(step, int) or rank is not None
        else (1, str(step))
        for step, rank in _steps(path, live, desired)
    )


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
    for step in path:
        if not _has(obj, step):
            return MISSING
        obj = _child(obj, step)
    return _plain(obj)


def _has(obj: Any, step: Any) -> bool:
    if isinstance(obj, dict):
        return not isinstance(step, int) and step in obj
    return isinstance(obj, list) and isinstance(step, int) and 0 <= step < len(obj)


def _plain(value: Any) -> Any:
    """A value as the plan shows and saves it: keyed lists back to lists."""
    if isinstance(value, Keyed):
        return [_plain(v) for v in value.values()]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
