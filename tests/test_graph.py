"""The alignment graph: invariants, atomicity, queries and the networkx view."""

from __future__ import annotations

import attrs
import networkx as nx
import pytest

from conftest import healthy_objects
from mtss_core import (
    AlignmentGraph,
    FocusArea,
    IntegrityError,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Team,
    Vision,
    example,
)
from mtss_core.errors import (
    CycleError,
    DanglingReferenceError,
    DuplicateIdError,
    ParentKindError,
    UnknownIdError,
)
from mtss_core.model import Role


def snapshot(g: AlignmentGraph):
    return (list(g), list(g.memberships()), sorted(g.view.edges(keys=True)))


class TestInvariants:
    def test_duplicate_id_names_both_objects(self):
        """Two objects with one id are refused; the message names both."""
        with pytest.raises(DuplicateIdError, match=r"district 'x'.*person 'x'") as info:
            AlignmentGraph([OrgUnit(id="x", kind="district"), Person(id="x")])
        assert info.value.subject == "x"

    def test_duplicate_membership(self):
        """A person sits on a team once."""
        objs = [OrgUnit(id="d", kind="district"), Team(id="t", kind="district-leadership",
                                                       unit="d"), Person(id="p")]
        with pytest.raises(DuplicateIdError, match="already a member"):
            AlignmentGraph([*objs, Membership(team="t", person="p"),
                            Membership(team="t", person="p", roles=["coach"])])

    @pytest.mark.parametrize(("obj", "field"), [
        (OrgUnit(id="s", kind="school", parent="nope"), "parent"),
        (Team(id="t", kind="school-leadership", unit="nope"), "unit"),
        (Person(id="p", unit="nope"), "unit"),
        (Vision(id="v", owner="nope"), "owner"),
        (Vision(id="v", owner="d", aligned_to="nope"), "aligned_to"),
        (FocusArea(id="f", district="nope"), "district"),
        (Membership(team="nope", person="p0"), "team"),
    ])
    def test_dangling_reference(self, obj, field):
        """A reference to a missing id names the object, the field and the id."""
        base = [OrgUnit(id="d", kind="district"), Person(id="p0")]
        with pytest.raises(DanglingReferenceError, match="'nope' is not in the graph") as info:
            AlignmentGraph([*base, obj])
        assert info.value.field == field and info.value.related == ("nope",)

    def test_reference_to_wrong_type(self):
        """A team's unit must be an org unit, not a person."""
        with pytest.raises(DanglingReferenceError, match="is person 'p', expected an org unit"):
            AlignmentGraph([Person(id="p"), Team(id="t", kind="grade-team", unit="p")])

    def test_alignment_across_kinds_refused(self):
        """A vision cannot align to a set of non-negotiables."""
        with pytest.raises(DanglingReferenceError, match="expected a vision"):
            AlignmentGraph([OrgUnit(id="d", kind="district"),
                            NonNegotiables(id="n", owner="d"),
                            Vision(id="v", owner="d", aligned_to="n")])

    @pytest.mark.parametrize(("child", "parent"), [
        ("school", "school"), ("district", "school"), ("school", "state"),
        ("grade", "district"), ("isd", "district"), ("state", "state"),
    ])
    def test_wrong_parent_kind(self, child, parent):
        """A unit under the wrong kind of parent is refused."""
        root = [OrgUnit(id="st", kind="state")] if parent != "state" else []
        up = {"school": "d", "district": "st", "state": None}.get(parent, "st")
        if parent == "school":
            root += [OrgUnit(id="d", kind="district", parent="st")]
        objs = [*root, OrgUnit(id="p", kind=parent, parent=up if parent != "state" else None),
                OrgUnit(id="c", kind=child, parent="p")]
        with pytest.raises(ParentKindError, match="cannot sit under") as info:
            AlignmentGraph(objs)
        assert info.value.subject == "c"

    def test_a_grade_needs_a_parent(self):
        """Grades and courses sit inside a school; they cannot be roots."""
        with pytest.raises(ParentKindError, match="has no parent"):
            AlignmentGraph([OrgUnit(id="g", kind="grade")])

    def test_a_standalone_school_and_a_central_office_department(self):
        """A charter school may be a root; a district may have departments of its own."""
        g = AlignmentGraph([OrgUnit(id="s", kind="school"),
                            OrgUnit(id="d", kind="district"),
                            OrgUnit(id="co", kind="department", parent="d")])
        assert g.parent("s") is None and g.parent("co").id == "d"

    def test_team_serving_wrong_kind_of_unit(self):
        """A school leadership team serves a school, not a district."""
        with pytest.raises(ParentKindError, match="cannot serve"):
            AlignmentGraph([OrgUnit(id="d", kind="district"),
                            Team(id="t", kind="school-leadership", unit="d")])

    def test_focus_area_belongs_to_a_district(self):
        """Priority focus areas belong to a district."""
        with pytest.raises(ParentKindError, match="belong to a district"):
            AlignmentGraph([OrgUnit(id="i", kind="isd"), FocusArea(id="f", district="i")])

    def test_cycle_is_named(self):
        """Units whose parents loop are refused, naming the loop."""
        objs = [OrgUnit(id="c1", kind="course", parent="c2"),
                OrgUnit(id="c2", kind="course", parent="c1")]
        errors = AlignmentGraph().integrity_errors(objs)
        cycles = [e for e in errors if isinstance(e, CycleError)]
        assert len(cycles) == 1
        assert cycles[0].related == ("c1", "c2")
        assert "c1 -> c2 -> c1" in str(cycles[0])

    def test_failed_add_changes_nothing(self, healthy):
        """A refused batch leaves the graph exactly as it was."""
        before = snapshot(healthy)
        with pytest.raises(IntegrityError):
            healthy.add_all([OrgUnit(id="s9", kind="school", parent="d1"),
                             Vision(id="v9", owner="s9", aligned_to="missing")])
        assert snapshot(healthy) == before
        assert "s9" not in healthy

    def test_objects_in_any_order(self):
        """The constructor sorts out references itself."""
        objs = healthy_objects()
        assert len(AlignmentGraph(reversed(objs))) == len(AlignmentGraph(objs))

    def test_integrity_errors_lists_everything(self):
        """integrity_errors reports every problem and adds nothing."""
        g = AlignmentGraph()
        errors = g.integrity_errors([OrgUnit(id="s", kind="school", parent="x"),
                                     Person(id="p", unit="y"), Person(id="p")])
        assert sorted(type(e).__name__ for e in errors) == [
            "DanglingReferenceError", "DanglingReferenceError", "DuplicateIdError"]
        assert len(g) == 0

    def test_adding_other_things_is_a_type_error(self):
        """Only model objects go in."""
        with pytest.raises(TypeError, match="cannot add dict"):
            AlignmentGraph([{"id": "x"}])  # type: ignore[list-item]


