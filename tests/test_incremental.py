"""Incremental re-checking: after any edit, a Session's report equals a full validation."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import AS_OF, examples, healthy_objects
from mtss_core import (
    DEFAULT_RULES,
    AlignmentGraph,
    Config,
    FocusArea,
    ImprovementPlan,
    IntegrityError,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    RuleSet,
    Session,
    Team,
    Violation,
    Vision,
    example,
    rule,
    validate,
)
from mtss_core.errors import InUseError, UnknownIdError
from mtss_core.model import (
    Barrier,
    FidelityAssessment,
    Meeting,
    ProductKind,
    Protocol,
    ReadinessAssessment,
    ResourceAllocation,
    StageRecord,
    StatusUpdate,
    TeamKind,
    UnitKind,
    label,
)
from strategies import structures

ALN = ("ALN001", "ALN002", "ALN003", "ALN004", "ALN005")


_DAYS = st.dates(min_value=date(2024, 6, 1), max_value=date(2026, 10, 1)).map(
    lambda d: d.isoformat())
TIME_KINDS = (StageRecord, ReadinessAssessment, FidelityAssessment, Meeting, StatusUpdate,
              ResourceAllocation, Protocol)


@st.composite
def time_record(draw, id_, units, teams, kind=None):
    """A dated record of a random kind (or of ``kind``) about a random unit or team."""
    kinds = [k for k in TIME_KINDS if k in (kind,) or kind is None]
    kind = draw(st.sampled_from([k for k in kinds if teams or k not in
                                 (Meeting, StatusUpdate, Protocol)] or [StageRecord]))
    unit, day = draw(st.sampled_from(units)), draw(_DAYS)
    if kind is StageRecord:
        return StageRecord(id=id_, unit=unit, entered_on=day, stage=draw(st.sampled_from(
            ["exploration", "installation", "initial-implementation", "full-implementation"])))
    if kind is ReadinessAssessment:
        return ReadinessAssessment(id=id_, unit=unit, assessed_on=day,
                                   ready=draw(st.booleans()))
    if kind is FidelityAssessment:
        return FidelityAssessment(id=id_, unit=unit, instrument=draw(st.sampled_from(
            ["DCA", "TFI"])), assessed_on=day, total=draw(st.sampled_from([40.0, 90.0])))
    if kind is ResourceAllocation:
        return ResourceAllocation(id=id_, unit=unit, category=draw(st.sampled_from(
            ["budget", "schedule", "staffing"])), amount=1, measure="FTE", starts_on=day)
    team = draw(st.sampled_from(teams))
    if kind is Meeting:
        return Meeting(id=id_, team=team, starts_at=f"{day}T09:00:00-04:00", agenda=[
            {"title": "t", "topics": draw(st.sampled_from([[], ["mtss"]]))}])
    if kind is StatusUpdate:
        return StatusUpdate(id=id_, team=team, given_on=day)
    return Protocol(id=id_, from_team=team, to_team=draw(st.sampled_from(teams)),
                    reviewed_on=draw(st.none() | _DAYS))


def index_is_current(graph: AlignmentGraph) -> None:
    """The graph's referrer index (products by owner, teams by unit, records by unit or
    team) holds exactly the edges into each indexed target, in the adjacency order; the
    key dicts edges share hold one key and no data."""
    from mtss_core.graph._compact import NO_EDGES, SeatKeys, SharedKeys
    from mtss_core.graph._queries import INDEXED
    from mtss_core.model import Person
    for key in INDEXED:
        for target, obj in graph._node.items():
            if type(obj) is Person:
                assert target not in graph._refd[key]
                continue
            scanned = [u for u, keys in graph._pred[target].items() if key in keys]
            assert list(graph._refd[key].get(target, ())) == scanned, (key, target)
    for u, nbrs in graph._succ.items():
        for v, keys in nbrs.items():
            assert graph._pred[v][u] is keys  # one key dict, both ways
            if type(keys) is SharedKeys:
                assert len(keys) == 1 and next(iter(keys.values())) is None
            elif type(keys) is SeatKeys:  # a seat, the one the graph answers with
                m = keys.value
                assert graph.membership(m.team, m.person) is m
    for v, into in graph._pred.items():
        assert into or into is NO_EDGES  # an empty dict of its own is the shared one
        assert all(v in graph._succ[u] for u in into)
    assert len(NO_EDGES) == 0  # the shared empty predecessors stay empty
    for kind in UnitKind:  # the units by kind, kept between calls, follow every edit
        assert graph.units(kind) == tuple(u for u in graph.units() if u.kind is kind)
    rebuilt = graph.copy()  # the same entries as a graph built from scratch (an edit
    # appends where a fresh build would insert in object order: both follow networkx)
    assert {k: {t: set(s) for t, s in v.items()} for k, v in rebuilt._refd.items()} == \
        {k: {t: set(s) for t, s in v.items()} for k, v in graph._refd.items()}
    # each level's products, kept by the graph through the edits: as a fresh build has them
    assert graph._level_products == rebuilt._level_products


def same(session: Session) -> None:
    index_is_current(session.graph)
    full = validate(session.graph, session.config, rules=session.rules)
    mine = session.report()
    assert [str(f) for f in set(mine.findings) - set(full.findings)] == []  # stale
    assert [str(f) for f in set(full.findings) - set(mine.findings)] == []  # missed
    assert mine == full


@settings(max_examples=examples(60), deadline=None)
@given(objs=structures(), data=st.data())
def test_random_edits_match_full_validation(objs, data):
    """Random relinks, additions, removals and settings: always the full report."""
    session = Session(AlignmentGraph(objs, as_of=AS_OF), verify=True)
    same(session)
    for step in range(data.draw(st.integers(1, 8))):
        random_edit(session, data, step)
        same(session)


@settings(max_examples=examples(40), deadline=None)
@given(data=st.data())
def test_random_edits_of_the_example_match_full_validation(data):
    """The same from the example, whose every kind of team, stage history and record
    gives every rule something to say."""
    session = Session(example(), Config(as_of=AS_OF), verify=True)
    for step in range(data.draw(st.integers(1, 12))):
        random_edit(session, data, step)
        same(session)


def test_products_follow_their_owners_level():
    """A grade team moved to serve its school directly becomes a level of its own; its
    grade unit turned into a school and back takes the team's vision with it: the
    level products the graph keeps, and the report, are what a fresh build gives."""
    session = Session(example(), Config(as_of=AS_OF))
    g = session.graph
    grade = ("unit", "grade-lincoln-3")
    assert g._level_products[(grade, ProductKind.VISION)] == ["v-lincoln-g3"]
    session.replace(attrs.evolve(g["t-lincoln-g3"], unit="sch-lincoln"))
    assert (grade, ProductKind.VISION) not in g._level_products
    assert g._level_products[(("team", "t-lincoln-g3"), ProductKind.VISION)] == [
        "v-lincoln-g3"]
    same(session)
    session.replace(attrs.evolve(g["t-lincoln-g3"], unit="grade-lincoln-3"))
    session.replace(attrs.evolve(g["t-lincoln-g3"], kind="school-leadership",
                                 unit="sch-lincoln"))  # a second leadership team
    assert g._level_products[(("unit", "sch-lincoln"), ProductKind.VISION)] == [
        "v-lincoln", "v-lincoln-g3"]
    same(session)
    session.replace(attrs.evolve(g["t-lincoln-g3"], kind="grade-team",
                                 unit="grade-lincoln-3"))
    session.add(OrgUnit(id="sch-new", kind="school", parent="dist-maple"))
    session.add(Team(id="t-new-g1", kind="grade-team", unit="sch-new"))
    session.add(Vision(id="v-new-g1", owner="t-new-g1", aligned_to="v-lincoln"))
    assert g._level_products[(("team", "t-new-g1"), ProductKind.VISION)] == ["v-new-g1"]
    same(session)
    session.remove("v-new-g1")
    assert (("team", "t-new-g1"), ProductKind.VISION) not in g._level_products
    same(session)


def test_a_department_holding_a_school_is_waited_on_by_it():
    """A lenient graph keeps a school under a central-office department (a wrong parent
    the STR rules report): its products look up to the department, and a re-check of
    the department counts them as waiting, as a full run does."""
    objs = [OrgUnit(id="isd", kind="isd"), Vision(id="v-isd", owner="isd"),
            NonNegotiables(id="nn-isd", owner="isd"),
            OrgUnit(id="d0", kind="department", parent="isd"),
            Vision(id="v-d0", owner="d0", aligned_to="v-isd"),
            OrgUnit(id="s0", kind="school", parent="d0"),
            Vision(id="v-s0", owner="s0", aligned_to="v-d0"),
            NonNegotiables(id="nn-s0", owner="s0")]
    graph = AlignmentGraph.lenient(objs, as_of=AS_OF)
    assert [e.subject for e in graph.integrity_problems] == ["s0"]
    session = Session(graph, Config(as_of=AS_OF), verify=True)
    session.replace(attrs.evolve(session.graph["v-d0"], aligned_to=None))
    same(session)
    waiting = [f.message for f in session.report().by_code("ALN006") if f.subject == "d0"]
    assert waiting and "nothing to align to: nn-s0" in waiting[0]


def test_every_dated_record_of_the_example_removed_and_restored():
    """Each meeting, update, stage, assessment, allocation and protocol of the example
    taken out and put back: the report stays the full one."""
    session = Session(example(), Config(as_of=AS_OF))
    g = session.graph
    records = sorted((o for o in g if isinstance(o, TIME_KINDS)), key=lambda o: o.id)
    assert {type(o) for o in records} == set(TIME_KINDS)
    for record in records:
        if g._pred[record.id]:  # an assessment a status update reports stays
            with pytest.raises(InUseError):
                session.remove(record.id)
            continue
        session.remove(record.id)
        same(session)
        session.add(record)
        same(session)


def test_records_of_a_new_school():
    """A school of a new district begins implementing: no implementation team above it
    (IMP001), no protected time (RES002); its stages skip, regress, conflict, and one
    lies in the future."""
    session = Session(example(), Config(as_of=AS_OF))
    session.add(OrgUnit(id="dist-new", kind="district", parent="isd-lakeshore"))
    session.add(OrgUnit(id="sch-new", kind="school", parent="dist-new"))
    session.add(Team(id="t-new-slt", kind="school-leadership", unit="sch-new"))
    stages = [StageRecord(id="st-1", unit="sch-new", stage="initial-implementation",
                          entered_on="2025-01-06"),
              StageRecord(id="st-2", unit="sch-new", stage="exploration",
                          entered_on="2025-06-02"),
              StageRecord(id="st-3", unit="sch-new", stage="installation",
                          entered_on="2025-06-02"),
              StageRecord(id="st-4", unit="sch-new", stage="full-implementation",
                          entered_on="2026-12-01")]
    for record in stages:
        session.add(record)
        same(session)
    codes = session.report().counts_by_code()
    assert all(codes.get(c) for c in ("IMP001", "RES002", "STG001", "STG002", "STG003",
                                      "STG004"))
    session.add(Team(id="t-new-mtss", kind="schoolwide-mtss", unit="sch-new"))
    same(session)  # RES002 names the school's teams
    for record in (ResourceAllocation(id="ra-new", unit="sch-new", category="schedule",
                                      amount=90, measure="minutes per week",
                                      starts_on="2025-01-06"),
                   FidelityAssessment(id="fa-new", unit="sch-new", instrument="TFI",
                                      assessed_on="2026-05-01", total=40),
                   Protocol(id="cp-new", from_team="t-new-slt", to_team="t-new-slt",
                            reviewed_on="2024-01-01")):
        session.add(record)
        same(session)
    assert codes_on(session, "COM002") == ["cp-new"]
    session.replace(attrs.evolve(session.graph["cp-new"], reviewed_on="2026-06-01"))
    assert codes_on(session, "COM002") == []
    same(session)
    teams = [Team(id="t-new-exec", kind="executive-leadership", unit="dist-new"),
             StageRecord(id="st-d", unit="dist-new", stage="initial-implementation",
                         entered_on="2025-01-06"),
             Barrier(id="b-new", raised_by="t-new-slt", title="Buses", raised_on="2026-01-05",
                     escalations=[{"team": "t-new-exec", "on": "2026-02-02"}]),
             Team(id="t-new-dit", kind="district-implementation", unit="dist-new")]
    for obj in teams:  # CAD002 on the executive team, RES001; then with the implementation
        session.add(obj)  # team IMP001 clears, COM001 fires and the barrier skipped it
        same(session)
    assert codes_on(session, "IMP001") == [] and "sch-new" in codes_on(session, "COM001")
    assert "t-new-exec" in codes_on(session, "CAD002")
    assert "dist-new" in codes_on(session, "RES001")
    assert "b-new" in codes_on(session, "BAR003")
    for obj in [Team(id="t-new-mtss", kind="schoolwide-mtss", unit="sch-new"),
                *reversed(teams), *reversed(stages)]:
        session.remove(obj.id)
        same(session)
    isd = session.graph["isd-lakeshore"]
    session.replace(attrs.evolve(isd, formal_partner=False))
    session.add(OrgUnit(id="dist-newer", kind="district", parent="isd-lakeshore"))
    same(session)  # SUP001 lists the ISD's districts
    session.remove("dist-newer")
    same(session)


def random_edit(session, data, step):
    """One random edit of any kind."""
    g = session.graph
    products = list(g.products())
    choice = data.draw(st.sampled_from(["relink", "member", "unmember", "focus",
                                        "setting", "rename", "product", "reproduct",
                                        "remove", "move-focus", "person", "time",
                                        "retime", "unit", "team", "rename-unit",
                                        "move-unit", "end-seat", "reteam", "rekind-unit"]))
    if choice == "relink" and products:
        p = data.draw(st.sampled_from(products))
        pool = [q.id for q in products if q.kind is p.kind]
        target = data.draw(st.none() | st.sampled_from(pool))
        session.replace(attrs.evolve(p, aligned_to=target))
    elif choice == "member":
        people, teams = list(g.people()), list(g.teams())
        if people and teams:
            person, team = data.draw(st.sampled_from(people)), data.draw(
                st.sampled_from(teams))
            if g.membership(team.id, person.id) is None:
                session.add(Membership(team=team.id, person=person.id,
                                       roles=data.draw(st.sampled_from(
                                           [["coach"], ["mtss-lead"], ["liaison"],
                                            ["parent", "principal"], []]))))
    elif choice == "end-seat":  # a seat ends (or ends later, or is taken up again)
        seats = list(g.memberships())
        if seats:
            m = data.draw(st.sampled_from(seats))
            session.replace(attrs.evolve(m, since=None, until=data.draw(st.sampled_from(
                [None, "2026-06-30", "2026-09-01", "2027-06-30"]))))
    elif choice == "unmember":
        seats = list(g.memberships())
        if seats:
            m = data.draw(st.sampled_from(seats))
            session.remove_membership(m.team, m.person)
    elif choice == "focus":
        districts = list(g.units("district"))
        if districts:
            d = data.draw(st.sampled_from(districts))
            session.add(FocusArea(id=f"fa-new-{step}", district=d.id))
    elif choice == "setting":
        above = data.draw(st.booleans())
        session.configure(Config(as_of=session.config.as_of,
            settings={"FOC001": {"max_focus_areas": data.draw(st.integers(1, 8))},
                      **{c: {"above_district": above} for c in ALN if c != "ALN004"}},
            severity={"ALN001": data.draw(st.sampled_from(["error", "warning"]))}))
    elif choice == "product":
        owners = [o.id for o in (*g.units(), *g.teams(), *g.people())]
        kind = data.draw(st.sampled_from([Vision, NonNegotiables, ImprovementPlan]))
        pool = [p.id for p in products if isinstance(p, kind)]
        extra = {"reviewed_on": data.draw(st.none() | st.sampled_from(
            ["2020-01-01", "2026-08-01"]))}
        areas = [a.id for a in g.all_focus_areas()]
        if kind is Vision and areas:
            extra["addresses"] = data.draw(st.lists(st.sampled_from(areas), max_size=2,
                                                    unique=True))
        if kind is ImprovementPlan and areas:
            extra["focus_areas"] = data.draw(st.lists(st.sampled_from(areas), max_size=2,
                                                      unique=True))
        session.add(kind(id=f"new-{step}", owner=data.draw(st.sampled_from(owners)),
                         aligned_to=data.draw(st.none() | st.sampled_from(pool))
                         if pool else None, **extra))
    elif choice == "reproduct" and products:
        p = data.draw(st.sampled_from(products))
        owners = [o.id for o in (*g.units(), *g.teams(), *g.people())]
        session.replace(attrs.evolve(
            p, owner=data.draw(st.sampled_from([p.owner, *owners])),
            title=f"changed {step}",
            reviewed_on=data.draw(st.none() | st.just("2021-05-05"))))
    elif choice == "remove":
        pool = data.draw(st.sampled_from([[o.id for o in g], [p.id for p in products],
                                          [a.id for a in g.all_focus_areas()]]))
        if not pool:
            return
        victim = data.draw(st.sampled_from(pool))
        before = len(list(g))
        try:
            session.remove(victim)
        except InUseError:
            assert len(list(g)) == before and victim in g  # refused: nothing changed
        else:
            assert victim not in g
    elif choice == "move-focus":
        areas, districts = list(g.all_focus_areas()), list(g.units("district"))
        if areas and districts:
            a = data.draw(st.sampled_from(areas))
            session.replace(attrs.evolve(a, district=data.draw(st.sampled_from(
                districts)).id))
    elif choice == "person":
        session.add(Person(id=f"p-new-{step}", name="New"))
    elif choice == "unit":
        parent = data.draw(st.sampled_from(list(g.units())))
        kind = {"state": "isd", "isd": "district", "district": "school"}.get(
            parent.kind.value, "grade")
        try:
            session.add(OrgUnit(id=f"u-new-{step}", kind=kind, parent=parent.id,
                                formal_partner=data.draw(st.sampled_from([None, False]))))
        except IntegrityError:  # a grade under a grade: refused, nothing changed
            assert f"u-new-{step}" not in g
    elif choice == "team":
        unit = data.draw(st.sampled_from(list(g.units())))
        kind = data.draw(st.sampled_from(list(TeamKind)))
        try:
            session.add(Team(id=f"t-new-{step}", kind=kind, unit=unit.id))
        except IntegrityError:  # that kind of team cannot serve that unit: nothing changed
            assert f"t-new-{step}" not in g
    elif choice == "reteam":  # a team changes kind or unit: its products change level
        teams, units = list(g.teams()), list(g.units())
        if teams:
            team = data.draw(st.sampled_from(teams))
            changed = attrs.evolve(team, kind=data.draw(st.sampled_from(list(TeamKind))),
                                   unit=data.draw(st.sampled_from([team.unit, *(
                                       u.id for u in units)])))
            try:
                session.replace(changed)
            except IntegrityError:  # that kind of team cannot serve that unit
                assert g[team.id] == team
    elif choice == "rekind-unit":  # a grade becomes a department, a school a grade, ...
        units = [u for u in g.units() if u.parent is not None]
        if units:
            unit = data.draw(st.sampled_from(units))
            changed = attrs.evolve(unit, kind=data.draw(st.sampled_from(
                ["school", "grade", "department", "course"])))
            try:
                session.replace(changed)
            except IntegrityError:  # not that kind of unit under that parent
                assert g[unit.id] == unit
    elif choice == "rename-unit":
        target = data.draw(st.sampled_from([*g.units(), *g.teams()]))
        session.replace(attrs.evolve(target, name=data.draw(st.sampled_from(
            ["", "Renamed", f"Renamed {step}", "O'Brien \"North\""]))))
    elif choice == "move-unit":
        schools, districts = list(g.units("school")), list(g.units("district"))
        if schools and districts:
            session.replace(attrs.evolve(data.draw(st.sampled_from(schools)),
                                         parent=data.draw(st.sampled_from(districts)).id))
    elif choice == "time":
        session.add(data.draw(time_record(f"new-{step}", [u.id for u in g.units()],
                                          [t.id for t in g.teams()])))
    elif choice == "retime":
        records = [o for o in g if isinstance(o, TIME_KINDS)]
        if records:
            old = data.draw(st.sampled_from(records))
            new = data.draw(time_record(old.id, [u.id for u in g.units()],
                                        [t.id for t in g.teams()], type(old)))
            session.replace(new)
    elif choice == "rename":
        people, units = list(g.people()), [None, *(u.id for u in g.units())]
        if people:
            p = data.draw(st.sampled_from(people))
            session.replace(attrs.evolve(
                p, name=f"renamed {step}", unit=data.draw(st.sampled_from(units)),
                positions=data.draw(st.sampled_from([(), ("coach",), ("principal",),
                                                     ("special-education-teacher",)])),
                coaching_skills=data.draw(st.sampled_from(
                    [(), ("data-based-problem-solving",)])),
                departments=data.draw(st.sampled_from([(), ("special education",)])),
                domains=data.draw(st.sampled_from([(), ("behavior",)]))))
    same(session)


ROLE_SETS = [["coach"], ["liaison"], ["mtss-lead"], ["parent"], ["principal", "coach"],
             ["general-education-teacher"], ["special-education-teacher", "liaison"], []]


def test_every_seat_added_and_removed_in_the_example_matches_full_validation():
    """Seat people on every team of the example (every kind of team, varied roles), then
    unseat them, and people who already sit somewhere: the report stays the full one."""
    session = Session(example())
    g = session.graph
    people = sorted(p.id for p in g.people())
    for i, team in enumerate(sorted(g.teams(), key=lambda t: t.id)):
        person = next(p for p in people[i % len(people):] + people
                      if g.membership(team.id, p) is None)
        session.add(Membership(team=team.id, person=person,
                               roles=ROLE_SETS[i % len(ROLE_SETS)]))
        same(session)
        session.remove_membership(team.id, person)
        same(session)
    for seat in sorted(g.memberships(), key=lambda m: (m.team, m.person)):
        session.remove_membership(seat.team, seat.person)
        same(session)
        session.add(seat)
        same(session)


def test_a_seat_is_patched_not_rerun():
    """Seating a teacher on a grade team re-checks that team, not every team."""
    wanted = {"grade-team": {"parent": ["parent"]}}
    session = Session(example(), Config(settings={"TEA003": {"composition": wanted}}))
    g = session.graph
    team = g.teams("grade-team")[0]
    untouched = [f for f in session._found("TEA003") if f.subject != team.id]
    assert untouched  # other teams' findings, which a full re-run would rebuild
    person = next(p.id for p in g.people() if g.membership(team.id, p.id) is None)
    session.add(Membership(team=team.id, person=person, roles=["parent"]))
    after = session._found("TEA003")
    assert all(any(a is f for a in after) for f in untouched)  # the same objects, kept
    assert team.id not in {f.subject for f in after}
    same(session)


def test_a_seat_moves_a_teachers_plan_to_another_district():
    """A person without a unit belongs where they sit: their plan's focus areas follow."""
    session = Session(example())
    g = session.graph
    session.add(ImprovementPlan(id="cip-carter", owner="p-carter",
                                focus_areas=["fa-maple-literacy"]))
    seats = g.memberships_of("p-carter")
    for seat in seats:
        session.remove_membership(seat.team, seat.person)
    assert [f.subject for f in session.report().by_code("FOC004")] == ["cip-carter"]
    same(session)
    session.add(Membership(team="t-lincoln-g3", person="p-carter", roles=["coach"]))
    assert session.report().by_code("FOC004") == ()
    same(session)
    session.remove_membership("t-lincoln-g3", "p-carter")
    session.add(Membership(team="t-cedar-elem-k", person="p-carter"))
    assert "Cedar" in session.report().by_code("FOC004")[0].message
    same(session)


