"""Healthy structures shaped the way the source documents describe them, of any size.

An ISD that is a formal partner of the state's program, with its executive and
implementation teams; districts with their executive, leadership and implementation teams
(a liaison on both executive and implementation teams), a designated MTSS lead housed in
Teaching and Learning who covers academics, behavior and SEL and does the systems
coaching (the coaching skills are recorded on the lead; no one holds the role "coach" at
the district), five priority focus areas the district vision addresses, data behind every
plan, one at-risk threshold set once for all schools; schools with a leadership team and
a schoolwide MTSS team, the schoolwide team carrying the one protocol with the district
implementation team; grades (units or school-level grade teams) with their teams, and a
vision for every teacher aligned with their team's; a year of implementation: stages,
readiness, fidelity above target, allocations, protected time, monthly meetings with MTSS
on the agenda, liaison updates.  Every rule stays silent on it.
"""

from __future__ import annotations

from mtss_core import (
    AlignmentGraph,
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Team,
    Vision,
)
from mtss_core.model import (
    CoachingSkill,
    DataSource,
    FidelityAssessment,
    Meeting,
    Protocol,
    ReadinessAssessment,
    ResourceAllocation,
    RiskThreshold,
    StageRecord,
    StatusUpdate,
    SuccessHighlight,
)

AS_OF = "2026-09-01"
DOMAINS = ["academic", "behavior", "social-emotional"]
SKILLS = list(CoachingSkill.values())
STAGES = [("exploration", "2024-01-10"), ("installation", "2024-06-03"),
          ("initial-implementation", "2025-01-06")]


def seat(team: str, person: str, *roles: str) -> Membership:
    return Membership(team=team, person=person, roles=list(roles))


def _implementing(unit: str) -> list:
    """A year of implementation for a unit: stages, readiness, fidelity above target, and
    a success shared in the last months."""
    return [*[StageRecord(id=f"st-{unit}-{i}", unit=unit, stage=stage, entered_on=on)
              for i, (stage, on) in enumerate(STAGES)],
            SuccessHighlight(id=f"sh-{unit}", unit=unit, shared_on="2026-05-11",
                             summary="Spring screening: fewer students at risk in reading"),
            ReadinessAssessment(id=f"ready-{unit}", unit=unit, assessed_on="2024-05-01",
                                ready=True, score=85),
            FidelityAssessment(id=f"fid-{unit}", unit=unit, instrument="TFI",
                               assessed_on="2026-05-04", total=84)]


def _meetings(team: str) -> list:
    return [Meeting(id=f"m-{team}-{month}", team=team,
                    starts_at=f"2026-{month:02d}-12T16:00:00-04:00",
                    agenda=[{"title": "MTSS status", "topics": ["mtss"]}])
            for month in range(3, 9)]


def _products(owner: str, above: str | None, tag: str, plan_data: str, areas: list[str]
              ) -> list:
    """A vision, non-negotiables and an improvement plan, aligned with ``above``'s."""
    return [
        Vision(statement="Every student thrives.",
               id=f"v-{tag}", owner=owner, aligned_to=None if above is None else f"v-{above}",
               reviewed_on="2026-06-15"),
        NonNegotiables(id=f"nn-{tag}", owner=owner, practices=["Universal screening"],
                       aligned_to=None if above is None else f"nn-{above}",
                       reviewed_on="2026-06-15"),
        ImprovementPlan(goals=["Every student reads by grade 3"],
                        id=f"cip-{tag}", owner=owner, data_sources=[plan_data],
                        focus_areas=areas, reviewed_on="2026-06-15",
                        aligned_to=None if above is None else f"cip-{above}"),
    ]


