"""The client depends on the API port and shared rules only, never on the engine's insides."""

from __future__ import annotations

import ast
from pathlib import Path

import revsync

ROOT = Path(revsync.__file__).parent
# revsync.errors is a leaf (it imports nothing) that carries the exit codes; the port's
# ApiError derives from it.
ALLOWED = ("revsync.core", "revsync.engine.api", "revsync.client")


def _imports(path: Path, package: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("revsync")}


def test_client_imports_only_core_and_the_api_port() -> None:
    for path in sorted((ROOT / "client").glob("*.py")):
        for name in _imports(path, "revsync.client"):
            assert name.startswith(ALLOWED), f"{path.name} imports {name}"


def test_core_ids_imports_nothing_from_revsync() -> None:
    assert _imports(ROOT / "core" / "ids.py", "revsync.core") == set()


def test_engine_does_not_import_the_concrete_client() -> None:
    for path in sorted((ROOT / "engine").glob("*.py")):
        for name in _imports(path, "revsync.engine"):
            assert not name.startswith("revsync.client"), f"engine/{path.name} imports {name}"


def test_api_error_and_ambiguous_keep_their_names_and_attributes() -> None:
    from revsync.client import http
    from revsync.engine.api import Ambiguous, ApiError

    assert http.ApiError is ApiError and http.Ambiguous is Ambiguous
    error = ApiError("m", 404, {"f": "x"}, "h")
    assert (error.message, error.status, error.details, error.hint) == ("m", 404, {"f": "x"}, "h")
    assert Ambiguous("lost").cause == "lost"


def test_ids_rules() -> None:
    from revsync.core.ids import quote_id, safe_id

    assert safe_id("JMwX9g4") and not safe_id("..") and not safe_id("a/b") and not safe_id(None)
    assert quote_id("a/b?c") == "a%2Fb%3Fc"


def test_api_client_implements_the_port() -> None:
    import inspect

    from revsync.client.http import ApiClient
    from revsync.engine.api import Api, ApiError, ApiUnreachable

    assert issubclass(ApiUnreachable, ApiError)
    for name, member in vars(Api).items():
        if inspect.isfunction(member) and not name.startswith("_"):
            wanted = inspect.signature(member)
            assert inspect.signature(getattr(ApiClient, name)) == wanted, name