def codes_on(session, code):
    return sorted(f.subject for f in session.report().by_code(code))


def test_products_added_and_removed_rejudge_the_levels_below():
    """A product added or removed changes what the level below should align to."""
    session = Session(example())
    g = session.graph
    with pytest.raises(InUseError, match="v-maple"):  # districts align to it
        session.remove("v-isd")
    same(session)
    for district_vision in ("v-maple", "v-cedar"):
        session.replace(attrs.evolve(g[district_vision], aligned_to=None))
    assert {"v-maple", "v-cedar"} <= set(codes_on(session, "ALN001"))
    session.remove("v-isd")  # nothing above the districts now: nothing to align to
    assert not {"v-maple", "v-cedar"} & set(codes_on(session, "ALN001"))
    same(session)
    session.add(Vision(id="v-isd-2", owner="isd-lakeshore"))
    assert {"v-maple", "v-cedar"} <= set(codes_on(session, "ALN001"))
    same(session)
    assert "v-garcia" in codes_on(session, "ALN001")
    session.remove("v-garcia")  # a misaligned product removed takes its finding along
    assert "v-garcia" not in codes_on(session, "ALN001")
    same(session)
    session.replace(attrs.evolve(g["v-isd-2"], owner="dist-maple"))  # moved down a level
    assert "v-cedar" not in codes_on(session, "ALN001")
    same(session)


