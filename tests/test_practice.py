"""Leadership in practice: coaching, resources, barriers, protocols, responsibilities,
the liaison's status pack."""

from __future__ import annotations

import io
import json

import pendulum
import pytest

from conftest import ALL_SKILLS, findings, with_changes
from mtss_core import Membership, Person, Team, dumps, example, loads, status_pack, to_data
from mtss_core.cli import main
from mtss_core.model import (
    RESPONSIBILITIES,
    Barrier,
    Evidence,
    LeadershipSelfAssessment,
    Protocol,
    ResourceAllocation,
    TeamKind,
    responsibilities,
)


def subjects(graph, code, as_of=None, **settings):
    return [f.subject for f in findings(graph, code, as_of=as_of, **settings)]


class TestCoaching:
    def test_school_leadership_team_without_coach(self):
        """COA001 fires when no member of a school leadership team coaches."""
        seat = Membership(team="t-slt", person="p-d1-coach", roles=["mtss-lead"])
        g = with_changes(seat, drop_seats=(("t-slt", "p-d1-coach"),))
        assert subjects(g, "COA001") == ["t-slt"]
        assert subjects(with_changes(), "COA001") == []

    def test_district_coaches_cover_the_skills_together(self):
        """COA002 takes the union of a district's coaches' skills."""
        half = ALL_SKILLS[:5]
        g = with_changes(Person(id="p-d1-coach", unit="d1", coaching_skills=half,
                                domains=["academic", "behavior", "sel"],
                                departments=["teaching-and-learning"]))
        (f,) = findings(g, "COA002")
        assert f.subject == "d1" and "team-facilitation" in f.message
        second = with_changes(Person(id="p-d1-coach", unit="d1", coaching_skills=half,
                                     domains=["academic", "behavior", "sel"]),
                              Person(id="p-c2", coaching_skills=ALL_SKILLS[5:]),
                              Membership(team="t-g3", person="p-c2", roles=["coach"]))
        assert subjects(second, "COA002") == []
        assert subjects(g, "COA002", skills=half) == []

    def test_self_assessment_scores(self):
        """Leadership self-assessments keep dated scores per characteristic."""
        a = LeadershipSelfAssessment(id="la", subject="t-dlt", assessed_on="2026-05-01",
                                     scores={"focus-on-schools": 70})
        g = with_changes(a)
        assert dict(g["la"].scores) == {"focus-on-schools": 70.0}
        with pytest.raises(ValueError, match="expected one of"):
            LeadershipSelfAssessment(id="x", subject="t", assessed_on="2026-01-01",
                                     scores={"charisma": 90})


class TestResources:
    def test_missing_category(self):
        """RES001 names the categories with no current allocation."""
        g = with_changes(drop=("ra-d1-budget",))
        (f,) = findings(g, "RES001")
        assert f.subject == "d1" and f.message.endswith("no current allocation for: budget")
        ended = with_changes(ResourceAllocation(id="ra-d1-budget", unit="d1",
                                                category="budget", amount=1,
                                                starts_on="2025-07-01", ends_on="2026-06-30"))
        assert subjects(ended, "RES001") == ["d1"]
        assert subjects(ended, "RES001", as_of="2026-06-30") == []
        assert subjects(g, "RES001", categories=["staffing"]) == []

    def test_protected_meeting_time(self):
        """RES002 fires for a school in implementation with no schedule allocation."""
        assert subjects(with_changes(drop=("ra-s1-schedule",)), "RES002") == ["s1"]
        assert subjects(with_changes(), "RES002") == []


