"""Instruments: areas and items, as data.

An instrument is what a team rates its capacity with: areas (the implementation drivers,
the nine areas of a systems inventory) and items, each scored 0, 1 or 2 by consensus.  An
item has an id, its area, a short title, what each score means, and the name of the
evidence function that suggests its score from the structure
(:mod:`mtss_core.capacity.evidence`).  Instruments load from TOML or JSON (a state ships
its own); the shipped ones are written in this project's own words, and a district that
holds the official wording loads it over them from its own file
(:meth:`Instrument.with_wording`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._toml import toml
from ..errors import ConfigError, DocumentError, UnknownIdError
from ..model import UnitKind

__all__ = ["Area", "Instrument", "Item", "instrument_from_data", "load_instrument"]


@attrs.frozen(kw_only=True)
class Item:
    """One item: what it asks, what 0, 1 and 2 mean, how the structure suggests a score."""

    id: str
    area: str
    title: str
    #: What a score of 0, 1 and 2 means, in that order.
    criteria: tuple[str, str, str]
    #: The evidence function's name; empty when the structure cannot tell.
    evidence: str = ""
    #: Arguments for the evidence function (a team kind, a window).
    args: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Area:
    """A part of the instrument (an implementation driver, an area of the inventory)."""

    id: str
    title: str


@attrs.frozen(kw_only=True)
class Instrument:
    """An instrument: its areas and items, the level of unit it rates, the criterion (the
    share of the most possible that counts as capacity in place) and the windows it is
    recommended in (``MM-DD/MM-DD``, twice a year for a district capacity assessment)."""

    name: str
    title: str
    level: UnitKind
    areas: tuple[Area, ...]
    items: tuple[Item, ...]
    criterion: float = 0.8
    windows: tuple[str, ...] = ()
    source: str = ""

    def item(self, item_id: str) -> Item:
        """The item with an id."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownIdError(item_id, "item", within=f"the instrument {self.name!r}")

    def area(self, area_id: str) -> Area:
        """The area with an id."""
        for area in self.areas:
            if area.id == area_id:
                return area
        raise UnknownIdError(area_id, "area", within=f"the instrument {self.name!r}")

    def with_wording(self, wording: Mapping[str, Any] | str | os.PathLike[str]
                     ) -> Instrument:
        """The same instrument with the titles and criteria of ``wording`` (a mapping, or
        a TOML or JSON file: ``{"items": {"L1": {"title": ..., "criteria": [...]}},
        "areas": {"leadership": {"title": ...}}}``): the official text a district holds,
        over the shipped paraphrase.

        >>> from mtss_core.capacity import instrument
        >>> dca = instrument("district").with_wording({"items": {"L1": {"title": "Team"}}})
        >>> dca.item("L1").title
        'Team'
        """
        data = wording if isinstance(wording, Mapping) else _read(wording)
        if not isinstance(data, Mapping):
            raise ConfigError(f"wording: expected a table of 'items' and 'areas', got "
                              f"{type(data).__name__}")
        items = dict(self._section(data, "items"))
        areas = dict(self._section(data, "areas"))
        unknown = sorted(set(items) - {i.id for i in self.items}) + sorted(
            set(areas) - {a.id for a in self.areas})
        if unknown:
            raise ConfigError(f"wording for {self.name!r} names what it does not have: "
                              + ", ".join(unknown))
        new_items = []
        for item in self.items:
            change = items.get(item.id, {})
            criteria = change.get("criteria", item.criteria)
            if (isinstance(criteria, str) or not isinstance(criteria, Sequence)
                    or len(criteria) != 3 or not all(isinstance(c, str) and c.strip()
                                                       for c in criteria)):
                raise ConfigError(f"wording for item {item.id!r}: criteria must be a list "
                                  f"of three texts (what 0, 1 and 2 mean), got {criteria!r}")
            title = change.get("title", item.title)
            if not isinstance(title, str) or not title.strip():
                raise ConfigError(f"wording for item {item.id!r}: title must be a text, got "
                                  f"{title!r}")
            new_items.append(attrs.evolve(item, title=title, criteria=tuple(criteria)))
        new_areas = []
        for a in self.areas:
            title = areas.get(a.id, {}).get("title", a.title)
            if not isinstance(title, str) or not title.strip():
                raise ConfigError(f"wording for area {a.id!r}: title must be a text, got "
                                  f"{title!r}")
            new_areas.append(attrs.evolve(a, title=title))
        return attrs.evolve(self, items=tuple(new_items), areas=tuple(new_areas))

    @staticmethod
    def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Mapping[str, Any]]:
        found = data.get(key, {})
        if not isinstance(found, Mapping) or not all(isinstance(v, Mapping)
                                                      for v in found.values()):
            raise ConfigError(f"wording: {key!r} must map ids to tables")
        return found

    def to_data(self) -> dict[str, Any]:
        """The instrument as the plain data it loads from."""
        return {"name": self.name, "title": self.title, "level": self.level.value,
                "criterion": self.criterion, "windows": list(self.windows),
                "source": self.source,
                "areas": [{"id": a.id, "title": a.title} for a in self.areas],
                "items": [{"id": i.id, "area": i.area, "title": i.title,
                           "criteria": list(i.criteria), "evidence": i.evidence,
                           **({"args": dict(i.args)} if i.args else {})}
                          for i in self.items]}


