"""A page of a list in creation (or id) order is read as one range of an index
(`Store.page_ids` -> `Store.rendered_span`): the range must hold that page's objects and
no other, whatever kinds and scopes lie between them."""

from __future__ import annotations

import pytest

from revsync.emulator.store import Store

VIEWER = "v"


@pytest.fixture
def store() -> Store:
    store = Store()
    # three kinds and scopes interleaved in creation order; ids not in creation order
    for n in range(30):
        kind, scope = [("thing", "T"), ("other", "T"), ("thing", "U")][n % 3]
        ident = f"{(n * 7) % 30:02d}{kind[0]}{scope}"
        store.insert(kind, scope, {"id": ident}, None)
        store.keep_rendered(VIEWER, [(ident, f'"{ident}"', set())])
    return store


@pytest.mark.parametrize("order", ["seq", "id"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("scopes", [("T",), ("T", "U")])
def test_a_span_holds_exactly_its_page(store: Store, order, descending, scopes) -> None:
    total, _, _ = store.page_ids("thing", scopes, 0, 1, order, descending)
    seen: list[str] = []
    for offset in range(0, total, 4):
        _, ids, span = store.page_ids("thing", scopes, offset, 4, order, descending)
        assert span is not None
        assert sorted(store.rendered_span(VIEWER, "thing", scopes, span)) == sorted(ids)
        assert store.rendered_texts(VIEWER, ids) == store.rendered_span(
            VIEWER, "thing", scopes, span
        )
        seen += ids
    assert len(seen) == total == 10 * len(scopes)
    assert len(set(seen)) == total


def test_an_order_by_a_column_that_is_not_unique_has_no_span(store: Store) -> None:
    assert store.page_ids("thing", ("T",), 0, 4, "name")[2] is None


def test_a_page_beyond_the_end_has_no_span(store: Store) -> None:
    assert store.page_ids("thing", ("T",), 100, 4) == (10, [], None)


def test_an_item_not_kept_for_the_viewer_is_missing_from_its_span(store: Store) -> None:
    _, ids, span = store.page_ids("thing", ("T",), 0, 4)
    store.update("thing", {"id": ids[1]}, None)  # drops its kept item
    assert sorted(store.rendered_span(VIEWER, "thing", ("T",), span)) == sorted(ids[:1] + ids[2:])
    assert store.rendered_span("another viewer", "thing", ("T",), span) == {}
