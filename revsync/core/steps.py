"""A step is one API request of a change, as plain data, so a plan can be saved and re-read.

Placeholders inside a step are filled at apply time:
- `{id}` in the path: the object's id (known, or captured from an earlier step's answer);
- `{"$ref": "<change key>"}` in the body: the id of an object another change creates;
- `{"$secret": "<change key>|<path>"}` in the body: a sensitive value, re-read from the
  manifests at apply (a saved plan holds only the token).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Lookup:
    """How to find an object whose create was committed but whose answer was lost."""

    path: str
    params: dict[str, str]
    match: dict[str, Any]
    casefold: tuple[str, ...] = ()  # fields of `match` that compare without case

    def matches(self, item: dict[str, Any]) -> bool:
        for name, wanted in self.match.items():
            actual = item.get(name)
            if name in self.casefold and isinstance(wanted, str) and isinstance(actual, str):
                if actual.casefold() != wanted.casefold():
                    return False
            elif actual != wanted:
                return False
        return True


@dataclass
class Step:
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    capture_id: bool = False  # the answer's `id` becomes the change's object id
    lookup: Lookup | None = None
    missing_ok: bool = False  # DELETE: 404 means it is already gone
    # statuses that may mean "no such object" for this kind (Revenium answers 403 for some);
    # the executor confirms with `lookup` before it reports the object gone
    gone_statuses: list[int] = field(default_factory=lambda: [404])
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.lookup is None:
            data.pop("lookup")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        data = dict(data)
        lookup = data.pop("lookup", None)
        if lookup:
            lookup = Lookup(**{**lookup, "casefold": tuple(lookup.get("casefold", ()))})
        return cls(**data, lookup=lookup)


def ref_placeholder(change_key: str, written: str = "{id}") -> dict[str, str]:
    """The id another change creates, as the API writes it (`slack:{id}`) when not bare."""
    if written == "{id}":
        return {"$ref": change_key}
    return {"$ref": change_key, "$format": written}


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and "$ref" in value and set(value) <= {"$ref", "$format"}


def fill_ref(value: dict[str, str], ident: str) -> str:
    return value.get("$format", "{id}").format(id=ident)


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$secret"}
