"""Collections are discovered from `revsync/emulator/resources/` (design review §5.3)."""

from __future__ import annotations

import pkgutil
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from revsync.emulator import Emulator
from revsync.emulator import resources as package

from . import helpers as h
from .helpers import TEAM, ok

WIDGETS = '''
"""A throwaway collection that refers to Slack configurations."""

from revsync.emulator.resources.base import Collection
from revsync.emulator.validation import F


class Widgets(Collection):
    kind = "widget"
    segment = "widgets"
    embedded = "widgetResourceList"
    resource_type = "widget"
    title = "Widget"
    noun = "widget"
    specs = {"name": F("string", required=True), "slackId": F("string"), "teamId": F("string")}
    blocks_delete_of = {"slack": ("slackId",)}


COLLECTIONS = (Widgets,)
'''


def test_discovered_kinds_are_the_modules_declaring_collections() -> None:
    """Every module with COLLECTIONS is served, and nothing else."""
    declaring = []
    for info in pkgutil.iter_modules(package.__path__):
        module = __import__(f"{package.__name__}.{info.name}", fromlist=["_"])
        declaring.extend(cls.kind for cls in getattr(module, "COLLECTIONS", ()))
    kinds = sorted(c.kind for c in package.discover())
    assert kinds == sorted(declaring)
    assert {"org", "product", "subscription", "slack"} <= set(kinds)  # a sample, not a list


@pytest.fixture
def widget_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Place a new module in the package (through its search path) and forget it after."""
    (tmp_path / "widgets.py").write_text(textwrap.dedent(WIDGETS))
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    yield
    sys.modules.pop(f"{package.__name__}.widgets", None)


@pytest.mark.usefixtures("widget_module")
def test_a_new_module_is_served_and_its_delete_rule_applies() -> None:
    """A new module alone adds routes, and its `blocks_delete_of` guards the target's delete."""
    with (
        Emulator(rate_limit=0) as emu,
        httpx.Client(base_url=emu.api_url + "/v2/api", headers={"x-api-key": emu.api_key}) as api,
    ):
        slack = h.slack(api)
        widget = ok(
            api.post("/widgets", json={"name": "w", "slackId": slack["id"], "teamId": TEAM})
        )
        page = ok(api.get("/widgets", params={"teamId": TEAM}))
        assert h.items(page)[0]["id"] == widget["id"]
        refused = api.delete(f"/configurations/slack/{slack['id']}")
        assert refused.status_code == 409
        assert "1 widget(s)" in refused.json()["message"]
        ok(api.delete(f"/widgets/{widget['id']}"))
        ok(api.delete(f"/configurations/slack/{slack['id']}"))


def test_a_kind_declared_twice_is_an_error(tmp_path: Path, monkeypatch) -> None:
    """Two modules serving one kind would silently shadow each other's routes."""
    (tmp_path / "zz_again.py").write_text(
        "from revsync.emulator.resources.slack import SlackConfigurations\n"
        "COLLECTIONS = (SlackConfigurations,)\n"
    )
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    try:
        with pytest.raises(RuntimeError, match="declared twice: slack"):
            package.discover()
    finally:
        sys.modules.pop(f"{package.__name__}.zz_again", None)
