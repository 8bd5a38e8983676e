"""Strict JSON: one reading of JSON text for every part of the library that reads it.

Strict means: a key named twice in one object is refused (the second would silently win),
``NaN`` and the infinities are refused (JSON has no such numbers), integers too long to
read are refused, and nesting is bounded (``Limits.max_depth``), so that deep input ends
in a typed error rather than a ``RecursionError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["DuplicateKeyError", "NotANumberError", "decoder", "deeper_than", "object_pairs",
           "strict_loads"]


class DuplicateKeyError(ValueError):
    """A key named twice in one JSON object."""


class NotANumberError(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in JSON text; ``name`` says which."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not a JSON number")
        self.name = name


def object_pairs(duplicates: list[tuple[dict[str, Any], str]] | None = None
                 ) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """An ``object_pairs_hook`` that refuses a key named twice in one object: at once
    (:class:`DuplicateKeyError`), or, given a list, by recording ``(object, key)`` in it
    and reading on (so a document can report every duplicate with its lines)."""
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(items)
        if len(made) != len(items):
            seen: set[str] = set()
            for key, _value in items:
                if key in seen:
                    if duplicates is None:
                        raise DuplicateKeyError(f"the key {key!r} appears twice in one object")
                    duplicates.append((made, key))
                    break
                seen.add(key)
        return made
    return pairs


def _no_constant(name: str) -> Any:
    raise NotANumberError(name)


def strict_loads(text: str, duplicates: list[tuple[dict[str, Any], str]] | None = None
                 ) -> Any:
    """``json.loads`` with the strict rules (duplicates recorded in ``duplicates`` if
    given); ``RecursionError`` and ``ValueError`` (too long an integer) pass to the caller,
    who knows the source to name."""
    return json.loads(text, object_pairs_hook=object_pairs(duplicates),
                      parse_constant=_no_constant)


#: A decoder that refuses duplicate keys and NaN / Infinity (``raw_decode`` reads one value
#: at a position, for arrays and JSON Lines read a record at a time).
decoder = json.JSONDecoder(object_pairs_hook=object_pairs(), parse_constant=_no_constant)


def deeper_than(value: Any, limit: int, start: int = 1) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels (``value``
    itself at level ``start``), without recursion.

    >>> deeper_than([[[]]], 2), deeper_than([[[]]], 3)
    (True, False)
    """
    stack = [(value, start)]
    push = stack.append
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        kind = type(item)
        if kind is dict:
            items = item.values()
        elif kind is list:
            items = item
        else:
            continue
        depth += 1
        for v in items:  # most values are scalars: only containers go on the stack
            kind = type(v)
            if kind is dict or kind is list:
                push((v, depth))
    return False
