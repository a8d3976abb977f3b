"""A step is one API request of a change, as plain data, so a plan can be saved and re-read.

Placeholders inside a step are filled at apply time:
- `{id}` in the path: the object's id (known, or captured from an earlier step's answer);
- `{"$ref": "<change key>"}` in the body: the id of an object another change creates;
- `{"$secret": "<path>"}` in the body: a sensitive value, re-read from the manifests.
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


@dataclass
class Step:
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    capture_id: bool = False  # the answer's `id` becomes the change's object id
    lookup: Lookup | None = None
    missing_ok: bool = False  # DELETE: 404 means it is already gone
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
        return cls(**data, lookup=Lookup(**lookup) if lookup else None)


def ref(change_key: str) -> dict[str, str]:
    return {"$ref": change_key}


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$ref"}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$secret"}