def test_focus_area_edits_are_rechecked_by_district():
    """Moving a focus area or changing what the district vision addresses."""
    session = Session(example())
    g = session.graph
    assert codes_on(session, "FOC003") == ["fa-cedar-facilities", "fa-cedar-tech"]
    session.replace(attrs.evolve(g["fa-maple-literacy"], district="dist-cedar"))
    assert "cip-lincoln" in codes_on(session, "FOC004")  # works on another district's area
    same(session)
    session.add(Vision(id="v-cedar-2", owner="dist-cedar",
                       addresses=["fa-cedar-tech", "fa-cedar-facilities"]))
    assert codes_on(session, "FOC003") == ["fa-maple-literacy"]
    same(session)
    session.replace(attrs.evolve(g["v-cedar-2"], addresses=["fa-maple-literacy"]))
    assert codes_on(session, "FOC003") == ["fa-cedar-facilities", "fa-cedar-tech"]
    same(session)
    session.remove("v-cedar-2")
    same(session)


def test_a_person_changed_is_rechecked_where_they_sit_and_what_they_own():
    """A lead's department, a person's name in others' findings: kept current."""
    session = Session(example())
    g = session.graph
    session.add(Person(id="p-sped", name="Sam Reyes", departments=["special-education"],
                       domains=["academic", "behavior", "social-emotional"]))
    session.add(Membership(team="t-lincoln-slt", person="p-sped", roles=["mtss-lead"]))
    assert codes_on(session, "LED002") == ["p-sped"]
    same(session)
    session.replace(attrs.evolve(g["p-sped"], name="Sam Reyes-Ortiz"))
    assert "Sam Reyes-Ortiz" in session.report().by_code("LED002")[0].message
    same(session)
    session.replace(attrs.evolve(g["p-sped"], departments=["student-supports"]))
    assert codes_on(session, "LED002") == []
    same(session)
    # a product aligned to a person's product names its owner
    session.add(Vision(id="v-odd", owner="t-lincoln-g3", aligned_to="v-okafor"))
    assert "Chidi Okafor" in next(f.message for f in session.report().by_code("ALN001")
                                  if f.subject == "v-odd")
    session.replace(attrs.evolve(g["p-okafor"], name="Chidi Okafor-Bello"))
    assert "Okafor-Bello" in next(f.message for f in session.report().by_code("ALN001")
                                  if f.subject == "v-odd")
    same(session)


