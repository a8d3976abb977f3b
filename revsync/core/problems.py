"""A problem found in the manifests or the plan, printed as `file:line:col: kind/name: message`.

Problems carry a code and a severity so callers decide by data, never by matching text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .location import Location

ERROR = "error"
WARNING = "warning"
NOTE = "note"


@dataclass
class Problem:
    """One validation error, printed as `file:line:col: kind/name: message`."""

    message: str
    location: Location | None = None
    address: str | None = None  # kind/name
    code: str = ""  # e.g. "ref.not-in-manifests": what callers filter on
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        what = f"{self.address}: " if self.address else ""
        return f"{where}{what}{self.message}"

    def sort_key(self) -> tuple:
        loc = self.location or Location("", 0, 0)
        return (loc.file, loc.line, loc.col, self.message)

    def as_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.col if loc else None,
            "object": self.address,
            "message": self.message,
        }
