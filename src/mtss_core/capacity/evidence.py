"""Evidence functions: what the structure says about an item of a capacity instrument.

Each function takes an :class:`EvidenceContext` (the graph, the unit rated, the as-of
date, the item's arguments) and returns a :class:`Found`: a suggested score (0, 1 or 2,
or ``None`` where the structure cannot tell: never a guess), the ids of the objects that
are the evidence, the gaps in words naming objects, and the action that would raise the
score.  They read the graph through its public queries only, and the seats current on
the as-of date.  They are registered by name with :func:`evidence` (the instruments name
them), and packages may add their own through the ``mtss_core.evidence`` entry points
(:func:`plugin_evidence`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from ..errors import ConfigError
from ..graph import AlignmentGraph
from ..model import (
    CoachingSkill,
    Domain,
    OrgUnit,
    ProductKind,
    Role,
    Stage,
    Team,
    TeamKind,
    UnitKind,
    label,
    to_duration,
)

__all__ = ["EVIDENCE", "EvidenceContext", "Found", "evidence", "plugin_evidence"]

PLUGIN_GROUP = "mtss_core.evidence"


@attrs.frozen(kw_only=True)
class Found:
    """What the structure says about one item."""

    score: int | None
    evidence: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    action: str = ""


@attrs.frozen(kw_only=True)
class EvidenceContext:
    """What an evidence function is given."""

    graph: AlignmentGraph
    unit: OrgUnit
    as_of: pendulum.Date
    args: Mapping[str, Any] = attrs.field(factory=dict)

    def teams(self, kind: TeamKind | str) -> tuple[Team, ...]:
        """The unit's teams of a kind."""
        return self.graph.teams_of(self.unit.id, kind)

    def seats(self, team: str) -> tuple[Any, ...]:
        """The seats of a team current on the as-of date."""
        return self.graph.members(team, self.as_of)

    def schools(self) -> tuple[OrgUnit, ...]:
        """The schools in the unit (itself, if it is a school)."""
        if self.unit.kind is UnitKind.SCHOOL:
            return (self.unit,)
        return tuple(u for u in self.graph.descendants(self.unit.id)
                     if u.kind is UnitKind.SCHOOL and not _closed(u, self.as_of))

    def within(self) -> tuple[str, ...]:
        """The unit and every unit below it, by id."""
        return (self.unit.id, *(u.id for u in self.graph.descendants(self.unit.id)))


EvidenceFunction = Callable[[EvidenceContext], Found]

#: The shipped evidence functions by name (filled once, below, from this module's own
#: functions; read-only).  Functions of one's own are passed to
#: :func:`~mtss_core.capacity.capacity` (``evidence=``): nothing is registered globally.
EVIDENCE: Mapping[str, EvidenceFunction]


def evidence(name: str) -> Callable[[EvidenceFunction], EvidenceFunction]:
    """Name an evidence function ``name`` (the name instruments use); the function is left
    as it is and registered nowhere: pass it to :func:`~mtss_core.capacity.capacity`
    (``evidence=[fn]`` or ``evidence={"name": fn}``).

    >>> from mtss_core.capacity.evidence import EVIDENCE, Found, evidence
    >>> @evidence("always-two")
    ... def always_two(ctx):
    ...     return Found(score=2)
    >>> always_two.evidence_name, "always-two" in EVIDENCE
    ('always-two', False)
    """
    def name_it(fn: EvidenceFunction) -> EvidenceFunction:
        fn.evidence_name = name  # type: ignore[attr-defined]
        return fn
    return name_it


def by_name(functions: Iterable[EvidenceFunction] | Mapping[str, EvidenceFunction]
            ) -> dict[str, EvidenceFunction]:
    """Evidence functions by name: a mapping as it is, or functions named by
    :func:`evidence`; :class:`~mtss_core.errors.ConfigError` for an unnamed function or a
    name given twice."""
    if isinstance(functions, Mapping):
        return dict(functions)
    found: dict[str, EvidenceFunction] = {}
    for fn in functions:
        name = getattr(fn, "evidence_name", None)
        if not isinstance(name, str):
            raise ConfigError(f"{getattr(fn, '__name__', fn)!r} is not named as an evidence "
                              "function: decorate it with @evidence('name'), or pass "
                              "{'name': function}")
        if name in found:
            raise ConfigError(f"two evidence functions are named {name!r}")
        found[name] = fn
    return found


