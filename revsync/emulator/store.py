"""SQLite persistence for the emulator: one row per object, the object as JSON.

All access goes through one lock; the emulator serialises request handling anyway so that
multi-step operations (check references, then write) are atomic like a database transaction.
`memo` holds what reads derive from the rows (list orders); every write empties it, so
nothing derived outlives the state it was derived from. `rendered` keeps each object's list
item as JSON across restarts (see resources/listing.py); a write deletes the items of the
object written and of every item whose rendering looked at it (`rendered_deps`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind  TEXT NOT NULL,
    id    TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    name  TEXT,
    data  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_kind_scope ON objects (kind, scope, seq);
CREATE INDEX IF NOT EXISTS objects_kind_scope_id ON objects (kind, scope, id);
CREATE INDEX IF NOT EXISTS objects_kind_name ON objects (kind, name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS accounts (
    api_key   TEXT PRIMARY KEY,
    team_id   TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    owner_id  TEXT NOT NULL,
    team_name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rendered (
    id     TEXT NOT NULL,
    viewer TEXT NOT NULL,
    text   TEXT NOT NULL,
    UNIQUE (id, viewer)
);
CREATE TABLE IF NOT EXISTS rendered_deps (
    dep TEXT NOT NULL,
    id  TEXT NOT NULL,
    PRIMARY KEY (dep, id)
) WITHOUT ROWID;
"""

SORTABLE_COLUMNS = {"id": "id", "name": "name", "email": "name", "seq": "seq"}
# the unique columns a page can be ordered by, and the index that holds a page of them
# together (see `Store.rendered_span`)
SPAN_INDEXES = {"seq": "objects_kind_scope", "id": "objects_kind_scope_id"}
# SQLite's NOCASE folds ASCII letters only; keys of `first_ids_by_names` fold the same way
_NOCASE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def nocase(text: str) -> str:
    """`text` as SQLite's NOCASE collation compares it."""
    return text.translate(_NOCASE)


def name_dep(kind: str, name: str) -> str:
    """The dependency of a rendered item that looked an object of `kind` up by name."""
    return f"name:{kind}:{nocase(name)}"


@dataclass(frozen=True)
class Span:
    """The objects of a page: those whose unique `column` lies from `first` to `last`."""

    column: str
    first: Any
    last: Any


