"""Paged lists, read so that a missing object can never be mistaken for an absent one.

A list answer is checked strictly before any of it is used (revenium-api.md §1.5): the
documented empty shapes stay valid (a page without `_embedded`, a bare `[]`), but anything
else that is not plainly a page of objects with ids, or whose `page` block disagrees with
itself or with what was asked, is an `ApiError`. Reading a list "fails closed": an object
skipped by a server that lies about its totals would look deleted, and be created twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine.api import ApiError

PAGE_SIZE = 100
MAX_PAGES = 10_000  # a million objects: far beyond any account, short of endless


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total_pages: int | None  # None: no `page` block (bare array or unpaged collection)
    total_elements: int | None
    size: int  # objects per full page, as the server applies it

    @property
    def ids(self) -> list[str]:
        return [item["id"] for item in self.items]


def _count(block: dict[str, Any], name: str, where: str, required: bool) -> int | None:
    value = block.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(f"{where}: inconsistent paging (page.{name} is {value!r})")
    return value


def _embedded_items(body: dict[str, Any], where: str) -> list[Any]:
    embedded = body.get("_embedded")
    if embedded is None:
        return []
    if not isinstance(embedded, dict):
        raise ApiError(f"{where}: unexpected list answer from Revenium: _embedded is not an object")
    arrays = [v for v in embedded.values() if isinstance(v, list)]
    if embedded and not arrays:
        raise ApiError(f"{where}: unexpected list answer from Revenium: no array in _embedded")
    return arrays[0] if arrays else []


def _check_items(items: list[Any], where: str) -> list[dict[str, Any]]:
    for item in items:
        if not isinstance(item, dict):
            raise ApiError(
                f"{where}: unexpected list answer from Revenium: an item is not an object"
            )
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            raise ApiError(
                f"{where}: Revenium listed an object without a usable id (id is {ident!r})"
            )
    return items


def parse_page(body: Any, where: str, number: int, size: int = PAGE_SIZE) -> Page:
    """Check one list answer for page `number` (of `size` objects) and return its objects."""
    if isinstance(body, list):
        items = _check_items(body, where)
        return Page(items, None, None, size)
    if not isinstance(body, dict):
        raise ApiError(f"{where}: unexpected list answer from Revenium: {type(body).__name__}")
    if "_embedded" not in body and "page" not in body:
        raise ApiError(f"{where}: not a list: the answer has neither _embedded nor a page block")
    items = _check_items(_embedded_items(body, where), where)
    block = body.get("page")
    if "page" not in body:
        return Page(items, None, None, size)
    if not isinstance(block, dict):
        raise ApiError(f"{where}: inconsistent paging (the page block is not an object)")
    pages = _count(block, "totalPages", where, True)
    assert pages is not None
    if pages > MAX_PAGES:
        raise ApiError(f"{where}: Revenium announces {pages} pages; refusing")
    total = _count(block, "totalElements", where, True)
    served = _count(block, "size", where, False) or size
    at = _count(block, "number", where, False)
    assert total is not None
    problem = _page_problem(len(items), number, at, served, size, pages, total)
    if problem:
        raise ApiError(f"{where}: inconsistent paging ({problem})")
    return Page(items, pages, total, served)


def _page_problem(
    count: int, number: int, at: int | None, served: int, asked: int, pages: int, total: int
) -> str | None:
    if at is not None and at != number:
        return f"asked for page {number}, got page {at}: the server ignores paging"
    if served > asked or count > served:
        return f"{count} objects in a page of {min(served, asked)}"
    if pages != math.ceil(total / served) and not (total == 0 and pages == 1):
        return f"{total} objects cannot fill {pages} pages of {served}"
    if number < pages - 1 and count != served:
        return f"page {number} is short ({count} of {served}) but {pages} pages are announced"
    if number == pages - 1 and total and count != total - number * served:
        return f"the last page has {count} objects, but {total} are announced in all"
    if number >= pages and count:
        return f"page {number} has objects, but only {pages} pages are announced"
    return None


def same_page_again(previous: Page, page: Page) -> bool:
    """A server that ignores `page` answers every page with the first one."""
    return bool(page.items) and page.ids == previous.ids


Fetch = Callable[[int], Any]


def follow(fetch: Fetch, where: str, first: Page) -> list[Page]:
    """The pages after an unpaged first answer: read while they come back full."""
    pages = [first]
    while len(pages[-1].items) >= first.size:
        if len(pages) >= MAX_PAGES:
            raise ApiError(f"{where}: more than {MAX_PAGES} pages; refusing")
        page = parse_page(fetch(len(pages)), where, len(pages), first.size)
        if same_page_again(pages[-1], page):
            raise ApiError(f"{where}: Revenium returned the same page again; it ignores paging")
        pages.append(page)
    return pages


def settle(pages: list[Page], where: str) -> tuple[list[dict[str, Any]], str | None]:
    """All objects of a full read, and why the read is not consistent (None when it is)."""
    items = [item for page in pages for item in page.items]
    unique = {item["id"]: item for item in items}
    totals = {(p.total_pages, p.total_elements) for p in pages if p.total_pages is not None}
    if len(totals) > 1:
        return items, "changed"
    if len(unique) != len(items):
        return items, "duplicates"
    if totals:
        _, total = next(iter(totals))
        if total != len(items):
            return items, f"Revenium announced {total} objects but returned {len(items)}"
    return items, None
