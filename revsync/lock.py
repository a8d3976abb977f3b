"""One apply per Revenium account on this machine at a time.

The lock is keyed on the account as the API names it: the canonical API URL (scheme, host,
port, path; `localhost`, `127.0.0.1` and `[::1]` are one host) plus the team id, so two
spellings of one URL cannot run two applies at once. The lock file lives in a per-user
directory (`$XDG_RUNTIME_DIR/revsync`, else `~/.cache/revsync/locks`), is opened without
following symlinks, with mode 0600, must belong to the current user, holds the pid of its
holder, and is removed when released.

POSIX only (`fcntl.flock`). On Windows no lock is taken and only the plan's freshness check
guards concurrent applies; `filelock` would add one, at the cost of a dependency.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

from .core.errors import RefusedError, RevsyncError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOOPBACK = {"localhost", "127.0.0.1", "::1", "localhost.localdomain", "ip6-localhost"}
DEFAULT_PORTS = {"http": 80, "https": 443}
ACQUIRE_ATTEMPTS = 5


class LockHeld(RefusedError):
    """Another revsync apply holds the account's lock (exit 4)."""


class LockUnusable(RevsyncError):
    """The lock cannot be taken safely: foreign owner, symlink, unsafe directory (exit 1)."""


def canonical_account(api_url: str, team_id: str) -> str:
    """`scheme://host:port/path|team` with loopback names unified and credentials dropped."""
    parts = urlsplit(api_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host in LOOPBACK or host.startswith("127."):
        host = "127.0.0.1"
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    host = f"[{host}]" if ":" in host else host
    path = parts.path.rstrip("/") or "/profitstream"
    return f"{scheme}://{host}:{port}{path}|{team_id.strip()}"


def lock_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_absolute():
        return Path(runtime) / "revsync"
    return Path(env.get("HOME") or Path.home()) / ".cache" / "revsync" / "locks"


def _safe_directory(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(directory)
    except OSError as exc:
        raise LockUnusable(
            f"cannot create the lock directory {directory}: {exc.strerror}"
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise LockUnusable(f"the lock directory {directory} is not a directory (a symlink?)")
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise LockUnusable(
            f"the lock directory {directory} belongs to another user or is writable by others"
        )


def _open(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        raise LockUnusable(f"cannot open the lock file {path}: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
        os.close(fd)
        raise LockUnusable(f"the lock file {path} is not a file of yours; remove it")
    return fd


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "?"
    return text if text.isdigit() else "?"


def _acquire(path: Path) -> int:
    """An fd holding the lock on the file currently at `path` (not an unlinked one)."""
    for _ in range(ACQUIRE_ATTEMPTS):
        fd = _open(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise LockHeld(
                f"another revsync apply (pid {holder}) is running against this account",
                "Wait for it to finish, then plan again.",
            ) from None
        try:
            same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # its holder removed it as we opened it: take the new one
    raise LockHeld("the account's lock keeps changing hands", "Try again.")


@contextmanager
def apply_lock(
    api_url: str, team_id: str, *, directory: Path | None = None
) -> Iterator[Path | None]:
    """Hold the account's apply lock for the block; yields the lock file (None: no lock).

    Raises `LockHeld` when another process holds it and `LockUnusable` when it cannot be
    taken safely. Compatible with `workflow.account_lock(api_url, team_id)`.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield None
        return
    directory = directory or lock_dir()
    _safe_directory(directory)
    digest = hashlib.sha256(canonical_account(api_url, team_id).encode()).hexdigest()[:24]
    path = directory / f"apply-{digest}.lock"
    fd = _acquire(path)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        with suppress(OSError):
            path.unlink()
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
