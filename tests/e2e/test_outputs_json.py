"""One naming style in the JSON output: camelCase keys, like the Revenium API."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas/plan.schema.json").read_text())
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def _keys(value: object) -> set[str]:
    """Every key revsync names (the values of a field change are the user's own data)."""
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found = set(value)
    for key, item in value.items():
        if key not in ("old", "new"):
            found |= _keys(item)
    return found


def test_every_json_key_is_camel_case(revsync, write) -> None:
    folder = write("organizations: [{name: A}, {name: B, parent: A}]\n")
    planned = revsync("plan", folder, "-o", "json").json()
    assert planned["target"]["teamId"] and planned["target"]["apiUrl"].startswith("http")
    applied = revsync("apply", folder, "--auto-approve", "-o", "json").json()
    drifted = revsync("drift", folder, "-o", "json").json()
    for document in (planned, applied, drifted):
        jsonschema.validate(document, SCHEMA)
        assert {k for k in _keys(document) if not CAMEL.match(k)} == set()