def test_a_rename_updates_messages_and_hints():
    """A unit renamed: its label changes in every finding's message and hint."""
    session = Session(example())
    session.add(OrgUnit(id="dist-r", kind="district", name="River", parent="isd-lakeshore"))
    session.add(OrgUnit(id="sch-r", kind="school", name="River High", parent="dist-r"))
    session.add(NonNegotiables(id="nn-r", owner="sch-r", aligned_to="nn-maple"))
    (finding,) = [f for f in session.report().by_code("ALN002") if f.subject == "nn-r"]
    assert "district 'River' (dist-r)" in finding.hint
    session.replace(attrs.evolve(session.graph["dist-r"], name="Riverside"))
    (finding,) = [f for f in session.report().by_code("ALN002") if f.subject == "nn-r"]
    assert "district 'Riverside' (dist-r)" in finding.hint
    same(session)
    session.replace(attrs.evolve(session.graph["sch-r"], name="River Senior High"))
    assert "school 'River Senior High' (sch-r)" in session.report().by_code("ALN002")[
        [f.subject for f in session.report().by_code("ALN002")].index("nn-r")].message
    assert any(f.message.startswith("district 'Riverside' (dist-r) has no set of "
                                    "non-negotiables; 1 product(s) below have nothing to "
                                    "align to: nn-r")
               for f in session.report().by_code("ALN006"))
    same(session)


