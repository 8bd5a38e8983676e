"""Hypothesis strategies for mtss_core, kept in one place."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mtss_core import (
    FocusArea,
    ImprovementPlan,
    Membership,
    ModelObject,
    NonNegotiables,
    OrgUnit,
    Person,
    Team,
    Vision,
)

_names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_dates = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))
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
                            adopted_on=draw(_dates)))
            pool.append(pid)

    objs.append(OrgUnit(id="isd", kind="isd", name=draw(_names)))
    product("isd", None)
    for d in range(draw(st.integers(1, max_districts))):
        dist = f"d{d}"
        objs.append(OrgUnit(id=dist, kind="district", name=draw(_names), parent="isd"))
        product(dist, "isd")
        objs.extend(FocusArea(id=f"{dist}-fa{f}", district=dist, name=draw(_names))
                    for f in range(draw(st.integers(0, 8))))
        objs.append(Team(id=f"{dist}-dlt", kind="district-leadership", unit=dist))
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
                objs.append(Person(id=person, name=draw(_names), unit=school))
                if draw(st.booleans()):
                    objs.append(Membership(team=team, person=person, roles=draw(_roles),
                                           since=draw(_dates)))
                if draw(st.booleans()):
                    objs.append(Membership(team=f"{dist}-dlt", person=person,
                                           roles=draw(_roles)))
                product(person, team)
    return objs
