"""What every emulated collection shares: scoping, paging, rendering, CRUD.

Objects are stored in their *write* shape (flat ids) plus server fields, and rendered in
the *read* shape (nested `{id,label,resourceType,...}` refs, `label`, `_links`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ApiError, bad_request, forbidden, not_found
from ..ids import IdGenerator, decodable
from ..store import Account, Store
from ..validation import F, check
from .listing import keep_written, object_texts, page_texts, prefetch_refs, read_ahead
from .paging import paged_text, paging, sorting
from .references import refuse_if_referenced

Handler = Callable[["Ctx", dict[str, str], Any], tuple[int, Any]]


@dataclass
class Ctx:
    store: Store
    account: Account
    ids: IdGenerator
    now: str
    base: str  # e.g. http://127.0.0.1:8080/profitstream
    params: dict[str, str]
    path: str
    registry: dict[str, Collection]
    # what a list page's rendering looked up in bulk beforehand (listing.py); only a
    # read fills it, so a write never renders from it
    prefetched: dict[Any, Any] = field(default_factory=dict)
    # while a list item is rendered to be kept: what it looked at (listing.py)
    deps: set[str] | None = None

    def depends_on(self, key: str) -> None:
        """The item being rendered shows `key` (an id, `name_dep(...)`, `kind:<kind>`)."""
        if self.deps is not None:
            self.deps.add(key)

    def collection(self, kind: str) -> Collection:
        return self.registry[kind]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str  # after /profitstream/v2/api, with {name} placeholders
    handler: Handler


class Collection:
    kind = ""  # storage kind
    segment = ""  # URL path after /v2/api/
    embedded = ""  # key under _embedded in list pages
    resource_type = ""
    title = ""  # for messages: "Product with id X not found"
    scope = "team"  # team | tenant
    label_field = "name"
    specs: dict[str, F] = {}
    write_only: frozenset[str] = frozenset()
    flat_refs: dict[str, tuple[str, str]] = {}  # write field -> (read field, kind)
    flat_ref_lists: dict[str, tuple[str, str]] = {}
    default_sort = "seq"
    create_requires_scope = True
    # target kind -> field paths (dotted; lists flattened) that hold the target's id here;
    # deleting a target still referred to answers 409 (see references.py)
    blocks_delete_of: dict[str, tuple[str, ...]] = {}
    noun = ""  # how a 409 message counts objects of this collection
    unknown_id_status = 404  # some platform services answer 403 for unknown ids (§6.3)
    # some answer 403 for a deleted (or another team's) id and something else for an id
    # that never existed (tools 500, cost controls 400: revenium-api-more.md §2, §4)
    deleted_id_status: int | None = None

    # routing -------------------------------------------------------------------------
    def routes(self) -> list[Route]:
        base = self.segment
        return [
            Route("GET", base, lambda c, p, b: self.list(c)),
            Route("POST", base, lambda c, p, b: self.create(c, b)),
            Route("GET", base + "/{id}", lambda c, p, b: self.get(c, p["id"])),
            Route("PUT", base + "/{id}", lambda c, p, b: self.replace(c, p["id"], b)),
            Route("DELETE", base + "/{id}", lambda c, p, b: self.delete(c, p["id"])),
        ]

    # scoping -------------------------------------------------------------------------
    def scope_value(self, account: Account) -> str:
        return account.team_id if self.scope == "team" else account.tenant_id

    def read_scopes(self, ctx: Ctx) -> tuple[str, ...]:
        return (self.scope_value(ctx.account),)

    def check_team_param(self, ctx: Ctx, required: bool) -> None:
        """`teamId` (or `tenantId` for tenant-level collections) must name the key's team."""
        team = ctx.params.get("teamId")
        tenant = ctx.params.get("tenantId")
        if self.scope == "tenant":
            if tenant is None and team is None:
                if required:
                    raise missing_param("tenantId")
                return
            if tenant is not None and tenant != ctx.account.tenant_id:
                raise forbidden(f"Access denied for tenant {tenant}")
            if team is not None and team != ctx.account.team_id:
                raise forbidden(f"Access denied for team {team}")
            return
        if team is None:
            if required:
                raise missing_param("teamId")
            return
        if team != ctx.account.team_id:
            raise forbidden(f"Access denied for team {team}")

    def body_scope(self, ctx: Ctx, body: dict[str, Any]) -> None:
        """On create/update the team (or tenant) comes from the body or the query string."""
        field = "teamId" if self.scope == "team" else "tenantId"
        value = body.get(field)
        if value is None and self.scope == "tenant":
            value = ctx.params.get("tenantId") or body.get("teamId") or ctx.params.get("teamId")
            if value == ctx.account.team_id:
                value = ctx.account.tenant_id
        elif value is None:
            value = ctx.params.get(field)
        if value is None:
            if self.create_requires_scope:
                raise bad_request({field: "must not be null"})
            return
        if not isinstance(value, str) or value != self.scope_value(ctx.account):
            raise forbidden(f"Access denied for {field} {value}")

    def load(self, ctx: Ctx, ident: str) -> dict[str, Any]:
        if not decodable(ident):
            raise ApiError(400, f"failed to decode hashed id: {ident}")
        found = ctx.store.get(self.kind, ident)
        if found is not None and found[0] in self.read_scopes(ctx):
            return found[1]
        seen = found is not None or ctx.store.meta(self._tombstone(ident))
        if self.unknown_id_status == 403 or (seen and self.deleted_id_status == 403):
            raise forbidden(f"Access denied to {self.title} with id {ident}")
        raise self.unknown_id_error(ident)

    def unknown_id_error(self, ident: str) -> ApiError:
        """The answer for an id that never existed."""
        return not_found(self.title, ident)

    def _tombstone(self, ident: str) -> str:
        return f"deleted:{self.kind}:{ident}"

    # CRUD -----------------------------------------------------------------------------
    def list(self, ctx: Ctx) -> tuple[int, Any]:
        self.check_team_param(ctx, required=True)
        page, size = paging(ctx.params)
        scopes = self.read_scopes(ctx)
        sort_field, descending = sorting(ctx.params, self.default_sort)
        after = None
        if self.has_filters(ctx):
            items = [o for o in ctx.store.all(self.kind, scopes) if self.matches(ctx, o)]
            if sort_field != "seq":
                items.sort(key=lambda o: str(o.get(sort_field) or ""), reverse=descending)
            total = len(items)
            texts = object_texts(ctx, self, items[page * size : (page + 1) * size])
        else:
            total, texts = page_texts(ctx, self, page, size, sort_field, descending)
            after = read_ahead(ctx, self, page + 1, size, sort_field, descending)
        return 200, paged_text(ctx, self.embedded, texts, page, size, total, after)

    def has_filters(self, ctx: Ctx) -> bool:
        return bool(ctx.params.get("query"))

    def matches(self, ctx: Ctx, obj: dict[str, Any]) -> bool:
        query = (ctx.params.get("query") or "").lower()
        return not query or query in str(obj.get(self.label_field) or "").lower()

    def get(self, ctx: Ctx, ident: str) -> tuple[int, Any]:
        self.check_team_param(ctx, required=False)
        return 200, self.render(ctx, self.load(ctx, ident))

    def create(self, ctx: Ctx, body: Any) -> tuple[int, Any]:
        body = require_object(body)
        self.body_scope(ctx, body)
        obj = self.accept(ctx, body, existing=None)
        obj["id"] = new_id(ctx)
        obj["created"] = obj["updated"] = ctx.now
        self.server_fields(ctx, obj, existing=None)
        ctx.store.insert(self.kind, self.scope_value(ctx.account), obj, self.name_of(obj))
        keep_written(ctx, self, obj)
        return 200, self.render(ctx, obj)

    def replace(self, ctx: Ctx, ident: str, body: Any) -> tuple[int, Any]:
        self.check_team_param(ctx, required=False)
        existing = self.load(ctx, ident)
        body = require_object(body)
        if body.get("teamId") is not None or body.get("tenantId") is not None:
            self.body_scope(ctx, body)
        obj = self.accept(ctx, body, existing=existing)
        obj["id"] = existing["id"]
        obj["created"] = existing["created"]
        obj["updated"] = ctx.now
        self.server_fields(ctx, obj, existing=existing)
        ctx.store.update(self.kind, obj, self.name_of(obj))
        keep_written(ctx, self, obj)
        return 200, self.render(ctx, obj)

    def delete(self, ctx: Ctx, ident: str) -> tuple[int, Any]:
        self.check_team_param(ctx, required=False)
        obj = self.load(ctx, ident)
        refuse_if_referenced(ctx, self.kind, obj)
        self.before_delete(ctx, obj)
        ctx.store.delete(self.kind, ident)
        if self.deleted_id_status is not None:
            ctx.store.set_meta(self._tombstone(ident), "1")
        return 200, {
            "id": ident,
            "message": "Deleted",
            "resourceType": self.resource_type,
            "created": obj.get("created"),
            "updated": ctx.now,
            "_links": {"self": {"href": self.href(ctx, ident)}},
        }

    # hooks ----------------------------------------------------------------------------
    def accept(self, ctx: Ctx, body: dict[str, Any], existing: dict | None) -> dict[str, Any]:
        """Validate a write body; return the object to store (PUT: unsent fields become null)."""
        errors: dict[str, str] = {}
        clean = check(self.specs, body, errors)
        if not errors:
            self.validate(ctx, clean, errors, existing)
        if errors:
            raise bad_request(errors)
        clean.pop("teamId", None)
        clean.pop("tenantId", None)
        return clean

    def validate(
        self, ctx: Ctx, obj: dict[str, Any], errors: dict[str, str], existing: dict | None
    ) -> None:
        """Referential and cross-field rules; add to `errors`."""

    def server_fields(self, ctx: Ctx, obj: dict[str, Any], existing: dict | None) -> None:
        """Fields the server owns (defaults, counters)."""

    def before_delete(self, ctx: Ctx, obj: dict[str, Any]) -> None:
        """Other refusals of a delete; references are `blocks_delete_of` on the referrer."""

    def seed(self, store: Store, ids: IdGenerator) -> None:
        """Objects the platform has before any client writes (e.g. a GLOBAL catalog)."""

    def name_of(self, obj: dict[str, Any]) -> str | None:
        return obj.get(self.label_field)

    def listed(self, ctx: Ctx, obj: dict[str, Any]) -> dict[str, Any]:
        """An object as a list page shows it (some collections add to `render`)."""
        return self.render(ctx, obj)

    def prefetch(self, ctx: Ctx, objs: list[dict[str, Any]]) -> None:
        """Look up in bulk what rendering `objs` embeds (see `ref`)."""
        for key, (_, kind) in self.flat_refs.items():
            prefetch_refs(ctx, kind, {o.get(key) for o in objs} - {None})
        for key, (_, kind) in self.flat_ref_lists.items():
            prefetch_refs(ctx, kind, {i for o in objs for i in o.get(key) or []})

    # rendering ------------------------------------------------------------------------
    def href(self, ctx: Ctx, ident: str) -> str:
        return f"{ctx.base}/v2/api/{self.segment}/{ident}"

    @functools.cached_property
    def _special(self) -> frozenset[str]:
        return frozenset(self.write_only) | set(self.flat_refs) | set(self.flat_ref_lists)

    @functools.cached_property
    def _arrays(self) -> frozenset[str]:
        return frozenset(k for k, spec in self.specs.items() if spec.type == "array")

    def render(self, ctx: Ctx, obj: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        special, arrays = self._special, self._arrays
        for key, value in obj.items():
            if key in special:
                if key in self.flat_refs:
                    read_field, kind = self.flat_refs[key]
                    out[read_field] = ref(ctx, kind, value)
                elif key in self.flat_ref_lists:
                    read_field, kind = self.flat_ref_lists[key]
                    out[read_field] = [ref(ctx, kind, v) for v in value or []]
                continue  # write-only fields are never returned
            out[key] = [] if value is None and key in arrays else value
        out["label"] = obj.get(self.label_field)
        out["resourceType"] = self.resource_type
        out.update(self.scope_refs(ctx))
        out["_links"] = {"self": {"href": self.href(ctx, obj["id"])}}
        return out

    def scope_refs(self, ctx: Ctx) -> dict[str, Any]:
        if self.scope == "team":
            return {"team": team_ref(ctx)}
        return {"tenant": tenant_ref(ctx)}


# helpers ------------------------------------------------------------------------------
def missing_param(name: str) -> ApiError:
    return ApiError(
        400,
        f"Required request parameter '{name}' for method parameter type String is not present",
        {name: "is required"},
    )


def require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, "JSON parse error: expected a JSON object")
    return body


