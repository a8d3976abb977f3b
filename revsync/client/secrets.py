"""Secret values that must never reach a message, a log line or a JSON report.

Every secret is redacted in each form it may take in an echoed request: as is, JSON-escaped
(`\\/`, `\\u0026`) and URL-encoded. Values are registered by whoever learns them (the API
key, a password in the API URL, Slack webhook URLs found at run time).
"""

from __future__ import annotations

import json
import threading
from urllib.parse import quote, quote_plus

MASK = "***"
MIN_SECRET = 4  # shorter values would redact ordinary words


def _forms(value: str) -> set[str]:
    escaped = json.dumps(value)[1:-1]
    return {
        value,
        escaped,
        escaped.replace("/", "\\/"),
        json.dumps(value, ensure_ascii=True)[1:-1],
        quote(value, safe=""),
        quote_plus(value, safe=""),
        quote(value, safe="/:"),
    }


class Redactor:
    """A thread-safe set of secret values and the function that hides them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forms: list[str] = []

    def add(self, value: str | None) -> None:
        """Register `value` (and its stripped form) as secret."""
        if not value:
            return
        candidates = {value, value.strip()}
        with self._lock:
            known = set(self._forms)
            for candidate in candidates:
                if len(candidate) >= MIN_SECRET:
                    known |= _forms(candidate)
            # longest first, so a secret that contains another is masked whole
            self._forms = sorted((f for f in known if len(f) >= MIN_SECRET), key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every known secret replaced by `***`."""
        with self._lock:
            forms = list(self._forms)
        for form in forms:
            if form in text:
                text = text.replace(form, MASK)
        return text