def test_the_texts_a_rename_searches():
    """The subjects whose findings mention a label, found in one joined text: a label
    across two subjects' texts is no mention, each subject is named once, and a changed,
    new or dropped text is searched as it now is (one by one, then joined again once
    many have changed)."""
    from mtss_core.rules._session import _Texts

    texts = _Texts({"a": "school 'Oak' (s1) has no", "b": "plan of school 'Oak' (s1)",
                    "c": "ends with school", "d": " 'Oak' (s1) starts"})
    assert texts.mentioning("school 'Oak' (s1)") == ["a", "b"]
    assert texts.mentioning("school\n 'Oak'") == []  # across c and d
    assert texts.mentioning("'Oak' (s1)") == ["a", "b", "d"]
    texts.put("c", "school 'Oak' (s1) and school 'Oak' (s1)")
    texts.put("e", "new: school 'Oak' (s1)")
    texts.put("b", "plan of school 'Elm' (s1)")
    texts.discard("a")
    texts.discard("zzz")  # nothing to drop
    assert sorted(texts.mentioning("school 'Oak' (s1)")) == ["c", "e"]
    assert texts.mentioning("starts") == ["d"] and texts.mentioning("nowhere") == []
    for n in range(100):  # enough changes to join the texts again
        texts.put(f"k{n}", f"school 'Oak' (s1) #{n}" if n % 2 else "other")
    assert sorted(texts.mentioning("school 'Oak' (s1)")) == sorted(
        ["c", "e", *(f"k{n}" for n in range(1, 100, 2))])
    assert texts._changed == {}  # joined again
    texts.discard("c")
    assert "c" not in texts.mentioning("school 'Oak' (s1)")


