"""Team rules: the teams each level needs, who sits on them, and the liaison (seeds: MIBLSI
executive leadership, Equitable MLSS, Who owns MTSS)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pendulum

from ..graph import AlignmentGraph
from ..model import Membership, OrgUnit, Role, Team, TeamKind, UnitKind, a, label
from ._protocol import Edit, MemoKey, RuleContext, Setting, Violation, among, rule
from ._walk import empty_since, teams_by_unit
from .reads import ITS_UNIT, ITSELF, UNCHANGED, ids_in, structural, with_person

__all__ = [
    "DEFAULT_COMPOSITION",
    "district_missing_team",
    "liaison_not_on_implementation_team",
    "school_missing_team",
    "team_missing_constituency",
]

#: The family of codes this module declares.
PREFIX = "TEA"

_CENTRAL_OFFICE = ["superintendent", "assistant-superintendent", "director", "administrator"]
_SCHOOL_ADMIN = ["principal", "administrator"]
_TEACHERS = ["general-education-teacher", "special-education-teacher", "teacher",
             "teacher-leader"]

#: The role whose constituency a member who records coaching skills also fills (all
#: leaders take part in systems coaching: an MTSS lead who coaches sits as the coach).
_COACH = "coach"
#: Who must sit on each kind of team: constituency -> roles, any of which fills it.
DEFAULT_COMPOSITION: dict[str, dict[str, list[str]]] = {
    "executive-leadership": {
        "superintendent": ["superintendent"],
        "liaison": ["liaison"],
    },
    "district-leadership": {
        "central office leader": _CENTRAL_OFFICE,
        "principal": ["principal"],
        "coach": ["coach"],
        "teacher leader": ["teacher-leader"],
        "student services": ["interventionist", "service-provider"],
        "special education": ["special-education-teacher"],
        "regular education": ["general-education-teacher", "teacher-leader"],
        "parent": ["parent"],
    },
    "district-implementation": {
        "district administration": [*_CENTRAL_OFFICE, "mtss-lead", "liaison"],
        "school administration": _SCHOOL_ADMIN,
    },
    "school-leadership": {
        "administrator": _SCHOOL_ADMIN,
        "coach": ["coach"],
        "teacher leader": ["teacher-leader"],
        "student services": ["interventionist", "service-provider"],
        "special education": ["special-education-teacher"],
        "regular education": ["general-education-teacher", "teacher-leader"],
        "parent": ["parent"],
    },
    "schoolwide-mtss": {
        "administrator": _SCHOOL_ADMIN,
        "general education teacher": ["general-education-teacher", "teacher-leader",
                                      "teacher"],
        "special education teacher": ["special-education-teacher"],
        "interventionist or service provider": ["interventionist", "service-provider"],
    },
    # an ISD's (a state's) implementation team supports districts, not schools
    "district-implementation@isd": {
        "agency administration": [*_CENTRAL_OFFICE, "mtss-lead", "liaison"],
    },
    "district-implementation@state": {
        "agency administration": [*_CENTRAL_OFFICE, "mtss-lead", "liaison"],
    },
    "grade-team": {"teacher": _TEACHERS},
    "department-team": {"teacher": _TEACHERS},
    "course-team": {"teacher": _TEACHERS},
}


def unit_context(unit: OrgUnit, teams: Iterable[Team]) -> tuple[str, ...]:
    """Related ids for a finding about a unit: its teams (by id), then the unit above it."""
    return (*sorted(t.id for t in teams), *(() if unit.parent is None else (unit.parent,)))


def teams_serving(graph: AlignmentGraph, ctx: RuleContext, unit_id: str) -> Sequence[Team]:
    """The teams serving a unit: from the run's index when a full run made one
    (:func:`index_teams`), else asked of the graph."""
    index = ctx.memo.get(MemoKey("teams_by_unit"))
    if index is not None:
        return index.get(unit_id, ())  # type: ignore[no-any-return]
    return graph.teams_of(unit_id)


def index_teams(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """``prepare`` for rules about units' teams: unit id -> its teams, in one pass."""
    teams_by_unit(graph, ctx.memo)


_check_kinds = among(TeamKind.values(), "team kinds")


