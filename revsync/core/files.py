"""Writing a file whole or not at all: a full disk or a killed run never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import RevsyncError


def write_atomic(path: str | Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`."""
    target = Path(path)
    if target.is_dir():
        raise RevsyncError(f"cannot write {target}: it is a folder")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise RevsyncError(f"cannot write {target}: {_why(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise RevsyncError(f"cannot write {target}: {_why(exc)}; it was left unchanged") from None


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