def test_relinking_fixes_a_finding_and_makes_a_loop():
    """A relink is re-checked in place: fixed findings go, loops appear and vanish."""
    g = AlignmentGraph(healthy_objects(), as_of=AS_OF)
    session = Session(g)
    assert session.report().findings == ()
    session.replace(attrs.evolve(g["v-ok"], aligned_to=None))
    assert [f.subject for f in session.report().by_code("ALN001")] == ["v-ok"]
    session.replace(attrs.evolve(g["v-g3"], aligned_to="v-ok"))
    session.replace(attrs.evolve(g["v-ok"], aligned_to="v-g3"))
    assert [f.code for f in session.report().by_code("ALN004")] == ["ALN004"]
    same(session)
    session.replace(attrs.evolve(g["v-g3"], aligned_to="v-s1"))
    assert session.report().by_code("ALN004") == ()
    same(session)


def test_custom_rules_are_rerun_after_every_edit():
    """A rule the library does not know is re-run whatever the edit."""
    calls = []

    @rule(code="ACME001", name="count-people", severity="info")
    def count_people(graph, ctx):
        """Counts people."""
        calls.append(1)
        yield Violation(subject="d1", message=f"{graph.count('person')} people", hint="-")

    session = Session(AlignmentGraph(healthy_objects(), as_of=AS_OF),
                      rules=DEFAULT_RULES.with_rules(count_people))
    session.add(Person(id="p-new"))
    assert session.report().by_code("ACME001")[0].message.endswith(" people")
    g = session.graph
    session.replace(attrs.evolve(g["v-ok"], aligned_to=None))
    assert len(calls) == 3
    same(session)