def _check_composition(value: Any) -> str | None:
    for key, constituencies in value.items():
        kind, _, level = str(key).partition("@")
        if kind not in TeamKind.values():
            return f"unknown team kind {kind!r}; expected among {list(TeamKind.values())}"
        if level and level not in UnitKind.values():
            return (f"unknown unit kind {level!r} in {key!r}; expected KIND@LEVEL with a "
                    f"level among {list(UnitKind.values())}")
        if not isinstance(constituencies, Mapping):
            return f"{kind!r} must map constituency names to lists of roles"
        for name, roles in constituencies.items():
            if (not isinstance(roles, list) or not roles
                    or not all(isinstance(r, str) and r for r in roles)):
                return f"{kind!r} / {name!r} must be a non-empty list of roles"
    return None


#: A unit's own findings depend on the teams serving it: a unit or team added or removed
#: changes those of the unit (itself, or the one the team serves).
_UNIT_TEAMS = {"unit": ITSELF,
               "team": ITS_UNIT}

REQUIRED_DISTRICT_TEAMS = Setting(
    name="required", default=["executive-leadership", "district-leadership",
                              "district-implementation"],
    doc="The team kinds every district must have.", check=_check_kinds)


@rule(
    code="TEA001",
    about_absence=True,
    name="district-missing-team",
    severity="error",
    settings=[REQUIRED_DISTRICT_TEAMS],
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.DISTRICT),
    reads=_UNIT_TEAMS,
    prepare=index_teams,
    labels_only=True,
    source="MIBLSI executive leadership; Equitable MLSS; Who owns MTSS",
    why=("A district's MTSS is led by an executive leadership team that commits to it "
         "(MIBLSI), a district leadership team that creates its vision and improvement "
         "process (Equitable MLSS), and an implementation team that carries it out: with "
         "implementation teams over 80% of sites reached fidelity, without them 30% "
         "(Who owns MTSS, citing Fixsen et al.)."),
    fix="Form the missing team, serving the district, with the members its kind requires.",
    example=("District 'dist-oak' has a leadership team but no implementation team: "
             "TEA001 fires on 'dist-oak' for the district implementation team."),
)
def district_missing_team(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                          ) -> Iterator[Violation]:
    """A district without its executive leadership, leadership or implementation team."""
    teams = teams_serving(graph, ctx, unit.id)
    if unit.kind is not UnitKind.DISTRICT:
        return
    for kind in _missing_kinds(ctx, teams):
        yield Violation(
            subject=unit.id,
            message=f"{label(unit)} has no {kind.label}",
            hint=f"form {a(kind.label)} serving {unit.id!r}",
            related=unit_context(unit, teams),
        )


def _missing_kinds(ctx: RuleContext, teams: Iterable[Team]) -> list[TeamKind]:
    """The required team kinds (the ``required`` setting) that none of ``teams`` is."""
    kinds = {t.kind for t in teams}
    return [k for k in map(TeamKind, ctx["required"]) if k not in kinds]


REQUIRED_SCHOOL_TEAMS = Setting(
    name="required", default=["school-leadership", "schoolwide-mtss"],
    doc="The team kinds a school should have.", check=_check_kinds)
REQUIRE_ALL = Setting(
    name="require_all", default=False,
    doc=("If false (the default), one team of the required kinds is enough, as many "
         "schools run one team as both; if true, every kind is required."))


@rule(
    code="TEA002",
    about_absence=True,
    name="school-missing-team",
    severity="error",
    settings=[REQUIRED_SCHOOL_TEAMS, REQUIRE_ALL],
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.SCHOOL),
    reads=_UNIT_TEAMS,
    prepare=index_teams,
    labels_only=True,
    source="Equitable MLSS; Who owns MTSS",
    why=("Each school's vision, non-negotiables and improvement process come from its "
         "school leadership team (Equitable MLSS), and a schoolwide MTSS team runs the "
         "system day to day (Who owns MTSS). A school with neither has no one to lead it."),
    fix="Form a school leadership team (or a schoolwide MTSS team) serving the school.",
    example="School 'sch-annex' has no team at all: TEA002 fires on 'sch-annex'.",
)
def school_missing_team(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                        ) -> Violation | None:
    """A school without its leadership or schoolwide MTSS team."""
    teams = teams_serving(graph, ctx, unit.id)
    if unit.kind is not UnitKind.SCHOOL:
        return None
    missing = _missing_kinds(ctx, teams)
    if not missing or (not ctx["require_all"] and len(missing) < len(ctx["required"])):
        return None
    return Violation(
        subject=unit.id,
        message=f"{label(unit)} has no {' or '.join(k.label for k in missing)}",
        hint=f"form {a(missing[0].label)} serving {unit.id!r}",
        related=unit_context(unit, teams),
    )


