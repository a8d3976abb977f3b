"""The compiled schema check's fast paths say what jsonschema says, edge cases included."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from revsync.manifest.compiled import compile_schema

OBJECT = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"type": "string", "enum": ["1", "x"]}},
    "required": ["a"],
    "additionalProperties": {"type": "boolean"},
}
CLOSED = {**OBJECT, "additionalProperties": False}
MIXED_ENUM = {"enum": ["1", 1, None, [1]]}


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        (OBJECT, {"a": 1}),
        (OBJECT, {"a": 1, "b": "x", "extra": True}),
        (OBJECT, {"a": 1, "extra": "no"}),  # additional values have their own schema
        (OBJECT, {"b": "x"}),  # required missing
        (OBJECT, {"a": "1"}),
        (OBJECT, {"a": 1, "b": 1}),  # 1 is not the string "1"
        (OBJECT, {"a": 1.0}),  # 1.0 is an integer to JSON Schema
        (OBJECT, {"a": True}),  # true is not
        (OBJECT, [("a", 1)]),
        (OBJECT, None),
        (CLOSED, {"a": 1, "extra": True}),
        (CLOSED, {"a": 1, "b": "1"}),
        (MIXED_ENUM, 1),
        (MIXED_ENUM, 1.0),
        (MIXED_ENUM, True),
        (MIXED_ENUM, "1"),
        (MIXED_ENUM, [1]),
        (MIXED_ENUM, [True]),
        ({"type": ["array", "null"]}, None),
        ({"type": ["array", "null"]}, {}),
    ],
)
def test_compiled_check_agrees_with_jsonschema(schema: dict, value: Any) -> None:
    check = compile_schema(schema, lambda v, f: True)
    assert check is not None
    assert check(value) == Draft202012Validator(schema).is_valid(value)


def test_formats_checked_without_jsonschema_agree_with_it():
    from jsonschema import FormatChecker

    from revsync.manifest.schema import FORMATS, conforms

    checker = FormatChecker()
    for name in FORMATS:
        for value in ["a@b", "no-at-sign", "", "@", 3, None, ["x@y"]]:
            assert conforms(value, name) == checker.conforms(value, name), (name, value)


def test_a_valid_manifest_is_checked_without_importing_jsonschema(tmp_path):
    import subprocess
    import sys

    (tmp_path / "m.yaml").write_text("subscribers:\n  - email: a@example.com\n    firstName: A\n")
    code = (
        "import sys\nfrom revsync.manifest.load import load\n"
        f"assert load([{str(tmp_path / 'm.yaml')!r}]).ok\n"
        "print('jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