def plugin_evidence(group: str = PLUGIN_GROUP) -> dict[str, EvidenceFunction]:
    """Evidence functions offered by installed packages (``mtss_core.evidence`` entry
    points: a function, or a mapping of names to functions), by name.  Opt-in, as rule
    plugins: pass the result to :func:`~mtss_core.capacity.capacity` (``evidence=``)."""
    from importlib.metadata import entry_points

    found: dict[str, EvidenceFunction] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            value = ep.load()
        except Exception as exc:
            raise ConfigError(f"evidence plugin {ep.name!r} ({ep.value}) failed to load: "
                              f"{type(exc).__name__}: {exc}") from exc
        pairs = value.items() if isinstance(value, Mapping) else [(ep.name, value)]
        for name, fn in pairs:
            if not callable(fn):
                raise ConfigError(f"evidence plugin {ep.name!r} gave {fn!r}, not a function")
            found[str(name)] = fn
    return found


# --- helpers --------------------------------------------------------------------------------

def _closed(unit: OrgUnit, as_of: pendulum.Date) -> bool:
    return unit.closed_on is not None and unit.closed_on <= as_of


def _tiered(good: int, total: int) -> int:
    """2 when every one of ``total`` is good, 1 when some are, 0 when none."""
    return 2 if good == total else 1 if good else 0


def _kind_word(kind: TeamKind) -> str:
    return kind.label


def _share_of_schools(ctx: EvidenceContext, test: Callable[[OrgUnit], Sequence[str]],
                      what: str, action: str) -> Found:
    """Every school passes ``test`` (which returns the evidence ids, empty when it fails):
    2; some: 1; none: 0; no school: ``None``."""
    schools = ctx.schools()
    if not schools:
        return Found(score=None, gaps=(f"{label(ctx.unit)} has no school to look at",))
    ids: list[str] = []
    gaps: list[str] = []
    good = 0
    for school in schools:
        found = test(school)
        if found:
            good += 1
            ids.extend(found)
        else:
            gaps.append(f"{label(school)} {what}")
    return Found(score=_tiered(good, len(schools)), evidence=tuple(ids), gaps=tuple(gaps),
                 action=action if gaps else "")


def _seat_roles(ctx: EvidenceContext, teams: Iterable[Team]) -> list[tuple[str, Any]]:
    return [(t.id, m) for t in teams for m in ctx.seats(t.id)]


_UNIT_ADMIN = {Role.SUPERINTENDENT, Role.ASSISTANT_SUPERINTENDENT, Role.DIRECTOR,
               Role.ADMINISTRATOR, Role.MTSS_LEAD, Role.LIAISON}
_SCHOOL_ADMIN = {Role.PRINCIPAL, Role.ADMINISTRATOR}


# --- leadership -------------------------------------------------------------------------------

@evidence("implementation_team")
def implementation_team(ctx: EvidenceContext) -> Found:
    """An implementation team serving the unit, with the unit's administration on it and,
    for a district, the schools' (a principal)."""
    teams = ctx.teams(TeamKind.DISTRICT_IMPLEMENTATION)
    if not teams:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no implementation team",),
                     action="form an implementation team with the unit's and the schools' "
                            "administration")
    seats = _seat_roles(ctx, teams)
    needs = {"unit administration": _UNIT_ADMIN}
    if ctx.unit.kind is UnitKind.DISTRICT:
        needs["school administration"] = _SCHOOL_ADMIN
    missing = [name for name, roles in needs.items()
               if not any(roles & set(m.roles) for _, m in seats)]
    ids = (*(t.id for t in teams), *(m.person for _, m in seats))
    if not missing:
        return Found(score=2, evidence=ids)
    return Found(score=1, evidence=ids,
                 gaps=tuple(f"{label(teams[0])} has no member for {m}" for m in missing),
                 action="seat " + " and ".join(missing) + " on the implementation team")


