"""The document format: a whole structure as JSON or YAML, loaded with precise errors.

A document is a mapping with a ``format_version`` and one list per type of object; a
team lists its members.  Loading either returns a complete
:class:`~mtss_core.AlignmentGraph` or raises one :class:`~mtss_core.DocumentError`
listing every problem, each with the file, line and column, JSON pointer and field.  See
``docs/format.md``.  The work is split by step: :mod:`._parse` (text to data),
:mod:`._decode` (data to objects and a graph), :mod:`._encode` (a graph to data and text).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._files import read_file
from .._gc import collector_paused
from .._limits import Limits
from ..errors import DocumentError, Problem
from ..graph import AlignmentGraph
from ..model import TYPES, Registry
from ._decode import build, with_positions
from ._encode import FORMAT_VERSION, dumps, to_data, to_entry
from ._encode import dump as _dump_text
from ._parse import DEFAULT_MAX_PROBLEMS, format_of, parse
from ._workbook import write_workbook
from ._workbook_read import read_workbook

__all__ = ["FORMAT_VERSION", "Limits", "dump", "dumps", "from_data", "load", "loads",
           "overlay", "to_data", "to_entry"]


def from_data(data: Any, *, source: str = "<data>", text: str | None = None,
              fmt: str = "json", max_problems: int = DEFAULT_MAX_PROBLEMS,
              strict: bool = True, types: Registry = TYPES) -> AlignmentGraph:
    """Build a graph from a parsed document (plain dicts and lists).

    ``text`` (the document's source, in format ``fmt``) lets problems carry a
    line and column.

    >>> from mtss_core import from_data
    >>> g = from_data({"format_version": 1,
    ...                "units": [{"id": "dist-maple", "kind": "district", "name": "Maple"}]})
    >>> g["dist-maple"].name
    'Maple'
    >>> from_data({"format_version": 1, "units": [{"id": "s1", "kind": "schol"}]})
    Traceback (most recent call last):
    ...
    mtss_core.errors.DocumentError: 1 problem(s) in the document:
    <data>: /units/0/kind: expected one of 'state', 'isd', 'district', 'school', 'grade', \
'department', 'course'; got 'schol' (did you mean 'school'?)

    Fields are checked first; references between objects are checked once every
    object is well formed.  With ``strict=False`` broken references, duplicate
    ids and the like do not raise: the graph is built leniently
    (:meth:`AlignmentGraph.lenient`) and the ``STR`` rules report them.  ``types``
    is the registry of object types the document holds (the shipped ones by default).
    """
    with collector_paused():
        return build(data, source, text, fmt, max_problems, strict, types=types)


def overlay(base: AlignmentGraph, document: Any, *, fmt: str | None = None,
            source: str | None = None) -> AlignmentGraph:
    """``base`` (an import, say) plus a document that adds teams, visions, focus areas...

    ``document`` is plain data, or the path of a ``.json`` / ``.yaml`` file.  Its
    objects may refer to the base's ids.  An object with an id the base already has
    must be identical to it; a different one is a conflict, reported — never
    resolved silently — in a :class:`~mtss_core.DocumentError`.  Neither input is
    changed; a new graph is returned.

    >>> from mtss_core import AlignmentGraph, OrgUnit, overlay
    >>> base = AlignmentGraph([OrgUnit(id="d1", kind="district", name="Maple")])
    >>> g = overlay(base, {"format_version": 1, "teams": [
    ...     {"id": "t1", "kind": "district-leadership", "unit": "d1"}]})
    >>> g, base
    (<AlignmentGraph: 1 unit, 1 team>, <AlignmentGraph: 1 unit>)
    >>> overlay(base, {"format_version": 1, "units": [{"id": "d1", "kind": "isd"}]})
    Traceback (most recent call last):
    ...
    mtss_core.errors.DocumentError: 1 problem(s) in the document:
    <overlay>: /units/0/kind: conflicts with the base structure in kind, name: \
expected 'district', got 'isd'
    """
    text = None
    if isinstance(document, (str, os.PathLike)):
        p = Path(document)
        fmt = fmt or format_of(p)
        source = source or str(p)
        try:
            text = read_file(p, source, Limits()).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError.single(source, f"not UTF-8 text (byte {exc.start})") from None
        document = parse(text, fmt, source)
    with collector_paused():
        return build(document, source or "<overlay>", text, fmt or "json",
                     DEFAULT_MAX_PROBLEMS, True, base=base)


def loads(text: str, fmt: str = "json", *, source: str = "<string>",
          max_problems: int = DEFAULT_MAX_PROBLEMS, strict: bool = True,
          limits: Limits | None = None, check_schema: bool = False,
          types: Registry = TYPES) -> AlignmentGraph:
    """Build a graph from the text of a JSON or YAML document (of ``types``: the shipped
    object types by default).

    >>> from mtss_core import loads
    >>> loads('{"format_version": 1, "units": [{"id": "d1", "kind": "district"}]}')
    <AlignmentGraph: 1 unit>
    >>> loads('{"format_version": 1,\\n "units": [{"id": "d1", "kind": 7}]}')
    Traceback (most recent call last):
    ...
    mtss_core.errors.DocumentError: 1 problem(s) in the document:
    <string>:2:33: /units/0/kind: expected one of 'state', 'isd', 'district', 'school', \
'grade', 'department', 'course'; got 7
    """
    data = parse(text, fmt, source, limits)
    if check_schema:  # the JSON Schema first (schema extra), then the loader's own checks
        from ._schema import check_document

        problems = check_document(data, source=source, types=types)
        if problems:
            raise DocumentError(with_positions(problems[:max_problems], text, fmt),
                                truncated=len(problems) > max_problems)
    # parsed here from JSON, so no one else holds the entries and none is shared (YAML
    # aliases can share one list between sections): let each go once it is built
    with collector_paused():
        return build(data, source, text, fmt, max_problems, strict,
                     consume=fmt == "json", types=types)


def load(path: str | os.PathLike[str], *, max_problems: int = DEFAULT_MAX_PROBLEMS,
         strict: bool = True, limits: Limits | None = None,
         check_schema: bool = False, types: Registry = TYPES, source: str | None = None
         ) -> AlignmentGraph:
    """Build a graph from a ``.json``, ``.yaml`` or ``.yml`` file, or an ``.xlsx``
    workbook (the ``xlsx`` extra; see :func:`~mtss_core.io.write_workbook`).  Problems
    are reported under ``source`` (by default the path).

    >>> from mtss_core import load
    >>> from mtss_core.io import example_path
    >>> load(example_path())
    <AlignmentGraph: 11 units, 26 people, 16 teams, 16 visions, 5 sets of non-negotiables, \
6 improvement plans, 13 focus areas, 4 data sources, 4 risk thresholds, 48 meetings, \
6 status updates, 14 stage records, 5 readiness assessments, 9 fidelity assessments, \
1 leadership self-assessment, 13 resource allocations, 2 barriers, 6 communication protocols, \
2 evidence records, 3 capacity assessments, 1 cohort, 1 cohort application, 2 buy-in surveys, \
4 success highlights, 67 memberships>
    """
    p = Path(path)
    name = source or str(p)
    fmt = format_of(p)
    if fmt == "xlsx":
        return read_workbook(p, strict=strict, limits=limits, types=types,
                             check_schema=check_schema, source=name)
    raw = read_file(p, name, limits or Limits())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError([Problem(source=name, pointer="",
                                     message=f"not UTF-8 text (byte {exc.start})")]) from None
    del raw  # a large document is held once, as text
    return loads(text, fmt, source=name, max_problems=max_problems, strict=strict,
                 limits=limits, check_schema=check_schema, types=types)


def dump(graph: AlignmentGraph, path: str | os.PathLike[str]) -> None:
    """Write the document for ``graph`` to a ``.json``, ``.yaml`` or ``.yml`` file, or to
    an ``.xlsx`` workbook to fill in by hand (the ``xlsx`` extra; see
    :func:`~mtss_core.io.write_workbook`).

    JSON is written a piece at a time, so a state or a nation is never held in memory
    as one document.

    >>> import tempfile, pathlib
    >>> from mtss_core import example
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> dump(example(), folder / "lakeshore.json")
    >>> (folder / "lakeshore.json").read_text(encoding="utf-8").split()[:2]
    ['{', '"format_version":']
    """
    if format_of(Path(path)) == "xlsx":
        write_workbook(graph, path)
        return
    _dump_text(graph, path)
