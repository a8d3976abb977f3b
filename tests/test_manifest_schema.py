"""The manifest schema is assembled from the kinds' fragments: a kind brings its own schema."""

from __future__ import annotations

import importlib
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from revsync import kinds
from revsync.manifest.schema_build import (
    SchemaBuildError,
    build_manifest_schema,
    fragment_path,
    kind_fragment,
)

WIDGET = {
    "type": "object",
    "additionalProperties": False,
    "description": "A widget, a kind that only this test knows.",
    "properties": {"name": {"type": "string"}, "size": {"$ref": "#/$defs/widgetSize"}},
    "required": ["name"],
}
WIDGET_SIZE = {"enum": ["S", "M", "L"]}


def make_kind_package(tmp_path: Path, monkeypatch, package: str, fragment: Any) -> Any:
    """A kind module outside revsync, with `fragment` written beside it (None: no file)."""
    folder = tmp_path / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "widgets.py").write_text(
        textwrap.dedent(
            """
            from revsync.kinds.base import Kind


            class Widgets(Kind):
                name = "widgets"
                title = "widget"
                schema_def = "widget"
                api_path = "/v2/api/widgets"


            KIND = Widgets()
            """
        )
    )
    if fragment is not None:
        (folder / "widgets.schema.json").write_text(json.dumps(fragment))
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module(f"{package}.widgets").KIND


def test_every_registered_kind_has_a_fragment_beside_its_module() -> None:
    for kind in kinds.KINDS.values():
        module_file = Path(importlib.import_module(type(kind).__module__).__file__ or "")
        assert fragment_path(kind) == module_file.with_suffix(".schema.json")
        assert kind.schema_def in kind_fragment(kind)["$defs"]


def test_properties_follow_registry_order_after_version_and_settings() -> None:
    schema = build_manifest_schema(kinds.KINDS.values())
    assert list(schema["properties"]) == ["version", "settings", *kinds.names()]
    Draft202012Validator.check_schema(schema)


def test_a_new_kind_needs_no_central_edit(tmp_path: Path, monkeypatch) -> None:
    fragment = {"$defs": {"widget": WIDGET, "widgetSize": WIDGET_SIZE}}
    widgets = make_kind_package(tmp_path, monkeypatch, "kindpkg_new", fragment)
    schema = build_manifest_schema([*kinds.KINDS.values(), widgets])
    assert schema["properties"]["widgets"]["items"] == {"$ref": "#/$defs/widget"}
    assert schema["properties"]["widgets"]["description"] == WIDGET["description"]
    assert schema["$defs"]["widgetSize"] == WIDGET_SIZE
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"version": 1, "widgets": [{"name": "w", "size": "M"}]})
    assert not validator.is_valid({"widgets": [{"name": "w", "size": "XL"}]})
    assert not validator.is_valid({"widgets": [{"nme": "w"}]})
    assert "widgets" not in build_manifest_schema(kinds.KINDS.values())["properties"]


@pytest.mark.parametrize(
    ("package", "fragment", "message"),
    [
        ("kindpkg_none", None, "kind 'widgets' has no schema fragment"),
        ("kindpkg_entry", {"$defs": {"widgetSize": WIDGET_SIZE}}, "must define 'widget'"),
        (
            "kindpkg_nodesc",
            {"$defs": {"widget": {"type": "object"}}},
            "must define 'widget' (the kind's schema_def) with a description",
        ),
        ("kindpkg_ref", {"$defs": {"widget": WIDGET}}, "$ref '#/$defs/widgetSize' names no"),
        (
            "kindpkg_clash",
            {"$defs": {"widget": {**WIDGET, "properties": {}}, "tier": WIDGET_SIZE}},
            "$defs 'tier' is defined by both kind 'products' and kind 'widgets'",
        ),
    ],
)
def test_a_fragment_that_does_not_fit_is_named(
    tmp_path: Path, monkeypatch, package: str, fragment: Any, message: str
) -> None:
    widgets = make_kind_package(tmp_path, monkeypatch, package, fragment)
    with pytest.raises(SchemaBuildError) as error:
        build_manifest_schema([*kinds.KINDS.values(), widgets])
    assert message in str(error.value)