@evidence("executive_agenda")
def executive_agenda(ctx: EvidenceContext) -> Found:
    """The executive team keeps MTSS on its agenda: of its meetings in the window (six
    months by default), the share with MTSS as a topic."""
    teams = ctx.teams(TeamKind.EXECUTIVE_LEADERSHIP)
    if not teams:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no executive leadership team",),
                     action="form an executive leadership team that reviews MTSS regularly")
    start = ctx.as_of - to_duration(ctx.args.get("window", "P6M"))
    meetings = [m for t in teams for m in ctx.graph.meetings(t.id)
                if start <= m.starts_at.date() <= ctx.as_of]
    on = [m for m in meetings if any("mtss" in i.topics for i in m.agenda)]
    if not meetings:
        return Found(score=0, evidence=tuple(t.id for t in teams),
                     gaps=(f"{label(teams[0])} has no meeting on record since {start}",),
                     action="record the executive team's meetings and their agendas")
    share = len(on) / len(meetings)
    score = 2 if share >= 0.8 else 1 if on else 0
    gaps = () if score == 2 else (
        f"{label(teams[0])} had MTSS on the agenda of {len(on)} of its {len(meetings)} "
        f"meetings since {start}",)
    return Found(score=score, evidence=tuple(m.id for m in on), gaps=gaps,
                 action="" if score == 2 else "make MTSS a standing agenda item")


@evidence("liaison_link")
def liaison_link(ctx: EvidenceContext) -> Found:
    """A liaison on the executive team who also sits on the implementation team."""
    executive = ctx.teams(TeamKind.EXECUTIVE_LEADERSHIP)
    implementation = ctx.teams(TeamKind.DISTRICT_IMPLEMENTATION)
    liaisons = {m.person for t in executive for m in ctx.seats(t.id)
                if Role.LIAISON in m.roles}
    if not liaisons:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no liaison on an executive "
                                    "team",),
                     action="name a liaison on the executive team")
    both = sorted(p for p in liaisons for t in implementation
                  if any(m.person == p for m in ctx.seats(t.id)))
    if both:
        return Found(score=2, evidence=(*both, *(t.id for t in (*executive, *implementation))))
    return Found(score=1, evidence=tuple(sorted(liaisons)),
                 gaps=(f"the liaison ({', '.join(sorted(liaisons))}) does not sit on an "
                       "implementation team",),
                 action="seat the liaison on the implementation team too")


@evidence("designated_lead")
def designated_lead(ctx: EvidenceContext) -> Found:
    """A designated MTSS lead on the unit's teams, covering academics, behavior and
    social-emotional learning."""
    leads = sorted({m.person for t in ctx.graph.teams_of(ctx.unit.id) for m in ctx.seats(t.id)
                    if Role.MTSS_LEAD in m.roles})
    if not leads:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no designated MTSS lead",),
                     action="designate an MTSS lead (role mtss-lead)")
    covered = {d for p in leads for d in ctx.graph.node(p).domains}
    missing = [d.value for d in Domain if d not in covered]
    if not missing:
        return Found(score=2, evidence=tuple(leads))
    return Found(score=1, evidence=tuple(leads),
                 gaps=(f"the MTSS lead ({', '.join(_names(ctx, leads))}) does not cover "
                       f"{_listed(missing)}",),
                 action="have the lead's work cover every domain")


@evidence("vision_and_focus")
def vision_and_focus(ctx: EvidenceContext) -> Found:
    """A vision; for a district, addressing its priority focus areas, at most six."""
    unit, graph = ctx.unit, ctx.graph
    visions = [v for owner in (unit.id, *(t.id for t in graph.teams_of(unit.id)
                                          if t.kind not in (TeamKind.GRADE_TEAM,
                                                            TeamKind.DEPARTMENT_TEAM,
                                                            TeamKind.COURSE_TEAM)))
               for v in graph.products_of(owner, ProductKind.VISION)]
    if not visions:
        return Found(score=0, gaps=(f"{label(unit)} has no vision",),
                     action="write the vision with the leadership team")
    if unit.kind is not UnitKind.DISTRICT:
        return Found(score=2, evidence=tuple(v.id for v in visions))
    limit = int(ctx.args.get("max_focus_areas", 6))
    areas = graph.focus_areas(unit.id)
    addressed = {a for v in visions for a in getattr(v, "addresses", ())}
    gaps = []
    if not areas:
        gaps.append(f"{label(unit)} has no priority focus areas")
    elif len(areas) > limit:
        gaps.append(f"{label(unit)} has {len(areas)} priority focus areas; at most {limit}")
    gaps += [f"the vision does not address focus area {a.id!r}" for a in areas
             if a.id not in addressed]
    return Found(score=1 if gaps else 2, evidence=(*(v.id for v in visions),
                                                    *(a.id for a in areas)),
                 gaps=tuple(gaps), action="name at most six priority focus areas and have "
                                          "the vision address each" if gaps else "")


