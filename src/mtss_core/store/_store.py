"""The store: tenants, an append-only log of commits, snapshots, sessions that commit with
optimistic concurrency (see :mod:`mtss_core.store`)."""

from __future__ import annotations

import json
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs
import pendulum

from .._extras import sqlalchemy
from ..edits import Applied, apply_edits, edits_from_data
from ..errors import ConflictError, StoreError, UnknownIdError
from ..graph import AlignmentGraph
from ..io import FORMAT_VERSION, from_data, loads, to_data
from ..rules import Config, RuleSet
from ..session import Session
from ._tables import LAYOUT, tables

__all__ = ["Commit", "LogEntry", "Store", "StoreSession", "open_store"]


def _now() -> pendulum.DateTime:
    return pendulum.now("UTC")


def _stamp(when: pendulum.DateTime) -> str:
    """A moment as the store keeps it: UTC, microseconds, so text order is time order."""
    return when.in_timezone("UTC").format("YYYY-MM-DDTHH:mm:ss.SSSSSSZ")


@attrs.frozen(kw_only=True)
class LogEntry:
    """One commit of a tenant's log."""

    version: int
    author: str
    at: pendulum.DateTime
    reason: str
    edits: tuple[Mapping[str, Any], ...]
    #: The ids the commit touched (objects created, changed, deleted, renamed, seated).
    touched: tuple[str, ...] = ()
    #: The version this commit undid, if it is an undo.
    undoes: int | None = None
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "author": self.author, "at": self.at.isoformat(),
                "reason": self.reason, "edits": [dict(e) for e in self.edits],
                "touched": list(self.touched), "undoes": self.undoes, "key": self.key}


@attrs.frozen(kw_only=True)
class Commit:
    """A commit made: its version, and what it changed."""

    version: int
    applied: Applied
    #: Whether an earlier commit with the same idempotency key was found (nothing applied).
    repeated: bool = False


def open_store(url: str, *, create: bool = True, snapshot_every: int = 100,
               clock: Callable[[], pendulum.DateTime] | None = None, **engine: Any) -> Store:
    """A store at ``url``: ``sqlite:///layers.db`` (a file), ``sqlite://`` (in memory, for
    one process), a path ending in ``.db`` or ``.sqlite``, or
    ``postgresql+psycopg://user@host/db`` (the ``postgres`` extra).  With ``create`` (the
    default) the tables are made in an empty database.  A snapshot of a tenant's whole
    structure is kept every ``snapshot_every`` commits, so loading replays at most that
    many.

    >>> from mtss_core import example
    >>> store = open_store("sqlite://")
    >>> store.create("lakeshore", example(), author="setup")
    0
    >>> session = store.session("lakeshore")
    >>> session.commit([{"op": "set", "id": "v-cedar-high", "field": "aligned_to",
    ...                  "value": "v-cedar"}], author="kim", reason="aligned").version
    1
    >>> [(e.version, e.author, e.reason) for e in store.log("lakeshore")]
    [(0, 'setup', 'created'), (1, 'kim', 'aligned')]
    """
    return Store(url, create=create, snapshot_every=snapshot_every, clock=clock, **engine)


