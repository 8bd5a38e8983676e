"""The document format: a whole structure as JSON or YAML, loaded with precise errors.

A document is a mapping with a ``format_version`` and one list per kind of
object; members sit inside their team.  Loading either returns a complete
:class:`~mtss_core.AlignmentGraph` or raises one
:class:`~mtss_core.DocumentError` listing every problem, each with the file,
line and column, JSON pointer and field.  See ``docs/format.md``.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pendulum

from ..errors import DocumentError, MissingExtraError, Problem
from ..graph._store import AlignmentGraph, bulk
from ..model._core import Membership, Team, to_date
from ..model._registry import TYPES, ModelObject
from ..model._time import Meeting, duration_iso, to_datetime
from ._files import read_file
from ._limits import Limits

__all__ = ["FORMAT_VERSION", "Limits", "dump", "dumps", "from_data", "load", "loads",
           "overlay", "to_data"]

#: The version of the document format this release reads and writes.
FORMAT_VERSION = 1

#: Top-level lists of a document, in order, and the class of their entries.
SECTIONS: dict[str, type[Any]] = TYPES.sections
#: Top-level keys besides the sections.
_HEADER = ("format_version", "as_of", "timezone")
_SECTION_OF = {cls: name for name, cls in SECTIONS.items()}
_MEMBER_FIELDS = ("person", "roles", "since")
DEFAULT_MAX_PROBLEMS = 100


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_word(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return type(value).__name__


class _Collector:
    """Collects problems up to a limit; the document's pointers index the entries."""

    def __init__(self, source: str, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.problems: list[Problem] = []
        self.truncated = False

    def add(self, pointer: str, message: str = "", **kw: Any) -> None:
        if len(self.problems) >= self.limit:
            self.truncated = True
            return
        self.problems.append(Problem(source=self.source, pointer=pointer, message=message, **kw))


def _decode(cls: type[Any], entry: Any, pointer: str, out: _Collector,
            extra: Mapping[str, Any] | None = None, allowed_extra: tuple[str, ...] = (),
            skip: tuple[str, ...] = (), convert: Mapping[str, Any] | None = None) -> Any:
    """Build one object from a mapping, reporting each bad field; ``None`` if any."""
    if not isinstance(entry, Mapping):
        out.add(pointer, expected=f"an object describing a {cls.__name__}",
                received=_type_word(entry))
        return None
    fields = {a.name: a for a in attrs.fields(cls) if a.name not in skip}
    ok = True
    for key in entry:
        if key not in fields and key not in allowed_extra:
            out.add(f"{pointer}/{_escape(str(key))}", f"unknown field {key!r}", field=str(key),
                    expected="one of " + ", ".join(repr(f) for f in (*fields, *allowed_extra)))
            ok = False
    kwargs: dict[str, Any] = dict(extra or {})
    for name, attribute in fields.items():
        if name not in entry:
            if attribute.default is attrs.NOTHING and name not in kwargs:
                out.add(f"{pointer}/{name}", f"missing required field {name!r}", field=name)
                ok = False
            continue
        value = entry[name]
        converter = (convert or {}).get(name, attribute.converter)
        try:
            converted = converter(value) if converter else value
            if attribute.validator is not None:
                attribute.validator(None, attribute, converted)
        except (TypeError, ValueError) as exc:
            out.add(f"{pointer}/{name}", str(exc), field=name, received=_short(value))
            ok = False
            continue
        kwargs[name] = converted
    return cls(**kwargs) if ok else None


_FIELD_NAMES: dict[type[Any], frozenset[str]] = {}


def _names(cls: type[Any]) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(a.name for a in attrs.fields(cls))
    return names


def _decode_team(entry: Any, pointer: str, out: _Collector, keep: Any) -> None:
    """A team and the memberships listed inside it."""
    if type(entry) is dict and "members" in entry:
        fields = {k: v for k, v in entry.items() if k != "members"}
    else:
        fields = entry
    team = None
    if type(fields) is dict and _names(Team).issuperset(fields):
        try:
            team = Team(**fields)
        except (TypeError, ValueError):
            team = None
    if team is None:
        team = _decode(Team, entry, pointer, out, allowed_extra=("members",))
    keep(team)
    members = entry.get("members", []) if isinstance(entry, Mapping) else []
    if not isinstance(members, list):
        out.add(f"{pointer}/members", expected="a list", received=_type_word(members))
        return
    team_id = entry.get("id") if isinstance(entry, Mapping) else None
    if not isinstance(team_id, str) or not team_id:
        return
    member_names = _names(Membership)
    for j, member in enumerate(members):
        m = None
        if type(member) is dict and "team" not in member and member_names.issuperset(member):
            try:
                m = Membership(team=team_id, **member)
            except (TypeError, ValueError):
                m = None
        if m is None:
            m = _decode(Membership, member, f"{pointer}/members/{j}", out,
                        extra={"team": team_id}, skip=("team",))
        keep(m)


def _pointers(sizes: Mapping[str, int], members: list[int]) -> Iterator[str]:
    """The pointer of every decoded object, in the order they are decoded.

    ``sizes`` holds the length of each section, ``members`` the number of members of
    each team in turn: the document's shape, kept while its entries are let go.
    """
    counts = iter(members)
    for section, cls in SECTIONS.items():
        for i in range(sizes.get(section, 0)):
            yield f"/{section}/{i}"
            if cls is Team:
                for j in range(next(counts)):
                    yield f"/{section}/{i}/members/{j}"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def from_data(data: Any, *, source: str = "<data>", text: str | None = None,
              fmt: str = "json", max_problems: int = DEFAULT_MAX_PROBLEMS,
              strict: bool = True) -> AlignmentGraph:
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
'department', 'course'; got 'schol'

    Fields are checked first; references between objects are checked once every
    object is well formed.  With ``strict=False`` broken references, duplicate
    ids and the like do not raise: the graph is built leniently
    (:meth:`AlignmentGraph.lenient`) and the ``STR`` rules report them.
    """
    with bulk():
        return _from_data(data, source, text, fmt, max_problems, strict)


def _from_data(data: Any, source: str, text: str | None, fmt: str, max_problems: int,
               strict: bool, base: AlignmentGraph | None = None,
               consume: bool = False) -> AlignmentGraph:
    """Build the graph; with ``consume`` (data parsed here, no one else's) each entry is
    let go once decoded, so a large document is never held twice in memory."""
    out = _Collector(source, max_problems)
    objects: list[ModelObject] = []
    sizes: dict[str, int] = {}
    members: list[int] = []  # each team entry's number of members, for pointers
    tz: str | None = None
    as_of: pendulum.Date | None = None

    def keep(obj: Any) -> None:
        if obj is not None:
            objects.append(obj)

    if not isinstance(data, Mapping):
        out.add("", expected="a document object with 'format_version'",
                received=_type_word(data))
    else:
        version = data.get("format_version")
        if "format_version" not in data:
            out.add("/format_version", "missing required field 'format_version'",
                    field="format_version", expected=f"{FORMAT_VERSION}")
        elif version != FORMAT_VERSION or isinstance(version, bool):
            out.add("/format_version", "unsupported format version", field="format_version",
                    expected=f"{FORMAT_VERSION}", received=_short(version))
        tz = data.get("timezone")
        if tz is not None:
            try:
                if not isinstance(tz, str):  # a bare number would read as seconds
                    raise TypeError(tz)
                pendulum.timezone(tz)
            except Exception:
                out.add("/timezone", "unknown timezone", field="timezone",
                        expected="an IANA zone such as 'America/Detroit'",
                        received=_short(tz))
                tz = None
        if data.get("as_of") is not None:
            try:
                as_of = to_date(data["as_of"])
            except (TypeError, ValueError) as exc:
                out.add("/as_of", str(exc), field="as_of", received=_short(data["as_of"]))
        for key in data:
            if key not in _HEADER and key not in SECTIONS:
                out.add(f"/{_escape(str(key))}", f"unknown section {key!r}",
                        expected="one of " + ", ".join(repr(s) for s in SECTIONS))
        for section, cls in SECTIONS.items():
            entries = data.get(section, [])
            if not isinstance(entries, list):
                out.add(f"/{section}", expected="a list", received=_type_word(entries))
                continue
            names = _names(cls)
            sizes[section] = len(entries)
            for i, entry in enumerate(entries):
                if consume:
                    entries[i] = None
                if cls is Team:
                    listed = entry.get("members") if isinstance(entry, Mapping) else None
                    members.append(len(listed) if isinstance(listed, list) else 0)
                    _decode_team(entry, f"/{section}/{i}", out, keep)
                    continue
                obj = None
                if type(entry) is dict and names.issuperset(entry) and (
                        cls is not Meeting or tz is None):
                    try:  # the fast path: a well-formed entry builds in one call
                        obj = cls(**entry)
                    except (TypeError, ValueError):
                        obj = None
                if obj is None:
                    convert = ({"starts_at": lambda v, tz=tz: to_datetime(v, tz)}
                               if cls is Meeting and tz is not None else None)
                    obj = _decode(cls, entry, f"/{section}/{i}", out, convert=convert)
                keep(obj)
    graph = AlignmentGraph() if base is None else base
    added = objects
    if base is not None and not out.problems:  # an overlay: same id, same object, or a conflict
        added = []
        where = dict(zip(map(id, objects), _pointers(sizes, members), strict=True))
        for obj in objects:
            same: Any = (base.membership(obj.team, obj.person)
                         if isinstance(obj, Membership) else base.get(obj.id))
            if same is None:
                added.append(obj)
            elif same != obj:
                differ = [a.name for a in attrs.fields(type(obj))
                          if getattr(same, a.name) != getattr(obj, a.name)]
                first = differ[0]
                out.add(f"{where[id(obj)]}/{first}",
                        "conflicts with the base structure in " + ", ".join(differ),
                        field=first, expected=_short(_plain(getattr(same, first))),
                        received=_short(_plain(getattr(obj, first))))
    if not out.problems and not strict and base is None:
        return AlignmentGraph.lenient(objects, as_of=as_of)
    if not out.problems:
        errors = graph.integrity_errors(added)
        if errors:  # pointers are worked out only now: objects follow the document's order
            where = {id(obj): pointer for obj, pointer in zip(
                objects, _pointers(sizes, members), strict=True)}
            for err in errors:
                pointer = where.get(id(err.obj), "")
                if err.field is not None:
                    pointer += f"/{err.field}"
                out.add(pointer, err.message, field=err.field)
    if base is not None and not out.problems:
        merged = AlignmentGraph(as_of=as_of or base.as_of)
        merged._insert([*base, *base.memberships(), *added])
        return merged
    if out.problems:
        problems = out.problems
        if text is not None:
            problems = _with_positions(problems, text, fmt)
        raise DocumentError(problems, truncated=out.truncated)
    graph._insert(objects)
    graph.as_of = as_of
    return graph


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
        fmt = fmt or _format_of(p)
        source = source or str(p)
        try:
            text = read_file(p, source, Limits()).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError.single(source, f"not UTF-8 text (byte {exc.start})") from None
        document = _parse(text, fmt, source)
    with bulk():
        return _from_data(document, source or "<overlay>", text, fmt or "json",
                          DEFAULT_MAX_PROBLEMS, True, base=base)


def _with_positions(problems: list[Problem], text: str, fmt: str) -> list[Problem]:
    from ._locate import locate

    places = locate(text, fmt, [p.pointer for p in problems if p.line is None])
    return [attrs.evolve(p, line=places[p.pointer][0], column=places[p.pointer][1])
            if p.line is None and p.pointer in places else p for p in problems]


def _too_big(source: str, what: str) -> DocumentError:
    return DocumentError([Problem(source=source, pointer="", message=what)])


def _check_yaml_events(yaml: Any, loader: Any, text: str, source: str, limits: Limits) -> None:
    """Walk the YAML event stream (no objects built) and refuse deep or explosive input."""
    sizes: dict[str, int] = {}       # anchor -> expanded size of its node
    stack: list[list[Any]] = []      # [size so far, anchor] per open collection
    total = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([1, event.anchor])
                if len(stack) > limits.max_depth:
                    line = event.start_mark.line + 1
                    raise _too_big(source, f"nesting deeper than {limits.max_depth} levels "
                                           f"at line {line} (Limits.max_depth)")
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                size, anchor = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
            elif isinstance(event, yaml.AliasEvent):
                size, anchor = sizes.get(event.anchor, 1), None
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if stack:
                stack[-1][0] += size
            else:
                total += size
            if total + sum(s for s, _ in stack) > limits.max_nodes:
                raise _too_big(source, f"the document expands to more than {limits.max_nodes} "
                                       "values (YAML aliases?) (Limits.max_nodes)")
    except yaml.YAMLError:
        return  # reported with its line by the real parse


def _parse(text: str, fmt: str, source: str, limits: Limits | None = None) -> Any:
    limits = limits or Limits()
    size = (len(text.encode("utf-8", "surrogatepass")) if len(text) * 4 > limits.max_bytes
            else len(text))
    if size > limits.max_bytes:
        raise _too_big(source, f"the document is {size} bytes; the limit is "
                               f"{limits.max_bytes} (Limits.max_bytes)")
    if fmt == "json":
        duplicates: list[tuple[dict[str, Any], str]] = []

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            made = dict(items)
            if len(made) != len(items):
                seen: set[str] = set()
                for key, _value in items:
                    if key in seen:
                        duplicates.append((made, key))
                        break
                    seen.add(key)
            return made

        try:
            data = json.loads(text, object_pairs_hook=pairs, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise DocumentError([Problem(source=source, pointer="", line=exc.lineno,
                                         column=exc.colno,
                                         message=f"not valid JSON: {exc.msg}")]) from None
        except RecursionError:
            raise _too_big(source, "nesting too deep to read (Limits.max_depth)") from None
        except _ConstantError as exc:
            line, column = _find_constant(text, exc.args[0])
            raise DocumentError([Problem(
                source=source, pointer="", line=line, column=column,
                message=f"{exc.args[0]} is not a number JSON allows",
                expected="a finite number")]) from None
        except ValueError as exc:  # an integer of more digits than Python will read
            raise DocumentError([Problem(source=source, pointer="",
                                         message=f"not readable JSON: {exc}")]) from None
        _check_depth(data, source, limits.max_depth)
        if duplicates:
            raise DocumentError(_duplicate_problems(data, duplicates, text, source))
        return data
    if fmt == "yaml":
        yaml = _require_yaml("Reading YAML documents")
        _refuse_lone_surrogates(text, source)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        _check_yaml_events(yaml, loader, text, source, limits)
        try:
            return yaml.load(text, Loader=loader)  # a safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise DocumentError([Problem(
                source=source, pointer="",
                line=None if mark is None else mark.line + 1,
                column=None if mark is None else mark.column + 1,
                message=f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]) from None
    raise _unknown_format(fmt, source)


def _unknown_format(fmt: str, source: str) -> DocumentError:
    return DocumentError([Problem(source=source, pointer="", message="unknown document format",
                                  expected="'json' or 'yaml'", received=repr(fmt))])


def _refuse_lone_surrogates(text: str, source: str) -> None:
    """Refuse text holding a lone surrogate (a broken decoder's output), by its place."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        raise DocumentError([Problem(
            source=source, pointer="", line=line, column=column,
            message=f"{text[exc.start]!r} at this place is not a character (a lone "
                    "surrogate)", expected="UTF-8 text")]) from None