@evidence("plan_with_data")
def plan_with_data(ctx: EvidenceContext) -> Found:
    """An improvement plan with the data behind it (and, for a district, its focus
    areas)."""
    plans = ctx.graph.products_of(ctx.unit.id, ProductKind.IMPROVEMENT_PLAN)
    if not plans:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no improvement plan",),
                     action="write the improvement plan")
    with_data = [p for p in plans if getattr(p, "data_sources", ())]
    if not with_data:
        return Found(score=1, evidence=tuple(p.id for p in plans),
                     gaps=tuple(f"improvement plan {p.id!r} names no data source"
                                for p in plans),
                     action="name the data sources each plan is built on")
    return Found(score=2, evidence=(*(p.id for p in with_data),
                                    *(d for p in with_data
                                      for d in getattr(p, "data_sources", ()))))


@evidence("roles_recorded")
def roles_recorded(ctx: EvidenceContext) -> Found:
    """The roles of a team's members are recorded (``team``: the kind, district
    leadership by default)."""
    kind = TeamKind(ctx.args.get("team", TeamKind.DISTRICT_LEADERSHIP))
    teams = ctx.teams(kind)
    if not teams:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no {_kind_word(kind)}",),
                     action=f"form the {_kind_word(kind)} and record its members' roles")
    seats = _seat_roles(ctx, teams)
    with_roles = [m for _, m in seats if m.roles]
    if not seats:
        return Found(score=0, evidence=tuple(t.id for t in teams),
                     gaps=(f"{label(teams[0])} has no member on record",),
                     action="record the team's members and their roles")
    score = _tiered(len(with_roles), len(seats))
    gaps = tuple(f"{m.person} sits on {team} with no role recorded" for team, m in seats
                 if not m.roles)
    return Found(score=score, evidence=tuple(t.id for t in teams), gaps=gaps,
                 action="record each member's role on the team" if gaps else "")


@evidence("team_membership")
def team_membership(ctx: EvidenceContext) -> Found:
    """The team has families, general and special education and social-emotional and
    behavioral expertise on it; for the top score, its membership was reviewed in the
    last year (a seat taken or ended, or an evidence record of the review)."""
    kind = TeamKind(ctx.args.get("team", TeamKind.DISTRICT_LEADERSHIP))
    teams = ctx.teams(kind)
    if not teams:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no {_kind_word(kind)}",),
                     action=f"form the {_kind_word(kind)}")
    wanted = {
        "family": {Role.PARENT},
        "general education": {Role.GENERAL_EDUCATION_TEACHER, Role.TEACHER_LEADER,
                              Role.TEACHER},
        "special education": {Role.SPECIAL_EDUCATION_TEACHER},
        "social-emotional and behavioral expertise": {Role.INTERVENTIONIST,
                                                       Role.SERVICE_PROVIDER},
    }
    seats = _seat_roles(ctx, teams)
    missing = [w for w, roles in wanted.items()
               if not any(roles & set(m.roles) for _, m in seats)]
    year = ctx.as_of.subtract(years=1)
    reviewed = [t.id for t in teams if any(
        (m.since is not None and year < m.since <= ctx.as_of)
        or (m.until is not None and year < m.until <= ctx.as_of)
        for m in ctx.graph.members(t.id, history=True))
        or any(e.team == t.id and e.on > year for e in ctx.graph.objects("evidence"))]
    gaps = [f"{label(teams[0])} has no {w} member" for w in missing]
    if not missing and not reviewed:
        gaps.append(f"no review of {label(teams[0])}'s membership on record in the last year")
    score = 2 if not gaps else 1 if len(missing) <= len(wanted) // 2 else 0
    return Found(score=score, evidence=(*(t.id for t in teams), *reviewed), gaps=tuple(gaps),
                 action="" if score == 2 else "seat the missing members and review the "
                                                "team's membership every year")