def _unit_kind_changed(graph: AlignmentGraph, ctx: RuleContext, edit: Edit
                       ) -> tuple[str, ...]:
    """A unit changed in place into another kind: its teams (their composition entry may
    be another, ``district-implementation@isd``)."""
    old, new = edit.old, edit.new
    if not isinstance(old, OrgUnit) or not isinstance(new, OrgUnit) or old.kind is new.kind:
        return ()
    return tuple(t.id for t in graph.teams_of(new.id))


COMPOSITION = Setting(
    name="composition", default=DEFAULT_COMPOSITION, check=_check_composition,
    doc=("For each team kind, the constituencies that must sit on it, each as the list of "
         "roles any one of which fills it; a key KIND@LEVEL (district-implementation@isd) "
         "applies to that kind of team at that level of unit instead. Tighten or relax per "
         "district; a kind left out is not checked."))


@rule(
    code="TEA003",
    name="team-missing-constituency",
    severity="warning",
    settings=[COMPOSITION],
    subjects="team",
    reads=with_person({"membership": ids_in("team"),
                       "team": ITSELF,
                       # a unit changing kind changes which entry its teams follow
                       "unit": _unit_kind_changed}),
    labels_only=True,
    source="Equitable MLSS; Who owns MTSS; MIBLSI executive leadership",
    why=("Shared, collaborative leadership needs the right people at the table: central "
         "office leaders, principals, coaches, teacher leaders from student services, "
         "special education and regular education, and parents on a district leadership "
         "team (Equitable MLSS); an administrator, general and special education teachers "
         "and interventionists on a schoolwide MTSS team (Who owns MTSS)."),
    fix=("Add a member who holds one of the listed roles, or adjust the composition "
         "setting. A member who records coaching skills counts as the coach."),
    example=("The district leadership team 't-oak-dlt' has no parent member: TEA003 fires "
             "on 't-oak-dlt', naming the missing 'parent' constituency."),
)
def team_missing_constituency(graph: AlignmentGraph, ctx: RuleContext, team: Team
                              ) -> Violation | None:
    """A team missing a constituency its kind requires."""
    composition: Mapping[str, Mapping[str, list[str]]] = ctx.settings["composition"]
    key = ("composition", id(composition))
    fills = ctx.memo.get(key)
    if fills is None:  # per kind of team (and level): its needs, roles as frozensets
        fills = ctx.memo[key] = {_composition_key(kind): (wanted, _needs(wanted))
                                 for kind, wanted in composition.items()}
    found = fills.get((team.kind, graph.node(team.unit).kind))  # a level's own entry
    if found is None:
        found = fills.get((team.kind, None))
    if found is None:
        return None
    wanted, needs = found
    return missing_constituency(graph, team, wanted, needs, as_of=ctx.as_of)


def _composition_key(key: str) -> tuple[TeamKind, UnitKind | None]:
    """``"district-implementation@isd"`` -> (the team kind, the unit kind), the unit kind
    ``None`` for an entry that applies at every level."""
    kind, _, level = key.partition("@")
    return TeamKind(kind), UnitKind(level) if level else None


