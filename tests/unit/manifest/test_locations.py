"""Where values were written, kept compactly: a million keys and values at 100,000 objects."""

from __future__ import annotations

import copy
import gc
from pathlib import Path

import pytest

from revsync.core.location import (
    Location,
    LocDict,
    LocList,
    env_variables,
    locate,
    sensitive_paths,
)
from revsync.manifest import load as load_module
from revsync.manifest.load import load
from revsync.manifest.yaml_reader import read_file


def read(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> list:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    documents, problems = read_file(path, "m.yaml", env or {})
    assert not problems, problems
    return documents


def test_location_prints_orders_and_hashes_as_file_line_column() -> None:
    here = Location("a.yaml", 3, 7)
    assert str(here) == "a.yaml:3:7"
    assert sorted([Location("b.yaml", 1, 1), Location("a.yaml", 10, 1), here]) == [
        here,
        Location("a.yaml", 10, 1),
        Location("b.yaml", 1, 1),
    ]
    assert {here: 1}[Location("a.yaml", 3, 7)] == 1


def test_keys_values_and_items_keep_their_exact_positions(tmp_path: Path) -> None:
    (doc,) = read(tmp_path, "top:\n  name: x\n  tags:\n    - a\n    - {k: 1}\n")
    top = doc["top"]
    assert doc.loc == Location("m.yaml", 1, 1)
    assert doc.key_loc("top") == Location("m.yaml", 1, 1)
    assert doc.value_loc("top") is None  # a mapping is located by its key
    assert top.key_loc("name") == Location("m.yaml", 2, 3)
    assert top.value_loc("name") == Location("m.yaml", 2, 9)
    assert top["tags"].item_loc(0) == Location("m.yaml", 4, 7)
    assert top["tags"].item_loc(1) == Location("m.yaml", 5, 7)
    assert top["tags"].item_loc(2) is None
    assert locate(doc, ("top", "tags", 1, "k")) == Location("m.yaml", 5, 11)
    assert locate(doc, ("top", "name"), prefer_key=True) == Location("m.yaml", 2, 3)


def test_positions_beyond_16_bits_survive_packing(tmp_path: Path) -> None:
    text = "\n" * 70_000 + "pad: " + "y" * 70_000 + "\nk: v\n"
    (doc,) = read(tmp_path, text)
    assert doc.value_loc("pad") == Location("m.yaml", 70_001, 6)
    assert doc.key_loc("k") == Location("m.yaml", 70_002, 1)


def test_containers_carry_no_per_instance_dict_and_no_env_record_unless_needed(
    tmp_path: Path,
) -> None:
    (doc,) = read(tmp_path, "a:\n  b: [1, {c: 2}]\nd: ${V}\n", {"V": "x"})
    for value in (doc, doc["a"], doc["a"]["b"], doc["a"]["b"][1]):
        assert not hasattr(value, "__dict__")
    assert doc["a"].env is None and doc["a"]["b"].env is None  # nothing from the env here
    assert doc.variables_of("d") == ("V",)


def test_values_from_the_environment_are_found_through_lists_merges_and_aliases(
    tmp_path: Path,
) -> None:
    text = (
        "base: &b\n  url: ${URL}\n  plain: 1\n"
        "use:\n  <<: *b\n  other: 2\n"
        "list:\n  - *b\n  - [x, '${N}']\n"
        "scalar: &s ${N}\n"
        "again: *s\n"
    )
    (doc,) = read(tmp_path, text, {"URL": "https://x", "N": "7"})
    assert env_variables(doc) == {
        ("base", "url"): ("URL",),
        ("use", "url"): ("URL",),
        ("list", 0, "url"): ("URL",),
        ("list", 1, 1): ("N",),
        ("scalar",): ("N",),
        ("again",): ("N",),
    }
    assert sensitive_paths(doc["use"]) == {("url",)}
    assert sensitive_paths(doc["list"][1]) == {(1,)}


def test_a_key_given_twice_keeps_only_the_last_values_environment(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a: ${V}\na: plain\nb: plain\nb: ${V}\n")
    (doc,), problems = read_file(path, "m.yaml", {"V": "x"})
    assert [p.message for p in problems] == [
        "duplicate key 'a' (first at line 1)",
        "duplicate key 'b' (first at line 3)",
    ]
    assert env_variables(doc) == {("b",): ("V",)}
    assert doc.value_loc("a") == Location("m.yaml", 2, 4)


def test_each_distinct_key_is_one_string(tmp_path: Path) -> None:
    (doc,) = read(tmp_path, "- name: a\n  description: x\n- name: b\n  description: y\n")
    first, second = (list(item) for item in doc)
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_copies_keep_positions_and_environment(tmp_path: Path) -> None:
    (doc,) = read(tmp_path, "a:\n  k: ${V}\n", {"V": "x"})
    copied = copy.deepcopy(doc)
    assert copied["a"].value_loc("k") == Location("m.yaml", 2, 6)
    assert env_variables(copied) == {("a", "k"): ("V",)}


def test_containers_built_by_hand_have_a_location_and_nothing_else() -> None:
    here = Location("m.yaml", 4, 2)
    built = LocDict({"a": 1}, loc=here)
    assert built.loc == here and built.key_loc("a") is None
    assert locate(built, ("a",)) == here
    assert LocList([1]).loc is None and LocList([1]).item_loc(0) is None


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_pauses_the_cycle_collector_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    seen: list[bool] = []
    real = load_module._take_document

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(load_module, "_take_document", spy)
    (tmp_path / "m.yaml").write_text("version: 1\n")
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert load([str(tmp_path)], env={}).ok
        assert seen == [False]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_the_cycle_collector_is_restored_when_loading_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(load_module, "_take_document", broken)
    (tmp_path / "m.yaml").write_text("version: 1\n")
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        load([str(tmp_path)], env={})
    assert gc.isenabled()


def test_a_hundred_thousand_open_brackets_are_refused_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("x: " + "[" * 100_000)
    result = load([str(tmp_path)], env={})
    (problem,) = result.errors  # ours, or libyaml's own bound: either way a clean error
    assert "nest" in problem.message and problem.location is not None