class TestQueries:
    def test_tree(self, healthy):
        """parent, children, ancestors, descendants and nearest follow the tree."""
        assert healthy.parent("s1").id == "d1"
        assert healthy.parent("isd") is None
        assert [u.id for u in healthy.children("isd")] == ["d1", "d2"]
        assert [u.id for u in healthy.ancestors("g3")] == ["s1", "d1", "isd"]
        assert [u.id for u in healthy.descendants("d1")] == ["s1", "g3"]
        assert healthy.nearest("g3", "district").id == "d1"
        assert healthy.nearest("g3", "grade").id == "g3"
        assert healthy.nearest("d1", "school") is None

    def test_teams_and_members(self, healthy):
        """Teams of a unit, members and roles of a team, teams of a person."""
        assert [t.id for t in healthy.teams_of("s1")] == ["t-slt"]
        assert healthy.teams_of("s1", "grade-team") == ()
        assert [m.person for m in healthy.members("t-slt")] == [
            "p-kim", "p-ok", "p-d1-coach", "p-d1-sped", "p-d1-parent"]
        assert healthy.roles("t-slt", "p-kim") == (Role.PRINCIPAL,)
        assert healthy.roles("t-slt", "p-garcia") == ()
        assert {t.id for t in healthy.teams_of_person("p-ok")} == {"t-g3", "t-slt", "t-dlt"}
        assert healthy.count_memberships() == 38 == len(list(healthy.memberships()))

    def test_products(self, healthy):
        """Owner, alignment in both directions, products of an owner."""
        assert healthy.owner("v-s1").id == "t-slt"
        assert healthy.aligned_to("v-s1").id == "v-d1"
        assert healthy.aligned_to("v-isd") is None
        assert {p.id for p in healthy.aligned_from("v-isd")} == {"v-d1", "v-d2", "v-d2b"}
        assert [p.id for p in healthy.products_of("t-slt", "vision")] == ["v-s1"]
        assert [p.id for p in healthy.products_of("t-slt", "non-negotiables")] == ["nn-s1"]
        assert healthy.products_of("t-g3", "non-negotiables") == ()

    def test_focus_areas(self, healthy):
        """Focus areas of a district."""
        assert len(healthy.focus_areas("d1")) == 6
        assert [f.id for f in healthy.focus_areas("d2")] == ["fa-d2"]
        assert healthy.focus_areas("s1") == ()

    def test_listing_by_kind(self, healthy):
        """Listing methods filter by kind and keep insertion order."""
        assert [u.id for u in healthy.units("school")] == ["s1", "s2"]
        assert [t.id for t in healthy.teams("grade-team")] == ["t-g3"]
        assert len(list(healthy.visions())) == 10
        assert len(list(healthy.products())) == 18
        assert [p.id for p in healthy.products("improvement-plan")] == [
            "cip-d1", "cip-s1", "cip-d2", "cip-s2"]
        assert healthy.count("focus_area") == 7

    def test_a_kind_change_that_leaves_what_is_below_misplaced_is_refused(self, healthy):
        """A district holding schools cannot become a department or a school: adding
        that structure would be refused, so is the change (and nothing changes)."""
        with pytest.raises(ParentKindError) as err:
            healthy.replace(attrs.evolve(healthy["d1"], kind="department"))
        assert err.value.subject == "d1" and err.value.field == "kind"
        assert "cannot become a department" in str(err.value) and "s1" in str(err.value)
        assert healthy["d1"].kind.value == "district"
        with pytest.raises(ParentKindError, match="cannot become a school: school 's2'"):
            healthy.replace(attrs.evolve(healthy["d2"], kind="school"))
        with pytest.raises(ParentKindError, match="grade team 't-g3' cannot serve"):
            healthy.replace(attrs.evolve(healthy["g3"], kind="department"))
        healthy.add(OrgUnit(id="g9", kind="grade", parent="s1"))
        healthy.replace(attrs.evolve(healthy["g9"], kind="department"))  # nothing below
        assert healthy["g9"].kind.value == "department"

    def test_listing_by_kind_follows_edits(self, healthy):
        """The units of a kind, kept between calls, follow every unit added, changed in
        kind, or removed, and keep the order of adding (a changed unit keeps its place)."""
        g = healthy
        assert [u.id for u in g.units("school")] == ["s1", "s2"]
        g.add(OrgUnit(id="s3", kind="school", parent="d1"))
        assert [u.id for u in g.units("school")] == ["s1", "s2", "s3"]
        g.replace(attrs.evolve(g["s3"], kind="grade", parent="s1"))  # nothing below it
        assert [u.id for u in g.units("school")] == ["s1", "s2"]
        assert [u.id for u in g.units("grade")] == ["g3", "s3"]
        g.replace(attrs.evolve(g["s3"], kind="school", parent="d1", name="Renamed"))
        assert [u.name for u in g.units("school")][-1] == "Renamed"
        g.remove("s3")
        assert [u.id for u in g.units("school")] == ["s1", "s2"]
        assert [u.id for u in g.units("grade")] == ["g3"]

    def test_unknown_ids(self, healthy):
        """Queries on unknown or wrongly typed ids raise UnknownIdError (a KeyError)."""
        with pytest.raises(UnknownIdError, match="no org unit with id 'nope'"):
            healthy.parent("nope")
        with pytest.raises(UnknownIdError, match="no team with id 'p-kim'"):
            healthy.members("p-kim")
        with pytest.raises(KeyError):
            healthy["nope"]
        assert healthy.get("nope") is None and healthy.get("nope", default=1) == 1
        from mtss_core.errors import ModelTypeError
        with pytest.raises(ModelTypeError, match=r"default=\.\.\."):  # the 0.1 spelling, gone
            healthy.get("nope", 1)

    def test_typed_get(self, healthy):
        """get(id, cls) returns that class or raises a precise, public error."""
        from mtss_core.errors import ModelTypeError
        from mtss_core.model import OrgUnit, Product, Vision
        v = healthy.get("v-s1", Vision)
        assert isinstance(v, Vision) and v.id == "v-s1"
        assert healthy.get("v-s1", Product) is v  # a base class works too
        with pytest.raises(ModelTypeError, match="'v-s1' is a vision, not an org unit"):
            healthy.get("v-s1", OrgUnit)
        with pytest.raises(UnknownIdError, match="no vision with id 'nope' in the graph"):
            healthy.get("nope", Vision)
        assert [u.id for u in healthy.objects(OrgUnit)] == [u.id for u in healthy.units()]
        with pytest.raises(ModelTypeError, match="int is not a type of object"):
            healthy.objects(int)

    def test_repr_counts(self):
        """The repr counts objects by type."""
        assert repr(AlignmentGraph()) == "<AlignmentGraph: empty>"
        assert repr(example()).startswith("<AlignmentGraph: 11 units, 26 people")


