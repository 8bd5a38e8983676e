"""The JSON Schema of the document format, derived from the registry and its classes.

Each field's schema comes from its declaration: the field's ``metadata`` first
(``choices``: an enum of suggested or accepted values, with ``free`` for values beyond
them and ``blank`` for an empty string; ``range``: numeric bounds; ``keys``: the enum a
mapping's keys come from), then its validator or converter (an id, a list of ids, a
date, a percentage ...), then its annotation (an enum of :class:`~mtss_core.model.fields.Choice`,
a list of nested objects).  A type added with :meth:`~mtss_core.model.Registry.extend`
gets its schema the same way.

``python -m mtss_core.io._schema`` rewrites the copy shipped in the package
(``mtss_core/schema/document-1.schema.json``); a test fails when it is stale.
"""

from __future__ import annotations

import json
import sys
import types as _pytypes
import typing
from importlib import resources
from typing import Any

import attrs
import pendulum

from .. import model
from ..errors import MissingExtraError, ModelTypeError, Problem
from ..model import TYPES, Registry, fields
from ._encode import FORMAT_VERSION, plain
from ._pointer import pointer

__all__ = ["check_document", "json_schema", "schema_text"]

_ID = {"type": "string", "minLength": 1, "pattern": r"^\S(.*\S)?$"}
_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_NULL = {"type": "null"}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _choices(values: tuple[str, ...], free: bool = False) -> dict[str, Any]:
    if free:  # known values are suggestions; any non-empty string is accepted
        return {"type": "string", "minLength": 1, "examples": list(values)}
    return {"type": "string", "enum": list(values)}


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, _NULL]}


def _bounded(kind: str, low: float, high: float) -> dict[str, Any]:
    return {"type": kind, "minimum": low, "maximum": high}


#: Validators and converters of :mod:`mtss_core.model.fields`, and the schema of a field
#: they check.
_BY_VALIDATOR: dict[Any, dict[str, Any]] = {
    fields.valid_id: _ID,
    fields.optional_id: _optional(_ID),
    fields.valid_text: _TEXT,
    fields.required_text: {"type": "string", "pattern": "\\S"},
    fields.optional_bool: {"type": ["boolean", "null"]},
}
_BY_CONVERTER: dict[Any, dict[str, Any]] = {
    fields.to_ids: _one_or_many(_ID),
    fields.to_texts: _one_or_many(_TEXT),
    fields.to_date: _optional(_DATE),
    fields.to_required_date: _DATE,
    fields.to_datetime: {"type": "string", "format": "date-time"},
    fields.to_duration: {"type": "string", "format": "duration"},
    fields.to_optional_duration: _optional({"type": "string", "format": "duration"}),
    fields.to_percent: _bounded("number", 0, 100),
    fields.to_optional_percent: _optional(_bounded("number", 0, 100)),
    fields.to_float: {"type": "number"},
}
_PLAIN = {str: _TEXT, float: {"type": "number"}, int: {"type": "integer"},
          bool: {"type": "boolean"}}


def _hint(cls: type[Any], a: attrs.Attribute[Any]) -> Any:
    """A field's annotation as a type: evaluated in the class's module, with the names
    annotations of the model use (a published class reports its public module, which
    does not import ``pendulum``)."""
    if not isinstance(a.type, str):
        return a.type
    namespace = {**vars(typing), "pendulum": pendulum, **vars(model),
                 **vars(sys.modules.get(cls.__module__, model))}
    return eval(a.type, namespace)  # an annotation of a class's own source


