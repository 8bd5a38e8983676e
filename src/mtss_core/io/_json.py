"""Strict JSON: one reading of JSON text for every part of the library that reads it.

Strict means: a key named twice in one object is refused (the second would silently win),
``NaN`` and the infinities are refused (JSON has no such numbers), integers too long to
read are refused, and nesting is bounded (``Limits.max_depth``), so that deep input ends
in a typed error rather than a ``RecursionError``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["DuplicateKeyError", "NotANumberError", "decoder", "deeper_than"]


class DuplicateKeyError(ValueError):
    """A key named twice in one JSON object."""


class NotANumberError(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in JSON text."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKeyError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise NotANumberError(f"{name} is not a JSON number")


#: A decoder that refuses duplicate keys and NaN / Infinity (``raw_decode`` reads one value
#: at a position, for arrays and JSON Lines read a record at a time).
decoder = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constant)


def deeper_than(value: Any, limit: int, start: int = 1) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels (``value``
    itself at level ``start``), without recursion.

    >>> deeper_than([[[]]], 2), deeper_than([[[]]], 3)
    (True, False)
    """
    stack = [(value, start)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if type(item) is dict:
            stack.extend((v, depth + 1) for v in item.values() if type(v) in (dict, list))
        elif type(item) is list:
            stack.extend((v, depth + 1) for v in item if type(v) in (dict, list))
    return False