@evidence("team_meets")
def team_meets(ctx: EvidenceContext) -> Found:
    """The team meets at least monthly: meetings in the last three months."""
    kind = TeamKind(ctx.args.get("team", TeamKind.DISTRICT_IMPLEMENTATION))
    teams = ctx.teams(kind)
    if not teams:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no {_kind_word(kind)}",),
                     action=f"form the {_kind_word(kind)} and set its meetings")
    start = ctx.as_of.subtract(months=3)
    held = [m for t in teams for m in ctx.graph.meetings(t.id)
            if start < m.starts_at.date() <= ctx.as_of]
    score = 2 if len(held) >= 3 else 1 if held else 0
    return Found(score=score, evidence=tuple(m.id for m in held),
                 gaps=() if score == 2 else (f"{label(teams[0])} met {len(held)} time(s) "
                                             f"since {start}",),
                 action="" if score == 2 else "meet at least monthly, and record it")


@evidence("family_voice")
def family_voice(ctx: EvidenceContext) -> Found:
    """Families sit on the leadership team (2), or on school teams only (1)."""
    top = [t.id for t in ctx.teams(TeamKind.DISTRICT_LEADERSHIP)
           for m in ctx.seats(t.id) if Role.PARENT in m.roles]
    if top:
        return Found(score=2, evidence=tuple(top))
    below = [t.id for s in ctx.schools() for t in ctx.graph.teams_of(s.id)
             for m in ctx.seats(t.id) if Role.PARENT in m.roles]
    gap = f"no family member on {label(ctx.unit)}'s leadership team"
    return Found(score=1 if below else 0, evidence=tuple(below), gaps=(gap,),
                 action="seat a family member on the leadership team")


# --- competency: training and coaching ----------------------------------------------------

@evidence("professional_learning")
def professional_learning(ctx: EvidenceContext) -> Found:
    """Professional learning resourced: a current allocation (2), one that ended (1)."""
    found = [a for a in ctx.graph.allocations(ctx.unit.id)
             if a.category.value == "professional-learning"]
    current = [a for a in found if a.current(ctx.as_of)]
    if current:
        return Found(score=2, evidence=tuple(a.id for a in current))
    if found:
        return Found(score=1, evidence=tuple(a.id for a in found),
                     gaps=(f"{label(ctx.unit)}'s professional-learning allocation has "
                           "ended",), action="renew the professional-learning allocation")
    return Found(score=0, gaps=(f"{label(ctx.unit)} allocates nothing to professional "
                                "learning",), action="allocate professional learning for MTSS")


def _coaches(ctx: EvidenceContext) -> dict[str, Any]:
    found = {}
    for unit in ctx.within():
        for team in ctx.graph.teams_of(unit):
            for m in ctx.seats(team.id):
                person = ctx.graph.node(m.person)
                if Role.COACH in m.roles or person.coaching_skills:
                    found[person.id] = person
    return found


@evidence("coaching_skills")
def coaching_skills(ctx: EvidenceContext) -> Found:
    """Systems coaches (the role coach, or leaders who record coaching skills) who between
    them cover every coaching skill."""
    coaches = _coaches(ctx)
    if not coaches:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no systems coach",),
                     action="designate systems coaches and record their skills")
    covered = {s for p in coaches.values() for s in p.coaching_skills}
    missing = [s.value for s in CoachingSkill if s not in covered]
    if not missing:
        return Found(score=2, evidence=tuple(sorted(coaches)))
    return Found(score=1, evidence=tuple(sorted(coaches)),
                 gaps=("no coach records: " + ", ".join(missing),),
                 action="plan learning or hiring for the skills no coach covers")


@evidence("school_coaches")
def school_coaches(ctx: EvidenceContext) -> Found:
    """Every school leadership team has a coach."""
    def test(school: OrgUnit) -> list[str]:
        return [t.id for t in ctx.graph.teams_of(school.id, TeamKind.SCHOOL_LEADERSHIP)
                if any(Role.COACH in m.roles for m in ctx.seats(t.id))]
    return _share_of_schools(ctx, test, "has no coach on its school leadership team",
                             "seat a coach on each school leadership team")


