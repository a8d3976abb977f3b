"""References between kinds: by name in manifests, by id (or key) in the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .steps import ref_placeholder


@dataclass(frozen=True)
class Ref:
    """A reference to another kind, declared by the referring kind.

    field:     manifest field holding the name(s), inside `container`
    target:    the referenced kind
    write:     API body field that takes the id(s)
    read:      where a live object carries the id(s), relative to `container`
    raw:       escape hatch: a manifest field holding API ids directly
    by_key:    the API takes the target's natural key itself (a subscriber's email)
    fold_case: names compare without case (emails)
    written:   how the API writes one id, e.g. "slack:{id}" (default: the id itself)
    """

    field: str
    target: str
    write: str
    read: str
    raw: str | None = None
    container: str = ""
    many: bool = False
    required: bool = False
    by_key: bool = False
    fold_case: bool = False
    written: str = "{id}"

    def write_value(self, ident: str) -> str:
        """The id as the API takes it in a write body."""
        return self.written.format(id=ident)

    def read_value(self, value: str) -> str | None:
        """The id inside a value the API returns, or None when the value is not this ref's."""
        prefix, _, suffix = self.written.partition("{id}")
        if not (value.startswith(prefix) and value.endswith(suffix)):
            return None
        return value[len(prefix) : len(value) - len(suffix)] if suffix else value[len(prefix) :]

    def write_resolved(self, resolved: Any) -> Any:
        """A resolved id (or the placeholder of one this plan creates) as the API writes it."""
        if self.written == "{id}" or resolved is None:
            return resolved
        if isinstance(resolved, dict) and "$ref" in resolved:
            return ref_placeholder(resolved["$ref"], self.written)
        return self.write_value(str(resolved))

    def read_ids(self, values: list[Any]) -> list[Any]:
        """The ids inside values the API returns (`slack:abc` -> `abc`); others are not ours."""
        if self.written == "{id}":
            return values
        return [self.read_value(v) for v in values if isinstance(v, str) and self.read_value(v)]
