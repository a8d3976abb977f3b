"""Delete conflicts, declared by the collection that holds the reference.

A referring collection lists, per target kind, the field paths where it keeps the
target's id (`blocks_delete_of`). Deleting a target that some object still points at
answers 409, so a new kind adds its rule in its own module, never in the target's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import conflict

if TYPE_CHECKING:
    from .base import Ctx


def values_at(obj: Any, path: str) -> Iterator[Any]:
    """Every value at a dotted path; lists met on the way (or at the end) are flattened."""
    if isinstance(obj, list):
        for item in obj:
            yield from values_at(item, path)
        return
    if not isinstance(obj, dict):
        return
    head, _, rest = path.partition(".")
    value = obj.get(head)
    if rest:
        yield from values_at(value, rest)
    elif isinstance(value, list):
        yield from value
    elif value is not None:
        yield value


def refuse_if_referenced(ctx: Ctx, kind: str, target: dict[str, Any]) -> None:
    """409 when an object of any collection still refers to `target` (of `kind`)."""
    ident = target["id"]
    blocking: list[str] = []
    for collection in ctx.registry.values():
        paths = collection.blocks_delete_of.get(kind)
        if not paths:
            continue
        scopes = collection.read_scopes(ctx)
        users = [
            o
            for o in ctx.store.all(collection.kind, scopes)
            if any(ident in values_at(o, p) for p in paths)
        ]
        if users:
            blocking.append(f"{len(users)} {collection.noun}(s)")
    if blocking:
        title = ctx.collection(kind).title
        raise conflict(f"{title} {ident} is still used by {', '.join(blocking)}")