@evidence("instructional_specialists")
def instructional_specialists(ctx: EvidenceContext) -> Found:
    """Instructional specialists among the leadership personnel (2); coaches only (1)."""
    specialists = sorted({m.person for u in ctx.within() for t in ctx.graph.teams_of(u)
                          for m in ctx.seats(t.id)
                          if Role.INSTRUCTIONAL_SPECIALIST in m.roles})
    if specialists:
        return Found(score=2, evidence=tuple(specialists))
    coaches = _coaches(ctx)
    return Found(score=1 if coaches else 0, evidence=tuple(sorted(coaches)),
                 gaps=(f"no instructional specialist on {label(ctx.unit)}'s teams",),
                 action="name the instructional specialists on the teams they support")


# --- organisation: data, administration, systems intervention -------------------------------

@evidence("screening_data")
def screening_data(ctx: EvidenceContext) -> Found:
    """A universal screening data source (2); other data sources only (1)."""
    sources = ctx.graph.data_sources(ctx.unit.id)
    screening = [d for d in sources if d.kind == "universal-screening"]
    if screening:
        return Found(score=2, evidence=tuple(d.id for d in screening))
    return Found(score=1 if sources else 0, evidence=tuple(d.id for d in sources),
                 gaps=(f"{label(ctx.unit)} has no universal screening data source",),
                 action="name the universal screener the unit decides with")


@evidence("fidelity_measured")
def fidelity_measured(ctx: EvidenceContext) -> Found:
    """Fidelity measured in the last year: the unit and at least 80% of its schools (2),
    some (1)."""
    year = ctx.as_of.subtract(years=1)

    def recent(unit: str) -> list[str]:
        return [a.id for a in ctx.graph.fidelity_assessments(unit)
                if year < a.assessed_on <= ctx.as_of]

    own = recent(ctx.unit.id)
    schools = ctx.schools() if ctx.unit.kind is not UnitKind.SCHOOL else ()
    measured = [s for s in schools if recent(s.id)]
    ids = (*own, *(i for s in measured for i in recent(s.id)))
    enough = not schools or len(measured) >= 0.8 * len(schools)
    if own and enough:
        return Found(score=2, evidence=ids)
    gaps = ([] if own else [f"{label(ctx.unit)} has no fidelity assessment since {year}"])
    gaps += [f"{label(s)} has no fidelity assessment since {year}" for s in schools
             if s not in measured]
    return Found(score=1 if ids else 0, evidence=ids, gaps=tuple(gaps),
                 action="assess fidelity once a year, at the unit and in its schools")


@evidence("resources_allocated")
def resources_allocated(ctx: EvidenceContext) -> Found:
    """Current allocations for budget, staffing, schedule and professional learning."""
    wanted = ("budget", "staffing", "schedule", "professional-learning")
    current = [a for a in ctx.graph.allocations(ctx.unit.id) if a.current(ctx.as_of)]
    have = {a.category.value for a in current}
    missing = [w for w in wanted if w not in have]
    return Found(score=_tiered(len(wanted) - len(missing), len(wanted)),
                 evidence=tuple(a.id for a in current),
                 gaps=tuple(f"{label(ctx.unit)} has no current {w} allocation"
                            for w in missing),
                 action="allocate " + ", ".join(missing) + " for MTSS" if missing else "")


@evidence("protected_time")
def protected_time(ctx: EvidenceContext) -> Found:
    """Every school protects time for its teams (a current schedule allocation)."""
    def test(school: OrgUnit) -> list[str]:
        return [a.id for a in ctx.graph.allocations(school.id)
                if a.category.value == "schedule" and a.current(ctx.as_of)]
    return _share_of_schools(ctx, test, "protects no time for its teams",
                             "allocate schedule time to each school's teams")


@evidence("communication_protocols")
def communication_protocols(ctx: EvidenceContext) -> Found:
    """Every school has a protocol with the implementation team."""
    implementation = {t.id for t in ctx.teams(TeamKind.DISTRICT_IMPLEMENTATION)}

    def test(school: OrgUnit) -> list[str]:
        mine = {t.id for t in ctx.graph.teams_of(school.id)}
        return [p.id for t in mine for p in ctx.graph.protocols(t)
                if {p.from_team, p.to_team} & implementation
                and {p.from_team, p.to_team} & mine]
    return _share_of_schools(ctx, test, "has no protocol with the implementation team",
                             "agree a protocol between each school and the implementation "
                             "team")