class _ConstantError(Exception):
    """NaN or an infinity in JSON text."""


def _no_constant(name: str) -> Any:
    raise _ConstantError(name)


def _find_constant(text: str, name: str) -> tuple[int | None, int | None]:
    """The line and column of the first ``name`` (NaN, Infinity) outside a string."""
    import re

    in_string = False
    escaped = False
    line, start = 1, 0
    token = re.compile(re.escape(name))
    for i, ch in enumerate(text):
        if ch == "\n":
            line, start = line + 1, i + 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif token.match(text, i):
            return line, i - start + 1
    return None, None


def _check_depth(data: Any, source: str, max_depth: int) -> None:
    """Refuse lists and mappings nested deeper than ``max_depth`` (Limits.max_depth)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise _too_big(source, f"nesting deeper than {max_depth} levels "
                                   "(Limits.max_depth)")
        if type(value) is dict:
            stack.extend((v, depth + 1) for v in value.values()
                         if type(v) is dict or type(v) is list)
        elif type(value) is list:
            stack.extend((v, depth + 1) for v in value if type(v) is dict or type(v) is list)


def _duplicate_problems(data: Any, duplicates: list[tuple[dict[str, Any], str]], text: str,
                        source: str) -> list[Problem]:
    """A problem per mapping that names a key twice, with the pointer of the key and the
    lines of both occurrences (the second one would silently win)."""
    from ._locate import locate

    owners = {id(made): key for made, key in duplicates}
    pointers: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack and len(pointers) < len(owners):
        value, pointer = stack.pop()
        if type(value) is dict:
            if id(value) in owners:
                pointers[id(value)] = pointer
            stack.extend((v, f"{pointer}/{_escape(k)}") for k, v in value.items()
                         if type(v) in (dict, list))
        elif type(value) is list:
            stack.extend((v, f"{pointer}/{i}") for i, v in enumerate(value)
                         if type(v) in (dict, list))
    problems = []
    for made, key in duplicates:
        parent = pointers.get(id(made), "")
        places = _key_places(text, key, locate(text, "json", [parent]).get(parent))
        where = (f"lines {places[0][0]} and {places[1][0]}" if len(places) > 1 else "twice")
        second = places[1] if len(places) > 1 else None
        problems.append(Problem(
            source=source, pointer=f"{parent}/{_escape(key)}", field=key,
            line=None if second is None else second[0],
            column=None if second is None else second[1],
            message=f"the key {key!r} appears twice in one object ({where}); the second "
                    "would silently replace the first",
            expected="each key once"))
    return problems[:DEFAULT_MAX_PROBLEMS]


def _key_places(text: str, key: str, start: tuple[int, int] | None
                ) -> list[tuple[int, int]]:
    """The (line, column) of the first two ``"key":`` after ``start`` (the object's place)."""
    import re

    offset = 0
    if start is not None:
        lines = text.splitlines(keepends=True)
        offset = sum(len(s) for s in lines[: start[0] - 1]) + start[1] - 1
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    places = []
    for found in pattern.finditer(text, offset):
        line = text.count("\n", 0, found.start()) + 1
        places.append((line, found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1))
        if len(places) == 2:
            break
    return places


def _require_yaml(feature: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise MissingExtraError("PyYAML", "yaml", feature) from None
    return yaml


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise DocumentError([Problem(source=str(path), pointer="",
                                 message="unknown document format",
                                 expected="a file ending in .json, .yaml or .yml",
                                 received=repr(path.suffix or "no suffix"))])


def loads(text: str, fmt: str = "json", *, source: str = "<string>",
          max_problems: int = DEFAULT_MAX_PROBLEMS, strict: bool = True,
          limits: Limits | None = None, check_schema: bool = False) -> AlignmentGraph:
    """Build a graph from the text of a JSON or YAML document.

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
    data = _parse(text, fmt, source, limits)
    if check_schema:  # the JSON Schema first (schema extra), then the loader's own checks
        from ._schema import check_document

        problems = check_document(data, source=source)
        if problems:
            raise DocumentError(_with_positions(problems[:max_problems], text, fmt),
                                truncated=len(problems) > max_problems)
    # parsed here from JSON, so no one else holds the entries and none is shared (YAML
    # aliases can share one list between sections): let each go once it is built
    with bulk():
        return _from_data(data, source, text, fmt, max_problems, strict,
                          consume=fmt == "json")


def load(path: str | os.PathLike[str], *, max_problems: int = DEFAULT_MAX_PROBLEMS,
         strict: bool = True, limits: Limits | None = None,
         check_schema: bool = False) -> AlignmentGraph:
    """Build a graph from a ``.json``, ``.yaml`` or ``.yml`` file.

    >>> from mtss_core import load
    >>> from mtss_core.io import example_path
    >>> load(example_path())
    <AlignmentGraph: 11 units, 26 people, 16 teams, 16 visions, 5 sets of non-negotiables, \
6 improvement plans, 13 focus areas, 4 data sources, 4 risk thresholds, 48 meetings, \
6 status updates, 14 stage records, 5 readiness assessments, 9 fidelity assessments, \
1 leadership self-assessment, 13 resource allocations, 2 barriers, 6 communication protocols, \
2 evidence records, 67 memberships>
    """
    p = Path(path)
    fmt = _format_of(p)
    raw = read_file(p, str(p), limits or Limits())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError([Problem(source=str(p), pointer="",
                                     message=f"not UTF-8 text (byte {exc.start})")]) from None
    del raw  # a large document is held once, as text
    return loads(text, fmt, source=str(p), max_problems=max_problems, strict=strict,
                 limits=limits, check_schema=check_schema)


# --- writing ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (pendulum.DateTime, pendulum.Date)):
        return value.isoformat()
    if isinstance(value, pendulum.Duration):
        return duration_iso(value)
    if attrs.has(type(value)):
        return _encode(value)
    if isinstance(value, tuple):
        if value and all(isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str)
                         for v in value):
            return {k: _plain(v) for k, v in value}  # a frozen mapping, e.g. sub-scales
        return [_plain(v) for v in value]
    return value


def _encode(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
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
        out[a.name] = _plain(value)
    return out


def _sections(graph: AlignmentGraph) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Each non-empty section of the document for ``graph`` with its entries, made one
    at a time as they are read."""
    objects: dict[str, list[ModelObject]] = {name: [] for name in SECTIONS}
    for obj in graph:
        objects[_SECTION_OF[type(obj)]].append(obj)

    def entries(section: list[ModelObject]) -> Iterator[dict[str, Any]]:
        for obj in section:
            entry = _encode(obj)
            if isinstance(obj, Team):
                seats = graph.members(obj.id)
                if seats:
                    entry["members"] = [_encode(m, skip=("team",)) for m in seats]
            yield entry

    for name, section in objects.items():
        if section:
            yield name, entries(section)


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
        yaml = _require_yaml("Writing YAML documents")
        return str(yaml.dump(to_data(graph), Dumper=_yaml_dumper(yaml), sort_keys=False,
                             allow_unicode=True))
    raise _unknown_format(fmt, "<dumps>")


def dump(graph: AlignmentGraph, path: str | os.PathLike[str]) -> None:
    """Write the document for ``graph`` to a ``.json``, ``.yaml`` or ``.yml`` file.

    JSON is written a piece at a time, so a state or a nation is never held in memory
    as one document.
    """
    p = Path(path)
    fmt = _format_of(p)
    if fmt != "json":
        p.write_text(dumps(graph, fmt), encoding="utf-8")
        return
    with p.open("w", encoding="utf-8") as out:
        out.writelines(_json_chunks(graph))
