"""Bounds on the work any input may cause: every loader and importer reads through them."""

from __future__ import annotations

from typing import Any

import attrs

from .errors import ConfigError

__all__ = ["Limits"]


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"Limits.{attribute.name} must be a positive whole number, "
                         f"got {value!r}")


@attrs.frozen(kw_only=True)
class Limits:
    """What an input may not exceed, so that hostile input is refused, not obeyed.

    ``max_bytes`` bounds each file or text read (documents, CSV and XML files, each member
    of a zip archive, uncompressed); ``max_depth`` the nesting of lists and mappings (and
    of XML elements); ``max_nodes`` the number of values once YAML aliases are expanded
    (an "alias bomb" of a few lines can otherwise expand to billions); ``max_rows`` the
    rows of one CSV file or the records of one XML or JSON file; ``max_token_bytes`` one
    XML tag or attribute value (an XML parser's time grows with the square of a token's
    size); ``max_zip_ratio`` how many times larger than its compressed size a zip member
    may be (a "zip bomb").

    >>> from mtss_core import Limits, loads
    >>> loads('{"format_version": 1}', limits=Limits(max_bytes=10))
    Traceback (most recent call last):
    ...
    mtss_core.errors.DocumentError: 1 problem(s) in the document:
    <string>: the document is 21 bytes; the limit is 10 (Limits.max_bytes)
    """

    max_bytes: int = attrs.field(default=512 * 1024 * 1024, validator=_positive)
    max_depth: int = attrs.field(default=64, validator=_positive)
    max_nodes: int = attrs.field(default=50_000_000, validator=_positive)
    max_rows: int = attrs.field(default=20_000_000, validator=_positive)
    max_token_bytes: int = attrs.field(default=1024 * 1024, validator=_positive)
    max_zip_ratio: int = attrs.field(default=200, validator=_positive)
