"""Reads start before the manifests are loaded; the guess of what to read is cheap and safe."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from revsync.core.live import Account
from revsync.engine.live import LiveReads, ReadsCancelled, kinds_for
from revsync.prefetch import guess, kinds_guessed

ACCOUNT = Account("team", "team", "owner")


def files(tmp_path: Path, **texts: str) -> list[str]:
    for name, text in texts.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    return [str(tmp_path)]


def test_guess_reads_the_top_level_kinds(tmp_path: Path):
    paths = files(
        tmp_path,
        a="version: 1\nproducts:\n  - name: p\n    description: |\n      alerts: not a key\n",
        b='"subscribers":\n  - email: a@b.example\n# organizations: commented out\n',
        c="---\nunknownThing: 1\nmeteringElements: []\n",
    )
    seen = guess(paths)
    assert seen.managed == {"products", "subscribers", "meteringElements"}
    assert not seen.prune


@pytest.mark.parametrize(
    ("settings", "prune"),
    [
        ("settings:\n  prune: true\n", True),
        ("settings:\n  maxDeletePercent: 5\n  prune: True  # yes\n", True),
        ("settings:\n  prune: false\n", False),
        ("settings:\n  maxDeletePercent: 5\nproducts: []\nother:\n  prune: true\n", False),
    ],
)
def test_guess_sees_prune_in_settings(tmp_path: Path, settings: str, prune: bool):
    assert guess(files(tmp_path, s=settings)).prune is prune


def test_guessed_kinds_include_references_and_prune_readers(tmp_path: Path):
    paths = files(tmp_path, a="subscriptions: []\n")
    assert set(kinds_guessed(paths)) == set(kinds_for({"subscriptions"}, False))
    assert {"products", "subscribers", "organizations"} <= set(kinds_guessed(paths))
    assert set(kinds_guessed(paths, prune=True)) >= set(kinds_guessed(paths))


class SlowApi:
    """list_all blocks until released; records what was listed and when."""

    def __init__(self) -> None:
        self.listed: list[str] = []
        self.release = threading.Event()

    def list_all(self, path: str, params: dict, on_page=None) -> list[dict]:
        self.listed.append(path)
        assert self.release.wait(5)
        items = [{"id": "abc123", "name": f"x{path}"}]
        if on_page:
            on_page(items)
        return items


def test_reads_run_in_the_background_and_missing_kinds_are_read_on_join():
    api = SlowApi()
    reads = LiveReads(api, ACCOUNT, ["meteringElements"])
    deadline = time.monotonic() + 5
    while not api.listed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(api.listed) == 1  # started without anyone waiting for it
    api.release.set()
    live = reads.live_for(["meteringElements", "organizations"])
    reads.close()
    assert live.read_kinds == ["meteringElements", "organizations"]
    assert len(api.listed) == 2
    assert [len(live.of(k)) for k in live.read_kinds] == [1, 1]


def test_closed_reads_send_nothing_more():
    api = SlowApi()
    reads = LiveReads(api, ACCOUNT, [])
    reads.close()
    with pytest.raises(ReadsCancelled):
        reads._list_all("/v2/api/products", {})
    assert api.listed == []
