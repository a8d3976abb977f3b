"""Start reading Revenium before the manifests are parsed and checked.

A plan's time is the API's (50 requests/s) plus our CPU (parsing, checking, comparing).
They need not add up: a cheap scan of the files' top-level keys (and `settings.prune`)
tells which kinds the plan will read, and those reads start at once while the manifests
are loaded. The scan is only a guess: the plan itself uses the kinds the loaded manifests
need (`LiveReads.live_for` reads whatever the guess missed), and when the manifests are
invalid the reads are stopped and nothing is ever written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import kinds
from .core.live import Account
from .engine.api import Api
from .engine.live import LiveReads, kinds_for
from .manifest.load import manifest_files

TOP_KEY = re.compile(r"""^(?:"([^"\n]+)"|'([^'\n]+)'|([A-Za-z_][\w-]*))[ \t]*:(?:[ \t]|$)""", re.M)
PRUNE_ON = re.compile(r"""^[ \t]+["']?prune["']?[ \t]*:[ \t]*(true|True|TRUE)[ \t]*(#.*)?$""", re.M)
SCAN_LIMIT = 64 * 1024 * 1024  # bytes over all files; beyond it, no guess (read after load)


@dataclass
class Guess:
    """What a quick look at the files says the plan will need."""

    managed: set[str] = field(default_factory=set)
    prune: bool = False


def guess(paths: Sequence[str]) -> Guess:
    """Kinds named at the top of the files, and whether a `settings` block turns prune on."""
    found = Guess()
    files, _ = manifest_files(paths)
    budget = SCAN_LIMIT
    for path, _shown in files:
        try:
            text = path.read_bytes()[:budget].decode("utf-8", "replace")
        except OSError:
            continue  # the loader reports it
        budget -= len(text)
        _scan(text, found)
        if budget <= 0:
            break
    return found


def _scan(text: str, found: Guess) -> None:
    keys = [m.group(1) or m.group(2) or m.group(3) for m in TOP_KEY.finditer(text)]
    found.managed.update(k for k in keys if k in kinds.KINDS)
    if "settings" in keys and PRUNE_ON.search(_settings_block(text)):
        found.prune = True


def _settings_block(text: str) -> str:
    """The indented lines under top-level `settings:` keys."""
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        if line[:1] not in (" ", "\t", "") and not line.startswith("#"):
            inside = bool(re.match(r"""["']?settings["']?[ \t]*:""", line))
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


@contextmanager
def reads_started(
    api: Api, account: Account, paths: Sequence[str], prune: bool
) -> Iterator[LiveReads]:
    """Reads of the kinds the files seem to need, running until the block ends."""
    seen = guess(paths)
    reads = LiveReads(api, account, kinds_for(seen.managed, prune or seen.prune), prepare=True)
    try:
        yield reads
    finally:
        reads.close()


def kinds_guessed(paths: Sequence[str], prune: bool = False) -> list[str]:
    """The kinds `reads_started` would read for these files (for tests and -v output)."""
    seen = guess(paths)
    return kinds_for(seen.managed, prune or seen.prune)
