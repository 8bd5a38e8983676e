"""A deterministic generator of realistic MTSS structures at several scales.

Used by ``bench.py``; importable on its own::

    from generate import SCALES, generate
    objects = generate(SCALES["district"], seed=1)
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pendulum
from _compat import mc  # this tree's public modules, or the root before 0.6 (compare.py)

(AgendaItem, CoachingSkill, DataSource, FidelityAssessment, FocusArea, ImprovementPlan,
 Meeting, Membership, OrgUnit, Person, Protocol, ReadinessAssessment, ResourceAllocation,
 RiskThreshold, StageRecord, StatusUpdate, Team, Vision) = (
    getattr(mc, name) for name in (
        "AgendaItem", "CoachingSkill", "DataSource", "FidelityAssessment", "FocusArea",
        "ImprovementPlan", "Meeting", "Membership", "OrgUnit", "Person", "Protocol",
        "ReadinessAssessment", "ResourceAllocation", "RiskThreshold", "StageRecord",
        "StatusUpdate", "Team", "Vision"))
ModelObject = Any

ALL_DOMAINS = ("academic", "behavior", "social-emotional")
#: The date the generated data describe (pass it as the as-of date).
AS_OF = pendulum.date(2026, 9, 1)
_STAGES = (("exploration", "2023-09-05"), ("installation", "2024-02-01"),
           ("initial-implementation", "2024-09-03"))
_ZONE = pendulum.timezone("America/Detroit")


def _implementation(unit: str, instrument: str) -> Iterator[ModelObject]:
    """A unit's stages, readiness and two fidelity assessments a year."""
    for i, (stage, on) in enumerate(_STAGES):
        yield StageRecord(id=f"{unit}-st{i}", unit=unit, stage=stage, entered_on=on)
    yield ReadinessAssessment(id=f"{unit}-ra", unit=unit, assessed_on="2024-01-15")
    for on, total in (("2025-11-10", 76), ("2026-05-11", 84)):
        yield FidelityAssessment(id=f"{unit}-{instrument}-{on}", unit=unit,
                                 instrument=instrument, assessed_on=on, total=total)


def _year_of_meetings(team: str, day: int) -> Iterator[ModelObject]:
    for k in range(12):
        month = pendulum.date(2025, 9, 1).add(months=k)
        yield Meeting(id=f"{team}-m{k}", team=team,
                      starts_at=pendulum.datetime(month.year, month.month, day, 16, tz=_ZONE),
                      agenda=(AgendaItem(title="MTSS status", topics=("mtss",)),))


@dataclass(frozen=True)
class Scale:
    name: str
    isds: int
    districts: int
    schools: int
    teachers: int
    grade_teams_per_school: int = 6
    focus_areas_per_district: int = 5
    #: share of visions planted out of line (aligned to nothing or to the wrong level)
    fault_rate: float = 0.01


#: The shapes a structure can take (``generate(..., shape=...)``):
#: ``standard``: grade teams serve their school and own the grade's vision;
#: ``grade-units``: each grade is an org unit under its school, served by its grade team,
#: and owns the grade's vision itself;
#: ``no-roles``: as standard, but nobody on a grade or school leadership team carries a
#: role (what a roster import gives before anyone records roles);
#: ``findings-heavy``: as grade-units, but below the district only visions (no school
#: improvement plans) and no communication protocols, so the missing-product and
#: protocol rules fire on most schools (tens of thousands of findings at state scale);
#: ``held-out``: as findings-heavy, and nobody on a school or grade team carries a role
#: (the shape of a state measured independently: more than 100,000 findings at state
#: scale, most of them about team composition).
SHAPES = ("standard", "grade-units", "no-roles", "findings-heavy", "held-out")


SCALES = {
    "district": Scale("district", isds=1, districts=1, schools=25, teachers=1_000),
    "county": Scale("county", isds=1, districts=20, schools=150, teachers=6_000),
    "state": Scale("state", isds=56, districts=1_200, schools=9_000, teachers=370_000),
    "nation": Scale("nation", isds=900, districts=13_300, schools=99_000, teachers=3_200_000),
}


