"""From a parsed document (plain data) to objects and a graph, every problem located.

Entries are decoded by the graph's registry: one section per node type, in order, and
inside a container's entries the types a document lists there (a team's members).  A
well-formed entry is built in one call; one that is not is decoded field by field, so
every bad field is reported with its JSON pointer.  References are checked once every
object is well formed, by the graph (all or nothing).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pendulum

from ..errors import DocumentError, Problem
from ..graph import AlignmentGraph
from ..model import TYPES, Membership, ModelObject, ObjectType, Registry, fields
from ..model.fields import to_date, to_datetime
from ._encode import FORMAT_VERSION, plain
from ._pointer import escape, pointer

__all__ = ["build", "from_entry", "with_positions"]

#: Top-level keys besides the sections.
_HEADER = ("format_version", "as_of", "timezone")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reason(exc: BaseException) -> str:
    """What a converter or validator says went wrong: its message, not the repr of the
    tuple some validators raise with (attrs' ``instance_of`` passes the message, the
    attribute, the type and the value)."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, str) and len(exc.args) > 1 else str(exc)


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
        self.found = 0  # every problem, those past the limit included

    def add(self, where: str, message: str = "", **kw: Any) -> None:
        self.found += 1
        if len(self.problems) >= self.limit:
            self.truncated = True
            return
        self.problems.append(Problem(source=self.source, pointer=where, message=message, **kw))


_FIELD_NAMES: dict[type[Any], frozenset[str]] = {}
_DATETIMES: dict[type[Any], tuple[str, ...]] = {}


def _names(cls: type[Any]) -> frozenset[str]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(a.name for a in attrs.fields(cls))
    return names


def _datetimes(cls: type[Any]) -> tuple[str, ...]:
    """The fields of ``cls`` holding date-times (read in a document's ``timezone``)."""
    found = _DATETIMES.get(cls)
    if found is None:
        found = _DATETIMES[cls] = tuple(a.name for a in attrs.fields(cls)
                                        if a.converter is fields.to_datetime)
    return found


def _decode(cls: type[Any], entry: Any, where: str, out: _Collector,
            extra: Mapping[str, Any] | None = None, allowed_extra: tuple[str, ...] = (),
            skip: tuple[str, ...] = (), convert: Mapping[str, Any] | None = None) -> Any:
    """Build one object from a mapping, reporting each bad field; ``None`` if any."""
    if not isinstance(entry, Mapping):
        out.add(where, expected=f"an object describing a {cls.__name__}",
                received=_type_word(entry))
        return None
    attributes = {a.name: a for a in attrs.fields(cls) if a.name not in skip}
    ok = True
    for key in entry:
        if key not in attributes and key not in allowed_extra:
            out.add(f"{where}/{escape(key)}", f"unknown field {key!r}", field=str(key),
                    expected="one of " + ", ".join(repr(f) for f in (*attributes,
                                                                     *allowed_extra)))
            ok = False
    kwargs: dict[str, Any] = dict(extra or {})
    for name, attribute in attributes.items():
        if name not in entry:
            if attribute.default is attrs.NOTHING and name not in kwargs:
                out.add(f"{where}/{name}", f"missing required field {name!r}", field=name)
                ok = False
            continue
        value = entry[name]
        converter = (convert or {}).get(name, attribute.converter)
        try:
            converted = converter(value) if converter else value
            if attribute.validator is not None:
                attribute.validator(None, attribute, converted)
        except (TypeError, ValueError) as exc:
            out.add(f"{where}/{name}", _reason(exc), field=name, received=_short(value))
            ok = False
            continue
        kwargs[name] = converted
    if not ok:
        return None
    try:  # the checks across fields (a seat's until before its since)
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        field = getattr(exc, "field", None)
        if field is None:
            out.add(where, _reason(exc))
        else:
            out.add(f"{where}/{field}", getattr(exc, "reason", _reason(exc)), field=field)
        return None


def _entry(cls: type[Any], entry: Any, where: str, out: _Collector, tz: str | None,
           extra: Mapping[str, Any] | None = None, skip: tuple[str, ...] = (),
           allowed_extra: tuple[str, ...] = ()) -> Any:
    """One object from its entry: in one call when it is well formed (the fast path),
    else field by field."""
    zoned = _datetimes(cls) if tz is not None else ()
    if (not zoned and type(entry) is dict and not allowed_extra and not skip
            and _names(cls).issuperset(entry)):
        try:
            return cls(**entry)
        except (TypeError, ValueError):
            pass
    convert = {name: (lambda v, tz=tz: to_datetime(v, tz)) for name in zoned} or None
    return _decode(cls, entry, where, out, extra=extra, skip=skip,
                   allowed_extra=allowed_extra, convert=convert)


