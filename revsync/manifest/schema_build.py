"""The manifest JSON Schema, assembled from the kind registry.

Each kind carries its part of the schema in a JSON file beside its module
(`revsync/kinds/products.py` -> `revsync/kinds/products.schema.json`). The file's
`$defs` hold the kind's entry definition (named by `Kind.schema_def`, with a
`description`) and any helper definitions only that kind uses. Manifest-level
definitions (`version`, `settings`) live in `manifest.base.schema.json` here.
So a new kind is a module plus its fragment: nothing central lists kinds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..kinds.base import Kind

BASE_FILE = Path(__file__).with_name("manifest.base.schema.json")
GENERATED_COMMENT = (
    "Generated from revsync/manifest/manifest.base.schema.json and "
    "revsync/kinds/*.schema.json; do not edit by hand, run `make schema`."
)


class SchemaBuildError(Exception):
    """A kind's schema fragment is missing or does not fit the manifest schema."""


def fragment_path(kind: Kind) -> Path:
    """Where a kind's fragment lives: beside the module that defines the kind's class."""
    module = Path(sys.modules[type(kind).__module__].__file__ or "")
    return module.with_name(f"{module.stem}.schema.json")


def kind_fragment(kind: Kind) -> dict[str, Any]:
    """The kind's fragment, checked to define its entry with a description."""
    path = fragment_path(kind)
    try:
        fragment = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaBuildError(f"kind '{kind.name}' has no schema fragment {path}") from None
    except ValueError as error:
        raise SchemaBuildError(f"{path}: not valid JSON: {error}") from None
    entry = fragment.get("$defs", {}).get(kind.schema_def)
    if not isinstance(entry, dict) or not entry.get("description"):
        raise SchemaBuildError(
            f"{path}: $defs must define '{kind.schema_def}' (the kind's schema_def) "
            "with a description"
        )
    return fragment


def build_manifest_schema(kinds: Iterable[Kind]) -> dict[str, Any]:
    """The manifest schema: the base, then one list property per kind, in the given order."""
    schema = json.loads(BASE_FILE.read_text(encoding="utf-8"))
    schema["$comment"] = GENERATED_COMMENT
    defs: dict[str, Any] = schema["$defs"]
    owners = dict.fromkeys(defs, "the manifest base")
    for kind in kinds:
        fragment = kind_fragment(kind)
        for name, definition in fragment["$defs"].items():
            if name in owners:
                raise SchemaBuildError(
                    f"$defs '{name}' is defined by both {owners[name]} and kind '{kind.name}'"
                )
            owners[name] = f"kind '{kind.name}'"
            defs[name] = definition
        schema["properties"][kind.name] = {
            "type": ["array", "null"],
            "items": {"$ref": f"#/$defs/{kind.schema_def}"},
            "description": defs[kind.schema_def]["description"],
        }
    schema["$defs"] = dict(sorted(defs.items()))
    _check_refs(schema, set(defs))
    return schema


def _check_refs(node: Any, defined: set[str]) -> None:
    """Fail at build time, not at validation time, on a `$ref` to an undefined name."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix("#/$defs/") not in defined:
            raise SchemaBuildError(f"$ref '{ref}' names no definition of the manifest schema")
        for value in node.values():
            _check_refs(value, defined)
    elif isinstance(node, list):
        for value in node:
            _check_refs(value, defined)