class TestBarriers:
    def barrier(self, **kw):
        fields = {"id": "b", "raised_by": "t-slt", "title": "No time", "raised_on": "2026-05-04",
                  "owner": "p-d1-liaison"}
        return Barrier(**{**fields, **kw})

    def test_open_at_executive_level_both_sides_of_the_window(self):
        """BAR001: escalated to the executive team on 2026-06-22, 60 days' window."""
        b = self.barrier(escalations=[{"team": "t-d1-dit", "on": "2026-05-11"},
                                      {"team": "t-d1-exec", "on": "2026-06-22"}])
        g = with_changes(b)
        assert subjects(g, "BAR001", as_of="2026-08-21") == []
        assert subjects(g, "BAR001", as_of="2026-08-22") == ["b"]
        resolved = with_changes(self.barrier(escalations=b.escalations, status="resolved",
                                             resolved_on="2026-07-01"))
        assert subjects(resolved, "BAR001", as_of="2026-09-01") == []

    def test_owner_and_route(self):
        """BAR002: no owner; BAR003: around the implementation team to the executive team."""
        g = with_changes(self.barrier(owner=None, escalations=[
            {"team": "t-d1-exec", "on": "2026-05-05"}]))
        assert subjects(g, "BAR002") == ["b"]
        (f,) = findings(g, "BAR003")
        assert "around district implementation team t-d1-dit" in f.message
        routed = with_changes(self.barrier(escalations=[
            {"team": "t-d1-dit", "on": "2026-05-05"}, {"team": "t-d1-exec", "on": "2026-05-12"}]))
        assert subjects(routed, "BAR003") == [] and subjects(routed, "BAR002") == []

    def test_barrier_queries(self):
        """A team's barriers include those escalated to it."""
        g = with_changes(self.barrier(escalations=[{"team": "t-d1-dit", "on": "2026-05-05"}]))
        assert [b.id for b in g.barriers("t-d1-dit")] == ["b"]
        assert g.barriers("t-d1-exec") == ()
        assert g["b"].level == "t-d1-dit"


class TestProtocols:
    def test_school_team_without_protocol(self):
        """COM001: a school none of whose school teams has a link to the implementation
        team; one mechanism per school is enough, whichever of its teams carries it."""
        g = with_changes(drop=("cp-t-slt",))
        (f,) = findings(g, "COM001")
        assert f.subject == "s1" and "t-d1-dit" in f.message and "t-slt" in f.related
        reverse = with_changes(Protocol(id="cp-t-slt", from_team="t-d1-dit", to_team="t-slt"))
        assert subjects(reverse, "COM001") == []
        # the school's schoolwide MTSS team carries the protocol; its leadership team none
        by_mtss_team = with_changes(
            Team(id="t-s1-mtss", kind="schoolwide-mtss", unit="s1"),
            Membership(team="t-s1-mtss", person="p-kim", roles=["principal"]),
            Protocol(id="cp-t-slt", from_team="t-s1-mtss", to_team="t-d1-dit"))
        assert subjects(by_mtss_team, "COM001") == []
        # a protocol with another district's implementation team does not count
        elsewhere = with_changes(Protocol(id="cp-t-slt", from_team="t-slt", to_team="t-d2-dit"))
        assert subjects(elsewhere, "COM001") == ["s1"]

    def test_protocol_review(self):
        """COM002: reviewed 2026-01-12, every 12 months: due by 2027-01-12."""
        g = with_changes()
        assert subjects(g, "COM002", as_of="2027-01-12") == []
        assert sorted(subjects(g, "COM002", as_of="2027-01-13")) == ["cp-t-slt", "cp-t-slt2"]


class TestResponsibilities:
    def test_every_team_kind_has_responsibilities(self):
        """The reference covers every team kind, each traced to a source."""
        assert set(RESPONSIBILITIES) == set(TeamKind)
        for items in RESPONSIBILITIES.values():
            assert items and all(r.code and r.text and r.source for r in items)
        assert "remove-barriers" in [r.code for r in responsibilities("executive-leadership")]

    def test_evidence_records(self):
        """Evidence names a team, a responsibility and a date."""
        g = with_changes(Evidence(id="ev", team="t-d1-exec", responsibility="remove-barriers",
                                  on="2026-03-02", note="Funded substitutes"))
        assert g["ev"].on.month == 3


