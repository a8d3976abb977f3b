from ..e2e.conftest import env, revsync, write  # noqa: F401  (shared fixtures)
