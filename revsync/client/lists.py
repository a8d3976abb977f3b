"""Reading whole lists and looking objects up in them, on top of `ApiClient.request`."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..engine.api import ApiError, OnPage
from .paging import MAX_PAGES, PAGE_SIZE, Page, follow, parse_page, same_page_again, settle

LIST_ATTEMPTS = 3
WRONG_URL_HINT = (
    "Revenium has no such list here: --api-url / REVENIUM_API_URL may be wrong "
    "(it normally ends in /profitstream)."
)

Request = Callable[..., Any]


class Lists:
    def __init__(
        self, request: Request, pool: ThreadPoolExecutor, count: Callable[[str], None]
    ) -> None:
        self._request = request
        self._pool = pool
        self._count = count

    def _get(self, path: str, params: dict[str, Any], number: int) -> Any:
        try:
            return self._request("GET", path, {**params, "page": number, "size": PAGE_SIZE})
        except ApiError as exc:
            if exc.status == 404 and exc.hint is None:
                exc.hint = WRONG_URL_HINT
            raise

    def read_all(
        self, path: str, params: dict[str, Any], on_page: OnPage | None = None
    ) -> list[dict[str, Any]]:
        """Every item of a paged list, at 100 a page; pages after the first in parallel.

        A list that changes while it is read (totals differ between pages) is read again,
        because offset paging can then skip an object, and a skipped object would look
        missing and be created twice.
        """
        where = f"GET {path}"
        problem = ""
        for _ in range(LIST_ATTEMPTS):
            items, problem = settle(self._read_pages(path, params, on_page), where)
            if problem is None:
                return items
            self._count("list_rereads")
        if problem in ("changed", "duplicates"):
            raise ApiError(f"{where}: the list kept changing while it was read; try again")
        raise ApiError(f"{where}: inconsistent list ({problem})")

    def _read_pages(
        self, path: str, params: dict[str, Any], on_page: OnPage | None = None
    ) -> list[Page]:
        """The pages, each passed to `on_page` as it arrives while later ones are read."""
        where = f"GET {path}"
        first = parse_page(self._get(path, params, 0), where, 0)
        if first.total_pages is None:
            pages = follow(lambda n: self._get(path, params, n), where, first)
            for page in pages if on_page else ():
                on_page(page.items)
            return pages
        futures = [
            self._pool.submit(self._get, path, params, n) for n in range(1, first.total_pages)
        ]
        if on_page:
            on_page(first.items)
        pages = [first]
        for number, future in enumerate(futures, start=1):
            pages.append(parse_page(future.result(), where, number, first.size))
            if on_page:
                on_page(pages[-1].items)
        if len(pages) > 1 and same_page_again(pages[0], pages[1]):
            raise ApiError(f"{where}: Revenium returned the same page again; it ignores paging")
        return pages

    def find(
        self,
        path: str,
        field: str,
        value: str,
        params: dict[str, Any],
        casefold: bool,
        query: str | None,
    ) -> list[dict[str, Any]]:
        """Objects whose `field` equals `value`, read page by page from a list that may grow.

        Meant for recovering a create whose answer was lost while other objects are being
        created: no stable total is required; the scan follows the newest `totalPages` and
        reads on while pages come back full.
        `query` is sent as Revenium's free-text list filter (revenium-api.md §1.5) to read
        fewer pages; as its exact semantics are not documented, an empty filtered result
        is checked with a full scan. A scan during which the list shrank (an object may
        have moved to an earlier page) is repeated if it found nothing.
        """
        if query:
            found = self._scan(path, {**params, "query": query}, field, value, casefold)
            if found:
                return found
        return self._scan(path, params, field, value, casefold)

    def _scan(
        self, path: str, params: dict[str, Any], field: str, value: str, casefold: bool
    ) -> list[dict[str, Any]]:
        where = f"GET {path}"
        want = _normal(value, casefold)
        found: dict[str, dict[str, Any]] = {}
        for _ in range(LIST_ATTEMPTS):
            number, previous, shrank, total = 0, None, False, None
            while True:
                page = parse_page(self._get(path, params, number), where, number)
                if previous is not None and same_page_again(previous, page):
                    raise ApiError(f"{where}: Revenium returned the same page again")
                for item in page.items:
                    if _normal(item.get(field), casefold) == want:
                        found[item["id"]] = item
                if total is not None and page.total_elements is not None:
                    shrank = shrank or page.total_elements < total
                total = page.total_elements if page.total_elements is not None else total
                if _last(page, number):
                    break
                number, previous = number + 1, page
                if number >= MAX_PAGES:
                    raise ApiError(f"{where}: more than {MAX_PAGES} pages; refusing")
            if found or not shrank:
                break
        return list(found.values())


def _last(page: Page, number: int) -> bool:
    """A short page ends the scan; after a full one, objects may have been appended."""
    if page.total_pages is not None and number + 1 < page.total_pages:
        return False
    return len(page.items) < page.size


def _normal(value: Any, casefold: bool) -> Any:
    if casefold and isinstance(value, str):
        return value.casefold()
    return value
