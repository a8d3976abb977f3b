"""Which ids revsync puts into a URL, and how: a domain rule, not an HTTP detail."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

SAFE_ID = re.compile(r"^(?!\.{1,2}$)[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}$")


def safe_id(value: Any) -> bool:
    """An id that cannot change the meaning of the URL it is put into."""
    return isinstance(value, str) and bool(SAFE_ID.match(value))


def quote_id(ident: str) -> str:
    return quote(ident, safe="")
