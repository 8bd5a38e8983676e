"""The building blocks of the model's fields: validators and converters, public for
anyone who declares a type of object of their own.

Each one checks or converts a value where it enters an object, and says what was
expected and what arrived (:class:`~mtss_core.errors.ModelError`, or
:class:`~mtss_core.errors.ModelTypeError` for a value of the wrong type).  Validators take
attrs' ``(instance, attribute, value)``; converters take the value.

>>> import attrs
>>> from mtss_core.model import fields
>>> @attrs.frozen(kw_only=True)
... class Cohort:
...     id: str = attrs.field(validator=fields.valid_id)
...     schools: tuple[str, ...] = attrs.field(default=(), converter=fields.to_ids)
...     starts_on: object = attrs.field(default=None, converter=fields.to_date)
>>> Cohort(id="c-1", schools="sch-lincoln", starts_on="2026-08-24").schools
('sch-lincoln',)
>>> Cohort(id=" c-1")
Traceback (most recent call last):
...
mtss_core.errors.ModelError: id must be a non-empty id without surrounding spaces, got ' c-1'
"""

from __future__ import annotations

import datetime as _dt
import difflib
import enum
import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import pendulum

from ..errors import ModelError, ModelTypeError

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_DURATION",
    "MAX_NUMBER",
    "Choice",
    "check_text",
    "choice",
    "duration_iso",
    "in_range",
    "items_of",
    "kind_of",
    "normalised",
    "pairs_of",
    "optional_bool",
    "optional_id",
    "required_text",
    "to_choice",
    "to_date",
    "to_datetime",
    "to_duration",
    "to_float",
    "to_ids",
    "to_optional_duration",
    "to_optional_percent",
    "to_percent",
    "to_required_date",
    "to_texts",
    "valid_id",
    "valid_text",
]