def _district(isd: str, d: str, n_schools: int, grades: int, teachers: int,
              grade_units: bool, co_principals: bool, secondary: bool) -> list:
    supt, liaison, lead, sped, parent, leader = (f"p-{d}-{r}" for r in (
        "supt", "liaison", "lead", "sped", "parent", "leader"))
    areas = [f"fa-{d}-{i}" for i in range(5)]
    exec_, dlt, dit = f"t-{d}-exec", f"t-{d}-dlt", f"t-{d}-dit"
    objs: list = [
        OrgUnit(id=d, kind="district", name=f"District {d}", parent=isd),
        Person(id=supt, name="Superintendent", unit=d),
        Person(id=liaison, name="Liaison", unit=d),
        # the designated MTSS lead: Teaching and Learning, every domain, and the coaching
        Person(id=lead, name="MTSS lead", unit=d, departments=["teaching-and-learning"],
               domains=DOMAINS, coaching_skills=SKILLS),
        Person(id=sped, name="Special education", unit=d),
        Person(id=parent, name="Parent"),
        Person(id=leader, name="Teacher leader", unit=d),
        Team(id=exec_, kind="executive-leadership", unit=d, cadence="P1M"),
        seat(exec_, supt, "superintendent"),
        seat(exec_, liaison, "assistant-superintendent", "liaison"),
        Team(id=dlt, kind="district-leadership", unit=d),
        seat(dlt, supt, "superintendent"), seat(dlt, lead, "director", "mtss-lead"),
        seat(dlt, leader, "teacher-leader"),
        seat(dlt, sped, "special-education-teacher", "interventionist"),
        seat(dlt, parent, "parent"),
        Team(id=dit, kind="district-implementation", unit=d, cadence="P1M"),
        seat(dit, liaison, "liaison"), seat(dit, lead, "director", "mtss-lead"),
        seat(dit, leader, "teacher-leader"),
        DataSource(id=f"ds-{d}", unit=d, name="Universal screener", kind="universal-screening"),
        RiskThreshold(id=f"rt-{d}", unit=d, measure="reading", value=25),
        *[FocusArea(id=a, district=d, name=f"Focus {i}") for i, a in enumerate(areas)],
        *_products(d, isd, d, f"ds-{d}", []),
        *_implementing(d),
        *[ResourceAllocation(id=f"alloc-{d}-{c}", unit=d, category=c, amount=1,
                             starts_on="2025-07-01")
          for c in ("budget", "staffing", "schedule", "professional-learning")],
        *_meetings(exec_), *_meetings(dit),
        StatusUpdate(id=f"su-{d}", team=exec_, liaison=liaison, given_on="2026-08-10",
                     assessments=[f"fid-{d}"]),
    ]
    objs[objs.index(next(o for o in objs if getattr(o, "id", "") == f"v-{d}"))] = Vision(
        statement="Every student thrives.", id=f"v-{d}", owner=d, aligned_to=f"v-{isd}",
        addresses=areas, reviewed_on="2026-06-15")
    for i in range(n_schools):
        objs += _school(d, f"{d}-s{i}", dit, areas[:2], grades, teachers, grade_units,
                        principal_on=(dlt, dit), co_principals=co_principals,
                        secondary=secondary and i == n_schools - 1)
    return objs


def _school(d: str, s: str, dit: str, areas: list[str], grades: int, teachers: int,
            grade_units: bool, principal_on: tuple[str, str], co_principals: bool = False,
            secondary: bool = False) -> list:
    princ, coach, sped, gen, interv, parent, slead = (f"p-{s}-{r}" for r in (
        "princ", "coach", "sped", "gen", "interv", "parent", "lead"))
    slt, mtss = f"t-{s}-slt", f"t-{s}-mtss"
    objs: list = [
        OrgUnit(id=s, kind="school", name=f"School {s}", parent=d,
                grades="9-12" if secondary else "K-5"),
        Person(id=princ, name="Principal", unit=s),
        Person(id=coach, name="Coach", unit=s),
        Person(id=sped, name="Special education teacher", unit=s),
        Person(id=gen, name="Teacher leader", unit=s),
        Person(id=interv, name="Interventionist", unit=s),
        Person(id=parent, name="Parent"),
        Person(id=slead, name="School MTSS lead", unit=s, departments=["student-supports"],
               domains=DOMAINS),
        seat(principal_on[0], princ, "principal"), seat(principal_on[1], princ, "principal"),
        Team(id=slt, kind="school-leadership", unit=s),
        seat(slt, princ, "principal"), seat(slt, coach, "coach"),
        seat(slt, gen, "teacher-leader"), seat(slt, slead, "mtss-lead"),
        seat(slt, sped, "special-education-teacher", "interventionist"),
        seat(slt, parent, "parent"),
        Team(id=mtss, kind="schoolwide-mtss", unit=s),
        seat(mtss, princ, "administrator"), seat(mtss, gen, "general-education-teacher"),
        seat(mtss, sped, "special-education-teacher"), seat(mtss, interv, "interventionist"),
        seat(mtss, slead, "mtss-lead"),
        # the school's one built-in mechanism to share with the district: its MTSS team's
        Protocol(id=f"cp-{s}", from_team=mtss, to_team=dit, designee=slead, cadence="P1M",
                 reviewed_on="2026-01-12"),
        RiskThreshold(id=f"rt-{s}", unit=s, measure="reading", value=25),
        *_products(slt, d, s, f"ds-{d}", areas),
        *_implementing(s),
        ResourceAllocation(id=f"alloc-{s}", unit=s, category="schedule", amount=45,
                           measure="minutes per week", purpose="mtss-team-meetings",
                           starts_on="2025-08-25"),
    ]
    if co_principals:  # two principals share the school's leadership
        co = f"p-{s}-coprinc"
        objs += [Person(id=co, name="Co-principal", unit=s),
                 seat(slt, co, "principal"), seat(mtss, co, "administrator")]
    for g in range(grades):
        unit = f"{s}-g{g}" if grade_units else s
        team = f"t-{s}-g{g}"
        if grade_units:  # a high school's departments, an elementary school's grades
            objs.append(OrgUnit(id=unit, kind="department" if secondary else "grade",
                                name=f"Department {g}" if secondary else f"Grade {g}",
                                parent=s))
        kind = "department-team" if secondary else "grade-team"
        objs += [Team(id=team, kind=kind, unit=unit),
                 Vision(statement="Every student thrives.",
                        id=f"v-{team}", owner=team, aligned_to=f"v-{s}",
                        reviewed_on="2026-06-15"),
                 seat(team, coach, "coach")]
        for t in range(teachers):
            person = f"p-{s}-g{g}-t{t}"
            objs += [Person(id=person, name=f"Teacher {t}", unit=s),
                     seat(team, person, "general-education-teacher"),
                     Vision(statement="Every student thrives.",
                            id=f"v-{person}", owner=person, aligned_to=f"v-{team}",
                            reviewed_on="2026-06-15")]
    return objs


