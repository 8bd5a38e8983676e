"""Find the line and column of JSON pointers in a document's text (used only on errors)."""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Iterable
from typing import Any

from ._pointer import escape, tokens

__all__ = ["field_spans", "locate", "places"]

_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]*")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


class _JsonLocator:
    """Walks JSON text along a pointer, skipping values it does not need with the C scanner."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scan: Any = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
        self.members: dict[int, list[tuple[str, int]] | list[int]] = {}

    def _skip(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    def _children(self, pos: int) -> list[tuple[str, int]] | list[int]:
        """Keys and value positions of the object, or value positions of the array, at pos."""
        cached = self.members.get(pos)
        if cached is not None:
            return cached
        text = self.text
        opening = text[pos]
        out: list[Any] = []
        i = self._skip(pos + 1)
        closing = "}" if opening == "{" else "]"
        while i < len(text) and text[i] != closing:
            if opening == "{":
                key, i = _scanstring(text, i + 1)
                i = self._skip(i)
                i = self._skip(i + 1)  # the colon
                out.append((key, i))
            else:
                out.append(i)
            _, i = self.scan(text, i)
            i = self._skip(i)
            if i < len(text) and text[i] == ",":
                i = self._skip(i + 1)
        self.members[pos] = out
        return out

    def find(self, pointer: str) -> int | None:
        pos = self._skip(0)
        for token in tokens(pointer):
            if pos >= len(self.text) or self.text[pos] not in "{[":
                return None
            children = self._children(pos)
            if self.text[pos] == "{":
                found = [p for k, p in children if k == token]  # type: ignore[misc]
                if not found:
                    return None
                pos = found[-1]
            else:
                if not token.isdigit() or int(token) >= len(children):
                    return None
                pos = children[int(token)]  # type: ignore[assignment]
        return pos


def _locate_yaml(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root = yaml.compose(text, Loader=loader)
    out: dict[str, tuple[int, int]] = {}
    for pointer in pointers:
        node = root
        for token in tokens(pointer):
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if getattr(k, "value", None) == token:
                        nxt = v
            elif (isinstance(node, yaml.SequenceNode) and token.isdigit()
                  and int(token) < len(node.value)):
                nxt = node.value[int(token)]
            if nxt is None:
                break  # a missing member: point at the nearest parent that exists
            node = nxt
        if node is not None:
            out[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    return out


def locate(text: str, fmt: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Map each pointer to a 1-based (line, column); a missing member maps to its parent.

    >>> locate('{"a": [1, {"b": 2}]}', "json", ["/a/1/b", "/a/1/c"])
    {'/a/1/b': (1, 17), '/a/1/c': (1, 11)}
    """
    if fmt == "yaml":
        return _locate_yaml(text, pointers)
    loc = _JsonLocator(text)
    out: dict[str, tuple[int, int]] = {}
    for pointer in pointers:
        parts = tokens(pointer)
        for n in range(len(parts), -1, -1):
            prefix = "".join("/" + escape(t) for t in parts[:n])
            pos = loc.find(prefix)
            if pos is not None:
                out[pointer] = _line_col(text, pos)
                break
    return out


def places(text: str, fmt: str = "json") -> dict[str, tuple[int, int]]:
    """The line and column of each object of a document, by id (where its id is
    written), for tools that point at findings (SARIF, GitHub annotations).

    >>> places('{"format_version": 1,\\n "units": [{"id": "d1", "kind": "district"}]}')
    {'d1': (2, 19)}
    """
    if fmt == "json":
        data = json.loads(text)
    else:
        import yaml

        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        return {}
    pointers: dict[str, str] = {}
    for section, entries in data.items():
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                pointers.setdefault(entry["id"], f"/{escape(section)}/{i}/id")
    found = locate(text, fmt, pointers.values())
    return {ident: found[pointer] for ident, pointer in pointers.items() if pointer in found}


Span = tuple[int, int, int, int]


def field_spans(text: str, fields: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Span]:
    """Where the value of each ``(object id, field)`` is written in a JSON document:
    (start line, start column, end line, end column), 1-based, the end just after it, for
    tools that replace text (SARIF fixes).  A field the document does not write is left
    out.

    >>> field_spans('{"visions": [{"id": "v-1", "aligned_to": "v-0"}]}',
    ...             [("v-1", "aligned_to"), ("v-1", "owner")])
    {('v-1', 'aligned_to'): (1, 42, 1, 47)}
    """
    data = json.loads(text)
    if not isinstance(data, dict):
        return {}
    where: dict[str, str] = {}
    for section, entries in data.items():
        if isinstance(entries, list):
            for i, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    where.setdefault(entry["id"], f"/{escape(section)}/{i}")
    loc = _JsonLocator(text)
    out: dict[tuple[str, str], Span] = {}
    for ident, field in fields:
        base = where.get(ident)
        pos = None if base is None else loc.find(f"{base}/{escape(field)}")
        if pos is None:
            continue
        _, end = loc.scan(text, pos)
        out[(ident, field)] = (*_line_col(text, pos), *_line_col(text, end))
    return out

