"""The HTTP client implements the engine's API port, with the port's exceptions."""

from __future__ import annotations


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