def generate(scale: Scale, seed: int = 0, shape: str = "standard") -> Iterator[ModelObject]:
    """Yield the objects of one structure, parents before children.  Every teacher owns a
    vision in every shape."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, got {shape!r}")
    rnd = random.Random(seed)
    no_roles = shape in ("no-roles", "held-out")
    sparse = shape in ("findings-heavy", "held-out")
    grade_units = shape in ("grade-units", "findings-heavy", "held-out")
    yield OrgUnit(id="state", kind="state", name="State")
    yield Vision(id="v-state", owner="state", statement="Every student thrives.")
    isd_ids = [f"isd{i}" for i in range(scale.isds)]
    for isd in isd_ids:
        yield OrgUnit(id=isd, kind="isd", name=f"ISD {isd}", parent="state",
                      formal_partner=True)
        yield Vision(statement="Every student thrives.",
                     id=f"v-{isd}", owner=isd, aligned_to="v-state")

    def faulty() -> bool:
        return rnd.random() < scale.fault_rate

    school_no = 0
    teacher_no = 0
    for d in range(scale.districts):
        district = f"d{d}"
        isd = isd_ids[d % len(isd_ids)]
        yield OrgUnit(id=district, kind="district", name=f"District {d}", parent=isd)
        n_focus = scale.focus_areas_per_district + (2 if faulty() else 0)
        focus = [f"{district}-fa{f}" for f in range(n_focus)]
        yield from (FocusArea(id=fa, district=district, name=fa) for fa in focus)
        yield Vision(statement="Every student thrives.",
                     id=f"v-{district}", owner=district, aligned_to=f"v-{isd}",
                     addresses=focus[:scale.focus_areas_per_district])
        supt, liaison, lead = (f"{district}-{r}" for r in ("supt", "liaison", "lead"))
        yield Person(id=supt, name=f"Superintendent {d}", unit=district)
        yield Person(id=liaison, unit=district)
        yield Person(id=lead, unit=district, departments=("student-supports",),
                     domains=ALL_DOMAINS, coaching_skills=tuple(CoachingSkill))
        for c in ("budget", "staffing", "schedule", "professional-learning"):
            yield ResourceAllocation(id=f"{district}-ra-{c}", unit=district, category=c,
                                     amount=1, starts_on="2025-07-01")
        exec_team, dlt, dit = (f"{district}-{t}" for t in ("exec", "dlt", "dit"))
        yield Team(id=exec_team, kind="executive-leadership", unit=district)
        yield Membership(team=exec_team, person=supt, roles=("superintendent",))
        yield Membership(team=exec_team, person=liaison, roles=("director", "liaison"))
        yield Team(id=dlt, kind="district-leadership", unit=district)
        yield Membership(team=dlt, person=supt, roles=("superintendent",))
        yield Membership(team=dlt, person=lead, roles=("director", "mtss-lead", "coach",
                                                        "interventionist", "parent"))
        yield Team(id=dit, kind="district-implementation", unit=district)
        yield Membership(team=dit, person=liaison, roles=("liaison",))
        yield DataSource(id=f"{district}-screener", unit=district, kind="universal-screening")
        yield ImprovementPlan(goals=["Every student reads by grade 3"],
                              id=f"cip-{district}", owner=district,
                              data_sources=(f"{district}-screener",))
        yield RiskThreshold(id=f"{district}-rt", unit=district, measure="reading", value=25)
        yield from _implementation(district, "DCA")
        yield from _year_of_meetings(exec_team, 10)
        yield from _year_of_meetings(dit, 14)
        for q, on in enumerate(("2025-09-15", "2025-12-15", "2026-03-16", "2026-06-15")):
            yield StatusUpdate(id=f"{district}-su{q}", team=exec_team, liaison=liaison,
                               given_on=on)
        # schools of this district
        end = (d + 1) * scale.schools // scale.districts
        first_school = school_no
        while school_no < end:
            s = f"s{school_no}"
            school_no += 1
            yield OrgUnit(id=s, kind="school", name=f"School {s}", parent=district)
            wrong = faulty()
            yield Vision(statement="Every student thrives.",
                         id=f"v-{s}", owner=s, aligned_to=None if wrong else f"v-{district}")
            yield Person(id=f"{s}-principal", name=f"Principal {s}", unit=s)
            yield Team(id=f"{s}-slt", kind="school-leadership", unit=s)
            yield Membership(team=f"{s}-slt", person=f"{s}-principal",
                             roles=() if no_roles else ("principal",))
            yield Membership(team=f"{district}-dlt", person=f"{s}-principal",
                             roles=("principal",))
            if school_no == first_school + 1:  # one principal sits on the implementation team
                yield Membership(team=dit, person=f"{s}-principal", roles=("principal",))
            if not sparse:
                yield ImprovementPlan(goals=["Every student reads by grade 3"],
                                      id=f"cip-{s}", owner=s, aligned_to=f"cip-{district}",
                                      data_sources=(f"{district}-screener",),
                                      focus_areas=(focus[0],))
            yield from _implementation(s, "TFI")
            yield ResourceAllocation(id=f"{s}-ra-schedule", unit=s, category="schedule",
                                     amount=45, measure="minutes per week",
                                     starts_on="2025-08-25")
            if not sparse:
                yield Protocol(id=f"{s}-cp", from_team=f"{s}-slt", to_team=dit,
                               cadence="P1M", reviewed_on="2026-01-12")
            teams = [f"{s}-g{g}" for g in range(scale.grade_teams_per_school)]
            # whose vision each teacher aligns to: the grade team's, or the grade unit's
            grade_vision = {}
            for g, team in enumerate(teams):
                if grade_units:
                    grade = f"{s}-grade{g}"
                    yield OrgUnit(id=grade, kind="grade", parent=s, name=f"Grade {g}",
                                  grades=str(g))
                    yield Team(id=team, kind="grade-team", unit=grade, name=f"Grade {g}")
                    owner = grade
                else:
                    yield Team(id=team, kind="grade-team", unit=s, name=f"Grade {g}")
                    owner = team
                grade_vision[team] = f"v-{owner}"
                yield Vision(statement="Every student thrives.", id=f"v-{owner}", owner=owner,
                             aligned_to=f"v-{district}" if faulty() else f"v-{s}")
            t_end = school_no * scale.teachers // scale.schools
            k = 0
            while teacher_no < t_end:
                t = f"t{teacher_no}"
                teacher_no += 1
                team = teams[k % len(teams)]
                k += 1
                yield Person(id=t, name=f"Teacher {t}", unit=s,
                             domains=ALL_DOMAINS if k == 4 else ())
                roles = ("general-education-teacher",)
                if k <= 4:  # the school team's teacher leaders, coach, lead and parent
                    role = ("teacher-leader", "coach", "special-education-teacher",
                            "mtss-lead")[k - 1]
                    yield Membership(team=f"{s}-slt", person=t,
                                     roles=() if no_roles else
                                     (role, "interventionist", "parent")
                                     if k == 4 else (role,))
                    if k == 1 and school_no == end:
                        yield Membership(team=dlt, person=t, roles=(
                            "teacher-leader", "special-education-teacher"))
                yield Membership(team=team, person=t, roles=() if no_roles else roles)
                yield Vision(statement="Every student thrives.", id=f"v-{t}", owner=t,
                             aligned_to=None if faulty() else grade_vision[team])
