"""Never obey a forged plan (issue 12): `apply --plan` sends only steps revsync itself
would send, and only when a plan made now is exactly the saved one."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from revsync.emulator import Emulator

from ..conftest import writes

ELEMENTS = "meteringElements:\n  - {name: a, type: NUMBER}\n  - {name: b, type: STRING}\n"
BASE = "/v2/api/metering-element-definitions"


@pytest.fixture
def saved(revsync, write, tmp_path: Path):
    """A manifest and its saved plan; `edit(fn)` changes the file as an attacker would."""
    manifest = write(ELEMENTS)
    plan_file = tmp_path / "plan.json"
    assert revsync("plan", manifest, "--out", str(plan_file)).code in (0, 2)

    def edit(change) -> None:
        data = json.loads(plan_file.read_text())
        change(data)
        plan_file.write_text(json.dumps(data))

    return manifest, str(plan_file), edit


def apply_saved(revsync, manifest: str, plan_file: str):
    return revsync("apply", manifest, "--plan", plan_file, "--auto-approve")


class _Thief(BaseHTTPRequestHandler):
    seen: list = []

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        _Thief.seen.append(dict(self.headers))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


def test_a_step_sent_to_another_host_is_refused(revsync, env: Emulator, saved) -> None:
    thief = ThreadingHTTPServer(("127.0.0.1", 0), _Thief)
    threading.Thread(target=thief.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{thief.server_address[1]}/steal"
    manifest, plan_file, edit = saved
    edit(lambda d: d["changes"][0]["steps"][0].update(path=url))
    applied = apply_saved(revsync, manifest, plan_file)
    thief.shutdown()
    assert applied.code == 4
    assert "not a relative API path" in applied.err and "nothing was applied" in applied.err
    assert _Thief.seen == [] and writes(env) == []
    assert env.api_key not in applied.out + applied.err


@pytest.mark.parametrize(
    ("path", "why"),
    [
        (BASE + "/../products", "'..' is not allowed"),
        ("/v2/api/products", "not under " + BASE),
        ("//evil.example/v2/api", "not a relative API path"),
        (BASE + "?teamId=other", "not under"),
        (BASE + "/x?teamId=other", "'x?teamId=other' is not allowed"),
        ("v2/api/metering-element-definitions", "not a relative API path"),
    ],
)
def test_paths_outside_the_kind_are_refused(revsync, env: Emulator, saved, path, why) -> None:
    manifest, plan_file, edit = saved
    edit(lambda d: d["changes"][1]["steps"][0].update(path=path))
    applied = apply_saved(revsync, manifest, plan_file)
    assert applied.code == 4 and why in applied.err, applied.err
    assert writes(env) == []


def test_an_added_delete_is_refused_and_nothing_is_deleted(
    revsync, env: Emulator, api, saved
) -> None:
    victim = api.post(
        "/metering-element-definitions",
        json={"name": "victim", "type": "NUMBER", "teamId": env.team_id},
    )
    victim_id = victim.json()["id"]
    manifest, plan_file, edit = saved
    assert revsync("plan", manifest, "--out", plan_file).code == 0  # it knows the victim
    forged = {
        "key": "meteringElements/victim",
        "action": "delete",
        "kind": "meteringElements",
        "name": "victim",
        "id": victim_id,
        "steps": [{"method": "DELETE", "path": BASE + "/{id}", "missing_ok": True}],
    }
    edit(lambda d: d["changes"].append(forged))
    applied = apply_saved(revsync, manifest, plan_file)
    assert applied.code == 4
    assert "meteringElements/victim: not in a plan made now" in applied.err
    assert [w for w in writes(env) if w["method"] == "DELETE"] == []
    assert victim_id in {o["id"] for o in env.objects("element")}


def test_an_edited_body_is_refused(revsync, env: Emulator, saved) -> None:
    manifest, plan_file, edit = saved
    edit(lambda d: d["changes"][0]["steps"][0]["body"].update(type="STRING"))
    applied = apply_saved(revsync, manifest, plan_file)
    assert applied.code == 4
    assert "steps or fields differ from a plan made now" in applied.err
    assert writes(env) == []


def test_an_untouched_saved_plan_executes_its_own_steps(revsync, env: Emulator, saved) -> None:
    manifest, plan_file, _ = saved
    applied = apply_saved(revsync, manifest, plan_file)
    assert applied.code == 0, applied.err
    assert sorted(o["name"] for o in env.objects("element")) == ["a", "b"]


def test_a_plan_file_of_the_older_format_is_refused(revsync, env: Emulator, saved) -> None:
    manifest, plan_file, edit = saved
    edit(lambda d: d.update(revsyncPlan=1, format=1))
    applied = apply_saved(revsync, manifest, plan_file)
    assert applied.code == 1
    assert "made by an older revsync (plan format 1); run plan again" in applied.err
    assert writes(env) == []