@evidence("barrier_process")
def barrier_process(ctx: EvidenceContext) -> Found:
    """Barriers are raised and worked through the linked teams: every open barrier has
    an owner and none has sat with the executive team longer than the window (60 days by
    default).  No barrier on record: the structure cannot tell."""
    teams = {t.id for u in ctx.within() for t in ctx.graph.teams_of(u)}
    barriers = [b for b in ctx.graph.barriers() if b.raised_by in teams
                and b.raised_on <= ctx.as_of]
    if not barriers:
        return Found(score=None, gaps=("no barrier on record to judge the process by",))
    days = int(ctx.args.get("days", 60))
    open_ = [b for b in barriers if b.open_on(ctx.as_of)]
    executive = {t.id for u in ctx.within()
                 for t in ctx.graph.teams_of(u, TeamKind.EXECUTIVE_LEADERSHIP)}
    gaps = [f"open barrier {b.id!r} has no owner" for b in open_ if b.owner is None]
    gaps += [f"barrier {b.id!r} has sat with the executive team since {b.since_on(ctx.as_of)}"
             for b in open_ if b.level_on(ctx.as_of) in executive
             and (ctx.as_of - b.since_on(ctx.as_of)).in_days() > days]
    score = 2 if not gaps else 0 if open_ and all(b.owner is None for b in open_) else 1
    return Found(score=score, evidence=tuple(b.id for b in barriers), gaps=tuple(gaps),
                 action="" if score == 2 else "give each open barrier an owner and move it "
                                                "through the linked teams")


@evidence("status_updates")
def status_updates(ctx: EvidenceContext) -> Found:
    """The liaison updates the executive team: in the last three months (2), the last
    year (1)."""
    teams = ctx.teams(TeamKind.EXECUTIVE_LEADERSHIP)
    updates = [u for t in teams for u in ctx.graph.status_updates(t.id)
               if u.given_on <= ctx.as_of]
    last = max((u.given_on for u in updates), default=None)
    if last is not None and last > ctx.as_of.subtract(months=3):
        return Found(score=2, evidence=tuple(u.id for u in updates if u.given_on == last))
    if last is not None and last > ctx.as_of.subtract(years=1):
        return Found(score=1, evidence=tuple(u.id for u in updates if u.given_on == last),
                     gaps=(f"the last status update was on {last}",),
                     action="have the liaison update the executive team each quarter")
    return Found(score=0, gaps=(f"no status update to {label(ctx.unit)}'s executive team in "
                                "the last year",),
                 action="have the liaison update the executive team each quarter")


@evidence("focus_alignment")
def focus_alignment(ctx: EvidenceContext) -> Found:
    """Initiatives aligned: at most six priority focus areas (a setting), each in the
    vision."""
    limit = int(ctx.args.get("max_focus_areas", 6))
    areas = ctx.graph.focus_areas(ctx.unit.id)
    if not areas:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has no priority focus areas",),
                     action="name the priority focus areas")
    addressed = {a for v in ctx.graph.products_of(ctx.unit.id, ProductKind.VISION)
                 for a in getattr(v, "addresses", ())}
    outside = [a.id for a in areas if a.id not in addressed]
    ok = [len(areas) <= limit, not outside]
    gaps = ([] if ok[0] else [f"{len(areas)} priority focus areas; at most {limit}"]) + [
        f"focus area {a!r} is not in the vision: a separate initiative" for a in outside]
    return Found(score=sum(ok), evidence=tuple(a.id for a in areas), gaps=tuple(gaps),
                 action="" if all(ok) else "merge initiatives into at most six focus areas "
                                            "the vision addresses")


