"""Reading a document's text: JSON or YAML to plain data, within :class:`Limits`.

JSON is read strictly (:mod:`._json`): a key twice in one object is refused with the lines
of both, ``NaN`` and the infinities with their place, deep nesting before it can exhaust
the stack.  YAML's event stream is walked first (no objects built) to refuse deep or
explosive input (alias bombs), and text holding a lone surrogate is refused by its place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._json import NotANumberError, deeper_than, strict_loads
from .._limits import Limits
from ..errors import DocumentError, MissingExtraError, Problem
from ._pointer import escape

__all__ = ["DEFAULT_MAX_PROBLEMS", "format_of", "parse", "require_yaml", "unknown_format"]

#: At most this many problems are listed; the error says when there were more.
DEFAULT_MAX_PROBLEMS = 100


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


def parse(text: str, fmt: str, source: str, limits: Limits | None = None) -> Any:
    limits = limits or Limits()
    size = (len(text.encode("utf-8", "surrogatepass")) if len(text) * 4 > limits.max_bytes
            else len(text))
    if size > limits.max_bytes:
        raise _too_big(source, f"the document is {size} bytes; the limit is "
                               f"{limits.max_bytes} (Limits.max_bytes)")
    if fmt == "json":
        duplicates: list[tuple[dict[str, Any], str]] = []
        try:
            data = strict_loads(text, duplicates)
        except json.JSONDecodeError as exc:
            raise DocumentError([Problem(source=source, pointer="", line=exc.lineno,
                                         column=exc.colno,
                                         message=f"not valid JSON: {exc.msg}")]) from None
        except RecursionError:
            raise _too_big(source, "nesting too deep to read (Limits.max_depth)") from None
        except NotANumberError as exc:
            line, column = _find_constant(text, exc.name)
            raise DocumentError([Problem(
                source=source, pointer="", line=line, column=column,
                message=f"{exc.name} is not a number JSON allows",
                expected="a finite number")]) from None
        except ValueError as exc:  # an integer of more digits than Python will read
            raise DocumentError([Problem(source=source, pointer="",
                                         message=f"not readable JSON: {exc}")]) from None
        if deeper_than(data, limits.max_depth):
            raise _too_big(source, f"nesting deeper than {limits.max_depth} levels "
                                   "(Limits.max_depth)")
        if duplicates:
            raise DocumentError(_duplicate_problems(data, duplicates, text, source))
        return data
    if fmt == "yaml":
        yaml = require_yaml("Reading YAML documents")
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
    raise unknown_format(fmt, source)


def unknown_format(fmt: str, source: str) -> DocumentError:
    if fmt == "xlsx":
        return DocumentError([Problem(source=source, pointer="", message=(
            "a workbook is a file, not text: read it with load(path), write it with "
            "dump(graph, path)"))])
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
            stack.extend((v, f"{pointer}/{escape(k)}") for k, v in value.items()
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
            source=source, pointer=f"{parent}/{escape(key)}", field=key,
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


def require_yaml(feature: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise MissingExtraError("PyYAML", "yaml", feature) from None
    return yaml


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix == ".xlsx":
        return "xlsx"
    raise DocumentError([Problem(source=str(path), pointer="",
                                 message="unknown document format",
                                 expected="a file ending in .json, .yaml, .yml or .xlsx",
                                 received=repr(path.suffix or "no suffix"))])
