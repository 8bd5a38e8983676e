"""CAP: capacity self-assessments administered in their windows, reaching the criterion,
and scored as the structure shows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pendulum

from ..capacity import SHIPPED, capacity
from ..errors import ConfigError
from ..graph import AlignmentGraph, home_unit
from ..model import CapacityAssessment, OrgUnit, label
from ._dates import _as_of
from ._protocol import Edit, MemoKey, RuleContext, Setting, Violation, rule
from .reads import ITSELF

__all__ = ["capacity_below_criterion", "capacity_missed_window", "capacity_score_contradicted"]

#: The family of codes this module declares.
PREFIX = "CAP"

_SOURCE = "District Capacity Assessment (SISEP / NIRN); MiMTSS"


def _assessments(graph: AlignmentGraph) -> list[CapacityAssessment]:
    return list(graph.objects("capacity_assessment"))


def _by_unit(graph: AlignmentGraph, ctx: RuleContext) -> dict[str, list[CapacityAssessment]]:
    """unit -> its administrations, earliest first (once a run)."""
    found = ctx.memo.get(MemoKey("capacity_by_unit"))
    if found is None:
        found = {}
        for a in sorted(_assessments(graph), key=lambda a: (a.administered_on, a.id)):
            found.setdefault(a.unit, []).append(a)
        ctx.memo[MemoKey("capacity_by_unit")] = found
    return found


def _assessed_units(graph: AlignmentGraph, ctx: RuleContext) -> list[OrgUnit]:
    return [graph.node(u) for u in _by_unit(graph, ctx) if u in graph]


def _unit_of_assessment(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    return {a.unit for a in edit.versions}


_READS_UNIT = {"capacity_assessment": _unit_of_assessment, "unit": ITSELF}


def _check_windows(value: Any) -> str | None:
    if not isinstance(value, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) for w in v) for v in value.values()):
        return "expected a table of instrument names to lists of 'MM-DD/MM-DD' windows"
    for windows in value.values():
        for w in windows:
            try:
                _bounds(w, 2024)
            except ValueError:
                return f"{w!r} is not a window 'MM-DD/MM-DD'"
    return None


def _bounds(window: str, year: int) -> tuple[pendulum.Date, pendulum.Date]:
    start, _, end = window.partition("/")
    m1, d1 = (int(x) for x in start.split("-"))
    m2, d2 = (int(x) for x in end.split("-"))
    first = pendulum.Date(year, m1, min(d1, 28) if m1 == 2 and d1 > 28 else d1)
    last_year = year + 1 if (m2, d2) < (m1, d1) else year
    if m2 == 2 and d2 == 29:
        d2 = 29 if pendulum.Date(last_year, 3, 1).subtract(days=1).day == 29 else 28
    return first, pendulum.Date(last_year, m2, d2)


def _last_closed(windows: Iterable[str], before: pendulum.Date
                 ) -> tuple[pendulum.Date, pendulum.Date] | None:
    """The latest window that closed before ``before``."""
    found = [(s, e) for w in windows for year in (before.year - 2, before.year - 1,
                                                  before.year)
             for s, e in [_bounds(w, year)] if e < before]
    return max(found, key=lambda se: se[1]) if found else None


_DEFAULT_WINDOWS = {name: list(data.get("windows", [])) for name, data in SHIPPED.items()}


@rule(
    code="CAP001",
    name="capacity-assessment-missed-window",
    severity="warning",
    needs_as_of=True,
    settings=[Setting(name="windows", default=_DEFAULT_WINDOWS, check=_check_windows,
                      doc="The windows each instrument is recommended in, by instrument "
                          "name ('MM-DD/MM-DD'): twice a year for a district capacity "
                          "assessment, August to September and January to February.")],
    source=_SOURCE,
    why=("A capacity assessment is recommended twice a year, at the start of the school "
         "year and midway (August/September and January/February), so the team sees its "
         "capacity grow and plans from it; a missed window leaves the plan without it."),
    fix="Administer the instrument in its next window and record the team's scores.",
    example=("'dist-oak' administered the district capacity assessment in September 2025 "
             "but not in January or February 2026: as of 2026-09-01 CAP001 fires on it."),
    subjects="unit",
    select=_assessed_units,
    reads=_READS_UNIT,
    labels_only=True,
)
def capacity_missed_window(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                           ) -> list[Violation]:
    """A unit that uses a capacity instrument and missed its last recommended window."""
    as_of = _as_of(ctx)
    done = _by_unit(graph, ctx).get(unit.id, [])
    out = []
    for name in sorted({a.instrument for a in done}):
        windows = ctx["windows"].get(name)
        if not windows:
            continue
        mine = [a for a in done if a.instrument == name and a.administered_on <= as_of]
        window = _last_closed(windows, as_of)
        if not mine or window is None or mine[0].administered_on > window[1]:
            continue  # not in use yet when the window closed
        if any(window[0] <= a.administered_on <= window[1] for a in mine):
            continue
        last = mine[-1]
        out.append(Violation(
            subject=unit.id,
            message=(f"{label(unit)} did not administer the {name} capacity assessment in "
                     f"its window from {window[0]} to {window[1]} (last: {last.id!r} on "
                     f"{last.administered_on})"),
            hint="administer it in the next window and record the team's scores",
            related=(last.id,)))
    return out


@rule(
    code="CAP002",
    name="capacity-below-criterion",
    severity="warning",
    settings=[Setting(name="runs", default=2, check=lambda v: None if isinstance(v, int)
                      and not isinstance(v, bool) and v >= 1 else "expected a whole number "
                      "of administrations, at least 1",
                      doc="How many administrations in a row below the criterion fire it."),
              Setting(name="criterion", default=0.8, check=lambda v: None if isinstance(
                  v, int | float) and not isinstance(v, bool) and 0 < v <= 1 else
                  "expected a share above 0 and at most 1",
                  doc="The share of the most possible that counts as capacity in place "
                      "(80% is the suggested criterion).")],
    source=_SOURCE,
    why=("80% of the most possible, overall and in each area, is the suggested criterion "
         "for capacity in place; administrations that stay below it say the plan for "
         "building capacity is not working."),
    fix="Plan from the lowest items (mtss capacity shows the gaps) and review the plan at "
        "the next administration.",
    example=("'dist-oak' scored 62% and 70% in its last two district capacity "
             "assessments: CAP002 fires on it."),
    subjects="unit",
    select=_assessed_units,
    reads=_READS_UNIT,
    labels_only=True,
)
def capacity_below_criterion(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                             ) -> list[Violation]:
    """A unit whose last administrations of an instrument all fell below the criterion."""
    runs, line = ctx["runs"], ctx["criterion"]
    done = _by_unit(graph, ctx).get(unit.id, [])
    if ctx.as_of is not None:
        done = [a for a in done if a.administered_on <= ctx.as_of]
    out = []
    for name in sorted({a.instrument for a in done}):
        last = [a for a in done if a.instrument == name][-runs:]
        shares = [a.share for a in last]
        if len(last) < runs or any(s is None or s >= line for s in shares):
            continue
        out.append(Violation(
            subject=unit.id,
            message=(f"{label(unit)} scored below {line:.0%} in its last {runs} {name} "
                     "capacity assessments (" + ", ".join(
                         f"{a.administered_on}: {a.share:.0%}" for a in last
                         if a.share is not None) + ")"),
            hint="plan from the lowest items and review at the next administration",
            related=tuple(a.id for a in last)))
    return out


def _latest(graph: AlignmentGraph, ctx: RuleContext) -> list[CapacityAssessment]:
    """The latest administration of each unit and instrument."""
    latest: dict[tuple[str, str], CapacityAssessment] = {}
    for unit, done in _by_unit(graph, ctx).items():
        for a in done:
            if ctx.as_of is None or a.administered_on <= ctx.as_of:
                latest[(unit, a.instrument)] = a
    return list(latest.values())


def _around(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """Any edit may change what the structure shows of a unit it is in: the assessments
    of the units above it (and of it)."""
    places: set[str] = set()
    for version in edit.versions:  # each version by its own fields: where it was, and is
        if getattr(version, "type_name", "") == "unit":
            places.add(version.id)
        for name in _PLACES:
            value = getattr(version, name, None)
            if isinstance(value, str):
                places.add(value)
        if getattr(version, "type_name", "") == "person" and version.id in graph:
            places.update(m.team for m in graph.memberships_of(version.id, history=True))
    units: set[str] = set()
    for place in places:
        home = home_unit(graph, place) if place in graph else None
        if home is not None:
            units.add(home)
            units.update(u.id for u in graph.ancestors(home))
    return {a.id for a in _assessments(graph) if a.unit in units}


#: The fields that say where an object is (its unit, team, owner, ...).
_PLACES = ("unit", "parent", "district", "team", "owner", "raised_by", "from_team",
           "to_team", "subject", "cohort")


def _assessment_changed(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """An administration added, removed or changed: every one of its unit (which is the
    latest may change)."""
    units = {a.unit for a in edit.versions}
    return {a.id for a in edit.versions} | {a.id for a in _assessments(graph)
                                             if a.unit in units}


def _contradicted_reads() -> dict[str, Any]:
    from ..model import TYPES

    reads: dict[str, Any] = {t.name: _around for t in TYPES}
    reads["capacity_assessment"] = _assessment_changed
    return reads


@rule(
    code="CAP003",
    name="capacity-score-contradicted",
    severity="info",
    source=_SOURCE,
    why=("A team scores by consensus, and a score of 2 says the practice is fully in "
         "place; when the structure shows otherwise (no family member on the team, no "
         "screening data), either the record or the score needs a second look."),
    fix="Check the evidence at the next administration; record what is missing, or adjust "
        "the score.",
    example=("'dca-oak-2026w' scored item C4 (coaches on every school team) 2, but school "
             "'sch-annex' has no coach on its leadership team: CAP003 notes it."),
    subjects="capacity_assessment",
    select=lambda graph, ctx: _latest(graph, ctx),
    reads=_contradicted_reads(),
)
def capacity_score_contradicted(graph: AlignmentGraph, ctx: RuleContext,
                                a: CapacityAssessment) -> Violation | None:
    """An item the team scored 2 whose evidence in the structure suggests less."""
    if a not in _latest(graph, ctx) or a.unit not in graph:
        return None
    try:
        report = capacity(graph, a.unit, a.instrument, as_of=a.administered_on)
    except (ConfigError, KeyError):
        return None  # an instrument of one's own that is not shipped: nothing to compare
    doubts = []
    for item, score in a.scores:
        if score != 2:
            continue
        try:
            found = report.item(item)
        except KeyError:
            continue
        if found.score is not None and found.score < 2:
            doubts.append((item, found.score, found.gaps))
    if not doubts:
        return None
    return Violation(
        subject=a.id,
        message=(f"capacity assessment {a.id!r} scored " + "; ".join(
            f"{item} 2 where the structure suggests {s}"
            + (f" ({gaps[0]})" if gaps else "") for item, s, gaps in doubts)),
        hint="look at the evidence again at the next administration",
        related=(a.unit,))


#: The family's rules, in code order.
RULES = (capacity_missed_window, capacity_below_criterion, capacity_score_contradicted)