def new_id(ctx: Ctx) -> str:
    while True:
        ident = ctx.ids.new()
        if not ctx.store.exists(ident):
            return ident


def ref(ctx: Ctx, kind: str, ident: str | None) -> dict[str, Any] | None:
    """A nested ResourceMetadata reference, as GET returns related objects."""
    if ident is None:
        return None
    collection = ctx.collection(kind)
    ctx.depends_on(ident)
    if (kind, ident) in ctx.prefetched:
        found = ctx.prefetched[(kind, ident)]
    else:
        found = ctx.store.fields(kind, ident, (collection.label_field, "created", "updated"))
    label, created, updated = found or (None, None, None)
    return {
        "id": ident,
        "label": label,
        "resourceType": collection.resource_type,
        "created": created,
        "updated": updated,
        "_links": {"self": {"href": collection.href(ctx, ident)}},
    }


def team_ref(ctx: Ctx) -> dict[str, Any]:
    return _account_ref(ctx, ctx.account.team_id, "team", "teams")


def tenant_ref(ctx: Ctx) -> dict[str, Any]:
    return _account_ref(ctx, ctx.account.tenant_id, "tenant", "tenants")


def _account_ref(ctx: Ctx, ident: str, resource_type: str, segment: str) -> dict[str, Any]:
    return {
        "id": ident,
        "label": ctx.account.team_name,
        "resourceType": resource_type,
        "_links": {"self": {"href": f"{ctx.base}/v2/api/{segment}/{ident}"}},
    }


def owner_ref(ctx: Ctx, owner_id: str | None) -> dict[str, Any] | None:
    if owner_id is None:
        return None
    return {
        "id": owner_id,
        "label": f"owner-{owner_id}@emulator.revenium.local",
        "resourceType": "user",
        "_links": {"self": {"href": f"{ctx.base}/v2/api/users/{owner_id}"}},
    }


def exists_in_scope(ctx: Ctx, kind: str, ident: Any) -> bool:
    if not isinstance(ident, str) or not decodable(ident):
        return False
    found = ctx.store.get(kind, ident)
    return found is not None and found[0] in ctx.collection(kind).read_scopes(ctx)


def referencing(
    ctx: Ctx, kind: str, predicate: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    collection = ctx.collection(kind)
    return [o for o in ctx.store.all(kind, collection.read_scopes(ctx)) if predicate(o)]
