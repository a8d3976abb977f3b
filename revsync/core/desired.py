"""The desired state: what the manifests ask for, entry by entry, with locations."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .location import Location, LocDict, Path_, locate


@dataclass
class Entry:
    """One object of one kind, as the manifests describe it."""

    kind: str  # manifest key, e.g. "products"
    key: tuple[str, ...]  # natural key values
    fields: LocDict  # as written, after interpolation; `id` removed
    location: Location
    pinned_id: str | None = None
    env_paths: frozenset[Path_] = frozenset()  # values that came from the environment
    sensitive: frozenset[Path_] = frozenset()  # secret fields and secret variables: masked
    previous_names: tuple[str, ...] = ()  # `previousNames:` a rename matches the live object by
    # its normalised form made while Revenium was still being read (see LiveObject.prepared)
    prepared: Any = field(default=None, repr=False, compare=False)

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
    max_update_percent: float | None = None  # off unless set: an update threshold, as octoDNS
    sensitive: tuple[str, ...] = ()  # environment variables whose values are secrets


@dataclass
class DesiredState:
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    managed_kinds: set[str] = field(default_factory=set)  # kinds whose key appears
    settings: Settings = field(default_factory=Settings)
    settings_location: Location | None = None
    prune_set: bool = False
    percent_set: set[str] = field(default_factory=set)  # thresholds some file gave
    files: list[str] = field(default_factory=list)
    _digest: str | None = field(default=None, repr=False, compare=False)

    def of(self, kind: str) -> list[Entry]:
        return self.entries.get(kind, [])

    def all(self) -> list[Entry]:
        return [e for entries in self.entries.values() for e in entries]

    def digest(self) -> str:
        """A fingerprint of the whole desired state (sensitive values hashed in, not stored).

        Computed once: the state is not changed after loading, and a plan asks for it
        while the reads are still running."""
        if self._digest is None:
            self._digest = self._compute_digest()
        return self._digest

    def _compute_digest(self) -> str:
        data = {
            "entries": {
                kind: [[e.pinned_id, e.fields, list(e.previous_names)] for e in entries]
                for kind, entries in sorted(self.entries.items())
            },
            "managed": sorted(self.managed_kinds),
            "settings": [
                self.settings.prune,
                list(self.settings.protect),
                self.settings.max_delete_percent,
                self.settings.max_update_percent,
            ],
        }
        # the loader's mappings and lists are dicts and lists: dumped as they are, not copied
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()
