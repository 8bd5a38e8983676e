"""Pre-filling a capacity self-assessment from the structure: per item a suggested score,
the evidence, the gaps and what would raise it; totals per area and overall."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from ..errors import ConfigError, UnknownIdError
from ..graph import AlignmentGraph
from ..model import OrgUnit, label, to_date
from ._instrument import Area, Instrument, Item, instrument_from_data, load_instrument
from ._shipped import SHIPPED
from .evidence import EVIDENCE, EvidenceContext, EvidenceFunction, Found, by_name

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AreaResult", "CapacityReport", "ItemResult", "capacity", "instrument"]


def instrument(name: str | os.PathLike[str] | Instrument) -> Instrument:
    """A shipped instrument by name (``district``, ``regional``, ``dsfi``), or one loaded
    from a TOML or JSON file.

    >>> [i.id for i in instrument("dsfi").areas][:3]
    ['teaming', 'stakeholders', 'resources']
    """
    if isinstance(name, Instrument):
        return name
    if isinstance(name, str) and name in SHIPPED:
        return instrument_from_data(SHIPPED[name], source=f"<shipped {name}>")
    path = Path(name)
    if path.suffix.lower() in (".toml", ".json"):
        return load_instrument(path)
    raise ConfigError(f"no instrument named {str(name)!r}: one of {', '.join(SHIPPED)}, or "
                      "a .toml or .json file")


@attrs.frozen(kw_only=True)
class ItemResult:
    """One item as the structure suggests it."""

    item: Item
    score: int | None
    evidence: tuple[str, ...]
    gaps: tuple[str, ...]
    action: str
    #: The evidence as a coordinator reads it: "James Park (principal-0420-02)".
    evidence_labels: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[str, ...]:
        """The evidence with names (the labels, where known; else the ids)."""
        return self.evidence_labels or self.evidence

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.item.id, "area": self.item.area, "title": self.item.title,
                "criteria": list(self.item.criteria), "score": self.score,
                "evidence": list(self.evidence),
                "evidence_labels": list(self.shown), "gaps": list(self.gaps),
                "action": self.action, "evidence_function": self.item.evidence or None}


@attrs.frozen(kw_only=True)
class AreaResult:
    """An area's suggested total: the points of its scored items, of the most they could
    be; items the structure cannot tell are left out (and counted)."""

    area: Area
    points: int
    possible: int
    unscored: int

    @property
    def share(self) -> float | None:
        return None if not self.possible else self.points / self.possible

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.area.id, "title": self.area.title, "points": self.points,
                "possible": self.possible, "share": self.share, "unscored": self.unscored}


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


@attrs.frozen(kw_only=True)
class CapacityReport:
    """A pre-filled self-assessment: what the team starts its administration from."""

    unit: str
    unit_name: str
    instrument: Instrument
    as_of: pendulum.Date
    items: tuple[ItemResult, ...]
    areas: tuple[AreaResult, ...]
    criterion: float

    @property
    def points(self) -> int:
        return sum(a.points for a in self.areas)

    @property
    def possible(self) -> int:
        return sum(a.possible for a in self.areas)

    @property
    def share(self) -> float | None:
        """The suggested total as a share of the most possible (scored items only)."""
        return None if not self.possible else self.points / self.possible

    @property
    def meets(self) -> bool | None:
        """Whether the suggested total reaches the criterion (``None``: nothing scored)."""
        return None if self.share is None else self.share >= self.criterion

    def item(self, item_id: str) -> ItemResult:
        """The result of one item."""
        for r in self.items:
            if r.item.id == item_id:
                return r
        raise UnknownIdError(item_id, "item", within=f"the result of {self.instrument.name!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``items`` (id, area, title, score, evidence, gaps, action),
        ``areas`` and ``total``."""
        return {"unit": self.unit, "unit_name": self.unit_name,
                "instrument": self.instrument.name,
                "instrument_title": self.instrument.title,
                "as_of": self.as_of.isoformat(),
                "items": [r.to_dict() for r in self.items],
                "areas": [a.to_dict() for a in self.areas],
                "total": {"points": self.points, "possible": self.possible,
                          "share": self.share, "criterion": self.criterion,
                          "meets": self.meets,
                          "unscored": sum(a.unscored for a in self.areas)}}

    def to_frame(self) -> pd.DataFrame:
        """One row per item (the ``dataframes`` extra)."""
        from .._extras import pandas

        pd = pandas()
        return pd.DataFrame([{**r.to_dict(), "evidence": ", ".join(r.evidence),
                              "gaps": "; ".join(r.gaps)} for r in self.items])

    def __str__(self) -> str:
        unscored = sum(a.unscored for a in self.areas)
        lines = [f"{self.instrument.title}: {self.unit_name} as of {self.as_of}",
                 f"  suggested total {self.points}/{self.possible} ({_pct(self.share)}); "
                 f"criterion {self.criterion:.0%}"
                 + (f"; {unscored} item(s) the structure cannot tell" if unscored else "")]
        for area in self.areas:
            lines.append(f"  {area.area.title}: {area.points}/{area.possible} "
                         f"({_pct(area.share)})")
            for r in self.items:
                if r.item.area != area.area.id:
                    continue
                score = "?" if r.score is None else str(r.score)
                lines.append(f"    {r.item.id} [{score}] {r.item.title}")
                lines += [f"        gap: {g}" for g in r.gaps]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The pre-fill as Markdown: the totals, then a table per area."""
        from .._text import md_cell

        out = [f"# {md_cell(self.instrument.title)}: {md_cell(self.unit_name)}", "",
               f"As of {self.as_of}. Suggested total {self.points}/{self.possible} "
               f"({_pct(self.share)}); the criterion is {self.criterion:.0%}. Scores are "
               "suggestions from the structure: the team decides by consensus.", ""]
        for area in self.areas:
            out += [f"## {md_cell(area.area.title)} ({_pct(area.share)})", "",
                    "| item | suggested | evidence | gaps | to raise it |",
                    "|---|---|---|---|---|"]
            out += [f"| {r.item.id} {md_cell(r.item.title)} | "
                    f"{'?' if r.score is None else r.score} | "
                    f"{md_cell(', '.join(r.evidence))} | {md_cell('; '.join(r.gaps))} | "
                    f"{md_cell(r.action)} |"
                    for r in self.items if r.item.area == area.area.id]
            out.append("")
        return "\n".join(out)

    def to_html(self) -> str:
        """The worksheet the team uses during the administration, as one printable page."""
        from ._worksheet import worksheet_html

        return worksheet_html(self)

    def _repr_html_(self) -> str:
        return self.to_html()


_find_instrument = instrument


def capacity(graph: AlignmentGraph, unit: str,
             instrument: str | os.PathLike[str] | Instrument = "district", *,
             as_of: pendulum.Date | str | None = None, criterion: float | None = None,
             evidence: Mapping[str, EvidenceFunction] | Iterable[EvidenceFunction]
             | None = None) -> CapacityReport:
    """Pre-fill ``instrument`` (a shipped one by name, a file, or an
    :class:`Instrument`) for ``unit`` as of ``as_of`` (by default the graph's): per item
    a suggested score (``None`` where the structure cannot tell), the evidence ids, the
    gaps naming objects and the action that would raise it; totals per area and overall
    against ``criterion`` (the instrument's, 80% unless it says otherwise).  ``evidence``
    adds evidence functions: by name, or functions named with
    :func:`~mtss_core.capacity.evidence.evidence` (and those of installed packages,
    :func:`~mtss_core.capacity.evidence.plugin_evidence`).

    >>> from mtss_core import example
    >>> report = capacity(example(), "dist-cedar", "district")
    >>> report.item("L2").score, report.item("L2").gaps
    (1, ("executive leadership team 'Cedar Creek Executive Leadership Team' (t-cedar-exec) \
had MTSS on the agenda of 2 of its 6 meetings since 2026-03-01",))
    """
    tool = _find_instrument(instrument)
    day = to_date(as_of) if as_of is not None else graph.as_of
    if day is None:
        raise ConfigError("a capacity pre-fill needs an as-of date (none given, none in the "
                          "graph)")
    target = graph.get(unit)
    if not isinstance(target, OrgUnit):
        raise UnknownIdError(unit, "org unit")
    functions = {**EVIDENCE, **by_name(evidence or {})}
    missing = sorted({i.evidence for i in tool.items if i.evidence} - set(functions))
    if missing:
        raise ConfigError(f"instrument {tool.name!r} names evidence functions that are not "
                          f"there: {', '.join(missing)} (pass your own with evidence=[...], "
                          "those of installed packages with evidence=plugin_evidence())")
    results = []
    for item in tool.items:
        if not item.evidence:
            found = Found(score=None, gaps=("the structure holds nothing to judge this "
                                            "item by: the team scores it",))
        else:
            found = functions[item.evidence](EvidenceContext(graph=graph, unit=target,
                                                             as_of=day, args=item.args))
            if found.score not in (None, 0, 1, 2):
                raise ConfigError(f"evidence function {item.evidence!r} scored "
                                  f"{found.score!r}; expected 0, 1, 2 or None")
        results.append(ItemResult(item=item, score=found.score, evidence=found.evidence,
                                  gaps=found.gaps, action=found.action,
                                  evidence_labels=tuple(_named(graph, e)
                                                        for e in found.evidence)))
    areas = []
    for area in tool.areas:
        mine = [r for r in results if r.item.area == area.id]
        scored = [r.score for r in mine if r.score is not None]
        areas.append(AreaResult(area=area, points=sum(scored), possible=2 * len(scored),
                                unscored=len(mine) - len(scored)))
    return CapacityReport(unit=unit, unit_name=label(target), instrument=tool, as_of=day,
                          items=tuple(results), areas=tuple(areas),
                          criterion=tool.criterion if criterion is None else criterion)


def _named(graph: AlignmentGraph, ident: str) -> str:
    """``Name (id)`` for an object of the graph with a name; the text as it is else."""
    node = graph.get(ident, default=None) if isinstance(ident, str) else None
    name = getattr(node, "name", "") or getattr(node, "title", "")
    return f"{name} ({ident})" if name else ident