class TestView:
    @pytest.mark.parametrize("change", [
        lambda v: v.add_edge("a", "b"), lambda v: v.add_node("x"),
        lambda v: v.remove_node("s1"), lambda v: v.remove_edge("s1", "d1", "parent"),
        lambda v: v.clear(),
    ])
    def test_view_refuses_changes(self, healthy, change):
        """The structure cannot be changed through the view."""
        with pytest.raises(nx.NetworkXError, match="Frozen"):
            change(healthy.view)
        assert "s1" in healthy

    def test_view_is_kept_per_version(self, healthy):
        """The view is one object while the graph is unchanged; an edit gives a new view
        that shows it, and a view taken before keeps the graph as it was."""
        view = healthy.view
        assert healthy.view is view
        healthy.add(OrgUnit(id="s3", kind="school", parent="d2"))
        assert healthy.view is not view
        assert healthy.view.has_edge("s3", "d2", key="parent")
        assert "s3" not in view
        healthy.remove("s3")
        assert "s3" not in healthy.view

    def test_view_follows_every_kind_of_edit(self, healthy):
        """After adds, replaces, seat changes and removals the view has exactly the
        store's nodes and edges (no edge left behind by a removal)."""
        import attrs

        from mtss_core import Membership

        healthy.replace(attrs.evolve(healthy["s2"], parent="d1"))
        seat = healthy.memberships()[0]
        healthy.replace(Membership(team=seat.team, person=seat.person, roles=seat.roles,
                                   until="2027-06-30"))
        healthy.remove_membership(seat.team, seat.person)
        edges = sorted((u, v, k) for u in healthy._succ for v, keys in healthy._succ[u].items()
                       for k in keys)
        assert sorted(healthy.view.edges(keys=True)) == edges
        assert list(healthy.view) == [o.id for o in healthy]
        rebuilt = type(healthy)([*healthy, *healthy.memberships()])
        assert sorted(rebuilt.view.edges(keys=True)) == edges

    def test_networkx_algorithms_work(self, healthy):
        """The view is a real MultiDiGraph: the alignment chain is a path."""
        view = healthy.view
        assert nx.is_directed_acyclic_graph(view)
        aligns = nx.subgraph_view(view, filter_edge=lambda u, v, k: k == "aligns_to")
        assert nx.has_path(aligns, "v-ok", "v-isd")
        assert view.nodes["v-ok"]["type"] == "vision"

    def test_nodes_nothing_refers_to_share_no_state(self):
        """A node with no predecessors yet (a teacher's vision) reads as having none; its
        first incoming edge gives it predecessors of its own and changes no other node's;
        the mapping the others share refuses writes."""
        from mtss_core import Vision, example

        g = example()
        lonely = [n for n in g.view if not g.view.pred[n]]
        assert "v-okafor" in lonely and g.view.in_degree("v-okafor") == 0
        g.add(Vision(id="v-below", owner="p-okafor", aligned_to="v-okafor"))
        assert list(g.view.predecessors("v-okafor")) == ["v-below"]
        assert g.referrers("v-okafor", "aligns_to") == ("v-below",)
        assert all(g.view.in_degree(n) == 0 for n in lonely if n != "v-okafor")
        g.remove("v-below")
        assert g.view.in_degree("v-okafor") == 0 and g.referrers("v-okafor", "aligns_to") == ()
        assert g._pred["v-okafor"] is g._pred[lonely[0]]  # shared again once empty
        other = next(n for n in lonely if n != "v-okafor")
        with pytest.raises(TypeError, match="read-only"):
            g._pred[other]["x"] = {}
        assert g.view.in_degree(other) == 0 and nx.is_directed_acyclic_graph(g.view)

    def test_member_edges_carry_their_seat(self):
        """A member edge's data reads as ``{"membership": seat}`` through every networkx
        route (its keys, items, get, equality), and a copy of the view holds plain dicts."""
        from mtss_core import example

        g = example()
        seat = g.membership("t-lincoln-slt", "p-kim")
        data = g.view["p-kim"]["t-lincoln-slt"]["member"]
        assert data["membership"] is seat and data.get("membership") is seat
        assert dict(data) == {"membership": seat} and list(data.items()) == [("membership", seat)]
        assert "membership" in data and "weight" not in data and len(data) == 1
        assert dict(g.view["p-kim"]["t-lincoln-slt"]) == {"member": data}
        edges = [(u, v, k) for u, v, k, d in g.view.edges(keys=True, data=True)
                 if d.get("membership") is not None]
        assert len(edges) == g.count("membership")
        mine = g.view.copy()
        copied = mine["p-kim"]["t-lincoln-slt"]["member"]
        assert type(copied) is dict and copied == {"membership": seat}
        copied["weight"] = 2  # the user's own
        assert "weight" not in g.view["p-kim"]["t-lincoln-slt"]["member"]
        node = g.view.nodes["p-kim"]  # a node's attributes read the same way
        assert dict(node) == {"obj": g["p-kim"], "type": "person"} and node.get("x") is None
        assert dict(g.view.nodes(data="type"))["p-kim"] == "person"
        assert type(mine.nodes["p-kim"]) is dict and mine.nodes["p-kim"] == node

    def test_copy_is_mutable(self, healthy):
        """A copy of the view belongs to the user."""
        g = healthy.view.copy()
        g.add_node("x")
        assert "x" not in healthy