class Choice(str, enum.Enum):
    """A string enum whose members compare equal to their values."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """All accepted values, in declaration order."""
        return tuple(m.value for m in cls)

    @classmethod
    def accepted(cls) -> tuple[str, ...]:
        """Every spelling a document may use: the values, then any aliases the enum
        reads as one of them (the JSON Schema and the workbook's dropdowns list these)."""
        return cls.values()


_E = TypeVar("_E", bound=Choice)

#: The dates the model holds: wide enough for any school record, narrow enough that date
#: arithmetic (an as-of date plus a review period) can never overflow.
FIRST_DAY = pendulum.Date(1900, 1, 1)
LAST_DAY = pendulum.Date(2199, 12, 31)

#: Characters no XML document may hold (XML 1.0 section 2.2): control characters other
#: than tab and line ends, and the noncharacters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def check_text(value: str, what: str) -> None:
    """Refuse text that cannot be written back: a lone surrogate (from a broken decoder)
    fails to encode as UTF-8, and a control character such as NUL or U+0001 cannot appear
    in any XML output (GraphML, JUnit, the HTML report)."""
    if value.isprintable():  # the common case, checked in C: neither of the two
        return
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ModelError(f"{what} contains {value[exc.start]!r} at position {exc.start}, "
                             "which is not a character (a lone surrogate)") from None
    found = _NOT_XML.search(value)
    if found is not None:
        raise ModelError(f"{what} contains the control character {found.group()!r} at "
                         f"position {found.start()}, which no text may hold (only tab and "
                         "line breaks are kept)")


def valid_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (type(value) is str and value and value.isascii() and value.isprintable()
            and value[0] != " " and value[-1] != " "):
        return  # the common case, checked cheaply
    if not isinstance(value, str):
        raise ModelTypeError(f"{attribute.name} must be a string id, got {type(value).__name__}")
    if not value or value != value.strip():
        raise ModelError(
            f"{attribute.name} must be a non-empty id without surrounding spaces, got {value!r}"
        )
    check_text(value, attribute.name)


def optional_id(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        valid_id(inst, attribute, value)


def optional_bool(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise ModelTypeError(f"{attribute.name} must be true, false or null, got {value!r}")


def valid_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is str and value.isprintable():
        return  # the common case, checked cheaply
    if not isinstance(value, str):
        raise ModelTypeError(f"{attribute.name} must be a string, got {type(value).__name__}")
    check_text(value, attribute.name)


def required_text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    valid_text(_inst, attribute, value)
    assert isinstance(value, str)
    if not value.strip():
        raise ModelError(f"{attribute.name} is required: say why the finding is accepted "
                         "and who approved it" if attribute.name == "reason" else
                         f"{attribute.name} is required")


def items_of(value: Any, what: str) -> tuple[Any, ...]:
    """The items of a list field: a string is one item; an object (a mapping) or a number
    is refused rather than read as its keys or digits."""
    kind = type(value)  # the common cases first, without the abstract-class checks
    if kind is tuple:
        return value  # type: ignore[no-any-return]
    if kind is list:
        return tuple(value)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise ModelTypeError(f"expected a list of {what}, got {kind_of(value)} {value!r}")
    return tuple(value)


def kind_of(value: object) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def in_range(day: pendulum.Date) -> pendulum.Date:
    """``day``, if the model can hold it (1900-01-01 to 2199-12-31)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ModelError(f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {day}")
    return day


def choice(enum_cls: type[_E], value: _E | str) -> _E:
    """``value`` as a member of ``enum_cls``: as written, or in another case or with
    spaces or underscores for hyphens (``Grade Team``, ``school``); else a
    :class:`ModelError` naming the choices, and the one meant when it is close.

    >>> from mtss_core.model import TeamKind
    >>> choice(TeamKind, "Grade Team")
    <TeamKind.GRADE_TEAM: 'grade-team'>
    >>> choice(TeamKind, "grade tem")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ModelError: expected one of ...; got 'grade tem' (did you mean \
'grade-team'?)
    """
    try:
        return enum_cls(value)
    except ValueError:
        pass
    if isinstance(value, str):
        key = "-".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
        try:
            return enum_cls(key)
        except ValueError:
            pass
        near = difflib.get_close_matches(key, list(enum_cls.values()), n=1, cutoff=0.75)
        if near:
            choices = ", ".join(repr(v) for v in enum_cls.values())
            raise ModelError(f"expected one of {choices}; got {value!r} (did you mean "
                             f"{near[0]!r}?)") from None
    choices = ", ".join(repr(v) for v in enum_cls.values())
    raise ModelError(f"expected one of {choices}; got {value!r}") from None


def to_date(value: pendulum.Date | _dt.date | str | None) -> pendulum.Date | None:
    """Convert an ISO 8601 date string or a ``datetime.date`` to a ``pendulum.Date``.

    >>> to_date("2024-08-15")
    Date(2024, 8, 15)
    >>> to_date(None) is None
    True
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        raise ModelTypeError(f"expected a date, got a date-time {value.isoformat()!r}")
    if isinstance(value, pendulum.Date):
        return in_range(value)
    if isinstance(value, _dt.date):
        return in_range(pendulum.Date(value.year, value.month, value.day))
    if isinstance(value, str):
        try:
            parsed = pendulum.parse(value, exact=True)
        except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
            parsed = None
        if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
            return in_range(parsed)
        slashed = _slashed(value)
        if slashed is not None:
            return in_range(slashed)
        raise ModelError(f"expected an ISO 8601 date such as '2024-08-15', got {value!r}")
    raise ModelTypeError(f"expected an ISO 8601 date, got {type(value).__name__}")


_SLASHED = re.compile(r"\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*")


def _slashed(value: str) -> pendulum.Date | None:
    """A date typed as a spreadsheet shows one (``13/09/2026``, ``9/13/2026``): read when
    only one reading is a date; refused, naming both, when day and month could swap.

    >>> _slashed("13/09/2026"), _slashed("9/13/2026")
    (Date(2026, 9, 13), Date(2026, 9, 13))
    >>> _slashed("01/09/2026")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ModelError: '01/09/2026' can be read two ways: 1 September 2026 (day \
first) or 9 January 2026 (month first); type it as 2026-09-01 or 2026-01-09
    """
    m = _SLASHED.fullmatch(value)
    if m is None:
        return None
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    readings: list[pendulum.Date] = []
    for day, month in ((a, b), (b, a)):
        try:
            found = pendulum.Date(year, month, day)
        except ValueError:
            continue
        if found not in readings:
            readings.append(found)
    if len(readings) == 1:
        return readings[0]
    if not readings:
        raise ModelError(f"{value!r} is not a date (type it as YYYY-MM-DD)")
    first, second = readings
    raise ModelError(f"{value!r} can be read two ways: {first.day} {first.format('MMMM')} "
                     f"{first.year} (day first) or {second.day} {second.format('MMMM')} "
                     f"{second.year} (month first); type it as {first.isoformat()} or "
                     f"{second.isoformat()}")


def to_required_date(value: pendulum.Date | _dt.date | str) -> pendulum.Date:
    converted = to_date(value)
    if converted is None:
        raise ModelError("a date is required")
    return converted


def normalised(value: Iterable[str] | str, known: type[Choice], what: str
                ) -> tuple[str, ...]:
    if isinstance(value, str) and not value:
        return ()
    if type(value) is tuple:  # as written by the model itself: the same few, many times
        try:
            return _normalised_tuple(value, known, what)
        except TypeError:  # an unhashable item: refused below, field by field
            pass
    return _normalised(value, known, what)


@functools.lru_cache(maxsize=4096)
def _normalised_tuple(value: tuple[str, ...], known: type[Choice], what: str
                      ) -> tuple[str, ...]:
    return _normalised(value, known, what)


def _normalised(value: Iterable[str] | str, known: type[Choice], what: str
                ) -> tuple[str, ...]:
    out: list[str] = []
    for item in items_of(value, f"{what}s"):
        if not isinstance(item, str) or not item.strip():
            raise ModelError(f"each {what} must be a non-empty string, got {item!r}")
        check_text(item, what)
        normal = _normal(item, known)
        if normal not in out:
            out.append(normal)
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _normal(item: str, known: type[Choice]) -> str:
    """``item`` as a member of ``known`` when it names one (any case, spaces or
    underscores), else as written; cached, as importers normalise the same few titles
    hundreds of thousands of times."""
    key = item.strip()
    try:
        return known(key.lower().replace("_", "-").replace(" ", "-"))
    except ValueError:
        pass
    if "_" in key and key.replace("_", "").isalnum() and key.isupper():
        # a code (Ed-Fi's INSTRUCTIONAL_AIDE) as the words a person writes for it
        return " ".join(w.capitalize() for w in key.split("_") if w)
    return key


def to_ids(value: Iterable[str] | str) -> tuple[str, ...]:
    items = items_of(value, "ids")
    for item in items:
        if not isinstance(item, str) or not item or item != item.strip():
            raise ModelError(f"expected a list of ids, got an item {item!r}")
        check_text(item, "an id")
    return tuple(dict.fromkeys(items))


#: The largest magnitude of a number the model holds (a budget, a score, a threshold).
MAX_NUMBER = 1e15


def to_float(value: float | int | str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelTypeError(f"expected a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise ModelError(f"expected a finite number of at most {MAX_NUMBER:g} in size, "
                         f"got {value!r}")
    return number


def to_texts(value: Iterable[str] | str) -> tuple[str, ...]:
    items = items_of(value, "strings")
    for item in items:
        if not isinstance(item, str):
            raise ModelTypeError(f"expected a list of strings, got an item {item!r}")
        check_text(item, "a string")
    return items


def pairs_of(value: Any, what: str) -> list[tuple[Any, Any]]:
    """The ``(name, score)`` pairs of a mapping or of a list of pairs; anything else a
    :class:`ModelTypeError` saying what was expected.

    >>> pairs_of({"a": 1}, "scores"), pairs_of([["a", 1]], "scores")
    ([('a', 1)], [('a', 1)])
    >>> pairs_of([("a", 1, 2)], "scores")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ModelTypeError: scores: expected a mapping of names to scores, or a \
list of (name, score) pairs; got ('a', 1, 2) among them
    """
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ModelTypeError(f"{what}: expected a mapping of names to scores, or a list of "
                             f"(name, score) pairs; got {value!r}")
    out: list[tuple[Any, Any]] = []
    for pair in value:
        if isinstance(pair, str | bytes) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ModelTypeError(f"{what}: expected a mapping of names to scores, or a list "
                                 f"of (name, score) pairs; got {pair!r} among them")
        out.append((pair[0], pair[1]))
    return out


def to_percent(value: float | int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelTypeError(f"expected a percentage (a number from 0 to 100), got {value!r}")
    if not 0 <= value <= 100:  # NaN is refused here too: no comparison holds for it
        raise ModelError(f"expected a percentage from 0 to 100, got {value!r}")
    return float(value)


def to_optional_percent(value: float | int | None) -> float | None:
    return None if value is None else to_percent(value)


def to_datetime(value: pendulum.DateTime | _dt.datetime | str,
                tz: str | None = None) -> pendulum.DateTime:
    """A tz-aware ``pendulum.DateTime`` from an ISO 8601 string or a datetime.

    A value without an offset or zone is refused, unless ``tz`` says which zone to
    read it in.

    >>> to_datetime("2026-03-09T16:00:00-04:00")
    DateTime(2026, 3, 9, 16, 0, 0, tzinfo=FixedTimezone(-14400, name="-04:00"))
    >>> to_datetime("2026-03-09T16:00", tz="America/Detroit").utcoffset()
    datetime.timedelta(days=-1, seconds=72000)
    >>> to_datetime("2026-03-09T16:00")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ModelError: expected a date-time with a UTC offset or zone, such as \
'2026-03-09T16:00:00-04:00', got the naive '2026-03-09T16:00'
    """
    if isinstance(value, str):
        try:
            parsed = pendulum.parse(value, exact=True, tz=None)
        except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
            parsed = None
        if not isinstance(parsed, _dt.datetime):
            raise ModelError(f"expected an ISO 8601 date-time such as "
                             f"'2026-03-09T16:00:00-04:00', got {value!r}")
        dt: _dt.datetime = parsed
    elif isinstance(value, _dt.datetime):
        dt = value
    else:
        raise ModelTypeError(f"expected an ISO 8601 date-time, got {type(value).__name__}")
    in_range(pendulum.Date(dt.year, dt.month, dt.day))
    if dt.tzinfo is None or dt.utcoffset() is None:
        if tz is None:
            shown = value if isinstance(value, str) else dt.isoformat()
            raise ModelError("expected a date-time with a UTC offset or zone, such as "
                             f"'2026-03-09T16:00:00-04:00', got the naive {shown!r}")
        return pendulum.datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second,
                                 dt.microsecond, tz=pendulum.timezone(tz))
    return pendulum.instance(dt)


def to_duration(value: pendulum.Duration | _dt.timedelta | str) -> pendulum.Duration:
    """A ``pendulum.Duration`` from an ISO 8601 duration (``P1M``, ``P12M``, ``P14D``).

    Calendar units are kept: one month after 31 January is the end of February.

    >>> to_duration("P1M").in_words()
    '1 month'
    """
    if isinstance(value, pendulum.Duration):
        return _bounded(value, value.in_words())
    if isinstance(value, _dt.timedelta):
        return _bounded(pendulum.duration(seconds=value.total_seconds()), str(value))
    if isinstance(value, str):
        return _parse_duration(value)
    raise ModelTypeError(f"expected an ISO 8601 duration, got {type(value).__name__}")


#: The longest duration the model holds (a cadence, a review period, a window).
MAX_DURATION = "P100Y"
_MAX_DAYS = 100 * 366


def _bounded(d: pendulum.Duration, shown: str) -> pendulum.Duration:
    """``d``, if at most 100 years and not negative: longer ones overflow date arithmetic
    and say nothing a school system plans for."""
    days = d.years * 366 + d.months * 31 + d.remaining_days + 7 * d.weeks + (
        d.hours * 3600 + d.minutes * 60 + d.remaining_seconds) / 86400
    if days > _MAX_DAYS or days < 0:
        raise ModelError(f"expected a duration from P0D to {MAX_DURATION}, got {shown!r}")
    return d


@functools.lru_cache(maxsize=256)
def _parse_duration(value: str) -> pendulum.Duration:
    """Parse once: rules read the same few settings ('P1M', 'P7D') for every subject."""
    if len(value) > 64:  # no real duration is longer; huge digit runs cost time to read
        raise ModelError(f"expected an ISO 8601 duration such as 'P1M' or 'P14D', got "
                         f"{value[:40]!r}... ({len(value)} characters)")
    try:
        parsed = pendulum.parse(value, exact=True)
    except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
        parsed = None
    if isinstance(parsed, pendulum.Duration):
        return _bounded(parsed, value)
    raise ModelError(f"expected an ISO 8601 duration such as 'P1M' or 'P14D', got {value!r}")


def to_optional_duration(value: pendulum.Duration | str | None) -> pendulum.Duration | None:
    if value is None:
        return None
    return to_duration(value)


def duration_iso(d: pendulum.Duration) -> str:
    """ISO 8601 for a pendulum duration, calendar units kept: ``P1Y2M10DT2H``."""
    date = "".join(f"{n}{u}" for n, u in ((d.years, "Y"), (d.months, "M"),
                                          (d.remaining_days + 7 * d.weeks, "D")) if n)
    time = "".join(f"{n}{u}" for n, u in ((d.hours, "H"), (d.minutes, "M"),
                                          (d.remaining_seconds, "S")) if n)
    return "P" + (date or ("" if time else "0D")) + (f"T{time}" if time else "")


def to_choice(enum_cls: type[_E]) -> Callable[[Any], _E]:
    """A converter to a member of ``enum_cls`` (by value), naming the choices when the
    value is none of them.

    >>> from mtss_core.model import UnitKind
    >>> to_choice(UnitKind)("school")
    <UnitKind.SCHOOL: 'school'>
    """
    def convert(value: Any) -> _E:
        return choice(enum_cls, value)

    convert.__name__ = f"to_{enum_cls.__name__}"
    return convert
