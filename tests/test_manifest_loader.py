"""The YAML loader, interpolation and hostile input: clear errors, never a hang or crash."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from revsync.manifest.interpolate import interpolate
from revsync.manifest.load import load
from revsync.manifest.yaml_reader import Limits


def write(tmp_path: Path, text: str | bytes, name: str = "m.yaml") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


def messages(result) -> list[str]:
    return [p.message for p in result.errors]


# interpolation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "env", "value", "errors"),
    [
        ("plain", {}, "plain", []),
        ("${A}", {"A": "x"}, "x", []),
        ("pre-${A}-post", {"A": "x"}, "pre-x-post", []),
        ("${A:-dflt}", {}, "dflt", []),
        ("${A:-dflt}", {"A": ""}, "dflt", []),
        ("${A:-}", {}, "", []),
        ("$${A}", {"A": "x"}, "${A}", []),
        ("cost $5", {}, "cost $5", []),
        ("${A}", {}, "", ["environment variable A is not set"]),
        ("${A", {}, "${A", ["unterminated '${' (write '$${' for a literal '${')"]),
    ],
)
def test_interpolation(text, env, value, errors) -> None:
    result = interpolate(text, env)
    assert result.value == value
    assert result.errors == errors


def test_interpolated_values_are_typed_and_shown_unless_secret(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
alerts:
  - name: spend
    alertType: THRESHOLD
    metricType: TOTAL_COST
    operatorType: GREATER_THAN
    threshold: ${LIMIT}
    description: "limit ${LIMIT}"
    notificationAddresses: ["${EMAIL}", fixed@example.com]
""",
    )
    result = load([path], env={"LIMIT": "500", "EMAIL": "a@example.com"})
    assert result.ok, messages(result)
    entry = result.state.of("alerts")[0]
    assert entry.fields["threshold"] == 500  # plain ${VAR} takes the type of its value
    assert entry.fields["description"] == "limit 500"
    assert entry.env_paths == {("threshold",), ("description",), ("notificationAddresses", 0)}
    assert entry.sensitive == frozenset()  # LIMIT and EMAIL are not secret-looking names


def test_secret_fields_are_sensitive_even_when_literal(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
slackConfigurations:
  - name: finops
    channelName: "#f"
    webhookUrl: https://hooks.slack.com/services/literal
""",
    )
    result = load([path], env={})
    assert result.ok
    assert result.state.of("slackConfigurations")[0].sensitive == {("webhookUrl",)}
    assert "written literally" in result.warnings[0].message


# YAML dialect ------------------------------------------------------------------------------
def test_yaml_1_2_core_schema(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
organizations:
  - name: Norway
    country: NO
    metadata: yes
    externalId: 2024-09-01
    url: 0o17
""",
    )
    result = load([path], env={})
    fields = result.state.of("organizations")[0].fields
    assert fields["country"] == "NO"
    assert fields["metadata"] == "yes"
    assert fields["externalId"] == "2024-09-01"
    assert "url: must be a string, not the number 15" in messages(result)


def test_anchors_and_merge_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
x-plan: &plan {type: SUBSCRIPTION, currency: USD}
products:
  - name: A
    plan: {<<: *plan, name: A}
  - name: B
    plan:
      <<: *plan
      name: B
      currency: EUR
