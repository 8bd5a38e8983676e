from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mtss_core import AlignmentGraph, FocusArea, Membership, OrgUnit, Person, Team, Vision


def healthy_objects() -> list:
    """A small, fully aligned structure: every rule stays silent on it."""
    return [
        OrgUnit(id="isd", kind="isd", name="Lakeshore ISD"),
        OrgUnit(id="d1", kind="district", name="Maple", parent="isd"),
        OrgUnit(id="d2", kind="district", name="Cedar", parent="isd"),
        OrgUnit(id="s1", kind="school", name="Lincoln", parent="d1"),
        OrgUnit(id="s2", kind="school", name="Cedar High", parent="d2"),
        OrgUnit(id="g3", kind="grade", name="Grade 3", parent="s1"),
        Team(id="t-dlt", kind="district-leadership", unit="d1"),
        Team(id="t-slt", kind="school-leadership", unit="s1"),
        Team(id="t-g3", kind="grade-team", unit="g3"),
        Team(id="t-ela", kind="department-team", unit="s2"),
        Person(id="p-kim", name="Grace Kim", unit="s1"),
        Person(id="p-ok", name="Chidi Okafor", unit="s1"),
        Person(id="p-garcia", name="Diego Garcia", unit="s2"),
        Membership(team="t-slt", person="p-kim", roles=["principal"]),
        Membership(team="t-g3", person="p-ok", roles=["general-education-teacher"]),
        Membership(team="t-slt", person="p-ok", roles=["teacher-leader"]),
        Membership(team="t-ela", person="p-garcia", roles=["general-education-teacher"]),
        Vision(id="v-isd", owner="isd"),
        Vision(id="v-d1", owner="d1", aligned_to="v-isd"),
        Vision(id="v-d2", owner="t-dlt", aligned_to="v-isd"),  # a DLT owns d1's second vision
        Vision(id="v-d2b", owner="d2", aligned_to="v-isd"),
        Vision(id="v-s1", owner="t-slt", aligned_to="v-d1"),
        Vision(id="v-s2", owner="s2", aligned_to="v-d2b"),
        Vision(id="v-g3", owner="t-g3", aligned_to="v-s1"),
        Vision(id="v-ela", owner="t-ela", aligned_to="v-s2"),
        Vision(id="v-ok", owner="p-ok", aligned_to="v-g3"),
        Vision(id="v-garcia", owner="p-garcia", aligned_to="v-ela"),
        *[FocusArea(id=f"fa{i}", district="d1", name=f"Focus {i}") for i in range(6)],
    ]


@pytest.fixture
def healthy() -> AlignmentGraph:
    return AlignmentGraph(healthy_objects())