def _nested(t: ObjectType, container_id: Any, listed: Any, where: str, out: _Collector,
            tz: str | None, keep: Any) -> None:
    """The objects of type ``t`` a container's entry lists (a team's members)."""
    assert t.nested is not None
    field, key = t.nested
    if not isinstance(listed, list):
        out.add(f"{where}/{key}", expected="a list", received=_type_word(listed))
        return
    if not isinstance(container_id, str) or not container_id:
        return
    names = _names(t.cls)
    for j, item in enumerate(listed):
        obj = None
        if (type(item) is dict and field not in item and names.issuperset(item)
                and not (tz and _datetimes(t.cls))):
            try:
                obj = t.cls(**{field: container_id}, **item)
            except (TypeError, ValueError):
                obj = None
        if obj is None:
            obj = _decode(t.cls, item, f"{where}/{key}/{j}", out,
                          extra={field: container_id}, skip=(field,))
        keep(obj)


def _pointers(types: Registry, sizes: Mapping[str, int],
              listed: Mapping[str, list[tuple[int, ...]]]) -> Iterator[str]:
    """The pointer of every decoded object, in the order they are decoded.

    ``sizes`` holds the length of each section, ``listed`` for each section the number of
    nested objects of each entry in turn (per nested key): the document's shape, kept
    while its entries are let go.
    """
    for t in types.nodes:
        inside = [n.nested[1] for n in types.nested_in(t.name) if n.nested is not None]
        counts = iter(listed.get(t.section, ()))
        for i in range(sizes.get(t.section, 0)):
            yield pointer(t.section, i)
            if inside:
                for key, n in zip(inside, next(counts), strict=True):
                    for j in range(n):
                        yield pointer(t.section, i, key, j)


def _header(data: Mapping[str, Any], out: _Collector
            ) -> tuple[str | None, pendulum.Date | None]:
    """Check the format version; read the time zone and the as-of date."""
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
                    expected="an IANA zone such as 'America/Detroit'", received=_short(tz))
            tz = None
    as_of = None
    if data.get("as_of") is not None:
        try:
            as_of = to_date(data["as_of"])
        except (TypeError, ValueError) as exc:
            out.add("/as_of", str(exc), field="as_of", received=_short(data["as_of"]))
    return tz, as_of


def build(data: Any, source: str, text: str | None, fmt: str, max_problems: int,
          strict: bool, base: AlignmentGraph | None = None, consume: bool = False,
          types: Registry = TYPES) -> AlignmentGraph:
    """Build the graph; with ``consume`` (data parsed here, no one else's) each entry is
    let go once decoded, so a large document is never held twice in memory.  With
    ``base``, the document is an overlay on it (the base's registry applies)."""
    if base is not None:
        types = base.types
    out = _Collector(source, max_problems)
    objects: list[ModelObject] = []
    sizes: dict[str, int] = {}
    listed: dict[str, list[tuple[int, ...]]] = {}  # nested counts per entry, for pointers
    tz: str | None = None
    as_of: pendulum.Date | None = None

    def keep(obj: Any) -> None:
        if obj is not None:
            objects.append(obj)

    sections = types.sections
    if not isinstance(data, Mapping):
        out.add("", expected="a document object with 'format_version'",
                received=_type_word(data))
    else:
        tz, as_of = _header(data, out)
        for key in data:
            if key not in _HEADER and key not in sections:
                out.add(pointer(key), f"unknown section {key!r}",
                        expected="one of " + ", ".join(repr(s) for s in sections))
        for t in types.nodes:
            entries = data.get(t.section, [])
            if not isinstance(entries, list):
                out.add(f"/{t.section}", expected="a list", received=_type_word(entries))
                continue
            inside = [n for n in types.nested_in(t.name) if n.nested is not None]
            keys = tuple(n.nested[1] for n in inside if n.nested is not None)
            counts = listed.setdefault(t.section, [])
            sizes[t.section] = len(entries)
            for i, entry in enumerate(entries):
                if consume:
                    entries[i] = None
                where = f"/{t.section}/{i}"
                if not keys:
                    keep(_entry(t.cls, entry, where, out, tz))
                    continue
                mapping = isinstance(entry, Mapping)
                counts.append(tuple(
                    len(v) if mapping and isinstance(v := entry.get(k), list) else 0
                    for k in keys))
                own = ({k: v for k, v in entry.items() if k not in keys}
                       if type(entry) is dict else entry)
                keep(_entry(t.cls, own, where, out, tz))
                if mapping:
                    for n in inside:
                        assert n.nested is not None
                        if n.nested[1] in entry:
                            _nested(n, entry.get("id"), entry[n.nested[1]], where, out, tz,
                                    keep)
    return _finish(objects, out, types, base, strict, as_of, sizes, listed, text, fmt)


