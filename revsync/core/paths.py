"""A tiny path language for nested fields: `plan.elements[].element`.

`a.b` walks mappings; `a[]` walks every item of the list under `a`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

Step = str | int


@cache
def split(path: str) -> tuple[str, ...]:
    """The steps of a path (cached: paths are the kinds' few constants, walked per object)."""
    return tuple(p for p in path.split(".") if p)


@cache
def parent_and_leaf(path: str) -> tuple[str, str]:
    """`plan.tiers[].upTo` -> (`plan.tiers[]`, `upTo`) (cached, as `split`)."""
    parent, _, leaf = path.rpartition(".")
    return parent, leaf


def containers(obj: Any, path: str) -> list[tuple[tuple[Step, ...], dict[str, Any]]]:
    """Every mapping reached by `path` (with its concrete path), e.g. each plan element."""
    if not path:
        return [((), obj)] if isinstance(obj, dict) else []
    return [(at, value) for at, value in _reach(obj, path) if isinstance(value, dict)]


def mappings(obj: Any, path: str) -> list[dict[str, Any]]:
    """The mappings `containers` reaches, without their paths: what normalising needs,
    for every path of every object a plan compares, so it is kept lean."""
    if not path:
        return [obj] if isinstance(obj, dict) else []
    return [value for value in values(obj, path) if isinstance(value, dict)]


def values(obj: Any, path: str) -> list[Any]:
    """Values at a path that may contain `[]` (e.g. `organizations[].id`), without the
    concrete paths `_reach` builds: read for every reference of every live object."""
    level = [obj]
    for name, many in _steps(path):
        reached = []
        for value in level:
            child = value.get(name) if isinstance(value, dict) else None
            if child is None:
                continue
            if not many:
                reached.append(child)
            elif isinstance(child, list):
                reached.extend(child)
        if not reached:
            return []
        level = reached
    return level


@cache
def _steps(path: str) -> tuple[tuple[str, bool], ...]:
    """`plan.tiers[]` -> (("plan", False), ("tiers", True)): field names, and list or not."""
    return tuple((p[:-2], True) if p.endswith("[]") else (p, False) for p in split(path))


def _reach(obj: Any, path: str) -> list[tuple[tuple[Step, ...], Any]]:
    """Each value at `path` with its concrete path (a level at a time, not recursively)."""
    level: list[tuple[tuple[Step, ...], Any]] = [((), obj)]
    for name, many in _steps(path):
        reached: list[tuple[tuple[Step, ...], Any]] = []
        for at, value in level:
            child = value.get(name) if isinstance(value, dict) else None
            if child is None:
                continue
            if not many:
                reached.append(((*at, name), child))
            elif isinstance(child, list):
                reached.extend(((*at, name, i), item) for i, item in enumerate(child))
        if not reached:
            return []
        level = reached
    return level


def root(path: str) -> str:
    """The first field of a relative path: `product.id` -> `product`."""
    first = split(path)[0]
    return first[:-2] if first.endswith("[]") else first


def fmt(path: tuple[Step, ...]) -> str:
    """`("plan", "tiers", 0, "upTo")` -> `plan.tiers[0].upTo`."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def walk(obj: Any, steps: tuple[Step, ...], default: Any = None) -> Any:
    """The value at concrete steps (keys and list indexes), or `default`."""
    for step in steps:
        if (isinstance(obj, dict) and not isinstance(step, int) and step in obj) or (
            isinstance(obj, list) and isinstance(step, int) and 0 <= step < len(obj)
        ):
            obj = obj[step]
        else:
            return default
    return obj
