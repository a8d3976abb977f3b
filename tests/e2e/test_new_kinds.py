"""Sources, tools and cost controls end to end through the CLI against the emulator."""

from __future__ import annotations

from pathlib import Path

import httpx

from revsync.emulator import Emulator

from .conftest import last_seq, writes

BASE = """\
version: 1
meteringElements:
  - name: tokens
    type: NUMBER
slackConfigurations:
  - name: finops
    channelName: "#finops"
    webhookUrl: ${SLACK_WEBHOOK}
sources:
  - name: chat-api
    type: AI
    meteringElements: [tokens]
    tags: [team-a]
products:
  - name: Pro
    plan: {name: Pro monthly, type: SUBSCRIPTION, currency: USD}
    sources: [chat-api]
tools:
  - toolId: mcp-github
    name: GitHub MCP
    toolType: MCP_SERVER
    pricing:
      elements:
        - name: calls
          aggregationType: COUNT
          tiers: [{upTo: 1000, unitPrice: 0.01}, {unitPrice: 0.005}]
costControls:
  - name: daily-cap
    metricType: TOTAL_COST
    windowType: DAILY
    action: BLOCK
    hardLimit: 500
    warnThreshold: 400
    notificationChannelIds: ["webhook:hook1"]
    notificationEmails: [FinOps@acme.example]
"""


def one(env: Emulator, kind: str) -> dict:
    [obj] = env.objects(kind)
    return obj


def test_create_converge_and_references_by_name(revsync, env: Emulator, write) -> None:
    path = write(BASE)
    assert revsync("apply", path, "--auto-approve").code == 0
    source, product, element = one(env, "source"), one(env, "product"), one(env, "element")
    assert source["meteringElementDefinitionIds"] == [element["id"]]
    assert source["tags"] == ["team-a", "managed-by:revsync"]
    assert product["sourceIds"] == [source["id"]]
    assert one(env, "tool")["pricing"]["elements"][0]["tiers"][0]["unitPrice"] == 0.01
    assert one(env, "cost_control")["notificationEmails"] == ["finops@acme.example"]
    second = revsync("plan", path, "--detailed-exitcode")
    assert second.code == 0, second.out  # string prices, lower-cased emails, tag: no change


def test_one_field_change_is_one_write(revsync, env: Emulator, write) -> None:
    revsync("apply", write(BASE), "--auto-approve")
    cases = [
        ("hardLimit: 500", "hardLimit: 600", "PATCH", "/ai/cost-controls/", {"hardLimit": 600}),
        ("name: GitHub MCP", "name: GitHub", "PUT", "/tools/", None),
        ("tags: [team-a]", "tags: [team-b]", "PUT", "/sources/", None),
    ]
    text = BASE
    for old, new, method, where, body in cases:
        text = text.replace(old, new)
        since = last_seq(env)
        assert revsync("apply", write(text), "--auto-approve").code == 0
        sent = writes(env, since)
        assert [(r["method"], where in r["path"]) for r in sent] == [(method, True)], sent
        if body is not None:
            assert sent[0]["body"] == body
    tool_put = next(r for r in writes(env) if r["method"] == "PUT" and "/tools/" in r["path"])
    assert "pricing" not in tool_put["body"] and tool_put["body"]["enabled"] is True
    source_put = next(r for r in writes(env) if r["method"] == "PUT" and "/sources/" in r["path"])
    assert "managed-by:revsync" in source_put["body"]["tags"]  # the tag stays
    assert source_put["body"]["meteringElementDefinitionIds"]  # the full list is sent


def test_tool_pricing_is_sent_only_when_it_changed(revsync, env: Emulator, write) -> None:
    revsync("apply", write(BASE), "--auto-approve")
    plan_id = one(env, "tool")["plan"]["id"]
    since = last_seq(env)
    assert revsync("apply", write(BASE.replace("0.005", "0.004")), "--auto-approve").code == 0
    [put] = writes(env, since)
    assert put["body"]["pricing"]["elements"][0]["tiers"][1]["unitPrice"] == 0.004
    assert one(env, "tool")["plan"]["id"] != plan_id


def test_cost_control_channels_slack_by_name_and_clear_by_null(
    revsync, env: Emulator, write
) -> None:
    revsync("apply", write(BASE), "--auto-approve")  # creates the Slack configuration first
    text = BASE.replace(
        'notificationChannelIds: ["webhook:hook1"]',
        'notificationChannelIds: ["webhook:hook1"]\n    slackConfigurations: [finops]',
    )
    since = last_seq(env)
    assert revsync("apply", write(text), "--auto-approve").code == 0
    finops = one(env, "slack")["id"]
    [patch] = writes(env, since)
    assert patch["method"] == "PATCH"
    assert sorted(patch["body"]["notificationChannelIds"]) == [f"slack:{finops}", "webhook:hook1"]
    assert revsync("plan", write(text), "--detailed-exitcode").code == 0
    cleared = text.replace("warnThreshold: 400", "warnThreshold: null")
    since = last_seq(env)
    assert revsync("apply", write(cleared), "--auto-approve").code == 0
    assert [r["body"] for r in writes(env, since)] == [{"warnThreshold": None}]
    assert revsync("plan", write(cleared), "--detailed-exitcode").code == 0
    left_out = cleared.replace("    warnThreshold: null\n", "").replace("    hardLimit: 500\n", "")
    left_out = left_out.replace("    hardLimit: 500\n", "")
    assert revsync("plan", write(left_out), "--detailed-exitcode").code in (0, 3)


