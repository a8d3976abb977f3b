"""What plans look like: forged names stay inert, PR comments fit GitHub, saved plans are
shown again, graphs are drawn, long applies show progress, write-only fields are explained."""

from __future__ import annotations

import re
from pathlib import Path

from revsync.emulator import Emulator

FORGED = r'"evil\n  + create organizations/forged\e[2J```x|<b>[link](http://x.example)</details>"'


def test_names_cannot_forge_lines_or_inject_markdown(revsync, write) -> None:
    folder = write(f"organizations:\n  - name: {FORGED}\n")
    plain = revsync("plan", folder)
    assert plain.code == 0, plain.err
    assert "\x1b" not in plain.out
    lines = plain.out.splitlines()
    assert not any(line.startswith("  + create organizations/forged") for line in lines)
    assert "\\n  + create organizations/forged\\x1b[2J" in plain.out
    md = revsync("plan", folder, "-o", "markdown").out
    assert "\x1b" not in md and "\n  + create organizations/forged" not in md
    prose = _outside_fences(md)
    assert "<b>" not in prose and "</details>`" not in prose and "[link](http" not in prose
    assert prose.count("<details>") == prose.count("</details>")
    rows = [line for line in md.splitlines() if line.startswith("| 🟢")]
    assert len(rows) == 1 and rows[0].count("|") == 6  # the name's pipe is an entity
    fences = [line for line in md.splitlines() if re.fullmatch(r"`{3,}(diff)?", line)]
    assert fences[0].startswith("````")  # longer than the backticks inside


def _outside_fences(md: str) -> str:
    """The Markdown that GitHub renders as Markdown (fenced code blocks left out)."""
    out, fence = [], None
    for line in md.splitlines():
        mark = re.match(r"`{3,}", line)
        if fence is None and mark:
            fence = mark.group()
        elif fence is not None and line == fence:
            fence = None
        elif fence is None:
            out.append(line)
    return "\n".join(out)


def test_markdown_plan_fits_a_github_comment(revsync, write) -> None:
    orgs = "".join(
        f"  - {{name: organization-with-a-rather-long-name-{i:04d}}}\n" for i in range(600)
    )
    md = revsync("plan", write("organizations:\n" + orgs), "-o", "markdown").out
    assert len(md) < 65_536 and len(md.encode("utf-16-le")) // 2 < 65_536
    assert md.startswith("### revsync plan: 600 to create")
    assert "| organizations | 600 | 0 | 0 |" in md.split("<details>")[0]  # summary table first
    shown = md.count("<details><summary>🟢 create")
    assert 0 < shown < 600
    assert f"Details of {600 - shown} more changes are not shown" in md
    summary = revsync("plan", write("organizations:\n" + orgs), "-o", "markdown", "--summary-only")
    assert "| organizations | 600 | 0 | 0 |" in summary.out and "<details>" not in summary.out


def test_markdown_embeds_the_graph_of_a_small_change(revsync, write) -> None:
    md = revsync(
        "plan", write("organizations: [{name: A}, {name: B, parent: A}]\n"), "-o", "markdown"
    )
    assert "```mermaid\nflowchart LR\n" in md.out
    assert '  n0["+ organizations/A"]\n  n1["+ organizations/B"]\n  n0 --> n1\n' in md.out


def test_show_renders_a_saved_plan(revsync, write, tmp_path: Path) -> None:
    plan_file = str(tmp_path / "p.plan")
    made = revsync("plan", write("organizations: [{name: A}]\n"), "--out", plan_file)
    assert revsync("show", plan_file).out == made.out
    assert revsync("show", plan_file, "-o", "json").json()["summary"]["create"] == 1
    md = revsync("show", plan_file, "-o", "markdown").out
    assert md.startswith("### revsync plan: 1 to create")
    missing = revsync("show", str(tmp_path / "nope.plan"))
    assert missing.code == 1 and "cannot read plan file" in missing.err


def test_graph_of_manifests_and_of_a_plan(revsync, write, tmp_path: Path) -> None:
    folder = write("organizations: [{name: A}, {name: B, parent: A}]\n")
    drawn = revsync("graph", folder)
    assert drawn.code == 0, drawn.err
    assert "n0 --> n1" in drawn.out and '["organizations/B"]' in drawn.out
    dot = revsync("graph", folder, "--format", "dot").out
    assert dot.startswith("digraph revsync {") and '"organizations/A" -> "organizations/B";' in dot
    plan_file = str(tmp_path / "p.plan")
    revsync("plan", folder, "--out", plan_file)
    planned = revsync("graph", "--plan", plan_file, "--format", "dot").out
    assert '[label="+ organizations/B", fillcolor=palegreen];' in planned


def test_apply_shows_progress_unless_quiet(revsync, write) -> None:
    folder = write("organizations: [{name: A}, {name: B}, {name: C}]\n")
    applied = revsync("apply", folder, "--auto-approve")
    progress = [line for line in applied.err.splitlines() if line.startswith("[")]
    assert len(progress) == 3
    assert re.fullmatch(r"\[1/3\] created organizations/[ABC] \(id \w+\) \d+\.\d s", progress[0])
    assert progress[-1].startswith("[3/3] created organizations/")
    again = revsync(
        "apply", write("organizations: [{name: D}]\n", "d.yaml"), "--auto-approve", "-q"
    )
    assert again.code == 0 and "[1/1]" not in again.err


def test_unmanaged_objects_are_named(revsync, write, api, env: Emulator) -> None:
    for i in range(12):
        body = {"name": f"Stray {i:02d}", "tenantId": env.tenant_id, "metadata": ""}
        assert api.post("/organizations", json=body).is_success
    planned = revsync("plan", write("organizations: [{name: Kept}]\n"))
    note = next(line for line in planned.out.splitlines() if "Not in the manifests:" in line)
    assert "organizations/Stray 00 (id " in note and note.endswith("and 2 more.")


def test_write_only_fields_are_explained_in_every_plan(revsync, write, env: Emulator) -> None:
    manifest = (
        'slackConfigurations: [{name: s, channelName: "#c", webhookUrl: "${SLACK_WEBHOOK}"}]\n'
    )
    assert revsync("apply", write(manifest), "--auto-approve").code == 0
    for output in ("text", "markdown", "json"):
        result = revsync("plan", write(manifest), "-o", output)
        assert "write-only: not compared" in result.out and "--update-sensitive" in result.out
    updated = revsync("plan", write(manifest), "--update-sensitive")
    assert "webhookUrl" in updated.out and "1 to update" in updated.out


def test_graph_is_offline_an_unset_variable_is_a_placeholder(revsync, write, monkeypatch) -> None:
    """Like validate, graph needs no secrets: a CI job without them can still draw it."""
    monkeypatch.delenv("NO_SUCH_WEBHOOK", raising=False)
    text = (
        "slackConfigurations:\n"
        "  - {name: ops, channelName: '#ops', webhookUrl: '${NO_SUCH_WEBHOOK}'}\n"
        "alerts:\n"
        "  - {name: spend, alertType: THRESHOLD, metricType: TOTAL_COST,"
        " operatorType: GREATER_THAN, threshold: 5, periodDuration: DAILY,"
        " slackConfigurations: [ops]}\n"
    )
    result = revsync("graph", write(text))
    assert result.code == 0, result.err
    assert "slackConfigurations/ops" in result.out and "alerts/spend" in result.out
