"""A small, safe, streaming XML reader: the records of an interchange, one at a time.

Built on the standard library's expat.  DTDs and entity declarations are refused (so an
entity-expansion "bomb" is never expanded and nothing is fetched); namespaces are dropped
(Ed-Fi changes its namespace with every Data Standard version); each element keeps the
line and column it starts at; the input is fed in chunks, and a single tag or attribute
value longer than ``Limits.max_token_bytes`` is refused before expat's re-scanning of an
unfinished token (whose cost grows with the square of its size) can stall the caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

from .._limits import Limits
from ..errors import DocumentError, Problem

__all__ = ["Element", "XmlError", "records"]

_CHUNK = 1 << 16


class Element:
    """An XML element: local tag name, attributes (local names), children, text, place."""

    __slots__ = ("_parts", "_size", "attrib", "children", "column", "line", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], line: int, column: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.children: list[Element] = []
        # character data arrives in pieces (a line, an entity at a time): kept in a list
        # and joined once, so text of many pieces costs linear time, not quadratic
        self._parts: list[str] = []
        self._size = 0
        self.line = line
        self.column = column

    @property
    def text(self) -> str:
        """The element's own character data."""
        parts = self._parts
        if len(parts) > 1:
            parts[:] = ["".join(parts)]
        return parts[0] if parts else ""

    def child(self, *path: str) -> Element | None:
        """The first descendant along ``path`` of tag names, or ``None``."""
        el: Element | None = self
        for name in path:
            assert el is not None
            el = next((c for c in el.children if c.tag == name), None)
            if el is None:
                return None
        return el

    def all(self, name: str) -> list[Element]:
        """Every child with tag ``name``."""
        return [c for c in self.children if c.tag == name]

    def value(self, *path: str) -> str:
        """The stripped text of the descendant along ``path`` ('' when absent)."""
        found = self.child(*path)
        return found.text.strip() if found is not None else ""

    def __repr__(self) -> str:
        return f"<Element {self.tag} at line {self.line}>"


class XmlError(Exception):
    """Raised inside the reader; turned into a :class:`DocumentError` by :func:`records`."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def records(data: bytes, source: str, limits: Limits,
            root: dict[str, str] | None = None) -> Iterator[Element]:
    """Each child of the root element, built whole, in document order.

    Raises :class:`~mtss_core.DocumentError` (with the line and column) for text that is
    not well-formed XML, a DTD, an entity declaration, too deep nesting, an oversized
    token or an element holding more text than ``Limits.max_token_bytes``; records before
    the fault have been yielded by then.  ``root``, if given, receives the root element's
    ``tag`` and ``namespace`` (Ed-Fi names its Data Standard version there).
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = False
    stack: list[Element] = []
    done: list[Element] = []
    root_seen = False
    last = [0]  # byte index of the latest event: how far expat has got

    def fail(message: str) -> None:
        raise XmlError(message)

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal root_seen
        last[0] = parser.CurrentByteIndex
        el = Element(_local(tag), {_local(k): v for k, v in attrs.items()},
                     parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        if len(stack) >= limits.max_depth:
            fail(f"elements nested deeper than {limits.max_depth} levels (Limits.max_depth)")
        if stack:
            stack[-1].children.append(el)
        elif root_seen:
            fail("a second root element")
        elif root is not None:
            root["tag"] = el.tag
            root["namespace"] = tag.rsplit("}", 1)[0] if "}" in tag else ""
        root_seen = True
        stack.append(el)

    def end(_tag: str) -> None:
        last[0] = parser.CurrentByteIndex
        el = stack.pop()
        if len(stack) == 1:
            done.append(el)
            stack[0].children.clear()  # the root keeps nothing: records stream through

    cap = limits.max_token_bytes

    def text(data: str) -> None:
        last[0] = parser.CurrentByteIndex
        if len(stack) > 1:  # the root's own text (layout between records) is not kept
            el = stack[-1]
            el._size += len(data)
            if el._size > cap:
                fail(f"element <{el.tag}> (line {el.line}) holds more than {cap} characters "
                     "of text (Limits.max_token_bytes)")
            el._parts.append(data)

    def refuse(*_: Any) -> None:
        fail("DTDs and entity declarations are not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    fed = 0
    total = 0
    try:
        for at in range(0, len(data) + 1, _CHUNK):
            chunk = data[at:at + _CHUNK]
            final = at + _CHUNK >= len(data)
            parser.Parse(chunk, final)
            fed += len(chunk)
            if fed - max(last[0], 0) > limits.max_token_bytes and not final:
                line = parser.CurrentLineNumber
                raise _error(source, "a single tag, attribute value or other token larger "
                                     f"than {limits.max_token_bytes} bytes "
                                     "(Limits.max_token_bytes)", line, None)
            total += len(done)
            if total > limits.max_rows:
                raise _error(source, f"more than {limits.max_rows} records "
                                     "(Limits.max_rows)", parser.CurrentLineNumber, None)
            yield from done
            done.clear()
            if final:
                break
    except expat.ExpatError as exc:
        yield from done
        raise _error(source, f"not well-formed XML: {expat.ErrorString(exc.code)}",
                     exc.lineno, exc.offset + 1) from None
    except XmlError as exc:
        raise _error(source, str(exc), parser.CurrentLineNumber,
                     parser.CurrentColumnNumber + 1) from None
    except (ValueError, LookupError) as exc:  # e.g. an unknown encoding="..."
        raise _error(source, f"cannot be read as XML: {exc}", None, None) from None
    if not root_seen:
        raise _error(source, "no XML element in the file", None, None)


def _error(source: str, message: str, line: int | None, column: int | None) -> DocumentError:
    return DocumentError([Problem(source=source, pointer="", message=message, line=line,
                                  column=column)])
