"""The alignment scorecard: how aligned a system is, level by level, and where the focus
areas are worked on.

For any unit and everything below it: per level (state, ISD, district, school, grade,
department, course, teacher) and per kind of product, how many units, teams or people
have the product, how many are aligned to the level above, how many are not, wait for a
level above that has none, or have none of their own; for each district focus area, who
below the district works on it, and which focus areas nobody does; the school products
that name no focus area; and roll-ups of the same counts for every unit, so a state's
figures sum its districts' and a district's its schools'.  It uses the one definition of
the level above (:mod:`mtss_core.graph`) that the ALN rules use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from .._text import md_cell
from ..errors import UnknownIdError
from ..graph import AlignmentGraph, EdgeKind, Level, Levels, progress
from ..model import (
    INSTRUCTIONAL_TEAMS,
    OrgUnit,
    Person,
    ProductKind,
    Team,
    UnitKind,
    to_date,
    written,
)
from ._turnover import turnover

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["Scorecard", "alignment_scorecard"]

#: The rows of a scorecard, top down.
LEVELS = ("state", "isd", "district", "school", "grade", "department", "course", "teacher")
#: Column names of the level table.
COUNTS = ("levels", "with_product", "aligned", "misaligned", "waiting", "without")
_STATUSES = ("aligned", "misaligned", "waiting", "without")
_TEAM_LEVEL = {"grade-team": "grade", "department-team": "department", "course-team": "course"}


@attrs.frozen(kw_only=True)
class LevelCounts:
    """One row: a level and a kind of product.

    ``levels`` units, teams or people at that level; ``with_product`` of them have at
    least one product of the kind; of those, ``aligned`` (every one aligned to the level
    above, or nothing above), ``misaligned`` (at least one not), ``waiting`` (nothing to
    align to: the level above has none); ``without`` have none.
    """

    level: str
    kind: str
    levels: int
    with_product: int
    aligned: int
    misaligned: int
    waiting: int
    without: int

    @property
    def share_aligned(self) -> float | None:
        """Of the levels that have the product, the share aligned (``None`` with none)."""
        return None if not self.with_product else self.aligned / self.with_product

    @property
    def coverage(self) -> float | None:
        """The share of levels that have the product (``None`` with no levels)."""
        return None if not self.levels else self.with_product / self.levels


@attrs.frozen(kw_only=True)
class FocusCoverage:
    """One district focus area: does the district vision address it, who below works on it."""

    area: str
    name: str
    district: str
    in_vision: bool
    #: The units, teams and people below the district whose vision or plan names it.
    worked_on_by: tuple[str, ...]

    @property
    def orphaned(self) -> bool:
        """Nobody below the district works on it."""
        return not self.worked_on_by


@attrs.frozen(kw_only=True)
class Rollup:
    """A unit and everything below it: per kind of product, how many levels, how many
    have the product, how many of those are aligned."""

    unit: str
    name: str
    kind: str
    counts: tuple[tuple[str, int, int, int], ...]  # (kind, aligned, with product, levels)
    #: For a district (an ISD or state, a school with no district): ``not-started``,
    #: ``started`` or its implementation stage (:class:`~mtss_core.graph.UnitProgress`);
    #: ``None`` for a unit whose progress is its district's.
    progress: str | None = None
    #: Of the seats held on the teams of the unit and everything below it, the share
    #: taken in the year to the as-of date (``None`` without a date or a seat): turnover.
    new_members: float | None = None
    #: The units above it, top down (the state, the ISD): to group or pick by ISD.
    path: tuple[str, ...] = ()

    def _of(self, kind: str) -> tuple[int, int, int]:
        for k, aligned, with_product, levels in self.counts:
            if k == kind:
                return aligned, with_product, levels
        return 0, 0, 0

    def share(self, kind: str) -> float | None:
        """Of the levels below that have the product, the share aligned."""
        aligned, with_product, _ = self._of(kind)
        return None if not with_product else aligned / with_product

    def coverage(self, kind: str) -> tuple[int, int]:
        """(levels with the product, levels) below the unit."""
        _, with_product, levels = self._of(kind)
        return with_product, levels


@attrs.frozen(kw_only=True)
class Scorecard:
    """How aligned a system is, below ``root`` (or everywhere), as plain data.

    ``rows`` per level and kind of product; ``focus`` per district focus area;
    ``unaddressed`` school products naming no district focus area; ``rollups`` per unit
    (every unit's subtree, itself included), ``heatmap`` the units to show side by side
    (the root's children, or every district).
    """

    root: str | None
    rows: tuple[LevelCounts, ...]
    focus: tuple[FocusCoverage, ...]
    unaddressed: tuple[str, ...]
    rollups: tuple[Rollup, ...]
    heatmap: tuple[str, ...]

    def row(self, level: str, kind: str) -> LevelCounts:
        """The counts of one level and kind of product."""
        for r in self.rows:
            if (r.level, r.kind) == (level, kind):
                return r
        raise UnknownIdError(f"{level}/{kind}", "row", within="the scorecard")

    def rollup(self, unit: str) -> Rollup:
        """The roll-up of one unit's subtree."""
        for r in self.rollups:
            if r.unit == unit:
                return r
        raise UnknownIdError(unit, "unit", within="the scorecard")

    @property
    def orphaned(self) -> tuple[str, ...]:
        """Focus areas nobody below their district works on."""
        return tuple(f.area for f in self.focus if f.orphaned)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        return {
            "root": self.root,
            "levels": [{**attrs.asdict(r), "share_aligned": r.share_aligned,
                        "coverage": r.coverage} for r in self.rows],
            "focus_areas": [{**attrs.asdict(f), "worked_on_by": list(f.worked_on_by),
                             "orphaned": f.orphaned} for f in self.focus],
            "orphaned_focus_areas": list(self.orphaned),
            "products_naming_no_focus_area": list(self.unaddressed),
            "rollups": [{"unit": r.unit, "name": r.name, "kind": r.kind,
                         "progress": r.progress, "new_members": r.new_members,
                         "by_kind": {k: {"aligned": a, "with_product": w, "levels": n}
                                     for k, a, w, n in r.counts}} for r in self.rollups],
            "heatmap": list(self.heatmap),
        }

    def to_frame(self, table: str = "levels") -> pd.DataFrame:
        """One of the scorecard's tables as a pandas DataFrame (the ``dataframes`` extra).

        ``"levels"``: a row per level and kind of product (``level`` an ordered
        categorical, state first); ``"units"``: the heat map, a row per unit and kind of
        product with its share aligned and coverage (``kind`` of unit ordered the same
        way); ``"focus"``: a row per district focus area.

        >>> from mtss_core import alignment_scorecard, example
        >>> card = alignment_scorecard(example())
        >>> card.to_frame()["level"].cat.categories.tolist()[:3]
        ['state', 'isd', 'district']
        >>> units = card.to_frame("units")
        >>> units.loc[units.unit.eq("dist-maple"), ["kind", "aligned", "with_product"]].head(1)
             kind  aligned  with_product
        0  vision        8             8
        >>> card.to_frame("focus").columns.tolist()
        ['area', 'name', 'district', 'in_vision', 'worked_on_by', 'orphaned']
        """
        from ._scorecard_html import scorecard_frame

        return scorecard_frame(self, table, LEVELS, COUNTS)

    def plot(self, ax: Axes | None = None, *, kinds: Iterable[str] | None = None,
             top: int | None = None, sort: str | None = None, isd: str | None = None
             ) -> Axes:
        """The heat map as a picture (the ``drawing`` extra): a row per unit, a column per
        kind of product, each cell the share of the levels with the product that align to
        the level above and how many levels have one, coloured as in the HTML; grey where
        no level below has the product.  At state scale draw a part: ``isd`` (the units
        under one ISD), ``sort`` (``"worst"``: the lowest share first; ``"name"``) and
        ``top`` (the first N).  Returns the Axes.

        >>> from mtss_core import alignment_scorecard, example
        >>> ax = alignment_scorecard(example()).plot()
        >>> [t.get_text() for t in ax.get_xticklabels()]
        ['vision', 'non-negotiables', 'improvement-plan']
        >>> ax = alignment_scorecard(example()).plot(top=1, sort="worst")
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['Cedar Creek Community Schools']
        """
        from ._scorecard_html import scorecard_plot

        return scorecard_plot(self, ax, kinds, top=top, sort=sort, isd=isd)

    def __repr__(self) -> str:
        districts = sum(r.kind == "district" for r in self.rollups)
        return (f"<Scorecard{' of ' + self.root if self.root else ''}: "
                f"{sum(1 for r in self.rows if r.levels)} level rows, {len(self.heatmap)} "
                f"units ({districts} districts), {len(self.focus)} focus areas, "
                f"{len(self.orphaned)} orphaned>")

    def to_markdown(self) -> str:
        """Markdown tables: levels, the heat map, focus-area coverage."""
        out = [f"# Alignment scorecard{f': {self.root}' if self.root else ''}", "",
               "## Levels", "",
               "| level | product | levels | with it | aligned | misaligned | waiting | "
               "without | aligned (of those with it) |", "|---|---|---|---|---|---|---|---|---|"]
        out += [f"| {r.level} | {r.kind} | {r.levels} | {r.with_product} | {r.aligned} | "
                f"{r.misaligned} | {r.waiting} | {r.without} | {_pct(r.share_aligned)} |"
                for r in self.rows if r.levels]
        if self.heatmap:
            kinds = [k.value for k in ProductKind]
            out += ["", "## By unit (aligned, of the levels below that have it)", "",
                    "| unit | progress | new members (1 year) | " + " | ".join(kinds) + " |",
                    "|---|---|---|" + "---|" * len(kinds)]
            for unit in self.heatmap:
                r = self.rollup(unit)
                out.append(f"| {md_cell(r.name or r.unit)} ({r.unit}) | "
                           f"{r.progress or ''} | {_pct(r.new_members)} | " + " | ".join(
                    f"{_pct(r.share(k))} ({r.coverage(k)[0]}/{r.coverage(k)[1]} have one)"
                    for k in kinds) + " |")
        out += ["", "## Focus areas", ""]
        if self.focus:
            out += ["| focus area | district | in the vision | worked on by |",
                    "|---|---|---|---|"]
            out += [f"| {md_cell(f.name or f.area)} ({f.area}) | {f.district} | "
                    f"{'yes' if f.in_vision else '**no**'} | "
                    f"{', '.join(f.worked_on_by) or '**nobody (orphaned)**'} |"
                    for f in self.focus]
        else:
            out.append("No district focus areas.")
        if self.unaddressed:
            out += ["", "School products that name no district focus area: "
                    + ", ".join(self.unaddressed) + "."]
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        lines = [f"alignment scorecard{f' of {self.root}' if self.root else ''}"]
        width = max((len(r.level) for r in self.rows), default=5)
        for r in self.rows:
            if r.levels:
                lines.append(f"  {r.level:<{width}}  {r.kind:<16} {r.with_product:>6}/{r.levels:<6}"
                             f" have it; {r.aligned} aligned ({_pct(r.share_aligned)}), "
                             f"{r.misaligned} misaligned, {r.waiting} waiting")
        lines.append(f"  focus areas: {len(self.focus)}, orphaned: "
                     + (", ".join(self.orphaned) or "none"))
        statuses = Counter(r.progress for r in self.rollups
                           if r.progress is not None and r.kind == "district")
        if statuses:
            lines.append("  districts: " + ", ".join(
                f"{n} {status}" for status, n in sorted(statuses.items())))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from ._scorecard_html import scorecard_html

        return scorecard_html(self)


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def _level_name(graph: AlignmentGraph, level: Level) -> str:
    how, ident = level
    if how == "person":
        return "teacher"
    obj = graph.node(ident)
    if how == "team":
        return _TEAM_LEVEL.get(obj.kind.value, "grade")
    return str(obj.kind.value)


def alignment_scorecard(graph: AlignmentGraph, root: str | None = None, *,
                        above_district: bool = True, isd_partners_only: bool = True,
                        as_of: pendulum.Date | str | None = None) -> Scorecard:
    """The alignment scorecard of ``root``'s subtree (or of the whole graph).  Each
    district's roll-up carries its progress (not started, started, or its implementation
    stage as of ``as_of``, by default the graph's "as of").

    >>> from mtss_core import example, alignment_scorecard
    >>> card = alignment_scorecard(example())
    >>> school = card.row("school", "vision")
    >>> school.levels, school.with_product, school.aligned, school.misaligned
    (4, 4, 3, 1)
    >>> card.rollup("dist-cedar").share("vision")
    0.5714285714285714
    >>> card.orphaned[:3]
    ('fa-maple-attendance', 'fa-maple-family', 'fa-maple-math')
    >>> card.rollup("dist-cedar").progress
    'initial-implementation'
    """
    day = graph.as_of if as_of is None else to_date(as_of)
    levels = Levels(graph, above_district=above_district, isd_partners_only=isd_partners_only,
                    as_of=day)
    units = _scope(graph, root)
    in_scope = {u.id for u in units}
    # the levels in scope, each with the unit it rolls up to: every unit, every
    # instructional team serving a school (or a district), every teacher on one (and,
    # below, every person who owns a product)
    home: dict[Level, str] = {("unit", u.id): u.id for u in units}
    for team in graph.teams():
        if team.unit not in in_scope or team.kind not in INSTRUCTIONAL_TEAMS:
            continue
        lvl = levels.of(team.id)
        if lvl[0] == "team":
            home[lvl] = team.unit
        for seat in graph.members(team.id, day):
            home.setdefault(("person", seat.person), team.unit)
    rows, per_unit = _count(graph, levels, home, in_scope)
    return Scorecard(root=root, rows=tuple(rows),
                     focus=tuple(_focus(graph, levels, units, in_scope, root)),
                     unaddressed=tuple(_unaddressed(graph, levels, units)),
                     rollups=tuple(_rollups(units, per_unit, in_scope, {
                         p.unit: p.status for p in progress(graph, day, units=in_scope)},
                         _seats_by_unit(graph, root, day))),
                     heatmap=tuple(_heatmap(graph, units, root)))


def _scope(graph: AlignmentGraph, root: str | None) -> list[OrgUnit]:
    if root is None:
        return list(graph.units())
    top = graph.get(root)
    if not isinstance(top, OrgUnit):
        raise UnknownIdError(root, "org unit")
    return [top, *graph.descendants(root)]


#: When one level has several products of a kind, the worst status is the level's.
_RANK = {"aligned": 0, "waiting": 1, "misaligned": 2}


def _status(expected: Any, product: Any, level: Level) -> str:
    """aligned (or nothing above), waiting (the level above has none), or misaligned."""
    target = product.aligned_to
    if expected is None or (not expected.anchors and level[0] != "person"):
        return ("aligned" if target is None or target in expected.also
                else "misaligned") if expected is not None else (
            "aligned" if target is None else "misaligned")
    if target is not None and (target in expected.targets or target in expected.also):
        return "aligned"
    if not expected.targets and target is None and expected.anchors:
        return "waiting"
    return "misaligned"


def _count(graph: AlignmentGraph, levels: Levels, home: dict[Level, str],
           in_scope: set[str]
           ) -> tuple[list[LevelCounts], dict[str, dict[str, list[int]]]]:
    """The level table, and per unit (a level's home) per kind [aligned, with, levels].

    Each product is judged once (most by the fast accept); a level without any is
    counted from the totals."""
    above, of = levels.above, levels.of
    statuses: dict[ProductKind, dict[Level, str]] = {}
    for kind in ProductKind:
        status_of: dict[Level, str] = {}
        for product in graph.products(kind):
            if not written(product):  # a placeholder is not the level's product yet
                continue
            lvl = of(product.owner)
            if lvl not in home:
                if lvl[0] != "person":
                    continue
                # a person who owns products but sits on no instructional team
                teams = levels._person_teams(lvl[1])
                unit = graph.node(teams[0]).unit if teams else graph.node(lvl[1]).unit
                if unit not in in_scope:
                    continue
                home[lvl] = unit
            expected = above(lvl, kind)
            target = product.aligned_to
            if (target is not None and expected is not None and expected.anchors
                    and target in expected.targets):
                found = "aligned"  # the common case, decided at once
            else:
                found = _status(expected, product, lvl)
            before = status_of.get(lvl)
            if before is None or (before != found and _RANK[found] > _RANK[before]):
                status_of[lvl] = found
        statuses[kind] = status_of
    names = {lvl: "teacher" if lvl[0] == "person" else _level_name(graph, lvl)
             for lvl in home}
    totals: dict[str, int] = {}
    unit_levels: dict[str, int] = {}
    for lvl, unit in home.items():
        totals[names[lvl]] = totals.get(names[lvl], 0) + 1
        unit_levels[unit] = unit_levels.get(unit, 0) + 1
    kinds = [(kind, kind.value) for kind in ProductKind]
    table = {(name, kv): dict.fromkeys(_STATUSES, 0) for name in LEVELS for _, kv in kinds}
    per_unit: dict[str, dict[str, list[int]]] = {
        u: {kv: [0, 0, n] for _, kv in kinds} for u, n in unit_levels.items()}
    for kind, kv in kinds:
        for lvl, status in statuses[kind].items():
            table[(names[lvl], kv)][status] += 1
            tally = per_unit[home[lvl]][kv]
            tally[1] += 1
            if status == "aligned":
                tally[0] += 1
    rows = []
    for level in LEVELS:
        for kind in ProductKind:
            cell = table[(level, kind.value)]
            total = totals.get(level, 0)
            cell["without"] = total - sum(cell[s] for s in _STATUSES if s != "without")
            rows.append(LevelCounts(level=level, kind=kind.value, levels=total,
                                    with_product=total - cell["without"], **cell))
    return rows, per_unit


def _seats_by_unit(graph: AlignmentGraph, root: str | None, day: pendulum.Date | None
                   ) -> dict[str, list[int]]:
    """unit id -> [seats taken in the year to ``day``, seats held] on its own teams."""
    if day is None:
        return {}
    found: dict[str, list[int]] = {}
    for t in turnover(graph, root, day):
        tally = found.setdefault(t.unit, [0, 0])
        tally[0] += len(t.joined)
        tally[1] += t.members
    return found


def _path(unit: OrgUnit, by_id: dict[str, OrgUnit]) -> tuple[str, ...]:
    """The ids of the units above ``unit``, top down."""
    up: list[str] = []
    cur = unit
    while cur.parent is not None and cur.parent in by_id and cur.parent not in up:
        up.append(cur.parent)
        cur = by_id[cur.parent]
    return tuple(reversed(up))


def _rollups(units: list[OrgUnit], per_unit: dict[str, dict[str, list[int]]],
             in_scope: set[str], statuses: dict[str, str], seats: dict[str, list[int]]
             ) -> list[Rollup]:
    """Each unit's subtree, summed children first (one pass over the units)."""
    depth: dict[str, int] = {}
    by_id = {u.id: u for u in units}
    for u in units:
        d, cur = 0, u
        while cur.parent is not None and cur.parent in by_id:
            d, cur = d + 1, by_id[cur.parent]
        depth[u.id] = d
    totals = {u.id: {k: list(v) for k, v in per_unit.get(u.id, {}).items()} for u in units}
    seated = {u.id: list(seats.get(u.id, (0, 0))) for u in units}
    for u in sorted(units, key=lambda u: -depth[u.id]):
        if u.parent in in_scope:
            seated[u.parent][0] += seated[u.id][0]
            seated[u.parent][1] += seated[u.id][1]
            parent = totals[u.parent]
            for kind, counts in totals[u.id].items():
                tally = parent.setdefault(kind, [0, 0, 0])
                for i, n in enumerate(counts):
                    tally[i] += n
    out = []
    for u in units:
        if u.kind.is_subunit:
            continue
        by_kind = []
        for k in ProductKind:
            aligned, with_product, levels = totals[u.id].get(k.value, [0, 0, 0])
            by_kind.append((k.value, aligned, with_product, levels))
        joined, held = seated[u.id]
        out.append(Rollup(unit=u.id, name=u.name, kind=u.kind.value, counts=tuple(by_kind),
                          progress=statuses.get(u.id),
                          new_members=joined / held if held and seats else None,
                          path=_path(u, by_id)))
    return out


def _heatmap(graph: AlignmentGraph, units: list[OrgUnit], root: str | None) -> list[str]:
    if root is not None:
        return [c.id for c in graph.children(root) if not c.kind.is_subunit] or [root]
    districts = [u.id for u in units if u.kind is UnitKind.DISTRICT]
    return districts or [u.id for u in units if u.kind is UnitKind.SCHOOL]


def _focus(graph: AlignmentGraph, levels: Levels, units: list[OrgUnit], in_scope: set[str],
           root: str | None) -> Iterable[FocusCoverage]:
    districts = [u for u in units if u.kind is UnitKind.DISTRICT]
    if root is not None and not districts:  # a school or below: its district's areas
        found = graph.nearest(root, UnitKind.DISTRICT)
        districts = [] if found is None else [found]
    for district in districts:
        own = ("unit", district.id)
        vision_areas = {a for v in levels.products(own, ProductKind.VISION)
                        for a in graph.node(v).addresses}
        for area in sorted(graph.focus_areas(district.id), key=lambda a: a.id):
            owners: dict[str, None] = {}
            for pid in dict.fromkeys((*graph.referrers(area.id, EdgeKind.ADDRESSES),
                                      *graph.referrers(area.id, EdgeKind.WORKS_ON))):
                owner = graph.node(pid).owner
                level = levels.of(owner)
                if level != own and _owner_unit(graph, owner, levels.as_of) in in_scope:
                    owners[level[1]] = None
            yield FocusCoverage(area=area.id, name=area.name, district=district.id,
                                in_vision=area.id in vision_areas,
                                worked_on_by=tuple(sorted(owners)))


def _owner_unit(graph: AlignmentGraph, owner: str, as_of: pendulum.Date | None
                ) -> str | None:
    obj = graph.node(owner)
    if isinstance(obj, OrgUnit):
        return obj.id
    if isinstance(obj, Team):
        return obj.unit
    assert isinstance(obj, Person)
    teams = graph.teams_of_person(owner, as_of)
    return teams[0].unit if teams else obj.unit


def _unaddressed(graph: AlignmentGraph, levels: Levels, units: list[OrgUnit]) -> Iterable[str]:
    for unit in units:
        if unit.kind is not UnitKind.SCHOOL:
            continue
        level = ("unit", unit.id)
        for kind, field in ((ProductKind.VISION, "addresses"),
                            (ProductKind.IMPROVEMENT_PLAN, "focus_areas")):
            for pid in levels.products(level, kind):
                if not getattr(graph.node(pid), field):
                    yield pid
