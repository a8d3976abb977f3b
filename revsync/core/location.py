"""Where each part of a manifest was written: locations, and containers that remember them.

A 100,000-object account has over a million keys and values, so the containers keep each
position as one packed int (`pos(line, col)`) and make a `Location` only when one is asked
for (an error message); what came from the environment is kept only where there is some.
"""

from __future__ import annotations

from typing import Any, NamedTuple

Path_ = tuple[str | int, ...]

COL_BITS = 32  # a column (and a line) fits in 32 bits: files are limited to 32 MiB
COL_MASK = (1 << COL_BITS) - 1
POS_BITS = 2 * COL_BITS
POS_MASK = (1 << POS_BITS) - 1


class Location(NamedTuple):
    """A place in a manifest; ordered by file, line, column."""

    file: str
    line: int  # 1-based
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def pos(line: int, col: int) -> int:
    """A 1-based (line, column) packed into one int (0 means "not known")."""
    return line << COL_BITS | col


def unpack(file: str, position: int) -> Location | None:
    if not position:
        return None
    return Location(file, position >> COL_BITS, position & COL_MASK)


class _Located:
    """What LocDict and LocList share: their own position, file, and environment marks."""

    __slots__ = ()
    file: str
    pos: int
    env: dict | None

    @property
    def loc(self) -> Location | None:
        return unpack(self.file, self.pos)

    @loc.setter
    def loc(self, value: Location | None) -> None:
        self.file, self.pos = (value.file, pos(value.line, value.col)) if value else ("", 0)

    def env_below(self) -> bool:
        """False only when no value here or below came from the environment."""
        return self.env is not None

    def mark_env_below(self) -> None:
        if self.env is None:
            self.env = {}

    def variables_of(self, key: Any) -> tuple[str, ...]:
        """The environment variables the value at `key` was made from (none: written)."""
        return self.env.get(key, ()) if self.env else ()

    def set_variables(self, key: Any, names: tuple[str, ...]) -> None:
        if names:
            if self.env is None:
                self.env = {}
            self.env[key] = names
        elif self.env:
            self.env.pop(key, None)


class LocDict(_Located, dict):
    """A mapping that remembers where it, its keys and its (scalar) values were written.

    `at[key]` packs the key's position (high bits) and its scalar value's position (low
    bits, 0 for a mapping or a list, which is located by its key)."""

    __slots__ = ("at", "env", "file", "pos")

    def __init__(self, *args: Any, loc: Location | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.loc = loc
        self.at: dict[str, int] = {}
        self.env: dict[str, tuple[str, ...]] | None = None

    def key_loc(self, key: str) -> Location | None:
        return unpack(self.file, self.at.get(key, 0) >> POS_BITS)

    def value_loc(self, key: str) -> Location | None:
        return unpack(self.file, self.at.get(key, 0) & POS_MASK)


class LocList(_Located, list):
    """A sequence that remembers where it and each of its items were written."""

    __slots__ = ("at", "env", "file", "pos")

    def __init__(self, *args: Any, loc: Location | None = None) -> None:
        super().__init__(*args)
        self.loc = loc
        self.at: list[int] = []  # position of each item
        self.env: dict[int, tuple[str, ...]] | None = None

    def item_loc(self, index: int) -> Location | None:
        return unpack(self.file, self.at[index]) if 0 <= index < len(self.at) else None


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
            key_loc = node.key_loc(step)
            value_loc = None if (prefer_key and last) else node.value_loc(step)
            best = value_loc or key_loc or best
            node = node[step]
        elif isinstance(node, LocList) and isinstance(step, int) and 0 <= step < len(node):
            best = node.item_loc(step) or best
            node = node[step]
        else:
            break
    return best


def _children(value: LocDict | LocList) -> Any:
    return value.items() if isinstance(value, LocDict) else enumerate(value)


def sensitive_paths(value: Any, prefix: Path_ = ()) -> set[Path_]:
    """Every path whose value came from the environment."""
    return set(env_variables(value, prefix))


def env_variables(value: Any, prefix: Path_ = ()) -> dict[Path_, tuple[str, ...]]:
    """The environment variables each value from the environment used, by path."""
    found: dict[Path_, tuple[str, ...]] = {}
    if isinstance(value, (LocDict, LocList)) and value.env_below():
        for key, names in value.env.items():
            found[(*prefix, key)] = names
        for key, item in _children(value):
            found.update(env_variables(item, (*prefix, key)))
    return found


def plain(value: Any) -> Any:
    """A copy as plain dicts and lists (for serialising, hashing and normalising)."""
    if isinstance(value, dict):
        return {k: plain(v) if isinstance(v, NESTED) else v for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) if isinstance(v, NESTED) else v for v in value]
    return value


NESTED = (dict, list)  # plain() calls itself only for these: most values are scalars