@dataclass(frozen=True)
class Account:
    api_key: str
    team_id: str
    tenant_id: str
    owner_id: str
    team_name: str


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            # list pages read kept items all over the file: map it rather than copy pages
            self._db.execute("PRAGMA mmap_size=1073741824")
        self._db.executescript(SCHEMA)
        self._accounts: dict[str, Account] = {}  # read-through cache: keys never change
        self.memo: dict[Any, Any] = {}  # derived from the rows; emptied by every write

    def _changed(self) -> None:
        self.memo.clear()

    def _stale(self, kind: str, ident: str, names: tuple[str | None, ...]) -> None:
        """Forget the rendered items that showed this object: its own, those that embed it
        (`ident`), that found it by name, or that depend on its whole kind."""
        keys = [ident, f"kind:{kind}", *(name_dep(kind, n) for n in names if n is not None)]
        marks = ",".join("?" * len(keys))
        self._db.execute("DELETE FROM rendered WHERE id = ?", (ident,))
        self._db.execute(
            f"DELETE FROM rendered WHERE id IN"
            f" (SELECT id FROM rendered_deps WHERE dep IN ({marks}))",
            keys,
        )
        self._db.execute(f"DELETE FROM rendered_deps WHERE dep IN ({marks})", keys)

    def _name(self, kind: str, ident: str) -> str | None:
        row = self._db.execute(
            "SELECT name FROM objects WHERE kind = ? AND id = ?", (kind, ident)
        ).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        with self.lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock:
            self._db.execute("BEGIN")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # accounts -------------------------------------------------------------------------
    def add_account(self, account: Account) -> None:
        self._accounts[account.api_key] = account
        with self.lock:
            self._changed()
            self._db.execute(
                "INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?)",
                (
                    account.api_key,
                    account.team_id,
                    account.tenant_id,
                    account.owner_id,
                    account.team_name,
                ),
            )

    def account(self, api_key: str) -> Account | None:
        if api_key in self._accounts:
            return self._accounts[api_key]
        with self.lock:
            row = self._db.execute(
                "SELECT api_key, team_id, tenant_id, owner_id, team_name FROM accounts"
                " WHERE api_key = ?",
                (api_key,),
            ).fetchone()
        return Account(*row) if row else None

    def accounts(self) -> list[Account]:
        with self.lock:
            rows = self._db.execute(
                "SELECT api_key, team_id, tenant_id, owner_id, team_name FROM accounts"
            ).fetchall()
        return [Account(*row) for row in rows]

    # objects --------------------------------------------------------------------------
    def insert(self, kind: str, scope: str, obj: dict[str, Any], name: str | None) -> None:
        with self.lock:
            self._changed()
            self._stale(kind, obj["id"], (name,))
            self._db.execute(
                "INSERT INTO objects (kind, id, scope, name, data) VALUES (?, ?, ?, ?, ?)",
                (kind, obj["id"], scope, name, json.dumps(obj)),
            )

    def update(self, kind: str, obj: dict[str, Any], name: str | None) -> None:
        with self.lock:
            self._changed()
            self._stale(kind, obj["id"], (name, self._name(kind, obj["id"])))
            self._db.execute(
                "UPDATE objects SET data = ?, name = ? WHERE kind = ? AND id = ?",
                (json.dumps(obj), name, kind, obj["id"]),
            )

    def delete(self, kind: str, ident: str) -> None:
        with self.lock:
            self._changed()
            self._stale(kind, ident, (self._name(kind, ident),))
            self._db.execute("DELETE FROM objects WHERE kind = ? AND id = ?", (kind, ident))

    def get(self, kind: str, ident: str) -> tuple[str, dict[str, Any]] | None:
        with self.lock:
            row = self._db.execute(
                "SELECT scope, data FROM objects WHERE kind = ? AND id = ?", (kind, ident)
            ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def fields(self, kind: str, ident: str, names: tuple[str, ...]) -> tuple[Any, ...] | None:
        """Top-level string fields of one object, picked out by SQLite: a list page embeds
        a reference to another object per item, and parsing whole objects for three fields
        made the emulator the bottleneck of large reads."""
        picks = ", ".join("json_extract(data, ?)" for _ in names)
        with self.lock:
            return self._db.execute(
                f"SELECT {picks} FROM objects WHERE kind = ? AND id = ?",
                (*(f'$."{n}"' for n in names), kind, ident),
            ).fetchone()

    def ids_by_name(self, kind: str, scopes: tuple[str, ...], name: str) -> list[str]:
        """The ids of `by_name`, without reading the objects."""
        marks = ",".join("?" * len(scopes))
        with self.lock:
            rows = self._db.execute(
                f"SELECT id FROM objects WHERE kind = ? AND name = ? COLLATE NOCASE"
                f" AND scope IN ({marks}) ORDER BY seq",
                (kind, name, *scopes),
            ).fetchall()
        return [row[0] for row in rows]

    def exists(self, ident: str) -> bool:
        with self.lock:
            return (
                self._db.execute("SELECT 1 FROM objects WHERE id = ?", (ident,)).fetchone()
                is not None
            )

    def count(self, kind: str, scopes: tuple[str, ...]) -> int:
        marks = ",".join("?" * len(scopes))
        with self.lock:
            return self._db.execute(
                f"SELECT COUNT(*) FROM objects WHERE kind = ? AND scope IN ({marks})",
                (kind, *scopes),
            ).fetchone()[0]

    def page_ids(
        self,
        kind: str,
        scopes: tuple[str, ...],
        offset: int,
        limit: int,
        order: str = "seq",
        descending: bool = False,
    ) -> tuple[int, list[str], Span | None]:
        """The total, one page of ids in `page`'s order, and, when that order is of a
        unique column, the page's `Span` for `rendered_span`. The whole order is read once
        and kept in `memo` until the next write: a deep OFFSET walks the index every time,
        which made the last pages of a 100,000-object account the slowest."""
        column = SORTABLE_COLUMNS.get(order, "seq")
        direction = "DESC" if descending else "ASC"
        key = ("order", kind, scopes, column, direction)
        with self.lock:
            rows = self.memo.get(key)
            if rows is None:
                marks = ",".join("?" * len(scopes))
                rows = self.memo[key] = self._db.execute(
                    f"SELECT id, {column} FROM objects WHERE kind = ? AND scope IN ({marks})"
                    f" ORDER BY {column} {direction}, seq ASC",
                    (kind, *scopes),
                ).fetchall()
        page = rows[offset : offset + limit]
        span = None
        if page and column in SPAN_INDEXES:
            ends = sorted((page[0][1], page[-1][1]))
            span = Span(column, ends[0], ends[1])
        return len(rows), [row[0] for row in page], span

    # `+kind`, `+scope`: keep SQLite on the id (name) index; on the kind index it scans
    # every object of the kind for a page of ids
    def by_ids(self, kind: str, idents: list[str]) -> list[dict[str, Any]]:
        """The objects with these ids, in the order given (one query)."""
        marks = ",".join("?" * len(idents))
        with self.lock:
            rows = self._db.execute(
                f"SELECT id, data FROM objects WHERE +kind = ? AND id IN ({marks})",
                (kind, *idents),
            ).fetchall()
        found = dict(rows)
        return [json.loads(found[i]) for i in idents if i in found]

    def fields_of_many(
        self, kind: str, idents: set[str], names: tuple[str, ...]
    ) -> dict[str, tuple[Any, ...]]:
        """`fields` of many objects in one query: a page embeds a reference per item."""
        if not idents:
            return {}
        picks = ", ".join("json_extract(data, ?)" for _ in names)
        marks = ",".join("?" * len(idents))
        with self.lock:
            rows = self._db.execute(
                f"SELECT id, {picks} FROM objects WHERE +kind = ? AND id IN ({marks})",
                (*(f'$."{n}"' for n in names), kind, *idents),
            ).fetchall()
        return {row[0]: tuple(row[1:]) for row in rows}

    def first_ids_by_names(
        self, kind: str, scopes: tuple[str, ...], names: set[str]
    ) -> dict[str, str]:
        """`ids_by_name(...)[0]` for many names in one query, keyed by `nocase(name)`."""
        if not names:
            return {}
        marks = ",".join("?" * len(scopes))
        wanted = ",".join("?" * len(names))
        with self.lock:
            rows = self._db.execute(
                f"SELECT name, id FROM objects WHERE kind = ?"
                f" AND name COLLATE NOCASE IN ({wanted})"
                f" AND +scope IN ({marks}) ORDER BY seq",
                (kind, *names, *scopes),
            ).fetchall()
        first: dict[str, str] = {}
        for name, ident in rows:
            first.setdefault(nocase(name), ident)
        return first

    # rendered list items ---------------------------------------------------------------
    def rendered_texts(self, viewer: str, idents: list[str]) -> dict[str, str]:
        """The kept list items of these objects as `viewer` sees them."""
        if not idents:
            return {}
        marks = ",".join("?" * len(idents))
        with self.lock:
            rows = self._db.execute(
                f"SELECT id, text FROM rendered WHERE id IN ({marks}) AND viewer = ?",
                (*idents, viewer),
            ).fetchall()
        return dict(rows)

    def rendered_span(
        self, viewer: str, kind: str, scopes: tuple[str, ...], span: Span
    ) -> dict[str, str]:
        """`rendered_texts` of the objects of a page (`page_ids`), read as one range of an
        index rather than as a hundred ids looked up one by one."""
        marks = ",".join("?" * len(scopes))
        with self.lock:
            rows = self._db.execute(
                f"SELECT o.id, r.text FROM objects o INDEXED BY {SPAN_INDEXES[span.column]}"
                f" JOIN rendered r ON r.id = o.id AND r.viewer = ?"
                f" WHERE o.kind = ? AND o.scope IN ({marks})"
                f" AND o.{span.column} BETWEEN ? AND ?",
                (viewer, kind, *scopes, span.first, span.last),
            ).fetchall()
        return dict(rows)

    def keep_rendered(self, viewer: str, items: list[tuple[str, str, set[str]]]) -> None:
        """Keep (id, text, what its rendering depended on) for the next reads."""
        if not items:
            return
        with self.lock:
            own = not self._db.in_transaction  # one commit for the page, not one per row
            if own:
                self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO rendered VALUES (?, ?, ?)",
                [(ident, viewer, text) for ident, text, _ in items],
            )
            self._db.executemany(
                "INSERT OR IGNORE INTO rendered_deps VALUES (?, ?)",
                [(dep, ident) for ident, _, deps in items for dep in deps],
            )
            if own:
                self._db.execute("COMMIT")

    def all(self, kind: str, scopes: tuple[str, ...]) -> list[dict[str, Any]]:
        marks = ",".join("?" * len(scopes))
        with self.lock:
            rows = self._db.execute(
                f"SELECT data FROM objects WHERE kind = ? AND scope IN ({marks}) ORDER BY seq",
                (kind, *scopes),
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def by_name(self, kind: str, scopes: tuple[str, ...], name: str) -> list[dict[str, Any]]:
        """Objects whose name (label) equals `name`, ignoring case; uses an index."""
        marks = ",".join("?" * len(scopes))
        with self.lock:
            rows = self._db.execute(
                f"SELECT data FROM objects WHERE kind = ? AND name = ? COLLATE NOCASE"
                f" AND scope IN ({marks}) ORDER BY seq",
                (kind, name, *scopes),
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def scope_of(self, kind: str, ident: str) -> str | None:
        found = self.get(kind, ident)
        return found[0] if found else None

    def wipe_objects(self) -> None:
        with self.lock:
            self._changed()
            self._db.execute("DELETE FROM objects")
            self._db.execute("DELETE FROM meta")
            self._db.execute("DELETE FROM rendered")
            self._db.execute("DELETE FROM rendered_deps")

    # meta -----------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self.lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.lock:
            self._changed()
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
