"""Commands that plan: open the session, start the reads, then load the manifests.

Reading Revenium is bound by its rate limit, loading the manifests by our CPU, so the two
overlap (`prefetch.reads_started`). Invalid manifests still end the command with exit 3
before anything is written; the reads under way are stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import click

from ..engine.live import LiveReads
from ..manifest.load import LoadResult
from ..prefetch import reads_started
from .common import Session, load_or_exit, open_session


@contextmanager
def planning(
    options: dict[str, Any], paths: tuple[str, ...], prune: bool
) -> Iterator[tuple[Session, LoadResult, LiveReads]]:
    """The session, the loaded manifests, and the live reads started before loading them."""
    if not paths:
        raise click.UsageError("give at least one manifest file or folder")
    with ExitStack() as stack:
        try:
            session = stack.enter_context(open_session(options))
        except Exception:
            load_or_exit(paths)  # manifest errors come first (exit 3), as without prefetch
            raise
        reads = stack.enter_context(reads_started(session.client, session.account, paths, prune))
        yield session, load_or_exit(paths), reads
