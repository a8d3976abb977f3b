"""Secrets stay secret: the API key and sensitive values appear in no output of a full
scenario, in any format, at any verbosity, nor in plan files."""

from __future__ import annotations

from pathlib import Path

from revsync.emulator import Emulator

from ..e2e.conftest import WEBHOOK

ENV_SECRET = "shh-4242-from-environment"

MANIFEST = """
settings:
  sensitive: [PRODUCT_NOTE]  # not a secret-looking name: listed as a secret
slackConfigurations:
  - {name: finops, channelName: "#finops", webhookUrl: "${SLACK_WEBHOOK}"}
products:
  - name: Pro
    description: ${PRODUCT_NOTE}
    plan: {name: p, type: SUBSCRIPTION, currency: USD}
alerts:
  - {name: spend, alertType: THRESHOLD, metricType: TOTAL_COST, operatorType: GREATER_THAN,
     threshold: 1, slackConfigurations: [finops]}
"""


def test_no_output_contains_a_secret(
    revsync, env: Emulator, write, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("PRODUCT_NOTE", ENV_SECRET)
    path = write(MANIFEST)
    plan_file = tmp_path / "plan.json"
    outputs = []

    def run(*args: str, code: int | None = 0) -> None:
        result = revsync(*args)
        if code is not None:
            assert result.code == code, (args, result.out, result.err)
        outputs.append(f"$ {' '.join(args)}\n{result.out}\n{result.err}")

    run("validate", path)
    run("validate", path, "--output", "json")
    for fmt in ("text", "json", "markdown"):
        run("plan", path, "--output", fmt, "-vv")
        run("drift", path, "--output", fmt, "-vv", code=2)
    run("plan", path, "--out", str(plan_file))
    run("apply", "--plan", str(plan_file), "--auto-approve", "-vv")
    monkeypatch.setenv("PRODUCT_NOTE", ENV_SECRET + "-v2")
    for fmt in ("text", "json", "markdown"):
        run("plan", path, "--output", fmt, "-vv", "--update-sensitive")
    run("apply", path, "--auto-approve", "--output", "json", "-vv", "--update-sensitive")
    run("apply", path, "--auto-approve", "-vv", "--update-sensitive")
    run("export", "--kind", "slackConfigurations")
    monkeypatch.setenv("REVENIUM_API_KEY", env.api_key + "-wrong")
    run("plan", path, "-vv", code=1)

    everything = "\n".join(outputs) + plan_file.read_text()
    assert "(sensitive)" in everything  # the values were there, masked
    assert "debug: revsync.http: GET /v2/api/" in everything  # -vv really logged requests
    for secret in (env.api_key, WEBHOOK, ENV_SECRET, "very-secret-token"):
        assert secret not in everything, secret
    stored = {o["name"]: o for o in env.objects("product")}
    assert stored["Pro"]["description"] == ENV_SECRET + "-v2"  # it was applied, just not shown


def test_a_key_with_a_newline_and_a_broken_config_file_do_not_stop_a_run(
    revsync, env: Emulator, write, tmp_path: Path, monkeypatch
) -> None:
    config = tmp_path / "home" / ".config" / "revenium" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("key: [hak_other_tool_secret\n")
    monkeypatch.setenv("REVENIUM_API_KEY", env.api_key + "\n")
    result = revsync("plan", write("meteringElements: []\n"), "-vv")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    for secret in (env.api_key, "hak_other_tool_secret"):
        assert secret not in result.out + result.err
    monkeypatch.delenv("REVENIUM_API_KEY")
    result = revsync("plan", write("meteringElements: []\n"))
    assert result.code == 1 and "not valid YAML" in result.err
    assert "hak_other_tool_secret" not in result.out + result.err