def _finish(objects: list[ModelObject], out: _Collector, types: Registry,
            base: AlignmentGraph | None, strict: bool, as_of: pendulum.Date | None,
            sizes: Mapping[str, int], listed: Mapping[str, list[tuple[int, ...]]],
            text: str | None, fmt: str) -> AlignmentGraph:
    """The graph of the decoded objects (or, for an overlay, the base and them), or every
    problem at once."""
    def where() -> dict[int, str]:  # worked out only when needed: objects follow the order
        return dict(zip(map(id, objects), _pointers(types, sizes, listed), strict=True))

    added = objects
    if base is not None and not out.problems:  # an overlay: same id, same object, or a conflict
        added = []
        places = where()
        for obj in objects:
            same: Any = (base.membership(obj.team, obj.person)
                         if isinstance(obj, Membership) else base.get(obj.id))
            if same is None:
                added.append(obj)
            elif same != obj:
                # an overlay that restates an imported unit or person need not say where
                # the import found it
                differ = [a.name for a in attrs.fields(type(obj))
                          if getattr(same, a.name) != getattr(obj, a.name)
                          and not (a.name == "source" and not getattr(obj, a.name))]
                if not differ:
                    continue
                first = differ[0]
                out.add(f"{places[id(obj)]}/{first}",
                        "conflicts with the base structure in " + ", ".join(differ),
                        field=first, expected=_short(plain(getattr(same, first))),
                        received=_short(plain(getattr(obj, first))))
    if not out.problems and not strict and base is None:
        return AlignmentGraph.lenient(objects, as_of=as_of, types=types)
    graph = AlignmentGraph(as_of=as_of if base is None else as_of or base.as_of, types=types)
    if not out.problems:
        everything = objects if base is None else [*base, *base.memberships(), *added]
        errors = graph.try_add_all(everything)
        if errors:
            places = where()
            for err in errors:
                at = places.get(id(err.obj), "")
                if err.field is not None:
                    at += f"/{err.field}"
                out.add(at, err.message, field=err.field)
    if out.problems:
        problems = out.problems
        if text is not None:
            problems = with_positions(problems, text, fmt)
        raise DocumentError(problems, truncated=out.truncated,
                            total=max(out.found, len(problems)) if out.truncated else None)
    return graph


def with_positions(problems: list[Problem], text: str, fmt: str) -> list[Problem]:
    """``problems`` with the line and column of their pointers in ``text``."""
    from ._locate import locate

    places = locate(text, fmt, [p.pointer for p in problems if p.line is None])
    return [attrs.evolve(p, line=places[p.pointer][0], column=places[p.pointer][1])
            if p.line is None and p.pointer in places else p for p in problems]


def from_entry(type_name: str, entry: Any, *, types: Registry | None = None,
               source: str = "<entry>") -> Any:
    """One object of the type named ``type_name`` (its name or its document section) from
    its document entry; a :class:`~mtss_core.errors.DocumentError` names each bad field.

    >>> from_entry("focus_areas", {"id": "fa-1", "district": "d-1"})
    FocusArea(id='fa-1', district='d-1', name='', description='')
    >>> from_entry("vision", {"id": "v-1", "ownr": "d"})
    Traceback (most recent call last):
    ...
    mtss_core.errors.DocumentError: 2 problem(s) in the document:
    <entry>: /ownr: unknown field 'ownr': expected one of 'id', 'owner', 'aligned_to', \
'title', 'adopted_on', 'reviewed_on', 'statement', 'addresses'
    <entry>: /owner: missing required field 'owner'
    """
    registry = types or TYPES
    t = registry.find(type_name)
    if t is None:
        raise DocumentError.single(source, f"unknown type {type_name!r}")
    out = _Collector(source, 50)
    obj = _decode(t.cls, entry, "", out)
    if obj is None:
        raise DocumentError(out.problems)
    return obj