""",
    )
    result = load([path], env={})
    assert "unknown kind 'x-plan'" in messages(result)[0]
    a, b = result.state.of("products")
    assert a.fields["plan"] == {"type": "SUBSCRIPTION", "currency": "USD", "name": "A"}
    assert b.fields["plan"]["currency"] == "EUR"


def test_files_directories_and_multi_document(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    write(
        tmp_path,
        "meteringElements: [{name: a, type: NUMBER}]\n---\n"
        "meteringElements: [{name: b, type: NUMBER}]\n",
        "sub/one.yaml",
    )
    write(tmp_path, "meteringElements: [{name: c, type: STRING}]\n", "two.yml")
    write(tmp_path, "not: [valid", ".hidden/ignored.yaml")
    write(tmp_path, "ignored", "notes.txt")
    extra = write(tmp_path, "meteringElements: [{name: d, type: STRING}]\n", "extra.yaml")
    result = load([str(tmp_path), extra], env={})
    assert result.ok, messages(result)
    # the folder in sorted path order (extra.yaml, sub/one.yaml, two.yml); extra.yaml once
    assert [e.name for e in result.state.of("meteringElements")] == ["d", "a", "b", "c"]


def test_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = load([str(tmp_path / "nope.yaml"), str(tmp_path / "empty")], env={})
    assert any("no such file or folder" in m for m in messages(result))
    assert any("no *.yaml or *.yml files" in m for m in messages(result))


def test_empty_documents_are_fine(tmp_path: Path) -> None:
    result = load([write(tmp_path, "---\n---\n# only a comment\n")], env={})
    assert result.ok


# hostile input ------------------------------------------------------------------------------
def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    started = time.monotonic()
    result = load([write(tmp_path, "\n".join(lines))], env={})
    assert time.monotonic() - started < 5
    assert any("alias expansion bomb" in m for m in messages(result))


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    block = "".join("  " * i + "a:\n" for i in range(500))
    flow = "x: " + "[" * 5000 + "]" * 5000
    for text in (block, flow):
        started = time.monotonic()
        result = load([write(tmp_path, text)], env={})
        assert time.monotonic() - started < 5
        assert any("nest" in m for m in messages(result)), messages(result)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.truncate(33 * 1024 * 1024)
    result = load([str(path)], env={})
    assert messages(result) == ["file is 34,603,008 bytes; the limit is 32 MiB"]


def test_too_many_values_is_refused(tmp_path: Path) -> None:
    text = "tags: [" + ", ".join("x" for _ in range(2000)) + "]"
    result = load([write(tmp_path, text)], env={}, limits=Limits(max_nodes=1000))
    assert any("more than 1,000 values" in m for m in messages(result))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name: caf\xe9\n", "invalid UTF-8 (byte 0xe9); manifests must be UTF-8 text"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "file looks binary (contains NUL bytes); expected YAML text",
        ),
        ("products: []".encode("utf-16"), "file is UTF-16 encoded; save it as UTF-8"),
        (b"a: \x07", "YAML error: control characters are not allowed"),
    ],
)
def test_bad_encodings(tmp_path: Path, data: bytes, message: str) -> None:
    assert messages(load([write(tmp_path, data)], env={})) == [message]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    result = load(
        [write(tmp_path, b"\xef\xbb\xbfmeteringElements: [{name: a, type: NUMBER}]")], env={}
    )
    assert result.ok


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "dir.yaml"
    path.mkdir()
    (path / "x.yaml").write_text("meteringElements: []")
    assert load([str(path)], env={}).ok  # a folder named *.yaml is a folder


def test_every_error_of_every_file_at_once(tmp_path: Path) -> None:
    write(tmp_path, "meteringElements: [{name: a, type: NUMBR}]", "a.yaml")
    write(tmp_path, "organizations: [{nam: x}]", "b.yaml")
    write(tmp_path, "products: [", "c.yaml")
    result = load([str(tmp_path)], env={})
    files = sorted({p.location.file.rsplit("/", 1)[-1] for p in result.errors})
    assert files == ["a.yaml", "b.yaml", "c.yaml"]
    assert len(result.errors) == 4  # enum, unknown field, missing name, syntax


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("organizations:\n  - ? [a, b]\n    : c\n", "a key must be plain text"),
        ("organizations:\n  - name: x\n    ? {a: 1}\n    : c\n", "a key must be plain"),
        ("organizations: [{name: " + "9" * 5000 + "}]\n", "a number of 5000 characters"),
        ("organizations: [{name: 1." + "5" * 200 + "}]\n", "a number of 202 characters"),
    ],
)
def test_hostile_yaml_is_a_clean_error_not_a_traceback(tmp_path: Path, text, message) -> None:
    """Complex keys and absurdly long numbers (int() refuses > 4,300 digits) are errors with
    a location, never an internal error."""
    result = load((write(tmp_path, text),))
    assert not result.ok
    assert any(message in m for m in messages(result)), messages(result)
