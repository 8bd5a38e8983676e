"""The level above, for every kind of product and every kind of owner at every level."""

from __future__ import annotations

import pytest

from mtss_core import (
    AlignmentGraph,
    Config,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Team,
    Vision,
    validate,
)
from mtss_core.graph import expected_alignment

KINDS = {"vision": Vision, "nn": NonNegotiables, "plan": ImprovementPlan}
ALN = ["ALN001", "ALN002", "ALN003", "ALN004", "ALN005"]


def structure() -> list:
    """A state, a partner ISD, a district with a central office, a school with a grade (a
    unit with its team), a department with a course, a grade team serving the school
    directly, and teachers on each kind of team."""
    return [
        OrgUnit(id="st", kind="state"),
        OrgUnit(id="isd", kind="isd", parent="st", formal_partner=True),
        OrgUnit(id="d", kind="district", parent="isd"),
        OrgUnit(id="co", kind="department", parent="d", name="Central Office"),
        OrgUnit(id="s", kind="school", parent="d"),
        OrgUnit(id="g", kind="grade", parent="s"),
        OrgUnit(id="dep", kind="department", parent="s"),
        OrgUnit(id="c", kind="course", parent="dep"),
        Team(id="t-isd", kind="executive-leadership", unit="isd"),
        Team(id="t-dlt", kind="district-leadership", unit="d"),
        Team(id="t-slt", kind="school-leadership", unit="s"),
        Team(id="tg", kind="grade-team", unit="g"),
        Team(id="td", kind="department-team", unit="dep"),
        Team(id="tc", kind="course-team", unit="c"),
        Team(id="tgs", kind="grade-team", unit="s"),
        *[Person(id=p) for p in ("p1", "p2", "p3", "p4", "p5")],
        Membership(team="tg", person="p1"), Membership(team="td", person="p2"),
        Membership(team="tgs", person="p3"), Membership(team="tc", person="p4"),
        Membership(team="t-slt", person="p5"),
    ]


#: owner -> the owner whose product it must align to (None: nothing above).
LEVEL_ABOVE = {
    "st": None, "isd": "st", "t-isd": "st", "d": "isd", "t-dlt": "isd", "co": "d",
    "s": "d", "t-slt": "d", "g": "s", "tg": "s", "dep": "s", "td": "s", "c": "s", "tc": "s",
    "tgs": "s", "p1": "g", "p2": "dep", "p3": "tgs", "p4": "c", "p5": "s",
}
#: owner -> an owner at a wrong level (another grade, a skipped level, a peer).
WRONG = {"isd": "d", "d": "st", "co": "s", "s": "isd", "g": "d", "tg": "tgs", "dep": "g",
         "td": "co", "c": "dep", "tc": "g", "tgs": "d", "p1": "tgs", "p2": "g", "p3": "s",
         "p4": "dep", "p5": "g"}
#: the owners whose products are the level's, for the level each anchor stands for
ANCHOR_PRODUCTS = {"g": ["g", "tg"], "s": ["s"], "dep": ["dep"], "c": ["c"]}


def graph_with(kind: str, owner: str, aligned_to: str | None) -> AlignmentGraph:
    """One product of ``kind`` at every owner, each aligned as LEVEL_ABOVE says, except
    ``owner``'s, aligned to ``aligned_to``'s product."""
    cls = KINDS[kind]
    objs = structure()
    for o, above in LEVEL_ABOVE.items():
        if o in ("t-isd", "t-dlt", "t-slt") or (o == "tg" and kind != "vision"):
            continue  # one product per level (a grade team's vision too: both count)
        target = aligned_to if o == owner else above
        objs.append(cls(id=f"{kind}-{o}", owner=o,
                        aligned_to=None if target is None else f"{kind}-{target}"))
    return AlignmentGraph(objs)


CASES = [(k, o) for k in KINDS for o in LEVEL_ABOVE
         if o not in ("t-isd", "t-dlt", "t-slt") and not (o == "tg" and k != "vision")]


@pytest.mark.parametrize(("kind", "owner"), CASES)
def test_aligned_to_the_level_above_is_silent(kind, owner):
    """Every product aligned to the level above: no ALN finding at all."""
    g = graph_with(kind, owner, LEVEL_ABOVE[owner])
    assert [str(f) for f in validate(g, Config(select=ALN))] == []
    expected = expected_alignment(g, f"{kind}-{owner}")
    above = LEVEL_ABOVE[owner]
    if above is None:
        assert expected is None
    else:
        assert f"{kind}-{above}" in expected.targets


@pytest.mark.parametrize(("kind", "owner"), [c for c in CASES if c[1] in WRONG])
def test_aligned_to_a_wrong_level_fires(kind, owner):
    """Aligned to another level's product: the kind's rule (or ALN005) fires on it."""
    g = graph_with(kind, owner, WRONG[owner])
    found = [f for f in validate(g, Config(select=ALN)) if f.subject == f"{kind}-{owner}"]
    assert len(found) == 1, found
    assert f"{kind}-{LEVEL_ABOVE[owner]}" in found[0].related


