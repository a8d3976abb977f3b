"""The desired state: what the manifests ask for, with where each part was written."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
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
        self.sensitive: set[str] = set()


class LocList(list):
    """A sequence that remembers where it and each of its items were written."""

    def __init__(self, *args: Any, loc: Location | None = None) -> None:
        super().__init__(*args)
        self.loc = loc
        self.item_locs: list[Location] = []
        self.sensitive: set[int] = set()


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


def plain(value: Any) -> Any:
    """A copy as plain dicts and lists (for serialising, hashing and normalising)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


@dataclass
class Problem:
    """One validation error, printed as `file:line:col: kind/name: message`."""

    message: str
    location: Location | None = None
    address: str | None = None  # kind/name

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        what = f"{self.address}: " if self.address else ""
        return f"{where}{what}{self.message}"

    def sort_key(self) -> tuple:
        loc = self.location or Location("", 0, 0)
        return (loc.file, loc.line, loc.col, self.message)

    def as_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.col if loc else None,
            "object": self.address,
            "message": self.message,
        }


@dataclass
class Entry:
    """One object of one kind, as the manifests describe it."""

    kind: str  # manifest key, e.g. "products"
    key: tuple[str, ...]  # natural key values
    fields: LocDict  # as written, after interpolation; `id` removed
    location: Location
    pinned_id: str | None = None
    env_paths: frozenset[Path_] = frozenset()  # values that came from the environment
    sensitive: frozenset[Path_] = frozenset()  # env values and secret fields: always masked

    @cached_property
    def name(self) -> str:
        return "/".join(str(k) for k in self.key)

    @cached_property
    def address(self) -> str:
        return f"{self.kind}/{self.name}"

    def where(self, path: Path_ = (), prefer_key: bool = False) -> Location:
        return locate(self.fields, path, prefer_key) or self.location


@dataclass
class Settings:
    prune: bool = False
    protect: tuple[str, ...] = ()
    max_delete_percent: float = 30.0


@dataclass
class DesiredState:
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    managed_kinds: set[str] = field(default_factory=set)  # kinds whose key appears
    settings: Settings = field(default_factory=Settings)
    settings_location: Location | None = None
    prune_set: bool = False
    max_delete_set: bool = False
    files: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Entry]:
        return self.entries.get(kind, [])

    def all(self) -> list[Entry]:
        return [e for entries in self.entries.values() for e in entries]

    def find(self, kind: str, name: str) -> list[Entry]:
        return [e for e in self.of(kind) if e.name == name]

    def digest(self) -> str:
        """A fingerprint of the whole desired state (sensitive values hashed in, not stored)."""
        data = {
            "entries": {
                kind: [[e.pinned_id, plain(e.fields)] for e in entries]
                for kind, entries in sorted(self.entries.items())
            },
            "managed": sorted(self.managed_kinds),
            "settings": [
                self.settings.prune,
                list(self.settings.protect),
                self.settings.max_delete_percent,
            ],
        }
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()
