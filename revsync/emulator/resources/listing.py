"""List pages, rendered fast enough for accounts of 100,000 objects.

Each object's list item is kept in the store as compact JSON (`Store.rendered_texts`),
rendered when the object is written or, failing that, when first listed, so a page read
even right after an emulator start costs a query and a join (and a page read again before
the next write costs neither: the store's `memo` keeps it). The base URL of the links is
a placeholder there, replaced per request (items look the same whatever Host asked for
them). A rendering records what it looked at (`Ctx.deps`: embedded objects, lookups by
name, whole kinds); a write of any of those deletes the item, and the next read renders
it again. Rendering the items a page lacks looks up what they embed with one query per
referenced collection for the whole page, not a few queries per item.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store import Account, Span
    from .base import Collection, Ctx

# stands for the base URL in kept items; printable ASCII, so JSON leaves it as it is
BASE = "@@revsync-emulator-base@@"
_HREF = '"href":"' + BASE


def page_texts(
    ctx: Ctx, collection: Collection, page: int, size: int, order: str, descending: bool
) -> tuple[int, list[str]]:
    """The total and one page of an unfiltered list, as `item_texts`."""
    scopes = collection.read_scopes(ctx)
    total, ids, span = ctx.store.page_ids(
        collection.kind, scopes, page * size, size, order, descending
    )
    return total, item_texts(ctx, collection, ids, span)


def read_ahead(
    ctx: Ctx, collection: Collection, page: int, size: int, order: str, descending: bool
) -> Callable[[], None] | None:
    """Prepare a page before it is asked for: a plan reads every page of a list, and the
    emulator renders the next one while the client is still reading this one (run once
    the answer is sent, in a transaction of its own: writes may have come in between).
    Best effort: the request for that page does the same work, and answers any error.
    None when there is no such page or it is prepared already."""
    scopes = collection.read_scopes(ctx)
    _, ids, _ = ctx.store.page_ids(collection.kind, scopes, page * size, size, order, descending)
    if not ids or _page_key(ctx, collection, ids) in ctx.store.memo:
        return None
    fresh = dataclasses.replace(ctx, prefetched={}, deps=None)  # nothing from the request

    def prepare() -> None:
        with contextlib.suppress(Exception), ctx.store.transaction():
            page_texts(fresh, collection, page, size, order, descending)

    return prepare


def _page_key(ctx: Ctx, collection: Collection, idents: list[str]) -> tuple:
    return ("page", viewer(ctx.account), ctx.base, collection.kind, tuple(idents))


def item_texts(
    ctx: Ctx,
    collection: Collection,
    idents: list[str],
    span: Span | None = None,
) -> list[str]:
    """The list items of these ids, in order, as one text (or none); rendered (and kept)
    where none is kept. `span`: where the page's ids lie in an index (`Store.page_ids`),
    read as one range. A page read again before the next write comes from memory."""
    key = _page_key(ctx, collection, idents)
    if key in ctx.store.memo:  # the store empties its memo on every write
        return ctx.store.memo[key]
    if span is None:
        texts = ctx.store.rendered_texts(viewer(ctx.account), idents)
    else:
        scopes = collection.read_scopes(ctx)
        texts = ctx.store.rendered_span(viewer(ctx.account), collection.kind, scopes, span)
    missing = [i for i in idents if i not in texts]
    if missing:
        texts.update(_render(ctx, collection, ctx.store.by_ids(collection.kind, missing)))
    joined = ctx.store.memo[key] = _joined(ctx, [texts[i] for i in idents if i in texts])
    return joined


def object_texts(ctx: Ctx, collection: Collection, objs: list[dict[str, Any]]) -> list[str]:
    """The list items of objects already read (filtered lists), as `item_texts`."""
    texts = ctx.store.rendered_texts(viewer(ctx.account), [o["id"] for o in objs])
    texts.update(_render(ctx, collection, [o for o in objs if o["id"] not in texts]))
    return _joined(ctx, [texts[o["id"]] for o in objs])


def keep_written(ctx: Ctx, collection: Collection, obj: dict[str, Any]) -> None:
    """Render the list item of an object just written, so that no read has to."""
    fresh = dataclasses.replace(ctx, prefetched={})  # a write never renders from a read's
    _render(fresh, collection, [obj])


@functools.lru_cache(maxsize=64)
def viewer(account: Account) -> str:
    """Whom kept items were rendered for: they show the account's team and owner."""
    fields = (account.api_key, account.team_id, account.tenant_id, account.owner_id)
    text = json.dumps([*fields, account.team_name])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class _AsIs(str):
    """An item rendered for this request only, with its base URL in place."""


def _joined(ctx: Ctx, texts: list[str]) -> list[str]:
    """Join the items, the placeholder replaced once for the page, not once per item."""
    base = json.dumps(ctx.base)[1:-1]  # as it stands inside a JSON string
    parts: list[str] = []
    run: list[str] = []
    for text in [*texts, None]:
        if text is None or isinstance(text, _AsIs):
            if run:
                parts.append(",".join(run).replace(BASE, base))
                run = []
            if text is not None:
                parts.append(text)
        else:
            run.append(text)
    return [",".join(parts)] if parts else []


def _render(ctx: Ctx, collection: Collection, objs: list[dict[str, Any]]) -> dict[str, str]:
    """Render `objs` and keep them; ids -> texts with the placeholder base."""
    if not objs:
        return {}
    collection.prefetch(ctx, objs)
    placeholder = dataclasses.replace(ctx, base=BASE)
    texts: dict[str, str] = {}
    keep: list[tuple[str, str, set[str]]] = []
    for obj in objs:
        placeholder.deps = set()
        text = _dumps(collection.listed(placeholder, obj))
        if text.count(BASE) == text.count(_HREF):
            keep.append((obj["id"], text, placeholder.deps))
            texts[obj["id"]] = text
        else:  # the placeholder is in the data itself: render for this request only
            texts[obj["id"]] = _AsIs(_dumps(collection.listed(ctx, obj)))
    ctx.store.keep_rendered(viewer(ctx.account), keep)
    return texts


def _dumps(item: dict[str, Any]) -> str:
    return json.dumps(item, separators=(",", ":"))


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
