"""The live account as revsync reads it: objects of each kind, and who revsync acts as."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Account:
    """Who revsync acts as: the ids the API wants in queries and bodies."""

    team_id: str
    tenant_id: str
    owner_id: str | None = None


@dataclass
class LiveObject:
    kind: str
    id: str
    key: tuple[str, ...]
    raw: dict[str, Any]
    managed: bool = True  # False: revsync never changes or deletes it (GLOBAL models)
    origin: str = ""  # e.g. "GLOBAL" / "CUSTOM" for models
    # its normalised form made while the other pages were read, before names were known;
    # used (and dropped) by the one plan that compares it
    prepared: Any = field(default=None, repr=False, compare=False)

    @cached_property
    def name(self) -> str:
        return "/".join(self.key)

    @cached_property
    def address(self) -> str:
        return f"{self.kind}/{self.name}"

    def fingerprint(self) -> str:
        content = {k: v for k, v in self.raw.items() if k != "_links"}
        blob = json.dumps(content, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:32]


@dataclass
class LiveState:
    objects: dict[str, list[LiveObject]] = field(default_factory=dict)
    unsafe: list[LiveObject] = field(default_factory=list)  # ids revsync will not put in a URL
    read_kinds: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[LiveObject]:
        return self.objects.get(kind, [])

    def all(self) -> list[LiveObject]:
        return [o for objs in self.objects.values() for o in objs]

    def fingerprints(self) -> Fingerprints:
        return Fingerprints(self.all())


class Fingerprints(Mapping[str, str]):
    """`kind:id` -> fingerprint of every object read, each hashed only when asked for.

    Only a saved plan needs them all; a plan that is shown, or applied at once, looks at
    the few objects it changes, so hashing 100,000 answers up front is wasted time.
    """

    def __init__(self, objects: Iterable[LiveObject]) -> None:
        self._objects = {f"{o.kind}:{o.id}": o for o in objects}
        self._known: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._objects[key].fingerprint()
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._objects

    def __iter__(self) -> Iterator[str]:
        return iter(self._objects)

    def __len__(self) -> int:
        return len(self._objects)