class TestEdits:
    def test_replace_moves_edges(self, healthy):
        """replace() swaps the object and its edges, nothing else."""
        import attrs

        healthy.replace(attrs.evolve(healthy["v-s2"], aligned_to="v-d2b", title="new"))
        healthy.replace(attrs.evolve(healthy["s2"], parent="d1"))
        assert healthy["v-s2"].title == "new"
        assert healthy.parent("s2").id == "d1"
        assert [u.id for u in healthy.children("d2")] == []
        assert healthy.view.has_edge("s2", "d1", key="parent")
        assert not healthy.view.has_edge("s2", "d2", key="parent")

    def test_replace_refuses_what_add_would(self, healthy):
        """Dangling references, a change of type, unknown ids and loops are refused."""
        import attrs

        before = snapshot(healthy)
        with pytest.raises(DanglingReferenceError):
            healthy.replace(attrs.evolve(healthy["v-s2"], aligned_to="nope"))
        with pytest.raises(TypeError, match="cannot be replaced by a Person"):
            healthy.replace(Person(id="s2"))
        with pytest.raises(UnknownIdError):
            healthy.replace(Person(id="nobody"))
        with pytest.raises(IntegrityError):  # a unit under itself
            healthy.replace(OrgUnit(id="s1", kind="school", parent="s1"))
        with pytest.raises(UnknownIdError):  # a seat that does not exist
            healthy.replace(Membership(team="t-slt", person="p-garcia"))
        assert snapshot(healthy) == before

    def test_replace_a_seat_in_place(self, healthy):
        """A membership replaces the seat of its team and person where it stands: ending
        it keeps it as history; the current-seat queries leave it out, by date."""
        order = [m.person for m in healthy.members("t-slt")]
        healthy.replace(Membership(team="t-slt", person="p-kim", roles=["principal"],
                                   since="2020-08-01", until="2026-06-30"))
        assert [m.person for m in healthy.members("t-slt", history=True)] == order
        assert "p-kim" not in [m.person for m in healthy.members("t-slt")]
        assert "p-kim" not in [m.person for m in healthy.members("t-slt", "2026-06-30")]
        assert "p-kim" in [m.person for m in healthy.members("t-slt", "2026-06-29")]
        assert healthy.roles("t-slt", "p-kim") == ()
        assert healthy.roles("t-slt", "p-kim", "2026-01-01") == ("principal",)
        assert "t-slt" not in [t.id for t in healthy.teams_of_person("p-kim")]
        assert healthy.membership("t-slt", "p-kim").until.isoformat() == "2026-06-30"
        assert [m.team for m in healthy.memberships_with_role("principal")
                ].count("t-slt") == 0
        assert len(healthy.memberships()) == len(healthy.memberships(history=False)) + 1
        with pytest.raises(ValueError, match="before since"):
            Membership(team="t-slt", person="p-kim", since="2026-07-01", until="2026-06-30")
        healthy.replace(Membership(team="t-slt", person="p-kim", roles=["principal"]))
        assert [m.person for m in healthy.members("t-slt")] == order  # back, in place

    def test_remove_membership(self, healthy):
        """remove_membership() takes the seat, its edge and its roles away."""
        m = healthy.remove_membership("t-slt", "p-kim")
        assert m.roles == (Role.PRINCIPAL,)
        assert "p-kim" not in [x.person for x in healthy.members("t-slt")]
        assert m not in healthy.memberships_with_role("principal")
        with pytest.raises(UnknownIdError):
            healthy.remove_membership("t-slt", "p-kim")
        healthy.add(m)
        assert healthy.roles("t-slt", "p-kim") == (Role.PRINCIPAL,)


