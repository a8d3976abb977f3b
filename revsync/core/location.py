"""Where each part of a manifest was written: locations, and containers that remember them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int  # 1-based
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class LocDict(dict):
    """A mapping that remembers where it, its keys and its values were written."""

    def __init__(self, *args: Any, loc: Location | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loc = loc
        self.key_locs: dict[str, Location] = {}
        self.value_locs: dict[str, Location] = {}
        self.sensitive: set[str] = set()  # keys whose value came from the environment
        self.variables: dict[str, tuple[str, ...]] = {}  # ...and the variables it used


class LocList(list):
    """A sequence that remembers where it and each of its items were written."""

    def __init__(self, *args: Any, loc: Location | None = None) -> None:
        super().__init__(*args)
        self.loc = loc
        self.item_locs: list[Location] = []
        self.sensitive: set[int] = set()
        self.variables: dict[int, tuple[str, ...]] = {}


def locate(root: Any, path: Path_, prefer_key: bool = False) -> Location | None:
    """The most precise location known for `path` below `root`.

    Scalars point at their value; mappings and sequences at the key that holds them;
    with `prefer_key` the last step points at its key (for "unknown field" errors).
    """
    best = getattr(root, "loc", None)
    node = root
    for index, step in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, LocDict) and isinstance(step, str) and step in node:
            key_loc = node.key_locs.get(step)
            value_loc = None if (prefer_key and last) else node.value_locs.get(step)
            best = value_loc or key_loc or best
            node = node[step]
        elif isinstance(node, LocList) and isinstance(step, int) and 0 <= step < len(node):
            if step < len(node.item_locs):
                best = node.item_locs[step]
            node = node[step]
        else:
            break
    return best


def sensitive_paths(value: Any, prefix: Path_ = ()) -> set[Path_]:
    """Every path whose value came from the environment."""
    found: set[Path_] = set()
    if isinstance(value, LocDict):
        for key in value.sensitive:
            found.add((*prefix, key))
        for key, item in value.items():
            found |= sensitive_paths(item, (*prefix, key))
    elif isinstance(value, LocList):
        for index in value.sensitive:
            found.add((*prefix, index))
        for index, item in enumerate(value):
            found |= sensitive_paths(item, (*prefix, index))
    return found


def env_variables(value: Any, prefix: Path_ = ()) -> dict[Path_, tuple[str, ...]]:
    """The environment variables each value from the environment used, by path."""
    found: dict[Path_, tuple[str, ...]] = {}
    if isinstance(value, (LocDict, LocList)):
        for key, names in value.variables.items():
            found[(*prefix, key)] = names
        items = value.items() if isinstance(value, LocDict) else enumerate(value)
        for key, item in items:
            found.update(env_variables(item, (*prefix, key)))
    return found


def plain(value: Any) -> Any:
    """A copy as plain dicts and lists (for serialising, hashing and normalising)."""
    if isinstance(value, dict):  # scalars are not recursed into: this copies every object
        return {k: plain(v) if isinstance(v, (dict, list)) else v for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) if isinstance(v, (dict, list)) else v for v in value]
    return value
