"""The emulated collections, found by scanning this package.

A module here serves collections when it defines `COLLECTIONS`: a sequence of
`Collection` subclasses. Modules without it (shared code, enums, rules) are skipped, so
adding a kind means adding one module and editing nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Collection


def discover() -> list[Collection]:
    """One instance of every collection declared by a module of this package, by name."""
    found: list[Collection] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(cls() for cls in getattr(module, "COLLECTIONS", ()))
    kinds = [c.kind for c in found]
    duplicates = sorted({k for k in kinds if kinds.count(k) > 1})
    if duplicates:
        raise RuntimeError(f"emulator collections declared twice: {', '.join(duplicates)}")
    return found
