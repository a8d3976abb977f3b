"""Server ids: 7-character base62 strings, like Revenium's hashids."""

from __future__ import annotations

import random
import re
import threading

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DECODABLE = re.compile(r"^[0-9A-Za-z]{4,32}$")


class IdGenerator:
    """Seeded so a test run produces the same ids every time."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def new(self) -> str:
        with self._lock:
            return "".join(self._rng.choice(ALPHABET) for _ in range(7))


def decodable(ident: str) -> bool:
    return bool(DECODABLE.match(ident))