def test_missing_references_are_reported_with_file_and_line(revsync, env: Emulator, write) -> None:
    text = BASE.replace("meteringElements: [tokens]", "meteringElements: [nope]")
    text = text.replace("sources: [chat-api]", "sources: [ghost]")
    text = text.replace(
        'notificationChannelIds: ["webhook:hook1"]', "slackConfigurations: [nobody]"
    )
    result = revsync("plan", write(text))
    assert result.code == 3, result.out + result.err
    for needle in ("manifest.yaml:12", "'nope'", "manifest.yaml:17", "'ghost'", "'nobody'"):
        assert needle in result.out + result.err


def test_export_round_trip_shows_the_tag(
    revsync, env: Emulator, write, tmp_path: Path, api: httpx.Client, monkeypatch
) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK_FINOPS", "https://hooks.slack.com/services/T/B/x")
    revsync("apply", write(BASE), "--auto-approve")
    body = {
        "name": "discovered",
        "type": "API",
        "version": "1.0.0",
        "ownerId": env.owner_id,
        "teamId": env.team_id,
    }
    assert api.post("/sources", params={"teamId": env.team_id}, json=body).status_code == 200
    out = tmp_path / "exported"
    assert revsync("export", "-o", str(out)).code == 0
    sources = (out / "sources.yaml").read_text()
    assert "managed-by:revsync" in sources and "discovered" in sources
    assert sources.count("managed-by:revsync") == 1  # only the source revsync created
    assert "webhook:hook1" in (out / "costControls.yaml").read_text()
    assert "mcp-github" in (out / "tools.yaml").read_text()
    replanned = revsync("plan", str(out), "--prune", "--detailed-exitcode")
    assert replanned.code == 0, replanned.out


def test_prune_deletes_only_tagged_sources(
    revsync, env: Emulator, write, api: httpx.Client
) -> None:
    revsync("apply", write(BASE), "--auto-approve")
    body = {
        "name": "discovered",
        "type": "API",
        "version": "1.0.0",
        "ownerId": env.owner_id,
        "teamId": env.team_id,
    }
    api.post("/sources", params={"teamId": env.team_id}, json=body)
    text = BASE.replace("    sources: [chat-api]\n", "    sources: []\n")
    text = (
        text.split("sources:\n  - name: chat-api")[0]
        + "sources: []\n"
        + ("products:" + text.split("products:")[1])
    )
    result = revsync("apply", write(text), "--auto-approve", "--prune", "--allow-mass-delete")
    assert result.code == 0, result.out + result.err
    assert [s["name"] for s in env.objects("source")] == ["discovered"]
    assert "never pruned" in result.out
    assert one(env, "product")["sourceIds"] in (None, [])


def test_prune_tools_and_cost_controls(revsync, env: Emulator, write) -> None:
    revsync("apply", write(BASE), "--auto-approve")
    text = BASE.split("tools:")[0] + "tools: []\ncostControls: []\n"
    result = revsync("apply", write(text), "--auto-approve", "--prune", "--allow-mass-delete")
    assert result.code == 0, result.out + result.err
    assert env.objects("tool") == [] and env.objects("cost_control") == []


def test_product_without_sources_keeps_the_live_links(revsync, env: Emulator, write) -> None:
    revsync("apply", write(BASE), "--auto-approve")
    text = BASE.replace("    sources: [chat-api]\n", "    description: now described\n")
    since = last_seq(env)
    assert revsync("apply", write(text), "--auto-approve").code == 0
    [put] = writes(env, since)
    assert put["body"]["sourceIds"] == [one(env, "source")["id"]]
    assert revsync("plan", write(text), "--detailed-exitcode").code == 0


def test_a_cost_control_names_a_slack_configuration_created_in_the_same_apply(
    revsync, env: Emulator, write, monkeypatch
) -> None:
    """The reference declares its written form (`slack:{id}`): the placeholder of an id this
    apply creates is filled in that form, so one apply does both."""
    monkeypatch.setenv("SLACK_WEBHOOK_OPS", "https://hooks.slack.com/services/T/B/ops")
    text = """\
version: 1
slackConfigurations:
  - {name: ops, channelName: "#ops", webhookUrl: "${SLACK_WEBHOOK_OPS}"}
costControls:
  - name: cap
    metricType: TOTAL_COST
    windowType: DAILY
    action: WARN_ONLY
    hardLimit: 100
    slackConfigurations: [ops]
    notificationChannelIds: ["webhook:hook1"]
"""
    applied = revsync("apply", write(text), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    [slack] = env.objects("slack")
    assert one(env, "cost_control")["notificationChannelIds"] == [
        f"slack:{slack['id']}",
        "webhook:hook1",
    ]
    assert revsync("plan", write(text), "--detailed-exitcode").code == 0
