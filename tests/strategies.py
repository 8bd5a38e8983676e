"""Hypothesis strategies for mtss_core, kept in one place."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mtss_core import (
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
    Barrier,
    CoachingSkill,
    Evidence,
    FidelityAssessment,
    LeadershipSelfAssessment,
    Meeting,
    ModelObject,
    Protocol,
    ReadinessAssessment,
    ResourceAllocation,
    StageRecord,
    StatusUpdate,
)

#: Any text the model holds: no lone surrogates, no control characters but tab and line
#: breaks (neither can be written back to every format).
_names = st.text(alphabet=st.characters(
    codec="utf-8", exclude_categories=("Cs",),
    exclude_characters="".join(map(chr, [*range(9), 11, 12, *range(14, 32)]))
    + "\ufffe\uffff"), max_size=12)
_dates = st.one_of(st.none(), st.dates(  # the dates the model holds
    min_value=__import__("datetime").date(1900, 1, 1),
    max_value=__import__("datetime").date(2199, 12, 31)).map(lambda d: d.isoformat()))
_zones = st.sampled_from(["America/Detroit", "America/Los_Angeles", "UTC", "Asia/Kolkata"])
_datetimes = st.builds(
    lambda d, h, m, z: __import__("pendulum").datetime(d.year, d.month, d.day, h, m, tz=z),
    st.dates(min_value=__import__("datetime").date(2000, 1, 1),
             max_value=__import__("datetime").date(2035, 12, 31)),
    st.integers(0, 23), st.integers(0, 59), _zones)
_durations = st.sampled_from([None, "P1M", "P2W", "P1Y2M10D", "PT36H"])
_roles = st.lists(st.sampled_from(["superintendent", "liaison", "principal", "coach",
                                   "general-education-teacher", "Data Wizard", "parent"]),
                  max_size=3)


@st.composite
def structures(draw: Any, max_districts: int = 3, max_schools: int = 3) -> list[ModelObject]:
    """A valid structure: an ISD, districts, schools, teams, teachers and products.

    Each product is drawn aligned to the right level, to nothing, or to a random
    product of the same kind, so rules have both healthy and faulty cases.
    """
    objs: list[ModelObject] = []
    products: dict[str, list[str]] = {"vision": [], "nn": [], "plan": []}

    def product(owner: str, right: str | None) -> None:
        for key, cls in (("vision", Vision), ("nn", NonNegotiables), ("plan", ImprovementPlan)):
            if not draw(st.booleans()):
                continue
            pid = f"{key}-{owner}"
            pool = products[key]
            choice = draw(st.sampled_from(["right", "none", "random"]))
            if choice == "right" and right is not None:
                target: str | None = f"{key}-{right}" if f"{key}-{right}" in pool else None
            elif choice == "random" and pool:
                target = draw(st.sampled_from(pool))
            else:
                target = None
            objs.append(cls(id=pid, owner=owner, aligned_to=target, title=draw(_names),
                            adopted_on=draw(_dates), reviewed_on=draw(_dates)))
            pool.append(pid)

    objs.append(OrgUnit(id="isd", kind="isd", name=draw(_names)))
    product("isd", None)
    for d in range(draw(st.integers(1, max_districts))):
        dist = f"d{d}"
        objs.append(OrgUnit(id=dist, kind="district", name=draw(_names), parent="isd"))
        product(dist, "isd")
        objs.extend(FocusArea(id=f"{dist}-fa{f}", district=dist, name=draw(_names))
                    for f in range(draw(st.integers(0, 8))))
        objs.append(Team(id=f"{dist}-dlt", kind="district-leadership", unit=dist,
                         cadence=draw(_durations)))
        if draw(st.booleans()):  # time data for the district
            day = draw(st.dates(min_value=__import__("datetime").date(2000, 1, 1),
                                max_value=__import__("datetime").date(2035, 12, 31)))
            objs.append(StageRecord(id=f"{dist}-st", unit=dist,
                                    stage=draw(st.sampled_from(["exploration", "full"])),
                                    entered_on=day))
            objs.append(ReadinessAssessment(id=f"{dist}-ra", unit=dist, assessed_on=day,
                                            score=draw(st.none() | st.floats(0, 100)),
                                            ready=draw(st.none() | st.booleans())))
            objs.append(FidelityAssessment(
                id=f"{dist}-fa", unit=dist, instrument=draw(st.sampled_from(["DCA", "TFI"])),
                assessed_on=day, total=draw(st.floats(0, 100)),
                subscales=draw(st.dictionaries(st.sampled_from(["A", "B"]), st.floats(0, 100)))))
            objs.append(Meeting(id=f"{dist}-m", team=f"{dist}-dlt", starts_at=draw(_datetimes),
                                agenda=draw(st.lists(st.fixed_dictionaries(
                                    {"title": _names, "topics": st.lists(
                                        st.sampled_from(["mtss", "budget"]), max_size=2)}),
                                    max_size=2))))
            objs.append(StatusUpdate(id=f"{dist}-su", team=f"{dist}-dlt", given_on=day,
                                     summary=draw(_names), assessments=[f"{dist}-fa"]))
            objs.append(ResourceAllocation(
                id=f"{dist}-alloc", unit=dist,
                category=draw(st.sampled_from(["budget", "schedule"])),
                amount=draw(st.floats(0, 1e6)), measure=draw(_names), starts_on=day,
                ends_on=draw(_dates)))
            objs.append(Barrier(id=f"{dist}-b", raised_by=f"{dist}-dlt", title=draw(_names),
                                raised_on=day, status=draw(st.sampled_from(["open",
                                                                           "resolved"])),
                                escalations=[{"team": f"{dist}-dlt", "on": day}]))
            objs.append(Protocol(id=f"{dist}-cp", from_team=f"{dist}-dlt",
                                 to_team=f"{dist}-dlt", cadence=draw(_durations),
                                 reviewed_on=draw(_dates)))
            objs.append(LeadershipSelfAssessment(
                id=f"{dist}-la", subject=f"{dist}-dlt", assessed_on=day,
                scores=draw(st.dictionaries(st.sampled_from(["focus-on-schools",
                                                             "vision-focus-message"]),
                                            st.floats(0, 100)))))
            objs.append(Evidence(id=f"{dist}-ev", team=f"{dist}-dlt",
                                 responsibility="vision-and-non-negotiables", on=day))
        for s in range(draw(st.integers(0, max_schools))):
            school = f"{dist}-s{s}"
            objs.append(OrgUnit(id=school, kind="school", parent=dist))
            product(school, dist)
            grade = f"{school}-g"
            objs.append(OrgUnit(id=grade, kind="grade", parent=school))
            team = f"{school}-team"
            objs.append(Team(id=team, kind="grade-team", unit=grade))
            product(team, school)
            for t in range(draw(st.integers(0, 3))):
                person = f"{school}-t{t}"
                objs.append(Person(id=person, name=draw(_names), unit=school,
                                   coaching_skills=draw(st.lists(st.sampled_from(
                                       list(CoachingSkill)), max_size=2))))
                if draw(st.booleans()):
                    objs.append(Membership(team=team, person=person, roles=draw(_roles),
                                           since=draw(_dates)))
                if draw(st.booleans()):
                    objs.append(Membership(team=f"{dist}-dlt", person=person,
                                           roles=draw(_roles)))
                product(person, team)
    return objs
