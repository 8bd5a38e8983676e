"""Seats with a history: ended seats kept, rules that read the seats current on the as-of
date, key seats left empty, turnover."""

from __future__ import annotations

import attrs
import pytest

import mtss_core as mc
from healthy import AS_OF, healthy_graph
from mtss_core import Config, Membership, example, validate
from mtss_core.analysis import alignment_scorecard, turnover


def end(graph, team, person, until, since=None):
    seat = graph.membership(team, person)
    graph.replace(attrs.evolve(seat, until=until, since=since or seat.since))


class TestEndedSeats:
    def test_a_seat_that_ended_does_not_count_from_its_end(self):
        """The MTSS lead leaves on 2026-06-30: LED001 from that date on, naming who held
        the seat and since when it is empty; not on the day before."""
        g = healthy_graph()
        end(g, "t-d0-s0-slt", "p-d0-s0-lead", "2026-06-30")
        end(g, "t-d0-s0-mtss", "p-d0-s0-lead", "2026-06-30")
        (f,) = validate(g, Config(select=["LED001"])).findings
        assert f.subject == "d0-s0"
        assert f.message == ("school 'School d0-s0' (d0-s0) has had no designated MTSS lead "
                             "since 2026-06-30 (was p-d0-s0-lead)")
        assert validate(g, Config(select=["LED001"], as_of="2026-06-29")).findings == ()

    def test_the_liaison_and_the_principal(self):
        """A liaison and a principal who left: TEA004 and TEA003 say who and since when."""
        g = healthy_graph()
        end(g, "t-d0-exec", "p-d0-liaison", "2026-07-31")
        end(g, "t-d0-s1-slt", "p-d0-s1-princ", "2026-06-30")
        report = validate(g)
        (liaison,) = report.by_code("TEA004")
        assert liaison.message.endswith("has had no liaison since 2026-07-31 (was "
                                        "p-d0-liaison)")
        (slt,) = [f for f in report.by_code("TEA003") if f.subject == "t-d0-s1-slt"]
        assert "administrator (empty since 2026-06-30, was p-d0-s1-princ)" in slt.message

    @pytest.mark.parametrize("as_of", [None, "2026-06-29", "2026-06-30", "2027-01-01"])
    def test_iter_members_is_members_one_at_a_time(self, as_of):
        """The lazy walk a check stops early in gives the seats members() gives, in order,
        on any date (a seat ends on its until date)."""
        g = healthy_graph()
        end(g, "t-d0-s0-slt", "p-d0-s0-lead", "2026-06-30")
        end(g, "t-d0-s0-slt", "p-d0-s0-coach", "2026-12-31")
        for team in g.teams():
            assert list(g.iter_members(team.id, as_of)) == list(g.members(team.id, as_of))
        assert len(list(g.iter_members("t-d0-s0-slt", as_of))) == len(
            g.members("t-d0-s0-slt", history=True)) - {None: 2, "2026-06-29": 0,
                                                      "2026-06-30": 1, "2027-01-01": 2}[as_of]

    def test_a_coach_leaves_a_school_leadership_team(self):
        g = healthy_graph()
        end(g, "t-d0-s0-slt", "p-d0-s0-coach", "2026-08-15")
        (f,) = validate(g, Config(select=["COA001"])).findings
        assert f.message.endswith("has had no coach since 2026-08-15 (was p-d0-s0-coach)")

    def test_history_survives_documents_and_copies(self, tmp_path):
        """Ended seats are written, read back, copied and pickled, in place."""
        import pickle

        g = example()
        end(g, "t-lincoln-slt", "p-kim", "2026-06-30", since="2019-08-01")
        for again in (mc.loads(mc.dumps(g)), g.copy(), pickle.loads(pickle.dumps(g))):
            seat = again.membership("t-lincoln-slt", "p-kim")
            assert (str(seat.since), str(seat.until)) == ("2019-08-01", "2026-06-30")
            assert [m.person for m in again.members("t-lincoln-slt", history=True)] == [
                m.person for m in g.members("t-lincoln-slt", history=True)]
        assert validate(mc.loads(mc.dumps(g))) == validate(g)

    def test_a_document_with_until_before_since_is_refused(self):
        doc = mc.to_data(example())
        team = next(t for t in doc["teams"] if t.get("members"))
        team["members"][0].update(since="2026-01-01", until="2025-01-01")
        with pytest.raises(mc.errors.DocumentError, match="before since"):
            mc.from_data(doc)

    def test_the_report_lists_former_members(self):
        g = example()
        end(g, "t-lincoln-slt", "p-kim", "2026-06-30")
        page = mc.html_report(g, report=validate(g))
        assert "former members: Grace Kim (until 2026-06-30)" in page

    def test_a_membership_can_be_taken_up_again(self):
        g = healthy_graph()
        end(g, "t-d0-dlt", "p-d0-lead", "2026-06-30")
        end(g, "t-d0-dit", "p-d0-lead", "2026-06-30")
        assert validate(g, Config(select=["LED001"])).findings
        g.replace(attrs.evolve(g.membership("t-d0-dlt", "p-d0-lead"), until=None))
        assert not validate(g, Config(select=["LED001"])).findings


