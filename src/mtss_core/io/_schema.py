"""The JSON Schema of the document format, generated from the model's attrs classes.

``python -m mtss_core.io._schema`` rewrites the copy shipped in the package
(``mtss_core/schema/document-1.schema.json``); a test fails when it is stale.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from importlib import resources
from typing import Any

import attrs

from ..errors import MissingExtraError, Problem
from ..model._core import (
    Assignment,
    CoachingSkill,
    Department,
    Direction,
    Domain,
    Membership,
    Role,
    TeamKind,
    UnitKind,
    _valid_id,
)
from ..model._practice import (
    BarrierStatus,
    Escalation,
    LeadershipCharacteristic,
    ResourceCategory,
    WaiverScope,
)
from ..model._time import _STAGE_ALIASES, AgendaItem, Stage
from ._document import FORMAT_VERSION, SECTIONS, _plain

__all__ = ["check_document", "json_schema", "schema_text"]

_ID = {"type": "string", "minLength": 1, "pattern": r"^\S(.*\S)?$"}
_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_PERCENT = {"type": "number", "minimum": 0, "maximum": 100}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def _choices(values: Iterable[str], free: bool = False) -> dict[str, Any]:
    if free:  # known values are suggestions; any non-empty string is accepted
        return {"type": "string", "minLength": 1, "examples": list(values)}
    return {"type": "string", "enum": list(values)}


#: Schemas for annotations, as the attrs classes spell them.
_BY_TYPE: dict[str, dict[str, Any]] = {
    "str": _TEXT,
    "float": {"type": "number"},
    "bool | None": {"type": ["boolean", "null"]},
    "UnitKind": _choices(UnitKind.values()),
    "TeamKind": _choices(TeamKind.values()),
    "Direction": _choices(Direction.values()),
    "Stage": _choices([*Stage.values(), *(a for a in _STAGE_ALIASES if a not in Stage.values())]),
    "pendulum.Date": _DATE,
    "pendulum.Date | None": {"anyOf": [_DATE, {"type": "null"}]},
    "pendulum.DateTime": {"type": "string", "format": "date-time"},
    "pendulum.Duration | None": {"anyOf": [{"type": "string", "format": "duration"},
                                           {"type": "null"}]},
    "tuple[str, ...]": _one_or_many(_TEXT),
    "tuple[Domain, ...]": _one_or_many(_choices([*Domain.values(), "sel"])),
    "tuple[tuple[str, float], ...]": {"type": "object", "additionalProperties": _PERCENT},
    "tuple[AgendaItem, ...]": {"type": "array", "items": {"$ref": "#/$defs/AgendaItem"}},
    "tuple[Escalation, ...]": {"type": "array", "items": {"$ref": "#/$defs/Escalation"}},
    "tuple[Assignment, ...]": {"type": "array", "items": {"$ref": "#/$defs/Assignment"}},
    "tuple[CoachingSkill, ...]": _one_or_many(_choices(CoachingSkill.values())),
    "ResourceCategory": _choices(ResourceCategory.values()),
    "BarrierStatus": _choices(BarrierStatus.values()),
    "WaiverScope": _choices(WaiverScope.values()),
}
_BY_FIELD: dict[tuple[str, str], dict[str, Any]] = {
    ("Membership", "roles"): _one_or_many(_choices(Role.values(), free=True)),
    ("Person", "departments"): _one_or_many(_choices(Department.values(), free=True)),
    ("Assignment", "position"): _choices(Role.values(), free=True) | {"minLength": 0},
    ("Assignment", "fte"): {"anyOf": [{"type": "number", "minimum": 0, "maximum": 10},
                                      {"type": "null"}]},
    ("Assignment", "order"): {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 1000},
                                        {"type": "null"}]},
    ("FidelityAssessment", "total"): _PERCENT,
    ("FidelityAssessment", "target"): _PERCENT,
    ("ReadinessAssessment", "score"): {"anyOf": [_PERCENT, {"type": "null"}]},
    ("LeadershipSelfAssessment", "scores"): {
        "type": "object", "additionalProperties": False,
        "properties": dict.fromkeys(LeadershipCharacteristic.values(), _PERCENT)},
    ("Waiver", "reason"): {"type": "string", "pattern": "\\S"},
    ("Waiver", "approved_by"): {"type": "string", "pattern": "\\S"},
    ("Protocol", "cadence"): {"anyOf": [{"type": "string", "format": "duration"},
                                        {"type": "null"}]},
}
_ID_LISTS = {"attendees", "assessments", "addresses", "data_sources", "focus_areas"}


def _field(cls: type[Any], a: attrs.Attribute[Any]) -> dict[str, Any]:
    special = _BY_FIELD.get((cls.__name__, a.name))
    if special is not None:
        return special
    if a.validator is not None and getattr(a.validator, "__name__", "") in (
            "_valid_id", "_optional_id"):
        return _ID if a.validator is _valid_id else {"anyOf": [_ID, {"type": "null"}]}
    if a.name in _ID_LISTS:
        return _one_or_many(_ID)
    kind = str(a.type)
    if kind not in _BY_TYPE:  # pragma: no cover - a new field type needs a schema here
        raise TypeError(f"no schema for {cls.__name__}.{a.name}: {kind}")
    return _BY_TYPE[kind]


def _object(cls: type[Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    fields = [a for a in attrs.fields(cls) if a.name not in skip]
    doc = (cls.__doc__ or "").strip().splitlines()[0]
    return {
        "title": cls.__name__,
        "description": doc,
        "type": "object",
        "properties": {a.name: _field(cls, a) for a in fields},
        "required": [a.name for a in fields if a.default is attrs.NOTHING],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of documents in format version 1.

    >>> from mtss_core.io import json_schema
    >>> schema = json_schema()
    >>> schema["properties"]["format_version"], sorted(schema["$defs"])[:3]
    ({'const': 1}, ['AgendaItem', 'Assignment', 'Barrier'])
    """
    defs = {cls.__name__: _object(cls) for cls in SECTIONS.values()}
    team = defs["Team"]
    team["properties"]["members"] = {"type": "array", "items": {"$ref": "#/$defs/Member"}}
    defs["Member"] = _object(Membership, skip=("team",))
    defs["AgendaItem"] = _object(AgendaItem)
    defs["Assignment"] = _object(Assignment)
    defs["Escalation"] = _object(Escalation)
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
               for section, cls in SECTIONS.items()},
        },
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as the JSON text shipped in the package."""
    return json.dumps(json_schema(), indent=2) + "\n"


def _shipped() -> str:
    return resources.files("mtss_core").joinpath("schema").joinpath(
        f"document-{FORMAT_VERSION}.schema.json").read_text(encoding="utf-8")


def check_document(data: Any, *, source: str = "<data>") -> list[Problem]:
    """Check plain document data against the JSON Schema (needs the ``schema`` extra).

    Returns the problems, each with its JSON pointer, in document order; an empty
    list means the document conforms.  Dates read from YAML are checked as their
    ISO strings.
    """
    try:
        import jsonschema
    except ImportError:
        raise MissingExtraError("jsonschema", "schema", "Checking documents against the "
                                "JSON Schema") from None
    validator = jsonschema.Draft202012Validator(
        json.loads(_shipped()), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    plain = json.loads(json.dumps(data, default=_json_default))
    problems = []
    for err in sorted(validator.iter_errors(plain), key=lambda e: list(e.absolute_path)):
        pointer = "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}"
                          for p in err.absolute_path)
        field = str(err.absolute_path[-1]) if err.absolute_path else None
        problems.append(Problem(source=source, pointer=pointer, message=err.message,
                                field=field))
    return problems


def _json_default(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return _plain(value)


if __name__ == "__main__":  # pragma: no cover
    target = sys.argv[1] if len(sys.argv) > 1 else (
        f"src/mtss_core/schema/document-{FORMAT_VERSION}.schema.json")
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(schema_text())