def _needs(wanted: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    return {name: frozenset(roles) for name, roles in wanted.items()}


def missing_constituency(graph: AlignmentGraph, team: Team, wanted: Mapping[str, list[str]],
                         needs: Mapping[str, frozenset[str]] | None = None,
                         as_of: pendulum.Date | None = None) -> Violation | None:
    """TEA003 for one team: the constituencies of ``wanted`` (name -> roles) it lacks on
    ``as_of`` (a seat that ended does not count: the finding says who held it).

    ``needs`` is ``wanted`` with the roles as frozensets, when the caller has it already.
    """
    if not wanted:
        return None
    if needs is None:
        needs = _needs(wanted)
    missing = dict.fromkeys(wanted)
    coached = [n for n in wanted if _COACH in needs[n]]  # a coach's skills count as the role
    for seat in graph.iter_members(team.id, as_of):  # stop once all are present
        roles = seat.roles
        if roles:
            for name in [n for n in missing if not needs[n].isdisjoint(roles)]:
                del missing[name]
        if coached and graph.node(seat.person).coaching_skills:
            for name in coached:
                missing.pop(name, None)
            coached = []
        if not missing:
            break
    if not missing:
        return None
    ended = _ended_seats(graph, team, as_of)
    shown = []
    for name in missing:  # a constituency whose seat ended says who held it, and since when
        left = [m for m in ended if not needs[name].isdisjoint(m.roles)]
        if left:
            last = max(m.until for m in left)  # type: ignore[type-var]
            who = ", ".join(sorted({m.person for m in left if m.until == last}))
            name = f"{name} (empty since {last}, was {who})"
        shown.append(name)
    return Violation(
        subject=team.id,
        message=(f"{label(team)} has no member for: " + ", ".join(shown)),
        hint="add members holding " + "; ".join(
            f"{name}: {' or '.join(wanted[name])}" for name in missing),
        related=(team.unit,),
    )


def _ended_seats(graph: AlignmentGraph, team: Team, as_of: pendulum.Date | None
                 ) -> list[Membership]:
    """The team's seats that have ended by ``as_of``."""
    if not graph.count_ended_seats():
        return []
    return [m for m in graph.members(team.id, history=True)
            if m.until is not None and not m.current(as_of)]


@rule(
    code="TEA004",
    name="liaison-not-on-implementation-team",
    severity="error",
    subjects="team",
    select=lambda graph, ctx: graph.teams(TeamKind.EXECUTIVE_LEADERSHIP),
    reads=with_person({
        "membership": lambda graph, ctx, edit: _liaison_teams(graph, graph.node(
            edit.versions[0].team)),
        "team": structural(lambda graph, ctx, team: _liaison_teams(graph, team)),
        "unit": UNCHANGED}),
    labels_only=True,
    source="MIBLSI executive leadership",
    why=("A key member of the executive leadership team is the liaison, who also works "
         "with the implementation team: presenting the executive team's expectations, "
         "carrying the implementation team's needs back, and giving status updates such as "
         "assessment results (MIBLSI)."),
    fix=("Name a liaison on the executive team (role 'liaison') and seat them on the "
         "unit's implementation team too."),
    example=("The executive team of 'dist-oak' has a liaison who is not on the district "
             "implementation team: TEA004 fires on the executive team."),
)
def liaison_not_on_implementation_team(graph: AlignmentGraph, ctx: RuleContext, team: Team
                                       ) -> Violation | None:
    """An executive team without a liaison who also sits on the implementation team."""
    if team.kind is not TeamKind.EXECUTIVE_LEADERSHIP:
        return None
    liaisons = [m.person for m in graph.members(team.id, ctx.as_of)
                if Role.LIAISON in m.roles]
    impl = [t.id for t in graph.teams_of(team.unit, TeamKind.DISTRICT_IMPLEMENTATION)]
    if not liaisons:
        return Violation(
            subject=team.id,
            message=f"{label(team)} has " + empty_since(graph, (team,), Role.LIAISON,
                                                        "no liaison", ctx.as_of),
            hint=("give one executive team member the role 'liaison' and seat them on "
                  "the implementation team"),
            related=(team.unit, *impl))
    if not impl:
        return Violation(
            subject=team.id,
            message=(f"the liaison of {label(team)} ({', '.join(liaisons)}) has no "
                     f"implementation team to sit on: {label(graph.node(team.unit))} has none"),
            hint=f"form a district implementation team serving {team.unit!r}",
            related=(team.unit, *liaisons))
    if not any((m := graph.membership(t, p)) is not None and m.current(ctx.as_of)
               for t in impl for p in liaisons):
        return Violation(
            subject=team.id,
            message=(f"no liaison of {label(team)} ({', '.join(liaisons)}) sits on the "
                     f"implementation team ({', '.join(impl)})"),
            hint=f"add {liaisons[0]!r} to {impl[0]!r}",
            related=(team.unit, *liaisons, *impl))
    return None


def _liaison_teams(graph: AlignmentGraph, team: Team) -> set[str]:
    """The executive teams a change to ``team`` (or its seats) can concern: its unit's,
    when it is an executive or implementation team."""
    if team.kind not in {TeamKind.EXECUTIVE_LEADERSHIP, TeamKind.DISTRICT_IMPLEMENTATION}:
        return set()
    if team.unit not in graph:
        return {team.id}
    return {team.id, *(t.id for t in graph.teams_of(team.unit,
                                                    TeamKind.EXECUTIVE_LEADERSHIP))}


#: The family's rules, in code order.
RULES = (
    district_missing_team,
    school_missing_team,
    team_missing_constituency,
    liaison_not_on_implementation_team,
)
