"""Shared fixtures: a fresh emulator per test, over real HTTP on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from revsync.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(rate_limit=0) as emu:
        yield emu


@pytest.fixture
def api(emulator: Emulator) -> Iterator[httpx.Client]:
    """A raw HTTP client with the emulator's key, base URL .../profitstream/v2/api."""
    with httpx.Client(
        base_url=emulator.api_url + "/v2/api",
        headers={"x-api-key": emulator.api_key},
        timeout=10,
    ) as client:
        yield client
