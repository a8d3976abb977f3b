"""What a resource kind declares, and the generic behaviour every kind shares.

A kind module subclasses `Kind`, sets its declarations (API path, natural key, references,
server-owned fields, defaults, unordered lists) and overrides a hook only where the
Revenium API really differs. The planner and executor know no kind by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..core import paths
from ..core.desired import Entry
from ..core.live import Account, LiveObject
from ..core.location import plain
from ..core.problems import Problem
from ..core.refs import Ref
from ..core.steps import Lookup, Step
from . import canonical_ops, normalize

COMMON_SERVER_FIELDS = frozenset(
    {
        "id",
        "created",
        "updated",
        "label",
        "resourceType",
        "_links",
        "team",
        "owner",
        "tenant",
        "teamId",
        "ownerId",
        "tenantId",
    }
)
UNKNOWN_ID_PREFIX = "#id:"
# How an update clears a field the API keeps when omitted (`kept_when_omitted` values):
CLEAR_WITH_NULL, CLEAR_WITH_EMPTY_LIST, CLEAR_WITH_EMPTY_STRING = "null", "[]", '""'
NO_WAY = None  # the API offers no way to clear it


class Binder(Protocol):
    def resolve(self, kind: str, name: str, entry: Entry, path: tuple) -> Any:
        """A live id, or a `{"$ref": ...}` placeholder for an object this plan creates."""
        ...


class NameIndex(Protocol):
    def name_of(self, kind: str, ident: str) -> str | None: ...


class Unnamed:
    """A referenced id whose name is not known yet (see `Kind.prepare_live`)."""

    __slots__ = ("ident", "kind")

    def __init__(self, kind: str, ident: str) -> None:
        self.kind, self.ident = kind, ident

    def __repr__(self) -> str:
        return f"<{self.kind} {self.ident}>"


class _Unnamed:
    """The NameIndex of a form prepared before the names are known; it notes whether any
    name was asked for (most entries name their references by name already)."""

    __slots__ = ("used",)

    def __init__(self) -> None:
        self.used = False

    def name_of(self, kind: str, ident: str) -> Unnamed:
        self.used = True
        return Unnamed(kind, ident)


@dataclass(frozen=True)
class Prepared:
    """A normal form made before the names were known, and whether it holds any Unnamed."""

    form: dict[str, Any]
    unnamed: bool


class Unplannable(Exception):
    """This entry cannot be brought to the desired state through the API; say why."""


@dataclass
class KindContext:
    """What step builders may consult: the account and every live object read."""

    account: Account
    live: dict[str, list[LiveObject]] = field(default_factory=dict)


# per-kind values derived from the ClassVars, computed on first use (kinds are singletons)
_NOT_COPIED: dict[Kind, frozenset[str]] = {}
_SERVER_OWNED: dict[Kind, frozenset[str]] = {}
_SORTED: dict[Kind, normalize.Sorts] = {}
_RESORTED: dict[Kind, normalize.Sorts] = {}
_CANONICAL_OPS: dict[Kind, canonical_ops.Ops] = {}
_NEVER_COMPARED: dict[Kind, frozenset[str]] = {}


class Kind:
    # identity ---------------------------------------------------------------------------
    name: ClassVar[str]  # manifest key, e.g. "products"
    title: ClassVar[str]  # singular for messages, e.g. "product"
    schema_def: ClassVar[str]  # the entry's name in $defs of the kind's <module>.schema.json
    api_path: ClassVar[str]  # e.g. "/v2/api/products"
    key_fields: ClassVar[tuple[str, ...]] = ("name",)
    casefold_keys: ClassVar[tuple[str, ...]] = ()  # key fields that compare without case
    refs: ClassVar[tuple[Ref, ...]] = ()

    # API conventions --------------------------------------------------------------------
    scope_param: ClassVar[str] = "teamId"  # query parameter naming the team on every call
    list_params: ClassVar[dict[str, str]] = {}
    body_scope: ClassVar[tuple[str, ...]] = ("teamId",)  # ids injected into write bodies

    # normalisation ----------------------------------------------------------------------
    server_fields: ClassVar[frozenset[str]] = frozenset()
    nested_ids: ClassVar[tuple[str, ...]] = ()  # containers whose "id" the server owns
    secret_fields: ClassVar[frozenset[str]] = frozenset()  # always masked
    write_only: ClassVar[frozenset[str]] = frozenset()  # never returned by GET
    create_only: ClassVar[frozenset[str]] = frozenset()  # sent on create, not compared
    defaults: ClassVar[dict[str, Any]] = {}  # what the API fills when not sent
    unordered: ClassVar[dict[str, tuple[str, ...] | None]] = {}
    datetime_fields: ClassVar[tuple[str, ...]] = ()
    merge_compare: ClassVar[bool] = False  # True: only fields the manifest sets are compared
    # True: the kind's own normalize_live/normalize_desired use names only through the
    # references (so forms can be prepared before the names are known; see prepare_live)
    names_only_in_refs: ClassVar[bool] = False
    export_env: ClassVar[dict[str, str]] = {}  # write-only field -> env variable prefix

    # what the API really does (revenium-api-more.md §6) ---------------------------------
    # top-level fields an update keeps when it leaves them out (or sends null), each with how
    # the API clears it (CLEAR_WITH_* or NO_WAY): not managed while the manifest omits them
    kept_when_omitted: ClassVar[dict[str, str | None]] = {}
    # amounts, prices, thresholds (paths): numeric strings and numbers compare as Decimal
    decimal_fields: ClassVar[tuple[str, ...]] = ()
    # statuses of a write or read of one id that may mean "no such object" (§6.3)
    gone_statuses: ClassVar[tuple[int, ...]] = (404,)

    # identity -----------------------------------------------------------------------------
    def fold(self, key: tuple[str, ...]) -> tuple[str, ...]:
        """How keys compare: the `casefold_keys` ignore case (subscriber emails)."""
        if not self.casefold_keys:
            return key
        return tuple(
            v.casefold() if f in self.casefold_keys else v
            for f, v in zip(self.key_fields, key, strict=False)
        )

    def parse_name(self, name: str) -> tuple[str, ...]:
        """The key a reference or a target names (`name/provider` for two-part keys)."""
        return (
            tuple(name.rsplit("/", len(self.key_fields) - 1))
            if len(self.key_fields) > 1
            else (name,)
        )

    def key_of(self, fields: dict[str, Any]) -> tuple[str, ...] | None:
        values = [fields.get(f) for f in self.key_fields]
        if not all(isinstance(v, str) and v for v in values):
            return None
        return tuple(values)  # type: ignore[arg-type]

    def live_key(self, raw: dict[str, Any]) -> tuple[str, ...]:
        return tuple(str(raw.get(f) or "") for f in self.key_fields)

    def check(self, entry: Entry) -> list[Problem]:
        """Kind-specific rules beyond the JSON Schema (offline)."""
        return []

    # field ownership ------------------------------------------------------------------------
    def left_to_revenium(self, fields: dict[str, Any]) -> set[str]:
        """Fields the API keeps and the manifest leaves out: revsync does not manage them."""
        raw = {r.field: r.raw for r in self.refs if r.raw}  # a ref may be given by raw ids
        return {f for f in self.kept_when_omitted if f not in fields and raw.get(f) not in fields}

    def follow_live(self, desired: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        """The desired state completed from the live one, where one field follows another."""
        return desired

    def comparable(
        self, fields: dict[str, Any], current: dict[str, Any], desired: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Live and desired as the plan compares them: fields Revenium keeps while the entry
        leaves them out are not managed, and merge-compared kinds compare what is set."""
        desired = self.follow_live(desired, current)
        for name in self.left_to_revenium(fields):
            current.pop(name, None)
            desired.pop(name, None)
        if self.merge_compare:
            current = {k: v for k, v in current.items() if k in desired}
        return current, desired

    def as_stored(self, body: dict[str, Any], live: LiveObject) -> dict[str, Any]:
        """The object as Revenium will hold it after a write of `body` (kept fields kept)."""
        merged = dict(body)
        for name in self.kept_when_omitted:
            if merged.get(name) is None and live.raw.get(name) is not None:
                merged[name] = live.raw[name]
        return merged

    # reading ------------------------------------------------------------------------------
    def scope_value(self, account: Account) -> str:
        return account.tenant_id if self.scope_param == "tenantId" else account.team_id

    def read_params(self, account: Account) -> dict[str, str]:
        return {self.scope_param: self.scope_value(account), **self.list_params}

    def read(self, lister: Any, account: Account) -> list[LiveObject]:
        """Every live object of this kind, a list page at a time."""
        raws = lister(self.api_path, self.read_params(account))
        return [self.live_object(raw) for raw in raws]

    def live_object(
        self, raw: dict[str, Any], managed: bool = True, origin: str = ""
    ) -> LiveObject:
        return LiveObject(self.name, str(raw.get("id")), self.live_key(raw), raw, managed, origin)

    # normalisation --------------------------------------------------------------------------
    def normalize_live(self, raw: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        skipped = self._not_copied()
        obj = {k: plain(v) for k, v in raw.items() if k not in skipped}
        for ref in self.refs:
            for container in paths.mappings(obj, ref.container):
                root = paths.root(ref.read)
                # a top-level reference is read from the answer itself: its embedded
                # object (a subscription's whole product) is never copied
                source = raw if not ref.container and root not in container else container
                found = ref.read_ids(paths.values(source, ref.read))
                container.pop(root, None)
                if ref.raw:
                    container.pop(ref.raw, None)
                converted = [self._live_ref_name(ref, v, names) for v in found if v is not None]
                container[ref.field] = converted if ref.many else (converted or [None])[0]
        for name in self._server_owned().intersection(obj):  # a reference may have set one
            del obj[name]
        return self.canonical(obj)

    def _server_owned(self) -> frozenset[str]:
        cached = _SERVER_OWNED.get(self)
        if cached is None:
            cached = _SERVER_OWNED[self] = COMMON_SERVER_FIELDS | self.server_fields
        return cached

    def _not_copied(self) -> frozenset[str]:
        """Server fields, and the fields top-level references are read from (computed once
        per kind): normalising copies only what is compared."""
        cached = _NOT_COPIED.get(self)
        if cached is None:
            roots = {paths.root(r.read) for r in self.refs if not r.container}
            cached = _NOT_COPIED[self] = self._server_owned() | roots
        return cached

    # prepared forms: normalising before the names are known ------------------------------
    def prepare_live(self, raw: dict[str, Any]) -> Prepared | None:
        """`normalize_live` with referenced ids not named yet, or None when the kind cannot.

        Done while the other pages are still being read (the names need every object read
        and the manifests loaded), so that little normalising is left once reads end."""
        if not (self.names_only_in_refs or type(self).normalize_live is Kind.normalize_live):
            return None
        index = _Unnamed()
        return Prepared(self.normalize_live(raw, index), index.used)

    def prepare_desired(self, fields: dict[str, Any]) -> Prepared | None:
        """`normalize_desired` with raw ids not named yet, or None (see prepare_live)."""
        if not (self.names_only_in_refs or type(self).normalize_desired is Kind.normalize_desired):
            return None
        index = _Unnamed()
        return Prepared(self.normalize_desired(fields, index), index.used)

    def live_form(self, obj: LiveObject, names: NameIndex) -> dict[str, Any]:
        """The live object as the plan compares it: its prepared form, named, if any."""
        prepared, obj.prepared = obj.prepared, None  # used once: named in place
        if prepared is None:
            return self.normalize_live(obj.raw, names)
        return self.named(prepared, names)

    def desired_form(self, entry: Entry, names: NameIndex) -> dict[str, Any]:
        """The entry as the plan compares it (see live_form)."""
        prepared, entry.prepared = entry.prepared, None
        if prepared is None:
            return self.normalize_desired(entry.fields, names)
        return self.named(prepared, names)

    def named(self, prepared: Prepared, names: NameIndex) -> dict[str, Any]:
        """A prepared form, in place, as `normalize_*` with these names would have made it."""
        form = prepared.form
        if not prepared.unnamed:
            return form
        for ref in self.refs:
            if ref.by_key:
                continue
            for container in paths.mappings(form, ref.container):
                value = container.get(ref.field)
                if isinstance(value, list):
                    container[ref.field] = [_name(v, names) for v in value]
                elif isinstance(value, Unnamed):
                    container[ref.field] = _name(value, names)
        normalize.sort_lists(form, self._resorted())
        return form

    def _resorted(self) -> normalize.Sorts:
        """The sorted lists whose order a reference's name may decide."""
        cached = _RESORTED.get(self)
        if cached is None:
            at = [f"{r.container}.{r.field}" if r.container else r.field for r in self.refs]
            cached = _RESORTED[self] = normalize.group_sorts(
                {
                    path: fields
                    for path, fields in self._sorted_specs().items()
                    if any(a == path or a.startswith((f"{path}[]", f"{path}.")) for a in at)
                }
            )
        return cached

    def _live_ref_name(self, ref: Ref, value: Any, names: NameIndex) -> str:
        if ref.by_key:
            return str(value)
        return names.name_of(ref.target, str(value)) or f"{UNKNOWN_ID_PREFIX}{value}"

    def normalize_desired(self, fields: dict[str, Any], names: NameIndex) -> dict[str, Any]:
        obj = plain(fields)
        obj.pop("id", None)
        for ref in self.refs:
            if not ref.raw:
                continue
            for container in paths.mappings(obj, ref.container):
                if ref.raw not in container:
                    continue
                ids = container.pop(ref.raw)
                if ref.by_key:
                    container[ref.field] = ids
                    continue
                items = ids if isinstance(ids, list) else [ids]
                converted = [
                    names.name_of(ref.target, str(i)) or f"{UNKNOWN_ID_PREFIX}{i}" for i in items
                ]
                container[ref.field] = converted if ref.many else converted[0]
        return self.canonical(obj)

    def canonical(self, obj: dict[str, Any]) -> dict[str, Any]:
        canonical_ops.apply_ops(obj, self._canonical_ops())
        for name in self._never_compared():  # after the operations: none outlives a pop
            obj.pop(name, None)
        obj = normalize.tidy(obj)
        normalize.sort_lists(obj, self._sorted_lists())
        return obj

    def _canonical_ops(self) -> canonical_ops.Ops:
        ops = _CANONICAL_OPS.get(self)
        if ops is None:
            declared = (
                self.defaults,
                self.nested_ids,
                self.datetime_fields,
                tuple((r.container, r.field) for r in self.refs if r.by_key and r.fold_case),
                self.decimal_fields,
            )
            ops = canonical_ops.compile_ops(*declared) or canonical_ops.compile_ops(
                *declared, grouped=False
            )
            _CANONICAL_OPS[self] = ops
        return ops

    def _never_compared(self) -> frozenset[str]:
        cached = _NEVER_COMPARED.get(self)
        if cached is None:
            cached = _NEVER_COMPARED[self] = frozenset(self.write_only | self.create_only)
        return cached

    def _fold_ref(self, ref: Ref, value: str) -> str:
        return value.casefold() if ref.fold_case else value

    def _sorted_specs(self) -> dict[str, tuple[str, ...] | None]:
        """The lists whose order the API does not keep (path -> key fields of the items)."""
        return {**self._ref_lists(), **self.unordered}

    def _sorted_lists(self) -> normalize.Sorts:
        cached = _SORTED.get(self)
        if cached is None:
            cached = _SORTED[self] = normalize.group_sorts(self._sorted_specs())
        return cached

    def _ref_lists(self) -> dict[str, tuple[str, ...] | None]:
        out: dict[str, tuple[str, ...] | None] = {}
        for ref in self.refs:
            if ref.many:
                prefix = f"{ref.container}." if ref.container else ""
                out[f"{prefix}{ref.field}"] = None
        return out

    # write bodies ---------------------------------------------------------------------------
    def body(self, entry: Entry, binder: Binder, account: Account) -> dict[str, Any]:
        """The full request body for the entry (PUT replaces, so always the full object)."""
        obj = plain(entry.fields)
        obj.pop("id", None)
        for ref in self.refs:
            for at, container in paths.containers(obj, ref.container):
                names = container.pop(ref.field, None)
                raw = container.pop(ref.raw, None) if ref.raw else None
                if names is not None:
                    items = names if isinstance(names, list) else [names]
                    ids = []
                    for i, name in enumerate(items):
                        where = (*at, ref.field, i) if ref.many else (*at, ref.field)
                        resolved = binder.resolve(ref.target, str(name), entry, where)
                        ids.append(str(name) if ref.by_key else ref.write_resolved(resolved))
                elif raw is not None:
                    ids = raw if isinstance(raw, list) else [raw]
                else:
                    continue
                container[ref.write] = ids if ref.many else ids[0]
        left_out = self.left_to_revenium(entry.fields)
        normalize.apply_defaults(
            obj, {p: v for p, v in self.defaults.items() if paths.split(p)[0] not in left_out}
        )
        for scope_field in self.body_scope:
            value = {
                "teamId": account.team_id,
                "tenantId": account.tenant_id,
                "ownerId": account.owner_id,
            }[scope_field]
            obj[scope_field] = value
        return obj

    def resolve_references(self, entry: Entry, binder: Binder) -> None:
        """What `body` resolves, in the same order, without building a body (an entry with
        no change needs only to know that its references resolve)."""
        for ref in self.refs:
            for at, container in paths.containers(entry.fields, ref.container):
                names = container.get(ref.field)
                if names is None:
                    continue
                items = names if isinstance(names, list) else [names]
                for i, name in enumerate(items):
                    where = (*at, ref.field, i) if ref.many else (*at, ref.field)
                    binder.resolve(ref.target, str(name), entry, where)

    def write_params(self, account: Account) -> dict[str, str]:
        """Writes name the team (or tenant) in the query too, as Revenium's own CLI does."""
        return {self.scope_param: self.scope_value(account)}

    def item_path(self) -> str:
        return f"{self.api_path}/{{id}}"

    def lookup(self, entry: Entry, account: Account) -> Lookup:
        match = {f: v for f, v in zip(self.key_fields, entry.key, strict=True)}
        return Lookup(self.api_path, self.read_params(account), match, self.casefold_keys)

    # steps ----------------------------------------------------------------------------------
    def create_steps(self, entry: Entry, body: dict[str, Any], ctx: KindContext) -> list[Step]:
        return [
            Step(
                "POST",
                self.api_path,
                self.write_params(ctx.account),
                body,
                capture_id=True,
                lookup=self.lookup(entry, ctx.account),
                description=f"create {self.title}",
            )
        ]

    def update_steps(
        self,
        live: LiveObject,
        body: dict[str, Any],
        changed: set[str],
        ctx: KindContext,
    ) -> list[Step]:
        """`changed` holds the top-level manifest fields that differ."""
        for name in self.create_only:
            if name in live.raw:
                body[name] = live.raw[name]
        return [
            Step(
                "PUT",
                self.item_path(),
                self.write_params(ctx.account),
                body,
                description=f"replace {self.title}",
            )
        ]

    def update_notes(self, live: LiveObject, changed: set[str]) -> list[str]:
        """What an update does beyond its field changes, for the plan to say."""
        return []

    def delete_steps(self, live: LiveObject, ctx: KindContext) -> list[Step]:
        return [
            Step(
                "DELETE",
                self.item_path(),
                self.write_params(ctx.account),
                missing_ok=True,
                gone_statuses=list(self.gone_statuses),
                lookup=self.lookup_id(live.id, ctx.account),
                description=f"delete {self.title}",
            )
        ]

    def lookup_id(self, ident: str, account: Account) -> Lookup:
        """How to confirm that an object an answer said may be gone is really gone."""
        return Lookup(self.api_path, self.read_params(account), {"id": ident})

    def create_baseline(self, entry: Entry, ctx: KindContext) -> LiveObject | None:
        """A live object a create starts from (a GLOBAL model that will be cloned)."""
        return None

    def deletable(self, live: LiveObject) -> str | None:
        """None if revsync may delete it; otherwise the reason it may not."""
        return None if live.managed else f"{live.origin or 'unmanaged'} objects are never deleted"

    # references of live objects (delete ordering) ---------------------------------------------
    def live_refs(self, raw: dict[str, Any]) -> list[tuple[str, str, bool]]:
        """(target kind, id or key, by_key) for every reference a live object holds."""
        out = []
        for ref in self.refs:
            for container in paths.mappings(raw, ref.container):
                for value in ref.read_ids(paths.values(container, ref.read)):
                    if value is not None:
                        value = self._fold_ref(ref, str(value)) if ref.by_key else str(value)
                        out.append((ref.target, value, ref.by_key))
        return out


def _name(value: Any, names: NameIndex) -> Any:
    if not isinstance(value, Unnamed):
        return value
    return names.name_of(value.kind, value.ident) or f"{UNKNOWN_ID_PREFIX}{value.ident}"
