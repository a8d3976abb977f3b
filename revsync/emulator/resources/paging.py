"""Spring-style paging: `page`/`size`/`sort` parameters and the HATEOAS PagedModel (§1.5)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ApiError

if TYPE_CHECKING:
    from .base import Ctx

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100


def paging(params: dict[str, str]) -> tuple[int, int]:
    try:
        page = int(params.get("page", "0"))
        size = int(params.get("size", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        raise ApiError(
            400, "page and size must be integers", {"page": "must be an integer"}
        ) from None
    if page < 0 or size < 1:
        raise ApiError(400, "page must be >= 0 and size >= 1", {"page": "out of range"})
    return page, min(size, MAX_PAGE_SIZE)


def sorting(params: dict[str, str], default: str) -> tuple[str, bool]:
    raw = params.get("sort")
    if not raw:
        return default, False
    field, _, direction = raw.partition(",")
    return field or default, direction.upper() == "DESC"


def paged(
    ctx: Ctx, embedded: str, items: list[dict[str, Any]], page: int, size: int, total: int
) -> dict[str, Any]:
    pages = math.ceil(total / size) if total else 0
    here = f"{ctx.base}{ctx.path}"

    def link(number: int) -> dict[str, str]:
        params = {k: v for k, v in ctx.params.items() if k not in ("page", "size")}
        params.update(page=str(number), size=str(size))
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return {"href": f"{here}?{query}"}

    links: dict[str, Any] = {"self": link(page)}
    if pages:
        links["first"] = link(0)
        links["last"] = link(pages - 1)
    if page + 1 < pages:
        links["next"] = link(page + 1)
    if page > 0:
        links["prev"] = link(page - 1)
    body: dict[str, Any] = {}
    if items:
        body["_embedded"] = {embedded: items}
    body["_links"] = links
    body["page"] = {"size": size, "totalElements": total, "totalPages": pages, "number": page}
    return body


@dataclass(frozen=True)
class Prerendered:
    """A response body already serialised (compact JSON), sent as it is; `after`: work
    for a request likely to follow, run once this answer is sent (`listing.read_ahead`)."""

    text: str
    after: Callable[[], None] | None = field(default=None, compare=False)


def paged_text(
    ctx: Ctx,
    embedded: str,
    items: list[str],
    page: int,
    size: int,
    total: int,
    after: Callable[[], None] | None = None,
) -> Prerendered:
    """`paged` with items given as compact JSON texts, spliced in without parsing them
    again: the same bytes `json.dumps(paged(...), separators=(",", ":"))` would give."""
    rest = json.dumps(paged(ctx, embedded, [], page, size, total), separators=(",", ":"))
    if not items:
        return Prerendered(rest, after)
    head = '{"_embedded":{' + json.dumps(embedded) + ":["
    # one copy of the (large) items, not one per `+`
    return Prerendered("".join((head, ",".join(items), "]},", rest[1:])), after)
