"""The examples work: they validate, apply against the emulator and converge; and every
revsync command line in the CI files, the pre-commit hook and the README is real."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml

from revsync.cli import cli
from revsync.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
GITOPS = ROOT / "examples" / "gitops"
SECRETS = {
    "SLACK_FINOPS_WEBHOOK": "https://hooks.slack.com/services/T/B/quickstart",
    "SLACK_WEBHOOK_ALERTS": "https://hooks.slack.com/services/T/B/staging",
    "SLACK_WEBHOOK_FINOPS": "https://hooks.slack.com/services/T/B/production",
}
COMMAND = re.compile(
    r"revsync (validate|plan|apply|drift|export|schema|emulator|completion)\b((?:[^\n`|>;&]|\\\n)*)"
)


@pytest.fixture
def secrets(monkeypatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    "paths",
    [
        [ROOT / "examples" / "quickstart"],
        [GITOPS / "shared", GITOPS / "environments" / "staging"],
        [GITOPS / "shared", GITOPS / "environments" / "production"],
    ],
    ids=["quickstart", "gitops-staging", "gitops-production"],
)
def test_example_validates_applies_and_converges(
    revsync,
    env: Emulator,
    secrets,
    paths,
) -> None:
    args = [str(p) for p in paths]
    assert revsync("validate", *args, "--strict").code == 0
    applied = revsync("apply", *args, "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert revsync("plan", *args, "--detailed-exitcode").code == 0
    assert revsync("drift", *args).code == 0


def _options(command: str) -> set[str]:
    found = set()
    loaded = cli.get_command(click.Context(cli), command)  # commands load lazily
    assert loaded is not None, f"no command {command}"
    for param in loaded.params:
        found.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("-"))
    return found | {"--help", "-h"}


def command_lines(text: str) -> list[tuple[str, list[str]]]:
    out = []
    for match in COMMAND.finditer(text):
        flags = re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", match.group(2))
        out.append((match.group(1), flags))
    return out


@pytest.mark.parametrize(
    "path",
    [
        GITOPS / ".github/workflows/revsync.yml",
        GITOPS / ".gitlab-ci.yml",
        ROOT / ".pre-commit-hooks.yaml",
        GITOPS / "README.md",
        ROOT / "README.md",
        ROOT / "scripts/demo.sh",
        ROOT / "docs/reliability.md",
    ],
    ids=lambda p: p.name,
)
def test_every_revsync_command_line_is_real(path: Path) -> None:
    text = path.read_text()
    if path.suffix in (".yml", ".yaml"):
        assert yaml.safe_load(text) is not None
    lines = command_lines(text)
    assert lines or path.suffix == ".md"
    for command, flags in lines:
        unknown = [f for f in flags if f.split("=")[0] not in _options(command)]
        assert unknown == [], (path.name, command, unknown)


def test_ci_examples_cover_plan_apply_and_drift() -> None:
    for path in (GITOPS / ".github/workflows/revsync.yml", GITOPS / ".gitlab-ci.yml"):
        commands = {c for c, _ in command_lines(path.read_text())}
        assert {"validate", "plan", "apply", "drift"} <= commands, path.name
    github = yaml.safe_load((GITOPS / ".github/workflows/revsync.yml").read_text())
    assert github["jobs"]["apply"]["concurrency"]["group"] == "revsync-${{ matrix.env }}"
    gitlab = yaml.safe_load((GITOPS / ".gitlab-ci.yml").read_text())
    assert gitlab["apply:production"]["resource_group"] == "revenium-production"
