"""Lists fail closed: anything that is not plainly a consistent page of objects is an error."""

from __future__ import annotations

import httpx
import pytest

from revsync.client.http import ApiClient, ApiError

from .server import client


def mock(handler) -> ApiClient:
    return client("https://api.example/profitstream", transport=httpx.MockTransport(handler))


def page(ids: list[str], total: int, pages: int, number: int | None = None) -> dict:
    block = {"totalPages": pages, "totalElements": total, "size": 100}
    if number is not None:
        block["number"] = number
    return {"_embedded": {"xList": [{"id": i, "name": i} for i in ids]}, "page": block}


FULL = [f"a{i}" for i in range(100)]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"page": {"totalPages": 0, "totalElements": 0, "size": 100, "number": 0}},
        {"_embedded": {}, "page": {"totalPages": 0, "totalElements": 0}},
        {"_embedded": {"xList": []}},
    ],
)
def test_documented_empty_shapes_are_empty_lists(body) -> None:
    assert mock(lambda r: httpx.Response(200, json=body)).list_all("/v2/api/x", {}) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "not a list"),
        ({"content": []}, "not a list"),
        ({"_embedded": 5}, "_embedded is not an object"),
        ({"_embedded": {"xList": "a"}}, "no array in _embedded"),
        ({"_embedded": {"x": [{"name": "no id"}]}}, "without a usable id"),
        ({"_embedded": {"x": [{"id": None}]}}, "without a usable id"),
        ({"_embedded": {"x": [{"id": 7}]}}, "without a usable id"),
        ({"_embedded": {"x": []}, "page": "big"}, "page block is not an object"),
        ({"_embedded": {"x": []}, "page": {"totalPages": "1"}}, "totalPages"),
        ({"_embedded": {"x": []}, "page": {"totalPages": 1, "totalElements": -1}}, "total"),
        ({"_embedded": {"x": []}, "page": {"totalPages": True, "totalElements": 0}}, "total"),
        (page(["a", "b"], 5, 1), "the last page has 2 objects, but 5"),
        (page(["a"], 1, 1, number=3), "ignores paging"),
        (page(["a"] * 101, 101, 2), "101 objects in a page of 100"),
        (page(["a"], 1, 5), "cannot fill 5 pages"),
    ],
)
def test_malformed_envelopes_are_errors(body, message: str) -> None:
    with pytest.raises(ApiError, match=message):
        mock(lambda r: httpx.Response(200, json=body)).list_all("/v2/api/x", {})


def test_a_server_that_ignores_page_is_caught() -> None:
    bare = mock(lambda r: httpx.Response(200, json=[{"id": i} for i in FULL]))
    with pytest.raises(ApiError, match="same page again"):
        bare.list_all("/v2/api/x", {})
    paged = mock(lambda r: httpx.Response(200, json=page(FULL, 200, 2)))
    with pytest.raises(ApiError, match=r"same page again|ignores paging"):
        paged.list_all("/v2/api/x", {})


def test_totals_that_count_objects_not_in_the_answer_are_errors() -> None:
    def lying(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        return httpx.Response(200, json=page(FULL if number == 0 else ["b"], 150, 2, number))

    with pytest.raises(ApiError, match="the last page has 1 objects, but 150"):
        mock(lying).list_all("/v2/api/x", {})


def test_find_by_key_follows_a_list_that_grows_between_pages() -> None:
    """The lost create ("target") appears, with others, while the lookup reads page 0."""
    state = {"ids": list(FULL), "reads": 0}

    def growing(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        ids = state["ids"]
        chunk = ids[number * 100 : (number + 1) * 100]
        body = page(chunk, len(ids), (len(ids) + 99) // 100, number)
        state["reads"] += 1
        if number == 0:  # creates by other workers land after this page was served
            state["ids"] = ids + [f"n{i}" for i in range(150)] + ["Target"]
        return httpx.Response(200, json=body)

    c = mock(growing)
    found = c.find_by_key("/v2/api/x", "name", "target", casefold=True)
    assert [o["id"] for o in found] == ["Target"]
    assert c.find_by_key("/v2/api/x", "name", "target") == []  # exact match by default


def test_find_by_key_uses_the_server_filter_then_checks_without_it() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        query = request.url.params.get("query")
        seen.append(query)
        ids = [] if query else ["a", "b"]  # a filter that does not match this field
        return httpx.Response(200, json=page(ids, len(ids), 1 if ids else 0, 0))

    found = mock(handler).find_by_key("/v2/api/x", "name", "b", query="b")
    assert [o["id"] for o in found] == ["b"] and seen == ["b", None]