def healthy_isd(districts: int = 1, schools: int = 2, grades: int = 2, teachers: int = 2,
                grade_units: bool = True, co_principals: bool = False,
                secondary: bool = False, state: bool = False) -> list:
    """The objects of a healthy ISD: ``districts`` districts of ``schools`` schools, each
    with ``grades`` grades of ``teachers`` teachers (grade units, or grade teams serving the
    school directly); with ``co_principals`` two principals per school; with ``secondary``
    each district's last school a high school of departments; with ``state`` a state
    above the ISD."""
    isd = "isd"
    above = "state" if state else None
    objs: list = [
        *([OrgUnit(id="state", kind="state", name="State"),
           Vision(statement="Every student thrives.",
                  id="v-state", owner="state", reviewed_on="2026-06-15"),
           NonNegotiables(id="nn-state", owner="state", practices=["Universal screening"],
                          reviewed_on="2026-06-15"),
           DataSource(id="ds-state", unit="state", name="State assessment",
                      kind="outcome"),
           ImprovementPlan(goals=["Every student reads by grade 3"],
                           id="cip-state", owner="state", reviewed_on="2026-06-15",
                           data_sources=["ds-state"])]
          if state else []),
        OrgUnit(id=isd, kind="isd", name="Lakeshore ISD", formal_partner=True, parent=above),
        Person(id="p-isd-supt", name="ISD superintendent", unit=isd),
        Person(id="p-isd-dir", name="ISD director", unit=isd),
        Person(id="p-isd-lead", name="ISD MTSS lead", unit=isd,
               departments=["teaching-and-learning"], domains=DOMAINS),
        Team(id="t-isd-exec", kind="executive-leadership", unit=isd, cadence="P1M"),
        Team(id="t-isd-dit", kind="district-implementation", unit=isd, cadence="P1M"),
        seat("t-isd-exec", "p-isd-supt", "superintendent"),
        seat("t-isd-exec", "p-isd-dir", "director", "liaison"),
        seat("t-isd-dit", "p-isd-dir", "director", "liaison"),
        seat("t-isd-dit", "p-isd-lead", "mtss-lead"),
        DataSource(id="ds-isd", unit=isd, name="Regional data", kind="universal-screening"),
        *_products(isd, above, isd, "ds-isd", []),
        *_implementing(isd),
        *_meetings("t-isd-exec"), *_meetings("t-isd-dit"),
        StatusUpdate(id="su-isd", team="t-isd-exec", liaison="p-isd-dir",
                     given_on="2026-08-10", assessments=["fid-isd"]),
    ]
    for i in range(districts):
        objs += _district(isd, f"d{i}", schools, grades, teachers, grade_units,
                          co_principals, secondary)
    return objs


def healthy_graph(**sizes: object) -> AlignmentGraph:
    return AlignmentGraph(healthy_isd(**sizes), as_of=AS_OF)  # type: ignore[arg-type]
