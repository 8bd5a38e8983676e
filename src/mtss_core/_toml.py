"""The TOML reader: the standard library's on Python 3.11+, ``tomli`` (the ``toml`` extra)
before."""

from __future__ import annotations

import sys
from typing import Any

from .errors import MissingExtraError


def toml() -> Any:
    """The ``tomllib`` module (or ``tomli`` on Python 3.10)."""
    if sys.version_info >= (3, 11):
        import tomllib
        return tomllib
    try:  # pragma: no cover - Python 3.10
        import tomli
    except ImportError:  # pragma: no cover
        raise MissingExtraError("tomli", "toml", "Reading TOML configuration") from None
    return tomli  # pragma: no cover
