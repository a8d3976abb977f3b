"""A tiny path language for nested fields: `plan.elements[].element`.

`a.b` walks mappings; `a[]` walks every item of the list under `a`.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    """Every mapping reached by `path` (with its concrete path), e.g. each plan element.

    A list, not a generator: most paths of a kind are top-level fields, and this runs for
    every path of every object a plan normalises."""
    if not path:
        return [((), obj)] if isinstance(obj, dict) else []
    return [(at, value) for at, value in _walk(obj, split(path), ()) if isinstance(value, dict)]


def values(obj: Any, path: str) -> list[Any]:
    """Values at a path that may contain `[]` (e.g. `organizations[].id`)."""
    return [value for _, value in _walk(obj, split(path), ())]


def _walk(obj: Any, parts: tuple[str, ...], at: tuple[Step, ...]) -> Iterator[tuple[tuple, Any]]:
    if not parts:
        yield at, obj
        return
    head, rest = parts[0], parts[1:]
    many = head.endswith("[]")
    name = head[:-2] if many else head
    if not isinstance(obj, dict) or obj.get(name) is None:
        return
    value = obj[name]
    if many:
        for i, item in enumerate(value if isinstance(value, list) else []):
            yield from _walk(item, rest, (*at, name, i))
    else:
        yield from _walk(value, rest, (*at, name))


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
