"""The store's tables, as SQLAlchemy Core ``MetaData`` a product can include in its own
migrations (Alembic's ``target_metadata``)."""

from __future__ import annotations

from typing import Any

from .._extras import sqlalchemy

__all__ = ["LAYOUT", "tables"]

#: The layout of the tables this library reads and writes; kept in ``mtss_meta``.
LAYOUT = 1

_TABLES: dict[str, Any] = {}


def tables() -> dict[str, Any]:
    """``{"metadata": MetaData, "meta": Table, "tenants": ..., "commits": ...,
    "snapshots": ...}``, made once (SQLAlchemy is imported only when the store is used)."""
    if _TABLES:
        return _TABLES
    sa = sqlalchemy()
    metadata = sa.MetaData()
    meta = sa.Table(
        "mtss_meta", metadata,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        comment="mtss_core store settings: the layout version")
    tenants = sa.Table(
        "mtss_tenants", metadata,
        sa.Column("tenant", sa.String(200), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        comment="one structure a tenant: its latest version")
    commits = sa.Table(
        "mtss_commits", metadata,
        sa.Column("tenant", sa.String(200), sa.ForeignKey("mtss_tenants.tenant"),
                  primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("edits", sa.Text, nullable=False),
        sa.Column("inverse", sa.Text, nullable=False),
        sa.Column("touched", sa.Text, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("undoes", sa.Integer, nullable=True),
        sa.UniqueConstraint("tenant", "idempotency_key", name="mtss_commits_key"),
        comment="the append-only log: one row a commit, (tenant, version) unique")
    snapshots = sa.Table(
        "mtss_snapshots", metadata,
        sa.Column("tenant", sa.String(200), sa.ForeignKey("mtss_tenants.tenant"),
                  primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("format_version", sa.Integer, nullable=False),
        sa.Column("document", sa.LargeBinary, nullable=False),
        comment="the whole structure at some versions (zlib-compressed JSON document)")
    _TABLES.update(metadata=metadata, meta=meta, tenants=tenants, commits=commits,
                   snapshots=snapshots)
    return _TABLES