def test_configure_reruns_only_what_changed():
    """Changing one rule's setting leaves the other rules' findings as they were."""
    session = Session(example())
    before = {c: session._found(c) for c in session._findings}
    session.configure(Config(settings={"FOC001": {"max_focus_areas": 8}}))
    assert session.report().by_code("FOC001") == ()
    for code, found in before.items():
        if code != "FOC001":
            assert all(any(a is f for a in session._found(code)) for f in found)
    same(session)


def test_ending_a_seat_in_a_session():
    """A seat replaced with an until date: the rule that needs it says since when it is
    empty and who held it; a seat that does not exist is refused, nothing changed."""
    session = Session(example(), Config(as_of=AS_OF), verify=True)
    lead = next(m for m in session.graph.members("t-lincoln-slt") if "mtss-lead" in m.roles)
    session.replace(attrs.evolve(lead, until="2026-06-30"))
    (f,) = [f for f in session.report().by_code("LED001") if f.subject == "sch-lincoln"]
    assert f.message.endswith(f"has had no designated MTSS lead since 2026-06-30 (was "
                              f"{lead.person})")
    same(session)
    with pytest.raises(UnknownIdError):
        session.replace(Membership(team="t-maple-dlt", person="p-garcia"))
    same(session)
    assert isinstance(session.rules, RuleSet)