def _engine(url: str, **options: Any) -> Any:
    sa = sqlalchemy()
    if "://" not in url:  # a path: a SQLite file
        url = f"sqlite:///{url}"
    if url.startswith("sqlite"):
        from sqlalchemy.pool import StaticPool

        memory = url in ("sqlite://", "sqlite:///:memory:") or ":memory:" in url
        args: dict[str, Any] = {"connect_args": {"timeout": 60, "check_same_thread": False}}
        if memory:
            args["poolclass"] = StaticPool
        engine = sa.create_engine(url, **args, **options)

        def _connect(dbapi: Any, _record: Any) -> None:
            dbapi.isolation_level = None  # the transactions below, not the driver's own
            cursor = dbapi.cursor()
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

        def _begin(conn: Any) -> None:  # one writer at a time, waiting its turn
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        sa.event.listen(engine, "connect", _connect)
        sa.event.listen(engine, "begin", _begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        return sa.create_engine(url, **options)
    except ImportError as exc:
        from ..errors import MissingExtraError

        raise MissingExtraError("psycopg", "postgres", f"A PostgreSQL store ({exc})") from None


class Store:
    """Tenants, each with one structure and its whole history (see :func:`open_store`)."""

    def __init__(self, url: str, *, create: bool = True, snapshot_every: int = 100,
                 clock: Callable[[], pendulum.DateTime] | None = None, **engine: Any) -> None:
        if snapshot_every < 1:
            raise StoreError(f"snapshot_every must be at least 1, got {snapshot_every}")
        self.url = url
        self.snapshot_every = snapshot_every
        self.clock = clock or _now
        self.engine = _engine(url, **engine)
        # connections are closed when the store is, or when it is no longer used
        self._finalizer = weakref.finalize(self, self.engine.dispose)
        self._t = tables()
        try:
            self._check_layout(create)
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"<Store {self.engine.url.render_as_string(hide_password=True)}>"

    def close(self) -> None:
        """Close the store's connections (a store is also a context manager)."""
        self._finalizer()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- the layout -------------------------------------------------------------------------

    def _check_layout(self, create: bool) -> None:
        sa = sqlalchemy()
        try:
            names = set(sa.inspect(self.engine).get_table_names())
        except sa.exc.DBAPIError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise StoreError(f"cannot reach the store at {self!r}: {reason}") from None
        ours = {t.name for t in self._t["metadata"].sorted_tables}
        if not names & ours:
            if not create:
                raise StoreError(f"{self!r} is not an mtss_core store: make one with "
                                 f"mtss store init URL (or open_store(url, create=True))")
            self._t["metadata"].create_all(self.engine)
            with self.engine.begin() as conn:
                conn.execute(self._t["meta"].insert().values(key="layout", value=str(LAYOUT)))
            return
        if "mtss_meta" not in names:
            raise StoreError(f"{self!r} holds some mtss_ tables but no mtss_meta: not a store "
                             "this library wrote")
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(self._t["meta"].c.value).where(
                self._t["meta"].c.key == "layout")).scalar()
        if found is None or not str(found).isdigit():
            raise StoreError(f"{self!r}: the store records no layout version")
        if int(found) > LAYOUT:
            raise StoreError(f"{self!r} has layout {found}, written by a newer mtss_core; this "
                             f"one reads layout {LAYOUT}: upgrade mtss_core to open it")
        if int(found) < LAYOUT:
            raise StoreError(f"{self!r} has layout {found}, older than this library reads "
                             f"({LAYOUT}): export its tenants with the mtss_core that wrote "
                             "it (mtss store export), then add them to a new store (mtss "
                             "store add); a product migrating with Alembic includes "
                             "mtss_core.store.metadata in its target_metadata")

    # --- tenants ----------------------------------------------------------------------------

    def tenants(self) -> list[str]:
        """The tenants, in order."""
        sa = sqlalchemy()
        t = self._t["tenants"]
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.select(t.c.tenant).order_by(t.c.tenant))]

    def version(self, tenant: str) -> int:
        """A tenant's latest version."""
        sa = sqlalchemy()
        t = self._t["tenants"]
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(t.c.version).where(t.c.tenant == tenant)).scalar()
        if found is None:
            raise UnknownIdError(tenant, "tenant", within="the store")
        return int(found)

    def create(self, tenant: str, structure: AlignmentGraph | Mapping[str, Any], *,
               author: str = "", reason: str = "created") -> int:
        """Add a tenant with its structure (a graph or a document's data) at version 0."""
        sa = sqlalchemy()
        if not isinstance(tenant, str) or not tenant.strip():
            raise StoreError(f"a tenant is named by a non-empty text, got {tenant!r}")
        graph = structure if isinstance(structure, AlignmentGraph) else from_data(structure)
        document = _pack(to_data(graph))
        now = _stamp(self.clock())
        with self.engine.begin() as conn:
            t = self._t["tenants"]
            if conn.execute(sa.select(t.c.tenant).where(t.c.tenant == tenant)).first():
                raise StoreError(f"tenant {tenant!r} is in the store already")
            conn.execute(t.insert().values(tenant=tenant, version=0, created_at=now))
            conn.execute(self._t["commits"].insert().values(
                tenant=tenant, version=0, author=author, at=now, reason=reason, edits="[]",
                inverse="[]", touched="[]"))
            conn.execute(self._t["snapshots"].insert().values(
                tenant=tenant, version=0, format_version=FORMAT_VERSION, document=document))
        return 0

    # --- reading ----------------------------------------------------------------------------

    def graph(self, tenant: str, *, version: int | None = None,
              at: pendulum.DateTime | str | None = None) -> AlignmentGraph:
        """The tenant's structure as it was at ``version`` (or at the moment ``at``; by
        default the latest), built from the nearest snapshot and the commits after it."""
        return self._load(tenant, version=version, at=at)[0]

    def _load(self, tenant: str, *, version: int | None = None,
              at: pendulum.DateTime | str | None = None) -> tuple[AlignmentGraph, int]:
        sa = sqlalchemy()
        c, s = self._t["commits"], self._t["snapshots"]
        with self.engine.connect() as conn:
            head = self._head(conn, tenant)
            if at is not None:
                moment = _stamp(pendulum.instance(at) if not isinstance(at, str)
                                else pendulum.parse(at))  # type: ignore[arg-type]
                found = conn.execute(sa.select(sa.func.max(c.c.version)).where(
                    c.c.tenant == tenant, c.c.at <= moment)).scalar()
                if found is None:
                    raise StoreError(f"tenant {tenant!r} did not exist yet at {at}")
                version = int(found)
            target = head if version is None else version
            if not 0 <= target <= head:
                raise StoreError(f"tenant {tenant!r} has versions 0 to {head}, not {target}")
            snap = conn.execute(sa.select(s.c.version, s.c.format_version, s.c.document).where(
                s.c.tenant == tenant, s.c.version <= target).order_by(
                s.c.version.desc()).limit(1)).first()
            assert snap is not None  # version 0 always has one
            rows = conn.execute(sa.select(c.c.edits).where(
                c.c.tenant == tenant, c.c.version > snap.version,
                c.c.version <= target).order_by(c.c.version)).all()
        if snap.format_version > FORMAT_VERSION:
            raise StoreError(f"tenant {tenant!r}'s snapshot is in format "
                             f"{snap.format_version}, newer than this library reads "
                             f"({FORMAT_VERSION}): upgrade mtss_core")
        graph = loads(zlib.decompress(snap.document).decode("utf-8"), "json",
                      source=f"{tenant}@{snap.version}")
        for (edits,) in rows:
            apply_edits(graph, json.loads(edits))
        return graph, target

    def _head(self, conn: Any, tenant: str) -> int:
        sa = sqlalchemy()
        t = self._t["tenants"]
        found = conn.execute(sa.select(t.c.version).where(t.c.tenant == tenant)).scalar()
        if found is None:
            raise UnknownIdError(tenant, "tenant", within="the store")
        return int(found)

    def log(self, tenant: str, *, id: str | None = None, since: int | None = None,
            limit: int | None = None) -> list[LogEntry]:
        """The tenant's commits in order (with ``id``, those that touched that object: who
        changed this team, when, and why)."""
        sa = sqlalchemy()
        c = self._t["commits"]
        query = sa.select(c).where(c.c.tenant == tenant).order_by(c.c.version)
        if since is not None:
            query = query.where(c.c.version > since)
        if id is not None:
            query = query.where(c.c.touched.contains(json.dumps(id)))
        with self.engine.connect() as conn:
            self._head(conn, tenant)
            rows = conn.execute(query).all()
        out = [_entry(r) for r in rows]
        if id is not None:
            out = [e for e in out if id in e.touched]
        return out[:limit] if limit is not None else out

    # --- writing ----------------------------------------------------------------------------

    def session(self, tenant: str, config: Config | None = None, *,
                rules: RuleSet | None = None, version: int | None = None) -> StoreSession:
        """A :class:`StoreSession` at the tenant's latest version (or at ``version``: its
        commit then succeeds only if no one has committed since, as an HTTP ``If-Match``)."""
        graph, at = self._load(tenant, version=version)
        return StoreSession(self, tenant, graph, at, config, rules)

    def undo(self, tenant: str, version: int, *, author: str, reason: str = "",
             key: str | None = None) -> Commit:
        """Undo commit ``version`` with a new commit of its inverse edits (made on the latest
        version; a later commit that changed the same objects can make it fail, typed)."""
        sa = sqlalchemy()
        c = self._t["commits"]
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(c.c.inverse).where(
                c.c.tenant == tenant, c.c.version == version)).scalar()
        if found is None or version == 0:
            raise StoreError(f"tenant {tenant!r} has no commit {version} to undo")
        session = self.session(tenant)
        return session.commit(json.loads(found), author=author,
                              reason=reason or f"undo version {version}", key=key,
                              undoes=version)

    def _write(self, session: StoreSession, applied: Applied, *, author: str, reason: str,
               key: str | None, undoes: int | None) -> int:
        """Append a commit on ``session.version``: the new version, or ConflictError."""
        t, c, s = self._t["tenants"], self._t["commits"], self._t["snapshots"]
        base = session.version
        new = base + 1
        with self.engine.begin() as conn:
            moved = conn.execute(t.update().where(
                t.c.tenant == session.tenant, t.c.version == base).values(version=new))
            if moved.rowcount != 1:
                current = self._head(conn, session.tenant)
                raise ConflictError(session.tenant, base, current)
            conn.execute(c.insert().values(
                tenant=session.tenant, version=new, author=author, at=_stamp(self.clock()),
                reason=reason, edits=json.dumps([dict(e) for e in applied.edits]),
                inverse=json.dumps([dict(e) for e in applied.inverse]),
                touched=json.dumps(list(applied.touched)), idempotency_key=key,
                undoes=undoes))
            if new % self.snapshot_every == 0:
                conn.execute(s.insert().values(
                    tenant=session.tenant, version=new, format_version=FORMAT_VERSION,
                    document=_pack(to_data(session.graph))))
        return new

    def _by_key(self, tenant: str, key: str) -> LogEntry | None:
        sa = sqlalchemy()
        c = self._t["commits"]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(c).where(c.c.tenant == tenant,
                                                  c.c.idempotency_key == key)).first()
        return None if row is None else _entry(row)

    def _after(self, tenant: str, version: int) -> Iterator[tuple[int, list[Any]]]:
        sa = sqlalchemy()
        c = self._t["commits"]
        with self.engine.connect() as conn:
            self._head(conn, tenant)
            rows = conn.execute(sa.select(c.c.version, c.c.edits).where(
                c.c.tenant == tenant, c.c.version > version).order_by(c.c.version)).all()
        for v, edits in rows:
            yield int(v), json.loads(edits)