def _parts(hint: Any) -> tuple[Any, bool]:
    """(the type, whether ``None`` is allowed) of an annotation."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, _pytypes.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else hint), True
    return hint, False


def _by_type(hint: Any, meta: Any, nested: dict[str, type[Any]]) -> dict[str, Any] | None:
    """The schema of a value of type ``hint`` (``None`` when it cannot be derived)."""
    if isinstance(hint, type) and issubclass(hint, fields.Choice):
        return _choices(hint.accepted())
    if isinstance(hint, type) and attrs.has(hint):
        nested[hint.__name__] = hint
        return {"$ref": f"#/$defs/{hint.__name__}"}
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        item = args[0] if args else Any
        if typing.get_origin(item) is tuple:  # pairs: a mapping, as a document writes it
            low, high = meta.get("range", (None, None))
            value = (_bounded("integer" if typing.get_args(item)[1] is int else "number",
                              low, high) if low is not None
                     else _by_type(typing.get_args(item)[1], {}, nested))
            keys = meta.get("keys")
            if keys is not None:
                return {"type": "object", "additionalProperties": False,
                        "properties": dict.fromkeys(keys.values(), value)}
            return {"type": "object", "additionalProperties": value}
        if isinstance(item, type) and attrs.has(item):
            nested[item.__name__] = item
            return {"type": "array", "items": {"$ref": f"#/$defs/{item.__name__}"}}
        inner = _by_type(item, meta, nested)
        return None if inner is None else _one_or_many(inner)
    return _PLAIN.get(hint)


def _field(cls: type[Any], a: attrs.Attribute[Any], nested: dict[str, type[Any]]
           ) -> dict[str, Any]:
    meta = a.metadata or {}
    if "schema" in meta:
        return dict(meta["schema"])
    hint, nullable = _parts(_hint(cls, a))
    found: dict[str, Any] | None = None
    if "choices" in meta:
        found = _choices(meta["choices"].values(), free=meta.get("free", False))
        if meta.get("blank"):
            found = found | {"minLength": 0}
        if typing.get_origin(hint) is tuple:
            found = _one_or_many(found)
    elif "range" in meta and hint in (int, float):
        low, high = meta["range"]
        found = _bounded("integer" if hint is int else "number", low, high)
    if found is None:
        found = _BY_VALIDATOR.get(a.validator)
        if found is not None:
            return found
        found = _BY_CONVERTER.get(a.converter)
        if found is not None:
            return found
        found = _by_type(hint, meta, nested)
    if found is None:
        raise ModelTypeError(f"no JSON Schema for {cls.__name__}.{a.name} ({a.type}): give the "
                        "field metadata={'schema': {...}}")
    return _optional(found) if nullable and "anyOf" not in found else found


def _object(cls: type[Any], nested: dict[str, type[Any]], skip: tuple[str, ...] = ()
            ) -> dict[str, Any]:
    attributes = [a for a in attrs.fields(cls) if a.name not in skip]
    doc = (cls.__doc__ or "").strip().splitlines()[0]
    return {
        "title": cls.__name__,
        "description": doc,
        "type": "object",
        "properties": {a.name: _field(cls, a, nested) for a in attributes},
        "required": [a.name for a in attributes if a.default is attrs.NOTHING],
        "additionalProperties": False,
    }


def json_schema(types: Registry = TYPES) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of documents in format version 1 (of a registry's
    object types: the shipped ones by default).

    >>> from mtss_core.io import json_schema
    >>> schema = json_schema()
    >>> schema["properties"]["format_version"], sorted(schema["$defs"])[:3]
    ({'const': 1}, ['AgendaItem', 'Assignment', 'Barrier'])
    """
    nested: dict[str, type[Any]] = {}
    defs = {t.cls.__name__: _object(t.cls, nested) for t in types.nodes}
    for t in types:
        if t.nested is None:
            continue
        field, key = t.nested
        name = _nested_name(key)
        for container in t.reference(field).targets:
            defs[types[container].cls.__name__]["properties"][key] = {
                "type": "array", "items": {"$ref": f"#/$defs/{name}"}}
        defs[name] = _object(t.cls, nested, skip=(field,))
    while nested.keys() - defs.keys():
        for name in sorted(nested.keys() - defs.keys()):
            defs[name] = _object(nested[name], nested)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mtss-core.readthedocs.io/schema/document-{FORMAT_VERSION}.schema.json",
        "title": "mtss_core document",
        "description": ("Who leads a school system's MTSS: org units, people, teams, their "
                        "products and their cadence (mtss_core document format "
                        f"{FORMAT_VERSION})."),
        "type": "object",
        "required": ["format_version"],
        "properties": {
            "format_version": {"const": FORMAT_VERSION},
            "as_of": _DATE,
            "timezone": {"type": "string", "minLength": 1},
            **{section: {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}}
               for section, cls in types.sections.items()},
        },
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def _nested_name(key: str) -> str:
    """The definition of an entry listed inside another (a team's ``members``: a
    ``Member``, without its team)."""
    singular = key[:-1] if key.endswith("s") else key
    return singular[:1].upper() + singular[1:]


def schema_text() -> str:
    """The schema as the JSON text shipped in the package."""
    return json.dumps(json_schema(), indent=2) + "\n"


def _shipped() -> str:
    return resources.files("mtss_core").joinpath("schema").joinpath(
        f"document-{FORMAT_VERSION}.schema.json").read_text(encoding="utf-8")


def check_document(data: Any, *, source: str = "<data>", types: Registry = TYPES
                   ) -> list[Problem]:
    """Check plain document data against the JSON Schema (needs the ``schema`` extra).

    Returns the problems, each with its JSON pointer, in document order; an empty
    list means the document conforms.  Dates read from YAML are checked as their
    ISO strings.  ``types``: the registry whose schema applies (the shipped one, read
    from the package, by default).
    """
    try:
        import jsonschema
    except ImportError:
        raise MissingExtraError("jsonschema", "schema", "Checking documents against the "
                                "JSON Schema") from None
    schema = json.loads(_shipped()) if types is TYPES else json_schema(types)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    plain = json.loads(json.dumps(data, default=_json_default))
    problems = []
    for err in sorted(validator.iter_errors(plain), key=lambda e: list(e.absolute_path)):
        where = pointer(*err.absolute_path)
        field = str(err.absolute_path[-1]) if err.absolute_path else None
        problems.append(Problem(source=source, pointer=where, message=err.message,
                                field=field))
    return problems


def _json_default(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return plain(value)


if __name__ == "__main__":  # pragma: no cover
    target = sys.argv[1] if len(sys.argv) > 1 else (
        f"src/mtss_core/schema/document-{FORMAT_VERSION}.schema.json")
    from .._atomic import write_text

    write_text(target, schema_text())