class TestTurnover:
    def test_joined_left_and_empty_key_seats(self):
        g = healthy_graph()
        end(g, "t-d0-s0-slt", "p-d0-s0-princ", "2026-06-30")
        g.add(mc.Person(id="p-new-princ", unit="d0-s0"))
        g.add(Membership(team="t-d0-s0-slt", person="p-new-princ", roles=["principal"],
                         since="2026-08-01"))
        end(g, "t-d0-s1-slt", "p-d0-s1-princ", "2026-06-30")
        t = turnover(g, "d0", as_of=AS_OF)
        s0 = next(x for x in t if x.team == "t-d0-s0-slt")
        assert s0.joined == ("p-new-princ",) and s0.left == (("p-d0-s0-princ",
                                                               mc.model.to_date("2026-06-30")),)
        assert s0.empty == () and s0.share_new == pytest.approx(1 / 6)
        assert [(team, e.role, e.was) for team, e in t.empty_seats] == [
            ("t-d0-s1-slt", "principal", ("p-d0-s1-princ",))]
        # the window: a year back from the as-of date
        assert turnover(g, "d0", as_of="2027-09-01").teams[0].left == ()
        data = t.to_dict()
        assert data["window"] == "1 year" and data["teams"][0]["team"] == "t-d0-exec"
        assert "principal empty since 2026-06-30 (was p-d0-s1-princ)" in str(t)

    def test_as_a_frame(self):
        pytest.importorskip("pandas")
        g = healthy_graph()
        end(g, "t-d0-s0-slt", "p-d0-s0-princ", "2026-06-30")
        frame = turnover(g, as_of=AS_OF).to_frame()
        row = frame.set_index("team").loc["t-d0-s0-slt"]
        assert row["left"] == 1 and "principal since 2026-06-30" in row["empty_key_seats"]

    def test_needs_a_date_and_a_unit(self):
        g = healthy_graph()
        g2 = mc.AlignmentGraph(list(g))
        with pytest.raises(mc.errors.ModelError, match="as-of date"):
            turnover(g2)
        with pytest.raises(mc.errors.UnknownIdError):
            turnover(g, "nope")

    def test_a_column_of_the_scorecard(self):
        """The share of seats taken in the last year, per unit and summed up the tree."""
        g = healthy_graph()
        for m in list(g.members("t-d0-s0-g0")):
            g.replace(attrs.evolve(m, since="2026-08-20"))
        card = alignment_scorecard(g)
        school = card.rollup("d0-s0")
        held = sum(len(g.members(t.id)) for u in ("d0-s0", *(c.id for c in g.children(
            "d0-s0"))) for t in g.teams_of(u))
        assert school.new_members == pytest.approx(len(g.members("t-d0-s0-g0")) / held)
        assert card.rollup("d0-s1").new_members == 0.0
        assert "new members (1 year)" in card.to_markdown()
        undated = alignment_scorecard(mc.AlignmentGraph(list(g)))
        assert undated.rollup("d0-s0").new_members is None
