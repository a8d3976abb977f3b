"""List pages, rendered fast enough for accounts of 100,000 objects.

A page's items are rendered once and kept as compact JSON in the store's `memo` (emptied
by every write), so a page read again costs a slice and a join. Rendering the items a page
lacks looks up what they embed (references, subscribers by email) with one query per
referenced collection for the whole page, not a few queries per item.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import Collection, Ctx


def item_texts(ctx: Ctx, collection: Collection, idents: list[str]) -> list[str]:
    """The rendered list items of these ids, in order, from the memo where it has them."""
    memo = _memo(ctx, collection)
    missing = [i for i in idents if i not in memo]
    if missing:
        _render_into(ctx, collection, ctx.store.by_ids(collection.kind, missing), memo)
    return [memo[i] for i in idents if i in memo]


def object_texts(ctx: Ctx, collection: Collection, objs: list[dict[str, Any]]) -> list[str]:
    """The rendered list items of objects already read (filtered lists)."""
    memo = _memo(ctx, collection)
    _render_into(ctx, collection, [o for o in objs if o["id"] not in memo], memo)
    return [memo[o["id"]] for o in objs]


def _memo(ctx: Ctx, collection: Collection) -> dict[str, str]:
    # an item's rendering depends on the account (team name) and on the URL it was asked by
    key = ("rendered", ctx.account.api_key, ctx.base, collection.kind)
    return ctx.store.memo.setdefault(key, {})


def _render_into(
    ctx: Ctx, collection: Collection, objs: list[dict[str, Any]], memo: dict[str, str]
) -> None:
    if not objs:
        return
    collection.prefetch(ctx, objs)
    for obj in objs:
        memo[obj["id"]] = json.dumps(collection.listed(ctx, obj), separators=(",", ":"))


def prefetch_refs(ctx: Ctx, kind: str, idents: set[str]) -> None:
    """Read the fields `ref` embeds for many objects of one kind at once."""
    wanted = {i for i in idents if isinstance(i, str) and (kind, i) not in ctx.prefetched}
    if not wanted:
        return
    collection = ctx.collection(kind)
    names = (collection.label_field, "created", "updated")
    found = ctx.store.fields_of_many(kind, wanted, names)
    for ident in wanted:
        ctx.prefetched[(kind, ident)] = found.get(ident)
