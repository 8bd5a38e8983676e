"""Writing a document: objects to plain data, JSON (a piece at a time) or YAML.

Every type's entries come from the graph's registry: a section per node type, in the
registry's order; a type listed inside another's entries (a team's members) written there;
fields at their defaults left out.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pendulum

from .._atomic import atomic_write, write_text
from ..graph import AlignmentGraph
from ..model import duration_iso
from ._parse import format_of, require_yaml, unknown_format

__all__ = ["FORMAT_VERSION", "dump", "dumps", "plain", "to_data", "to_entry"]

#: The version of the document format this release reads and writes.
FORMAT_VERSION = 1


def plain(value: Any) -> Any:
    """A model value as a document writes it: enums as their values, dates as ISO 8601
    text, durations as ISO 8601 durations, tuples as lists.

    >>> import pendulum
    >>> plain((pendulum.date(2026, 9, 1), "x"))
    ['2026-09-01', 'x']
    """
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (pendulum.DateTime, pendulum.Date)):
        return value.isoformat()
    if isinstance(value, pendulum.Duration):
        return duration_iso(value)
    if attrs.has(type(value)):
        return to_entry(value)
    if isinstance(value, tuple):
        if value and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str)
                         for v in value):
            return {k: plain(v) for k, v in value}  # a frozen mapping, e.g. sub-scales
        return [plain(v) for v in value]
    return value


def to_entry(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object as its document entry: plain data, fields at their defaults left out
    (``skip`` leaves out more, as a team's members leave out their team).

    >>> from mtss_core.model import FocusArea
    >>> to_entry(FocusArea(id="fa-1", district="d1", name="Early literacy"))
    {'id': 'fa-1', 'district': 'd1', 'name': 'Early literacy'}
    """
    out: dict[str, Any] = {}
    for a in attrs.fields(type(obj)):
        if a.name in skip:
            continue
        value = getattr(obj, a.name)
        default = a.default
        if default is not attrs.NOTHING:
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if value == default or (a.converter is not None and value == a.converter(default)):
                continue
        out[a.name] = plain(value)
    return out


def _sections(graph: AlignmentGraph) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Each non-empty section of the document for ``graph`` with its entries, made one
    at a time as they are read."""
    types = graph.types
    objects: dict[str, list[Any]] = {t.name: [] for t in types.nodes}
    for obj in graph:
        objects[obj.type_name].append(obj)
    # the edge types a document lists inside their container's entries (a team's members)
    inside = {t.name: [(n.nested[1], n.nested[0]) for n in types.nested_in(t.name)
                       if n.nested is not None] for t in types.nodes}

    def entries(name: str, section: list[Any]) -> Iterator[dict[str, Any]]:
        listed = inside[name]
        for obj in section:
            entry = to_entry(obj)
            for key, field in listed:
                # (memberships are the graph's edges; ended seats are history to keep)
                seats = graph.members(obj.id, history=True)
                if seats:
                    entry[key] = [to_entry(m, skip=(field,)) for m in seats]
            yield entry

    for t in types.nodes:
        section = objects[t.name]
        if section:
            yield t.section, entries(t.name, section)


def _header(graph: AlignmentGraph) -> dict[str, Any]:
    doc: dict[str, Any] = {"format_version": FORMAT_VERSION}
    if graph.as_of is not None:
        doc["as_of"] = graph.as_of.isoformat()
    return doc


def to_data(graph: AlignmentGraph) -> dict[str, Any]:
    """The document for ``graph`` as plain data; fields at their defaults are left out.

    >>> from mtss_core import AlignmentGraph, OrgUnit, to_data
    >>> to_data(AlignmentGraph([OrgUnit(id="d1", kind="district", name="Maple")]))
    {'format_version': 1, 'units': [{'id': 'd1', 'kind': 'district', 'name': 'Maple'}]}
    """
    doc = _header(graph)
    doc.update((name, list(entries)) for name, entries in _sections(graph))
    return doc


def _json_chunks(graph: AlignmentGraph) -> Iterator[str]:
    """The indented JSON text of the document, a piece at a time: the same text as
    ``json.dumps(to_data(graph), indent=2)``, without the whole document in memory."""
    header = _header(graph)
    yield "{"
    sep = "\n"
    for key, value in header.items():
        yield f"{sep}  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        sep = ",\n"
    for name, entries in _sections(graph):
        yield f'{sep}  "{name}": ['
        between = "\n    "
        for entry in entries:  # strings escape their line breaks: each "\n" is layout
            text = json.dumps(entry, indent=2, ensure_ascii=False)
            yield between + text.replace("\n", "\n    ")
            between = ",\n    "
        yield "\n  ]"
    yield "\n}\n"


#: Characters YAML readers fold into line breaks or drop unless they are escaped.
_YAML_SPECIAL = frozenset("\x85\u2028\u2029\ufeff") | frozenset(map(chr, range(32))) - {"\n"}


def _yaml_dumper(yaml: Any) -> Any:
    """A safe dumper that double-quotes (and so escapes) strings YAML would not keep."""

    class Dumper(yaml.SafeDumper):  # type: ignore[misc]
        pass

    def text(dumper: Any, value: str) -> Any:
        style = '"' if any(ch in _YAML_SPECIAL for ch in value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return Dumper


def dumps(graph: AlignmentGraph, fmt: str = "json") -> str:
    """The text of the document for ``graph``, as JSON (indented) or YAML."""
    if fmt == "json":
        return "".join(_json_chunks(graph))
    if fmt == "yaml":
        yaml = require_yaml("Writing YAML documents")
        return str(yaml.dump(to_data(graph), Dumper=_yaml_dumper(yaml), sort_keys=False,
                             allow_unicode=True))
    raise unknown_format(fmt, "<dumps>")


def dump(graph: AlignmentGraph, path: str | os.PathLike[str]) -> None:
    """Write the document for ``graph`` to a ``.json``, ``.yaml`` or ``.yml`` file.

    JSON is written a piece at a time, so a state or a nation is never held in memory
    as one document.
    """
    p = Path(path)
    fmt = format_of(p)
    if fmt == "xlsx":  # (mtss_core.io.dump writes workbooks)
        raise unknown_format(fmt, str(p))
    if fmt != "json":
        write_text(p, dumps(graph, fmt))
        return
    with atomic_write(p) as out:
        out.writelines(_json_chunks(graph))