class TestStatusPack:
    def test_pack_contents(self):
        """Stages, latest results, open barriers and the district's findings."""
        pack = status_pack(example(), "dist-maple")
        assert pack.as_of.isoformat() == "2026-09-01"
        assert pack.stages[0][:3] == ("dist-maple", "district 'Maple Valley Public Schools' "
                                      "(dist-maple)", "initial-implementation")
        assert ("sch-lincoln", "TFI") in [(u, i) for u, i, *_ in pack.assessments]
        assert pack.barriers == ()  # Maple's only barrier was resolved
        codes = {f.code for f in pack.findings}
        assert "CAD003" in codes and "CAD001" not in codes  # Cedar's lapse is not Maple's
        data = json.loads(json.dumps(pack.to_dict()))
        assert set(data) == {"district", "district_name", "as_of", "stages", "assessments",
                             "open_barriers", "findings"}
        md = pack.to_markdown()
        assert md.startswith("# MTSS status: Maple Valley Public Schools")
        assert "## Open barriers\n\nNone." in md

    def test_findings_under_the_node_they_are_about(self):
        """Each finding once, under its unit or team, in the tree's order: a teacher's
        vision under their department team, focus areas under the district, the barrier
        under the team that raised it."""
        pack = status_pack(example(), "dist-cedar")
        under = {f.subject: node for node, _, found in pack.by_node for f in found}
        assert sum(len(found) for _, _, found in pack.by_node) == len(pack.findings)
        assert len(under) == len({f.subject for f in pack.findings})
        assert under["v-garcia"] == "t-cedar-high-ela"
        assert under["fa-cedar-tech"] == under["dist-cedar"] == "dist-cedar"
        assert under["b-cedar-screener-licenses"] == "t-cedar-elem-slt"
        assert pack.by_node[0][0] == "dist-cedar"
        md = pack.to_markdown()
        assert md.index("### department team 'Cedar Creek High English Department'") < \
            md.index("`v-garcia`")
        data = pack.to_dict()["findings"]["by_node"]
        assert [d["node"] for d in data] == [n for n, _, _ in pack.by_node]

    def test_pack_as_of_another_date(self):
        """The same document gives the pack for any date asked."""
        before = status_pack(example(), "dist-cedar", as_of="2026-05-31")
        assert before.barriers == ()  # not raised yet
        early = status_pack(example(), "dist-cedar", as_of="2026-06-05")
        assert [(b[0], b[2], b[5]) for b in early.barriers] == [
            ("b-cedar-screener-licenses", "t-cedar-elem-slt", 4)]
        later = status_pack(example(), "dist-cedar", as_of="2026-09-01")
        assert [(b[2], b[5]) for b in later.barriers] == [("t-cedar-dit", 92)]

    def test_cli(self):
        """mtss status-pack prints Markdown or JSON; a non-district is a usage error."""
        out, err = io.StringIO(), io.StringIO()
        assert main(["status-pack", "--example", "--district", "dist-cedar"], stdout=out,
                    stderr=err) == 0
        assert "| Screener licenses expire" in out.getvalue()
        out = io.StringIO()
        assert main(["status-pack", "--example", "--district", "dist-cedar", "--format", "json",
                     "--as-of", "2026-03-01"], stdout=out) == 0
        assert json.loads(out.getvalue())["as_of"] == "2026-03-01"
        err = io.StringIO()
        assert main(["status-pack", "--example", "--district", "sch-lincoln"], stderr=err) == 2
        assert "no district with id 'sch-lincoln'" in err.getvalue()


def test_practice_objects_round_trip():
    """Every new kind of object survives a dump and a load."""
    g = example()
    again = loads(dumps(g))
    assert to_data(again) == to_data(g)
    assert again["cp-lincoln"].cadence.months == 1
    assert again["b-lincoln-sub-coverage"].escalations[-1].team == "t-maple-exec"
    assert isinstance(again["t-maple-dlt"], Team)


def test_barrier_level_follows_the_date():
    """Escalations after the as-of date do not count yet (BAR001 and the pack agree)."""
    b = Barrier(id="b", raised_by="t-slt", title="x", raised_on="2026-01-05", owner="p-kim",
                escalations=[{"team": "t-d1-exec", "on": "2026-03-02"}])
    g = with_changes(b)
    assert g["b"].level_on(pendulum.date(2026, 2, 1)) == "t-slt"
    assert subjects(g, "BAR001", as_of="2026-05-01") == []  # due by then
    assert subjects(g, "BAR001", as_of="2026-05-02") == ["b"]
    assert subjects(g, "BAR001", as_of="2026-02-01") == []
