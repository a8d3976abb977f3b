"""List pages, rendered fast enough for accounts of 100,000 objects.

Each object's list item is kept in the store as compact JSON (`Store.rendered_texts`),
rendered when the object is written or, failing that, when first listed, so a page read
even right after an emulator start costs a query and a join. The base URL of the links is
a placeholder there, replaced per request (items look the same whatever Host asked for
them). A rendering records what it looked at (`Ctx.deps`: embedded objects, lookups by
name, whole kinds); a write of any of those deletes the item, and the next read renders
it again. Rendering the items a page lacks looks up what they embed with one query per
referenced collection for the whole page, not a few queries per item.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..store import Account
    from .base import Collection, Ctx

# stands for the base URL in kept items; printable ASCII, so JSON leaves it as it is
BASE = "@@revsync-emulator-base@@"
_HREF = '"href":"' + BASE


def item_texts(ctx: Ctx, collection: Collection, idents: list[str]) -> list[str]:
    """The list items of these ids, in order; rendered (and kept) where none is kept."""
    texts = _kept(ctx, idents)
    missing = [i for i in idents if i not in texts]
    if missing:
        texts.update(_render(ctx, collection, ctx.store.by_ids(collection.kind, missing)))
    return [texts[i] for i in idents if i in texts]


def object_texts(ctx: Ctx, collection: Collection, objs: list[dict[str, Any]]) -> list[str]:
    """The list items of objects already read (filtered lists)."""
    texts = _kept(ctx, [o["id"] for o in objs])
    texts.update(_render(ctx, collection, [o for o in objs if o["id"] not in texts]))
    return [texts[o["id"]] for o in objs]


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


def _kept(ctx: Ctx, idents: list[str]) -> dict[str, str]:
    base = _base(ctx)
    kept = ctx.store.rendered_texts(viewer(ctx.account), idents)
    return {ident: text.replace(BASE, base) for ident, text in kept.items()}


def _base(ctx: Ctx) -> str:
    return json.dumps(ctx.base)[1:-1]  # as it stands inside a JSON string


def _render(ctx: Ctx, collection: Collection, objs: list[dict[str, Any]]) -> dict[str, str]:
    """Render `objs` for this request, and keep them with a placeholder base."""
    if not objs:
        return {}
    collection.prefetch(ctx, objs)
    placeholder = dataclasses.replace(ctx, base=BASE)
    base = _base(ctx)
    texts: dict[str, str] = {}
    keep: list[tuple[str, str, set[str]]] = []
    for obj in objs:
        placeholder.deps = set()
        text = _dumps(collection.listed(placeholder, obj))
        if text.count(BASE) == text.count(_HREF):
            keep.append((obj["id"], text, placeholder.deps))
            texts[obj["id"]] = text.replace(BASE, base)
        else:  # the placeholder is in the data itself: render for this request only
            texts[obj["id"]] = _dumps(collection.listed(ctx, obj))
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