def _read(path: str | os.PathLike[str]) -> Any:
    """A TOML or JSON file's data: a regular file only (a FIFO or a device is refused, not
    waited on), bounded in size and nesting like a document."""
    from .._files import read_file
    from .._json import deeper_than, strict_loads
    from .._limits import Limits

    p = Path(path)
    limits = Limits()
    suffix = p.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ConfigError(f"{p}: an instrument or wording file is a .toml or .json file")
    try:
        raw = read_file(p, str(p), limits)
    except DocumentError as exc:
        raise ConfigError(str(exc.problems[0])) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = toml().loads(text) if suffix == ".toml" else strict_loads(text)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deep to read" if isinstance(exc, RecursionError) else exc
        raise ConfigError(f"{p}: not valid {suffix[1:].upper()}: {reason}") from None
    if deeper_than(data, limits.max_depth):
        raise ConfigError(f"{p}: nested deeper than {limits.max_depth} levels "
                          "(Limits.max_depth)")
    return data


def load_instrument(path: str | os.PathLike[str]) -> Instrument:
    """An instrument from a TOML or JSON file (see :func:`instrument_from_data`)."""
    return instrument_from_data(_read(path), source=str(path))


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be a non-empty text, got {value!r}")
    return value.strip()


def instrument_from_data(data: Any, *, source: str = "<data>") -> Instrument:
    """An instrument from plain data: ``name``, ``title``, ``level`` (the kind of unit it
    rates), ``criterion`` (0.8 by default), ``windows``, ``areas`` (``id``, ``title``) and
    ``items`` (``id``, ``area``, ``title``, ``criteria``: what 0, 1 and 2 mean, and
    ``evidence``: an evidence function's name, with ``args``).  Every problem is a
    :class:`~mtss_core.errors.ConfigError` naming the item.

    >>> dca = instrument_from_data({"name": "mini", "title": "Mini", "level": "district",
    ...     "areas": [{"id": "a", "title": "A"}],
    ...     "items": [{"id": "a1", "area": "a", "title": "A lead",
    ...                "criteria": ["none", "named", "named and covering every domain"],
    ...                "evidence": "designated_lead"}]})
    >>> dca.item("a1").evidence, dca.criterion
    ('designated_lead', 0.8)
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: an instrument is a table, got {type(data).__name__}")
    name = _text(data, "name", source)
    where = f"{source} (instrument {name!r})"
    try:
        level = UnitKind(data.get("level", "district"))
    except ValueError:
        raise ConfigError(f"{where}: level must be a kind of unit, got "
                          f"{data.get('level')!r}") from None
    criterion = data.get("criterion", 0.8)
    if isinstance(criterion, bool) or not isinstance(criterion, int | float) or not (
            0 < criterion <= 1):
        raise ConfigError(f"{where}: criterion must be a share above 0 and at most 1, got "
                          f"{criterion!r}")
    areas = _areas(data.get("areas"), where)
    items = _items(data.get("items"), {a.id for a in areas}, where)
    windows = data.get("windows", [])
    if not isinstance(windows, Sequence) or isinstance(windows, str) or not all(
            _window(w) for w in windows):
        raise ConfigError(f"{where}: windows must be a list of 'MM-DD/MM-DD', got "
                          f"{windows!r}")
    return Instrument(name=name, title=_text(data, "title", where), level=level,
                      areas=areas, items=items, criterion=float(criterion),
                      windows=tuple(windows), source=str(data.get("source", "")))


def _window(value: Any) -> bool:
    if not isinstance(value, str) or value.count("/") != 1:
        return False
    try:
        import datetime as _dt

        for part in value.split("/"):
            month, day = (int(x) for x in part.split("-"))
            _dt.date(2024, month, day)  # a leap year: 02-29 is a valid bound
    except ValueError:
        return False
    return True


def _areas(value: Any, where: str) -> tuple[Area, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise ConfigError(f"{where}: areas must be a non-empty list")
    out = []
    for i, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where}: area {i} must be a table")
        out.append(Area(id=_text(entry, "id", f"{where} area {i}"),
                        title=_text(entry, "title", f"{where} area {i}")))
    ids = [a.id for a in out]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{where}: an area id is used twice")
    return tuple(out)


def _items(value: Any, areas: set[str], where: str) -> tuple[Item, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        raise ConfigError(f"{where}: items must be a non-empty list")
    out: list[Item] = []
    for i, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{where}: item {i} must be a table")
        ident = _text(entry, "id", f"{where} item {i}")
        here = f"{where} item {ident!r}"
        area = _text(entry, "area", here)
        if area not in areas:
            raise ConfigError(f"{here}: area {area!r} is not one of the instrument's "
                              f"({', '.join(sorted(areas))})")
        criteria = entry.get("criteria")
        if (not isinstance(criteria, Sequence) or isinstance(criteria, str)
                or len(criteria) != 3 or not all(isinstance(c, str) and c.strip()
                                                   for c in criteria)):
            raise ConfigError(f"{here}: criteria must be three texts (what 0, 1 and 2 "
                              f"mean), got {criteria!r}")
        evidence = entry.get("evidence", "")
        args = entry.get("args", {})
        if not isinstance(evidence, str) or not isinstance(args, Mapping):
            raise ConfigError(f"{here}: evidence must be a function's name and args a "
                              "table")
        for arg, value in args.items():
            problem = _arg_problem(str(arg), value)
            if problem:
                raise ConfigError(f"{here}: args.{arg}: {problem}, got {value!r}")
        out.append(Item(id=ident, area=area, title=_text(entry, "title", here),
                        criteria=(criteria[0], criteria[1], criteria[2]), evidence=evidence,
                        args=dict(args)))
    ids = [i.id for i in out]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{where}: an item id is used twice")
    return tuple(out)


def _arg_problem(name: str, value: Any) -> str | None:
    """What is wrong with a shipped evidence function's argument (``None``: nothing, or an
    argument only a plugin's function reads)."""
    from ..model import TeamKind, to_duration

    if name in ("max_focus_areas", "days"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return "expected a whole number of at least 1"
    elif name == "criterion":
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                0 <= value <= 100):
            return "expected a percentage from 0 to 100"
    elif name == "team":
        if not isinstance(value, str) or value not in {k.value for k in TeamKind}:
            return "expected a kind of team (" + ", ".join(k.value for k in TeamKind) + ")"
    elif name == "window":
        try:
            to_duration(value)
        except (ValueError, TypeError):
            return "expected an ISO 8601 duration such as 'P6M'"
    return None
