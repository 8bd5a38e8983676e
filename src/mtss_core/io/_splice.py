"""Changing a JSON or YAML document's text where the changes are and nowhere else.

A fix changes a few fields of a few objects; everything else in the file (its line
endings, a byte-order mark, indentation, key order, comments, blank lines, the quoting of
other values) stays byte for byte as it was.  Each change becomes a splice of the text: a
field's value replaced, a field added after the object's last one or removed with its
separator, an object removed from its section.  The spans come from the JSON scanner (JSON)
and from the YAML composer's marks (YAML); the values written are rendered as the format
writes them.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = ["Entry", "Member", "json_entries", "splice", "yaml_entries"]

_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]*")
MISSING: Any = object()


@attrs.frozen
class Member:
    """One ``key: value`` of an object: where its key starts and its value starts and ends
    (``block``: a YAML block collection, whose end is its last line's)."""

    key: str
    key_start: int
    start: int
    end: int
    multiline: bool = False
    block_list: bool = False


@attrs.frozen
class Entry:
    """An object of a document's section: where it starts and ends, its members, and
    whether its members sit one a line (``block``)."""

    start: int
    end: int
    members: tuple[Member, ...]
    block: bool
    flow_list: bool  # whether the section's list is written inline ([...], JSON or flow)


# --- JSON -------------------------------------------------------------------------------

class _JsonText:
    def __init__(self, text: str) -> None:
        self.text = text
        self.scan: Any = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]

    def skip(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    def members(self, pos: int) -> tuple[list[tuple[str, int, int, int]], int]:
        """``(key, key start, value start, value end)`` of the object at ``pos``, and the
        position after it."""
        text = self.text
        out = []
        i = self.skip(pos + 1)
        while text[i] != "}":
            key_start = i
            key, i = _scanstring(text, i + 1)
            i = self.skip(self.skip(i) + 1)  # the colon
            start = i
            _, i = self.scan(text, i)
            out.append((key, key_start, start, i))
            i = self.skip(i)
            if text[i] == ",":
                i = self.skip(i + 1)
        return out, i + 1


def json_entries(text: str, sections: set[str]) -> dict[str, tuple[str, int, Entry]]:
    """``id -> (section, index, entry)`` for the objects of the document's sections."""
    reader = _JsonText(text)
    top, _ = reader.members(reader.skip(0))
    found: dict[str, tuple[str, int, Entry]] = {}
    for key, _, start, end in top:
        if key not in sections or text[start] != "[":
            continue
        i = reader.skip(start + 1)
        index = 0
        while i < end and text[i] != "]":
            if text[i] == "{":
                members, after = reader.members(i)
                entry = Entry(start=i, end=after, block="\n" in text[i:after],
                              flow_list="\n" not in text[start:end],
                              members=tuple(Member(k, ks, vs, ve,
                                                   multiline="\n" in text[vs:ve])
                                            for k, ks, vs, ve in members))
                ident = next((json.loads(text[m.start:m.end]) for m in entry.members
                              if m.key == "id"), None)
                if isinstance(ident, str):
                    found.setdefault(ident, (key, index, entry))
            else:
                after = reader.scan(text, i)[1]
            i = reader.skip(after)
            if text[i] == ",":
                i = reader.skip(i + 1)
            index += 1
    return found


def _json_value(value: Any, indent: str, unit: str, nl: str, multiline: bool) -> str:
    if multiline and isinstance(value, list) and value:
        inner = (json.dumps(v, ensure_ascii=False) for v in value)
        return "[" + nl + ("," + nl).join(indent + unit + v for v in inner) + nl + indent + "]"
    return json.dumps(value, ensure_ascii=False)


# --- YAML -------------------------------------------------------------------------------

def _node_end(node: Any) -> int:
    """Where a YAML node's own text ends (a block collection: its last item's)."""
    # a block collection (flow_style False, or None for an indentless list) ends where its
    # last item does; its own end mark is the next token's start
    if (isinstance(node.value, list) and node.value
            and getattr(node, "flow_style", None) is not True):
        last = node.value[-1]
        return _node_end(last[1] if isinstance(last, tuple) else last)
    end = int(node.end_mark.index)
    if getattr(node, "style", None) in ("|", ">"):
        while end > node.start_mark.index and node.end_mark.buffer[end - 1] in "\r\n":
            end -= 1
    return end


def yaml_entries(text: str, sections: set[str], yaml: Any
                 ) -> dict[str, tuple[str, int, Entry]]:
    """``id -> (section, index, entry)`` for the objects of a YAML document's sections."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: dict[str, tuple[str, int, Entry]] = {}
    if root is None or not isinstance(root, yaml.MappingNode):
        return found
    for key_node, value in root.value:
        if key_node.value not in sections or not isinstance(value, yaml.SequenceNode):
            continue
        for index, item in enumerate(value.value):
            if not isinstance(item, yaml.MappingNode):
                continue
            members = tuple(Member(
                str(k.value), int(k.start_mark.index), int(v.start_mark.index), _node_end(v),
                multiline=v.start_mark.line != v.end_mark.line,
                block_list=isinstance(v, yaml.SequenceNode) and v.flow_style is not True)
                for k, v in item.value)
            entry = Entry(start=int(item.start_mark.index), end=_node_end(item),
                          members=members, block=item.flow_style is not True,
                          flow_list=value.flow_style is True)
            ident = next((v.value for k, v in item.value if k.value == "id"
                          and isinstance(v, yaml.ScalarNode)), None)
            if isinstance(ident, str):
                found.setdefault(ident, (str(key_node.value), index, entry))
    return found


def _yaml_scalar(value: Any, yaml: Any) -> str:
    text = str(yaml.safe_dump([value], default_flow_style=True, width=2**31,
                              allow_unicode=True)).strip()
    return text[1:-1]


def _yaml_value(value: Any, yaml: Any, indent: str, nl: str, block: bool) -> str:
    """A value as YAML writes it: a list in block style one item a line (at ``indent``),
    when ``block``, else inline."""
    if isinstance(value, list):
        if block and value:
            return (nl + indent).join(f"- {_yaml_scalar(v, yaml)}" for v in value)
        return "[" + ", ".join(_yaml_scalar(v, yaml) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_yaml_scalar(k, yaml)}: {_yaml_scalar(v, yaml)}"
                               for k, v in value.items()) + "}"
    return _yaml_scalar(value, yaml)


# --- splicing ---------------------------------------------------------------------------

def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    """The position after the line break that ends the line holding ``pos``."""
    at = text.find("\n", pos)
    return len(text) if at < 0 else at + 1


def _indent_of(text: str, pos: int) -> str:
    start = _line_start(text, pos)
    return re.match(r"[ \t]*", text[start:pos]).group(0)  # type: ignore[union-attr]


def _column(text: str, pos: int) -> str:
    return " " * (pos - _line_start(text, pos))


def _indent_unit(text: str) -> str:
    m = re.search(r"\n([ \t]+)\S", text)
    return m.group(1) if m else "  "


def splice(text: str, fmt: str, entries: Mapping[str, tuple[str, int, Entry]],
           fields: Mapping[tuple[str, str], Any], deleted: Sequence[str],
           yaml: Any = None) -> str:
    """``text`` with each ``(id, field) -> new value`` of ``fields`` written (``MISSING``
    removes the field) and the objects of ``deleted`` removed, nothing else changed."""
    nl = "\r\n" if "\r\n" in text else "\n"
    unit = _indent_unit(text)
    cuts: list[tuple[int, int, str]] = []
    gone = set(deleted)
    for ident in deleted:
        _, _, entry = entries[ident]
        if entry.flow_list or fmt == "json":
            cuts.append(_drop_item(text, entries, ident, gone))
        else:  # a YAML block list item: its lines, from the dash to the last line's end
            start = _line_start(text, entry.start)
            cuts.append((start, _line_end(text, entry.end), ""))
    by_entry: dict[str, list[tuple[str, Any]]] = {}
    for (ident, field), value in fields.items():
        if ident not in gone:
            by_entry.setdefault(ident, []).append((field, value))
    for ident, changes in by_entry.items():
        _, _, entry = entries[ident]
        members = {m.key: m for m in entry.members}
        added: list[str] = []
        for field, value in changes:
            member = members.get(field)
            if member is None:
                if value is not MISSING:
                    added.append(_render_member(text, fmt, entry, field, value, yaml, nl,
                                                unit))
                continue
            if value is MISSING:
                cuts.append(_drop_member(text, fmt, entry, member))
                continue
            if fmt == "json":
                rendered = _json_value(value, _indent_of(text, member.key_start), unit, nl,
                                       member.multiline)
            else:
                rendered = _yaml_value(value, yaml, _column(text, member.start), nl,
                                       member.block_list)
            cuts.append((member.start, member.end, rendered))
        if added:
            cuts.append(_insert_members(text, fmt, entry, added, nl))
    cuts.sort()
    out = []
    at = 0
    for start, end, new in cuts:
        if start < at:
            raise ValueError("overlapping changes")  # pragma: no cover - a bug if reached
        out.append(text[at:start])
        out.append(new)
        at = end
    out.append(text[at:])
    return "".join(out)


def _render_member(text: str, fmt: str, entry: Entry, field: str, value: Any, yaml: Any,
                   nl: str, unit: str) -> str:
    if fmt == "json":
        key_indent = _indent_of(text, entry.members[-1].key_start) if entry.members else ""
        return (json.dumps(field) + ": "
                + _json_value(value, key_indent, unit, nl, entry.block))
    if entry.block and isinstance(value, list) and value:
        column = _column(text, entry.members[-1].key_start) + "  "
        return f"{field}:{nl}{column}" + _yaml_value(value, yaml, column, nl, True)
    return f"{_yaml_scalar(field, yaml)}: " + _yaml_value(value, yaml, "", nl, False)


def _insert_members(text: str, fmt: str, entry: Entry, added: list[str], nl: str
                    ) -> tuple[int, int, str]:
    if not entry.members:  # {} (JSON) or {} (YAML flow): inside the braces
        at = entry.start + 1
        return at, at, ", ".join(added)
    last = entry.members[-1]
    if fmt == "yaml" and entry.block:
        column = _column(text, last.key_start)
        end = _line_end(text, last.end)
        lines = "".join(f"{column}{member}{nl}" for member in added)
        if end == len(text) and not text.endswith("\n"):
            return end, end, nl + lines[:-len(nl)]
        return end, end, lines
    if entry.block:  # JSON one member a line
        indent = _indent_of(text, last.key_start)
        return last.end, last.end, "".join(f",{nl}{indent}{m}" for m in added)
    return last.end, last.end, "".join(f", {m}" for m in added)


def _drop_member(text: str, fmt: str, entry: Entry, member: Member) -> tuple[int, int, str]:
    members = list(entry.members)
    k = members.index(member)
    if fmt == "yaml" and entry.block:
        if k == 0:  # the key the list item's dash stands before: up to the next key
            nxt = members[1].key_start if len(members) > 1 else _line_end(text, member.end)
            return member.key_start, nxt, ""
        return _line_start(text, member.key_start), _line_end(text, member.end), ""
    if k > 0:  # from the end of the one before: its comma and what follows
        return members[k - 1].end, member.end, ""
    if len(members) > 1:
        return member.key_start, members[1].key_start, ""
    return member.key_start, member.end, ""


def _drop_item(text: str, entries: Mapping[str, tuple[str, int, Entry]], ident: str,
               gone: set[str]) -> tuple[int, int, str]:
    """An object of an inline or JSON list, with the comma that joins it to its
    neighbours: from the end of the item before it when a kept item comes before it,
    else up to the start of the item after it."""
    section, index, entry = entries[ident]
    items = {i: (e, k) for k, (s, i, e) in entries.items() if s == section}
    kept_before = any(i < index and k not in gone for i, (_, k) in items.items())
    if kept_before and index - 1 in items:
        return items[index - 1][0].end, entry.end, ""
    if index + 1 in items:
        return entry.start, items[index + 1][0].start, ""
    return entry.start, entry.end, ""