@pytest.mark.parametrize(("kind", "owner"), [c for c in CASES if LEVEL_ABOVE[c[1]]])
def test_aligned_to_nothing_fires(kind, owner):
    """Not aligned while the level above has a product: fires, hinting at it."""
    g = graph_with(kind, owner, None)
    (f,) = [f for f in validate(g, Config(select=ALN)) if f.subject == f"{kind}-{owner}"]
    assert f.hint.startswith("set aligned_to to")


class TestTheTeacherCase:
    def test_teacher_aligned_to_a_unit_owned_grade_vision_is_silent(self):
        """The grade unit's own vision is the grade's: its teachers align to it, silently."""
        g = graph_with("vision", "p1", "g")
        assert validate(g, Config(select=ALN)).findings == ()

    def test_teacher_aligned_to_another_grades_vision_fires(self):
        """A teacher aligned to another grade team's vision fires ALN001."""
        g = graph_with("vision", "p1", "tgs")
        (f,) = validate(g, Config(select=ALN)).findings
        assert (f.code, f.subject) == ("ALN001", "vision-p1")
        assert "'vision-g', 'vision-tg'" in f.message

    def test_teacher_skipping_their_team_to_the_school(self):
        """Aligned straight to the school: ALN005 (skips the level above)."""
        g = graph_with("vision", "p1", "s")
        (f,) = validate(g, Config(select=ALN)).findings
        assert f.code == "ALN005"


class TestIsdPartnership:
    def objects(self, partner):
        objs = [o for o in structure() if not (isinstance(o, OrgUnit) and o.id == "isd")]
        return [OrgUnit(id="isd", kind="isd", parent="st", formal_partner=partner), *objs,
                Vision(id="v-st", owner="st"), Vision(id="v-isd", owner="isd",
                                                      aligned_to="v-st")]

    @pytest.mark.parametrize("partner", [None, False])
    def test_a_district_need_not_align_to_a_non_partner_isd(self, partner):
        """Not a formal partner: the district aligns to the state; the ISD is accepted."""
        for target in ("v-isd", "v-st"):
            g = AlignmentGraph([*self.objects(partner),
                                Vision(id="v-d", owner="d", aligned_to=target)])
            assert validate(g, Config(select=ALN)).findings == ()
        g = AlignmentGraph([*self.objects(partner), Vision(id="v-d", owner="d")])
        (f,) = validate(g, Config(select=ALN)).findings
        assert f.hint == "set aligned_to to 'v-st'"

    def test_a_partner_isd_is_required(self):
        """A formal partner: the district aligns to it; aligning past it skips a level."""
        g = AlignmentGraph([*self.objects(True), Vision(id="v-d", owner="d",
                                                        aligned_to="v-st")])
        (f,) = validate(g, Config(select=ALN)).findings
        assert f.code == "ALN005"

    def test_the_setting_makes_every_isd_required(self):
        """isd_partners_only=False: any ISD above a district is a level it aligns to."""
        g = AlignmentGraph([*self.objects(None), Vision(id="v-d", owner="d",
                                                        aligned_to="v-st")])
        settings = {c: {"isd_partners_only": False} for c in ("ALN001", "ALN005")}
        (f,) = validate(g, Config(select=["ALN001", "ALN005"], settings=settings)).findings
        assert f.code == "ALN005"


class TestAbsence:
    def test_once_on_the_level_not_on_each_product_below(self):
        """Teachers' visions, a grade team with none: ALN006 once, on the grade team's
        level, and no ALN001 on the teachers."""
        objs = [*structure(), Membership(team="tgs", person="p1"),
                Vision(id="v-p3", owner="p3"), Vision(id="v-p1", owner="p1")]
        g = AlignmentGraph(objs)
        report = validate(g, Config(select=["ALN001", "ALN006"]))
        assert report.by_code("ALN001") == ()
        grade = [f for f in report.by_code("ALN006") if "vision" in f.message
                 and f.subject in ("tgs", "g")]
        assert [(f.subject, f.related) for f in grade] == [
            ("g", ("tg", "v-p1", "s")), ("tgs", ("v-p1", "v-p3", "s"))]
        assert "2 product(s) below have nothing to align to: v-p1, v-p3" in grade[1].message

    def test_required_levels_are_a_setting(self):
        """Schools need all three products by default; the setting narrows it."""
        g = AlignmentGraph(structure())
        default = {f.subject for f in validate(g, Config(select=["ALN006"]))}
        assert default == {"d", "s"}
        narrow = validate(g, Config(select=["ALN006"], settings={
            "ALN006": {"required": {"district": ["vision"]}}}))
        assert [(f.subject, f.message.split(" has no ")[1].split(";")[0])
                for f in narrow] == [("d", "vision")]