def _entry(row: Any) -> LogEntry:
    return LogEntry(version=int(row.version), author=row.author,
                    at=pendulum.parse(row.at),  # type: ignore[arg-type]
                    reason=row.reason, edits=tuple(json.loads(row.edits)),
                    touched=tuple(json.loads(row.touched)), undoes=row.undoes,
                    key=row.idempotency_key)


def _pack(document: Mapping[str, Any]) -> bytes:
    return zlib.compress(json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8"), 1)


class StoreSession:
    """A tenant's structure at a version, kept current as it is edited, that commits its
    edits to the store (see :meth:`Store.session`).

    ``graph`` is the structure, ``version`` the version it is at, ``report()`` its
    findings (kept current by a :class:`~mtss_core.Session`).  No lock is held while a
    person thinks: :meth:`commit` writes only if the store is still at ``version``, else
    raises :class:`~mtss_core.errors.ConflictError` and changes nothing.
    """

    def __init__(self, store: Store, tenant: str, graph: AlignmentGraph, version: int,
                 config: Config | None = None, rules: RuleSet | None = None) -> None:
        self.store = store
        self.tenant = tenant
        self.version = version
        self._session = Session(graph, config, rules=rules)

    def __repr__(self) -> str:
        return f"<StoreSession {self.tenant!r} at version {self.version}>"

    @property
    def graph(self) -> AlignmentGraph:
        return self._session.graph

    @property
    def session(self) -> Session:
        """The :class:`~mtss_core.Session` that keeps the findings current."""
        return self._session

    def report(self) -> Any:
        """The current findings (see :meth:`mtss_core.Session.report`)."""
        return self._session.report()

    def commit(self, edits: Iterable[Any], *, author: str, reason: str = "",
               key: str | None = None, undoes: int | None = None) -> Commit:
        """Apply ``edits`` (edit values or their dicts) and append them to the log in one
        transaction, as version ``version + 1``.  All or nothing: a bad edit raises
        :class:`~mtss_core.errors.EditError`; a store that has moved past ``version``
        raises :class:`~mtss_core.errors.ConflictError`; either way nothing is written and
        the session is as it was.  With ``key``, a commit already made with that key is
        not made again: the session catches up to it and its result is returned
        (``repeated``)."""
        if not isinstance(author, str):
            raise StoreError(f"author must be a text, got {author!r}")
        batch = edits_from_data(list(edits))
        if key is not None:
            earlier = self.store._by_key(self.tenant, key)
            if earlier is not None:
                if self.version < earlier.version:
                    self.refresh()
                return Commit(version=earlier.version, repeated=True,
                              applied=Applied(edits=earlier.edits))
        applied = self._session.apply(batch)
        assert applied is not None
        try:
            self.version = self.store._write(self, applied, author=author, reason=reason,
                                             key=key, undoes=undoes)
        except BaseException as exc:
            apply_edits(self._session, applied.inverse)
            sa = sqlalchemy()
            if key is not None and isinstance(exc, sa.exc.IntegrityError):
                earlier = self.store._by_key(self.tenant, key)
                if earlier is not None:  # another worker made the same commit first
                    self.refresh()
                    return Commit(version=earlier.version, repeated=True,
                                  applied=Applied(edits=earlier.edits))
            raise
        return Commit(version=self.version, applied=applied)

    def refresh(self) -> int:
        """Catch up with the commits made since ``version`` (reading only those); return
        how many were applied."""
        newer = list(self.store._after(self.tenant, self.version))
        edits = sum(len(e) for _, e in newer)
        # each edit re-checks what it can change; past about one edit for every hundred
        # objects, one full run costs less, so the graph is edited directly and the
        # session re-checks in full when its findings are next asked for
        target = self.graph if edits * 100 > len(self.graph) else self._session
        for version, batch in newer:
            apply_edits(target, batch, findings=False)
            self.version = version
        return len(newer)
