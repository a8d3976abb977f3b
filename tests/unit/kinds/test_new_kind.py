"""A new resource kind is new files only: proven with a throwaway kind.

The test copies the `revsync` package to a temporary folder, adds exactly two files to the
copy (`kinds/widgets.py` and `kinds/widgets.schema.json`), edits nothing, and runs a fresh
interpreter on the copy: the registry finds the kind, the generated schema has it, manifests
using it validate (and are checked), and it plans and applies against the FakeApi.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import revsync

REPO = Path(revsync.__file__).parent.parent

KIND_MODULE = '''\
"""Widgets: a throwaway kind that references metering elements by name."""

from __future__ import annotations

from ..core.refs import Ref
from .base import Kind


class Widgets(Kind):
    name = "widgets"
    title = "widget"
    schema_def = "widget"
    api_path = "/v2/api/widgets"
    refs = (
        Ref(
            "element",
            "meteringElements",
            write="elementDefinitionId",
            read="elementDefinitionId",
            raw="elementDefinitionId",
        ),
    )
    defaults = {"size": 1}


KIND = Widgets()
'''

KIND_SCHEMA = {
    "$defs": {
        "widget": {
            "type": "object",
            "description": "A throwaway widget.",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "name": {"type": "string", "minLength": 1},
                "size": {"type": "integer", "minimum": 1},
                "element": {"type": "string", "minLength": 1},
                "elementDefinitionId": {"type": "string", "minLength": 1},
            },
        }
    }
}

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    import revsync
    from revsync import kinds
    from revsync.engine.executor import Executor
    from revsync.engine.live import read_live
    from revsync.engine.planner import PlanOptions, make_plan
    from revsync.manifest.load import load
    from revsync.manifest.schema import manifest_schema
    from tests.unit.engine.builders import ACCOUNT, API_URL
    from tests.unit.engine.fake_api import FakeApi

    def plan(fake, state):
        live = read_live(fake, ACCOUNT, kinds.names())
        return make_plan(state, live, ACCOUNT, API_URL, PlanOptions()).plan

    good = Path("good.yaml")
    good.write_text(
        "version: 1\\n"
        "meteringElements:\\n  - {name: tokens, type: NUMBER}\\n"
        "widgets:\\n  - {name: gizmo, element: tokens, size: 3}\\n"
    )
    bad = Path("bad.yaml")
    bad.write_text("version: 1\\nwidgets:\\n  - {name: gizmo, size: '3', colour: red}\\n")
    schema = manifest_schema()
    loaded = load([str(good)], env={})
    fake = FakeApi()
    first = plan(fake, loaded.state)
    report = Executor(fake, first).run()
    [element] = fake.objects("/v2/api/metering-element-definitions")
    print(json.dumps({
        "package": revsync.__file__,
        "kinds": kinds.names(),
        "schema": sorted(schema["properties"]["widgets"]["items"].values()),
        "defined": "widget" in schema["$defs"],
        "good": [str(p) for p in loaded.errors],
        "bad": [str(p) for p in load([str(bad)], env={}).errors],
        "changes": [[c.action, c.key, c.depends_on] for c in first.changes],
        "body": first.changes[-1].steps[0].body,
        "report": report.summary(),
        "stored": fake.objects("/v2/api/widgets"),
        "element": element["id"],
        "again": [c.key for c in plan(fake, loaded.state).changes],
    }))
    """
)


def test_a_new_kind_needs_only_its_module_and_schema_fragment(tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(
        REPO / "revsync", copy / "revsync", ignore=shutil.ignore_patterns("__pycache__")
    )
    added = [copy / "revsync/kinds/widgets.py", copy / "revsync/kinds/widgets.schema.json"]
    added[0].write_text(KIND_MODULE)
    added[1].write_text(json.dumps(KIND_SCHEMA, indent=2))
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), str(REPO)])}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=work, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)

    assert Path(out["package"]).is_relative_to(copy)  # the copy ran, not the repository
    assert out["kinds"].index("meteringElements") < out["kinds"].index("widgets")
    assert out["schema"] == ["#/$defs/widget"] and out["defined"]
    assert out["good"] == []
    assert any("bad.yaml:3:" in p and "size" in p for p in out["bad"]), out["bad"]
    assert any("unknown field 'colour'" in p for p in out["bad"]), out["bad"]
    assert out["changes"] == [
        ["create", "meteringElements/tokens", []],
        ["create", "widgets/gizmo", ["meteringElements/tokens"]],
    ]
    assert out["body"] == {
        "name": "gizmo",
        "size": 3,
        "elementDefinitionId": {"$ref": "meteringElements/tokens"},
        "teamId": "team1",
    }
    assert out["report"] == "Apply complete: 2 created, 0 updated, 0 deleted."
    [widget] = out["stored"]
    assert widget["elementDefinitionId"] == out["element"]
    assert out["again"] == []
