"""Helpers for end-to-end tests (the fixtures live in tests/conftest.py)."""

from ..conftest import WEBHOOK, Result, last_seq, writes

__all__ = ["WEBHOOK", "Result", "last_seq", "writes"]