@evidence("non_negotiables")
def non_negotiables(ctx: EvidenceContext) -> Found:
    """Non-negotiable practices set by the unit, and at least 80% of its schools' aligned
    to them."""
    owners = (ctx.unit.id, *(t.id for t in ctx.graph.teams_of(ctx.unit.id)))
    own = [p for o in owners for p in ctx.graph.products_of(o, ProductKind.NON_NEGOTIABLES)]
    if not own:
        return Found(score=0, gaps=(f"{label(ctx.unit)} has set no non-negotiables",),
                     action="set the non-negotiable practices")
    ids = {p.id for p in own}
    schools = ctx.schools() if ctx.unit.kind is not UnitKind.SCHOOL else ()
    aligned = [p.id for s in schools for o in (s.id, *(t.id for t in ctx.graph.teams_of(
        s.id))) for p in ctx.graph.products_of(o, ProductKind.NON_NEGOTIABLES)
        if p.aligned_to in ids]
    if not schools or len(set(aligned)) >= 0.8 * len(schools):
        return Found(score=2, evidence=(*ids, *aligned))
    return Found(score=1, evidence=(*ids, *aligned),
                 gaps=(f"{len(aligned)} of {len(schools)} schools align their "
                       "non-negotiables to the unit's",),
                 action="have each school align its non-negotiables to the unit's")


@evidence("buy_in")
def buy_in(ctx: EvidenceContext) -> Found:
    """The latest buy-in survey: at or above the criterion (80% by default) (2), below
    (1).  No survey on record: the structure cannot tell."""
    threshold = float(ctx.args.get("criterion", 80))
    surveys = sorted((b for b in ctx.graph.objects("buy_in")
                      if b.unit == ctx.unit.id and b.surveyed_on <= ctx.as_of),
                     key=lambda b: (b.surveyed_on, b.id))
    if not surveys:
        return Found(score=None, gaps=("no buy-in survey on record",))
    last = surveys[-1]
    if last.agreeing >= threshold:
        return Found(score=2, evidence=(last.id,))
    return Found(score=1, evidence=(last.id,),
                 gaps=(f"{last.agreeing:g}% agreed on {last.surveyed_on}; the criterion is "
                       f"{threshold:g}%",),
                 action="build buy-in before installation, and survey again")


@evidence("demonstration_sites")
def demonstration_sites(ctx: EvidenceContext) -> Found:
    """Schools that demonstrate the practice: at full implementation with fidelity reached
    (2), or at least in initial implementation (1)."""
    from ..graph import stage_as_of

    full, started = [], []
    for school in ctx.schools():
        stage = stage_as_of(ctx.graph, school.id, as_of=ctx.as_of)
        if stage is None:
            continue
        if stage is Stage.FULL_IMPLEMENTATION and any(
                a.reached for a in ctx.graph.fidelity_assessments(school.id)
                if a.assessed_on <= ctx.as_of):
            full.append(school.id)
        elif stage in (Stage.INITIAL_IMPLEMENTATION, Stage.FULL_IMPLEMENTATION):
            started.append(school.id)
    if full:
        return Found(score=2, evidence=tuple(full))
    return Found(score=1 if started else 0, evidence=tuple(started),
                 gaps=("no school at full implementation with fidelity reached",),
                 action="bring a first school to fidelity and let others learn from it")


@evidence("success_highlights")
def success_highlights(ctx: EvidenceContext) -> Found:
    """Successes shared: in the last six months (2), earlier (1)."""
    within = set(ctx.within())
    shared = sorted((h for h in ctx.graph.objects("success_highlight")
                     if h.unit in within and h.shared_on <= ctx.as_of),
                    key=lambda h: h.shared_on)
    recent = [h.id for h in shared if h.shared_on > ctx.as_of.subtract(months=6)]
    if recent:
        return Found(score=2, evidence=tuple(recent))
    return Found(score=1 if shared else 0, evidence=tuple(h.id for h in shared),
                 gaps=("no success shared in the last six months",),
                 action="highlight early successes to staff, families and the board")


def _names(ctx: EvidenceContext, ids: Iterable[str]) -> list[str]:
    """People as a coordinator reads them: "James Park (p-park)"."""
    out = []
    for ident in ids:
        node = ctx.graph.get(ident, default=None)
        name = getattr(node, "name", "")
        out.append(f"{name} ({ident})" if name else ident)
    return out


def _listed(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c`` as a sentence says them.

    >>> _listed(["academic"]), _listed(["academic", "behavior", "social-emotional"])
    ('academic', 'academic, behavior or social-emotional')
    """
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


EVIDENCE = MappingProxyType(by_name(
    [fn for fn in list(globals().values()) if callable(fn) and hasattr(fn, "evidence_name")]))