class TestLenientDropsReferencesNotObjects:
    def test_a_bad_id_in_a_list_is_dropped_and_reported(self):
        """One dangling focus area id in addresses: the vision stays, STR002 names it."""
        g = AlignmentGraph.lenient([
            OrgUnit(id="d1", kind="district"), OrgUnit(id="s1", kind="school", parent="d1"),
            Vision(id="v-d1", owner="d1", addresses=["fa-x"]),
            Vision(id="v-s1", owner="s1", aligned_to="v-d1")])
        assert g["v-d1"].addresses == () and g["v-s1"].aligned_to == "v-d1"
        (p,) = g.integrity_problems
        assert (p.subject, p.field, p.related) == ("v-d1", "addresses", ("fa-x",))
        assert "dropped from addresses, the vision kept" in p.message

    def test_optional_links_to_refused_objects_are_dropped(self):
        """A vision aligned to a refused vision loses the link, not its place."""
        g = AlignmentGraph.lenient([
            OrgUnit(id="d1", kind="district"),
            Vision(id="v-bad", owner="nobody"),
            Vision(id="v-d1", owner="d1", aligned_to="v-bad"),
            Person(id="p1", unit="gone", assignments=[{"unit": "d1"}, {"unit": "gone"}])])
        assert "v-bad" not in g and g["v-d1"].aligned_to is None
        assert g["p1"].unit is None and [a.unit for a in g["p1"].assignments] == ["d1"]
        fields = sorted((p.subject, p.field) for p in g.integrity_problems)
        assert fields == [("p1", "assigned_units"), ("p1", "unit"), ("v-bad", "owner"),
                          ("v-d1", "aligned_to")]

    def test_required_references_still_refuse(self):
        """A team serving nothing, and a unit under nothing, are refused."""
        g = AlignmentGraph.lenient([OrgUnit(id="g", kind="grade", parent="nowhere"),
                                    Team(id="t", kind="grade-team", unit="g")])
        assert len(g) == 0 and len(g.integrity_problems) == 2
