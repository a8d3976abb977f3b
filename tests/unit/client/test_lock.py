"""The per-account apply lock (revsync/lock.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from revsync.core.errors import RefusedError
from revsync.lock import LockHeld, LockUnusable, apply_lock, canonical_account, lock_dir


def test_one_account_has_one_key_whatever_the_spelling() -> None:
    spellings = [
        "http://localhost:8080/profitstream",
        "http://127.0.0.1:8080/profitstream/",
        "http://[::1]:8080/profitstream",
        "HTTP://LOCALHOST:8080/profitstream",
        "http://user:pw@localhost:8080/profitstream",
    ]
    assert len({canonical_account(url, "T1") for url in spellings}) == 1
    assert canonical_account("https://api.revenium.ai/profitstream", "T1") == (
        "https://api.revenium.ai:443/profitstream|T1"
    )
    assert canonical_account("https://api.revenium.ai:443/profitstream", "T1") == (
        canonical_account("https://api.revenium.ai/profitstream", "T1")
    )
    assert canonical_account("http://localhost:8080/a", "T1") != canonical_account(
        "http://localhost:8080/b", "T1"
    )
    assert canonical_account("http://localhost:8080/a", "T1") != canonical_account(
        "http://localhost:8080/a", "T2"
    )


def test_second_holder_is_refused_with_the_pid_and_the_file_is_removed(tmp_path: Path) -> None:
    with apply_lock("http://localhost:1/profitstream", "T", directory=tmp_path) as path:
        assert path is not None and path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with (
            pytest.raises(LockHeld, match=f"pid {os.getpid()}") as info,
            apply_lock("http://[::1]:1/profitstream", "T", directory=tmp_path),
        ):
            pass
        assert isinstance(info.value, RefusedError) and info.value.exit_code == 4
    assert not path.exists()
    with apply_lock("http://127.0.0.1:1/profitstream", "T", directory=tmp_path):
        pass  # free again


def test_a_symlink_in_place_of_the_lock_file_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("precious")
    with apply_lock("http://localhost:1", "T", directory=tmp_path) as path:
        pass
    assert path is not None
    path.symlink_to(target)
    with (
        pytest.raises(LockUnusable, match="cannot open the lock file"),
        apply_lock("http://localhost:1", "T", directory=tmp_path),
    ):
        pass
    assert target.read_text() == "precious"


def test_an_unsafe_directory_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with (
        pytest.raises(LockUnusable, match="writable by others"),
        apply_lock("http://localhost:1", "T", directory=shared),
    ):
        pass
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with (
        pytest.raises(LockUnusable, match="not a directory"),
        apply_lock("http://localhost:1", "T", directory=tmp_path / "link"),
    ):
        pass


def test_the_lock_lives_in_a_per_user_directory(tmp_path: Path) -> None:
    assert lock_dir({"XDG_RUNTIME_DIR": "/run/user/1000", "HOME": "/h"}) == Path(
        "/run/user/1000/revsync"
    )
    assert lock_dir({"HOME": "/h"}) == Path("/h/.cache/revsync/locks")