# --- custom rules and copies of shipped ones get the same incremental treatment -----------

@rule(code="ACME010", name="unit-without-team", severity="warning", subjects="unit",
      reads={"unit": lambda graph, ctx, edit: {o.id for o in edit.versions},
             "team": lambda graph, ctx, edit: {o.unit for o in edit.versions}},
      labels_only=True)
def unit_without_team(graph, ctx, unit):
    """A unit no team serves (a custom rule, written to the public protocol)."""
    if not graph.teams_of(unit.id):
        return Violation(subject=unit.id, message=f"{label(unit)} has no team",
                         hint="form one")
    return None


@rule(code="ACME011", name="people-count", severity="info")
def people_count(graph, ctx):
    """A whole-graph custom rule that declares nothing: re-run after every edit."""
    yield Violation(subject="-", message=f"{graph.count('person')} people", hint="-")


def _evolved_rules():
    """Every shipped rule copied with attrs.evolve (a new severity), plus custom ones."""
    copies = [attrs.evolve(r, severity="info" if r.severity.value != "info" else "warning")
              for r in DEFAULT_RULES]
    return RuleSet([*copies, unit_without_team, people_count])


@settings(max_examples=examples(40), deadline=None)
@given(data=st.data())
def test_random_edits_with_custom_and_evolved_rules_match_full_validation(data):
    """The equivalence contract holds for rules the library does not ship: copies of the
    shipped rules made with attrs.evolve, a custom per-subject rule and a custom
    whole-graph rule."""
    session = Session(example(), Config(as_of=AS_OF), rules=_evolved_rules(), verify=True)
    for step in range(data.draw(st.integers(1, 10))):
        random_edit(session, data, step)
        same(session)


def _counting(r):
    """``r`` with a check that counts its calls."""
    calls = []

    def check(*args):
        calls.append(args[-1])
        return r.check(*args)

    return attrs.evolve(r, check=check), calls


def test_evolved_and_custom_rules_recheck_only_the_subjects_an_edit_affects():
    """A seat added re-checks its team for an evolved copy of TEA003, and a team added
    re-checks its unit for the custom rule: not every team or unit."""
    tea003, team_calls = _counting(attrs.evolve(DEFAULT_RULES["TEA003"], severity="error"))
    custom, unit_calls = _counting(unit_without_team)
    session = Session(example(), rules=RuleSet([tea003, custom]))
    g = session.graph
    assert len(team_calls) == g.count("team") and len(unit_calls) == g.count("unit")
    team_calls.clear()
    unit_calls.clear()
    team = g["t-lincoln-g3"]
    person = next(p.id for p in g.people() if g.membership(team.id, p.id) is None)
    session.add(Membership(team=team.id, person=person, roles=["parent"]))
    assert [t.id for t in team_calls] == [team.id] and unit_calls == []
    session.add(Team(id="t-new-slt", kind="school-leadership", unit="sch-cedar-high"))
    assert [u.id for u in unit_calls] == ["sch-cedar-high"]
    same(session)
