"""`revsync validate` and `revsync schema` through the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from revsync import kinds
from revsync.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_valid_manifests_exit_0(capsys, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK", "https://hooks.example/x")
    code, out, _ = run(capsys, "validate", str(ROOT / "tests/manifests/valid"))
    assert code == 0
    assert out.strip().endswith("valid: 17 objects in 4 file(s)")


def test_invalid_manifests_exit_3_with_every_error(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("products:\n  - name: P\n    plan: {name: P}\n")
    (tmp_path / "b.yaml").write_text("alerts: [{name: a}]\n")
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 3
    lines = out.strip().splitlines()
    assert len(lines) == 6
    assert lines[0].endswith("a.yaml:3:5: products/P: plan: missing required field 'currency'")
    assert lines[1].endswith("a.yaml:3:5: products/P: plan: missing required field 'type'")
    assert "invalid: 6 errors in 2 file(s)" in err
    assert "Traceback" not in out + err


def test_json_output(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("meteringElements:\n  - {name: t, type: NUMBR}\n")
    code, out, _ = run(capsys, "validate", "--output", "json", str(tmp_path / "a.yaml"))
    assert code == 3
    data = json.loads(out)
    assert data["valid"] is False
    assert data["errors"] == [
        {
            "file": str(tmp_path / "a.yaml"),
            "line": 2,
            "column": 21,
            "object": "meteringElements/t",
            "message": "type: 'NUMBR' is not a valid value; did you mean 'NUMBER'?",
        }
    ]


def test_strict_makes_unknown_references_errors(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("subscribers: [{email: a@b.example, organizations: [X]}]\n")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 0 and "warning:" in out
    code, out, _ = run(capsys, "validate", "--strict", str(tmp_path))
    assert code == 3


def test_usage_errors_exit_1(capsys) -> None:
    code, _, err = run(capsys, "validate")
    assert code == 1
    assert "Missing argument" in err
    code, _, err = run(capsys, "no-such-command")
    assert code == 1


def test_schema_command_prints_the_schema(capsys) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_committed_manifest_schema_is_what_revsync_schema_prints(capsys) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    committed = (ROOT / "schemas/manifest.schema.json").read_text(encoding="utf-8")
    assert committed == out, (
        "schemas/manifest.schema.json is generated from revsync/kinds/*.schema.json and "
        "revsync/manifest/manifest.base.schema.json and is out of date: run `make schema` "
        "(or `revsync schema > schemas/manifest.schema.json`) and commit the result"
    )


def test_every_kind_has_a_schema_entry_and_no_more() -> None:
    schema = json.loads((ROOT / "schemas/manifest.schema.json").read_text())
    top = set(schema["properties"]) - {"version", "settings"}
    assert top == set(kinds.names())
    for kind in kinds.KINDS.values():
        assert schema["properties"][kind.name]["items"]["$ref"] == f"#/$defs/{kind.schema_def}"
        assert kind.schema_def in schema["$defs"]
        props = schema["$defs"][kind.schema_def]["properties"]
        for field in kind.key_fields:
            assert field in props
        for ref in kind.refs:
            if not ref.container:
                assert ref.field in props, (kind.name, ref.field)


def test_validate_runs_as_a_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "revsync", "validate", "/nonexistent"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3
    assert "no such file or folder" in proc.stdout


def test_an_api_key_filter_on_an_sdk_alert_is_a_warning_not_an_error(
    capsys, tmp_path: Path
) -> None:
    """Revenium stores it and never evaluates it (revenium-api-more.md §6.5)."""
    alert = (
        "alerts:\n  - name: spend\n    alertType: THRESHOLD\n    metricType: TOTAL_COST\n"
        "    operatorType: GREATER_THAN\n    threshold: 5\n    periodDuration: DAILY\n"
        "    filters:\n      - {dimension: API_KEY, operator: IS, value: key-1}\n"
    )
    (tmp_path / "sdk.yaml").write_text(alert)
    code, out, _ = run(capsys, "validate", str(tmp_path / "sdk.yaml"))
    assert code == 0
    assert "sdk.yaml:9:21: alerts/spend: an API_KEY filter on an SDK alert" in out
    assert out.startswith("warning: ")

    (tmp_path / "sdk.yaml").write_text(alert + "    dataSource: PROVIDER\n")
    code, out, _ = run(capsys, "validate", str(tmp_path / "sdk.yaml"))
    assert code == 0 and "warning" not in out


def test_a_refused_metadata_piece_from_a_secret_variable_is_not_quoted(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ORG_TOKEN", "s3cr3t-value")
    monkeypatch.setenv("TIER", "gold")
    manifest = tmp_path / "orgs.yaml"
    manifest.write_text(
        'organizations:\n  - name: Acme\n    metadata: "${ORG_TOKEN}"\n'
        '  - name: Beta\n    metadata: "tier ${TIER}, region=eu"\n'
    )
    code, out, err = run(capsys, "validate", str(manifest))
    assert code == 3
    assert "orgs.yaml:3:15: organizations/Acme: metadata piece 1 is not key=value" in out
    assert "orgs.yaml:5:15: organizations/Beta: metadata piece 1 ('tier gold') is not" in out
    assert "s3cr3t" not in out + err
