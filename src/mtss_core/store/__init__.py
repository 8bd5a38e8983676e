"""A system of record: many editors, every change kept, any version answerable.

A store keeps, for each tenant (a district, a vendor's customer), one structure and its
whole history: an append-only log of commits (version, author, time, reason, the edits as
data), with a snapshot of the whole structure every ``snapshot_every`` commits so that
loading never replays the whole log.  SQLite is the embedded default (a file, or memory);
PostgreSQL serves many workers (the ``postgres`` extra).  It needs the ``store`` extra
(SQLAlchemy 2 Core).

- :func:`open_store` opens (and, empty, makes) a store; ``store.create(tenant, graph)``
  adds a tenant at version 0.
- ``store.session(tenant)`` is a :class:`StoreSession` at the latest version, its findings
  kept current; ``session.commit(edits, author=..., reason=...)`` applies a batch of
  :mod:`mtss_core.edits` and appends it in one transaction.  If the store has moved past
  the session's version, :class:`~mtss_core.errors.ConflictError` names both versions and
  nothing is written (optimistic concurrency: no lock is held while a person thinks); an
  idempotency ``key`` makes a retried commit land once; ``session.refresh()`` catches up
  by reading only the newer commits.
- ``store.graph(tenant, version=N)`` or ``at=moment`` answers "what did it look like
  then"; ``store.log(tenant, id=...)`` says who changed an object, when and why;
  ``store.undo(tenant, version, author=...)`` reverses one commit with a new one.
- :data:`metadata` is the tables' SQLAlchemy ``MetaData``, to include in a product's own
  migrations; the layout is versioned, and a store of another layout is refused with what
  to do.
"""

from __future__ import annotations

from ..errors import ConflictError, StoreError
from ._store import Commit, LogEntry, Store, StoreSession, open_store
from ._tables import LAYOUT, tables

__all__ = ["LAYOUT", "Commit", "ConflictError", "LogEntry", "Store", "StoreError",
           "StoreSession", "metadata", "open_store"]

#: The store's tables as SQLAlchemy ``MetaData``: ``mtss_meta`` (the layout version),
#: ``mtss_tenants``, ``mtss_commits`` (the log, keyed by tenant and version) and
#: ``mtss_snapshots``; include it in a product's own Alembic ``target_metadata``.
#: (Importing :mod:`mtss_core.store` needs the ``store`` extra.)
metadata = tables()["metadata"]
