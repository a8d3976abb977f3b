"""Which object ids may go into a URL path, and how they are put there.

Revenium ids are opaque hashids. An id from an answer is used to build the next request's
path, so a hostile or broken server must not be able to steer that path (`..`, `/`, `?`).
This module imports nothing from revsync.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

SAFE_ID = re.compile(r"^(?!\.{1,2}$)[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}$")


def safe_id(value: Any) -> bool:
    """True when `value` is a string id that is safe to put in a URL path segment."""
    return isinstance(value, str) and bool(SAFE_ID.match(value))


def quote_id(ident: str) -> str:
    """`ident` as one path segment: every reserved character, `/` included, is escaped."""
    return quote(ident, safe="")
