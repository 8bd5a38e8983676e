"""Optional dependencies, imported when first needed, with a message naming the extra."""

from __future__ import annotations

from typing import Any

from .errors import MissingExtraError


def pandas() -> Any:
    """The ``pandas`` module (the ``dataframes`` extra)."""
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("pandas", "dataframes", "DataFrames") from None
    return pandas


def openpyxl() -> Any:
    """The ``openpyxl`` module (the ``xlsx`` extra: workbooks)."""
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError("openpyxl", "xlsx", "Workbooks (.xlsx)") from None
    return openpyxl


def sqlalchemy() -> Any:
    """The ``sqlalchemy`` module (the ``store`` extra: a store on SQLite or PostgreSQL)."""
    try:
        import sqlalchemy
    except ImportError:
        raise MissingExtraError("SQLAlchemy", "store", "The store") from None
    return sqlalchemy
