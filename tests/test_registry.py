"""The object-type registry: every part reads one declaration per type, and a type declared
outside the package is held, loaded, written, checked, waived, diffed, exported and
re-checked like a shipped one."""

from __future__ import annotations

import json
import pickle
import xml.etree.ElementTree as ET

import attrs
import pytest

from mtss_core import AlignmentGraph, Session, Violation, dumps, example, loads, rule, validate
from mtss_core.analysis import diff
from mtss_core.errors import ConfigError, DocumentError, ModelError
from mtss_core.graph import EdgeKind
from mtss_core.io import check_document, json_schema, to_data, to_frame, to_node_link, write_graphml
from mtss_core.model import (
    TYPES,
    Membership,
    ObjectType,
    OrgUnit,
    Reference,
    Registry,
    Waiver,
    fields,
    label,
)
from mtss_core.rules import ALL, Edit, RuleSet
from mtss_core.session import check_reads


class TestTheShippedRegistry:
    def test_each_class_carries_its_declared_name(self):
        """type_name is stamped from the declaration, and label() reads the same type."""
        for t in TYPES:
            assert t.cls.type_name == t.name
            assert (t.cls.__mtss_type__.name, t.cls.__mtss_type__.singular) == (
                t.name, t.singular)

    def test_edge_kinds_are_the_references_edges(self):
        """EdgeKind names exactly the edges the shipped references make."""
        assert {k.value for k in EdgeKind} == TYPES.edge_keys

    def test_every_reference_names_types_of_the_registry(self):
        """Targets resolve: groups are expanded, no target is unknown."""
        for t in TYPES:
            for r in t.references:
                assert r.targets and all(x in TYPES for x in r.targets), (t.name, r.field)

    def test_groups(self):
        """The product group is the three products; every node type but waivers is
        waivable, and the waiver's subject may name any of them."""
        assert TYPES.group("product") == ("vision", "non_negotiables", "improvement_plan")
        assert set(TYPES.group("waivable")) == {t.name for t in TYPES.nodes} - {"waiver"}
        assert TYPES["waiver"].reference("subject").targets == TYPES.group("waivable")
        for name in TYPES.group("product"):
            assert TYPES[name].reference("aligned_to").targets == TYPES.group("product")

    def test_id_lists_are_the_many_references(self):
        """The fields holding lists of ids are derived from the references, and they are
        exactly the fields converted by fields.to_ids (plus a person's assignments)."""
        for t in TYPES:
            converted = {a.name for a in attrs.fields(t.cls) if a.converter is fields.to_ids}
            assert converted <= set(t.id_lists) | set(), (t.name, converted, t.id_lists)

    def test_sections_and_nesting(self):
        """Every node type has its own section; memberships are listed inside teams."""
        assert len(set(TYPES.sections)) == len(TYPES.nodes)
        assert [t.name for t in TYPES.nested_in("team")] == ["membership"]
        assert TYPES["membership"].nested == ("team", "members")

    def test_the_shipped_registry_pickles_by_reference(self):
        assert pickle.loads(pickle.dumps(TYPES)) is TYPES

    def test_a_bad_declaration_is_refused(self):
        """A reference to no type, a group nobody belongs to, a name twice."""
        unit = TYPES["unit"]

        @attrs.frozen
        class Thing:
            id: str
            unit: str

        with pytest.raises(ModelError, match="no object type"):
            TYPES.extend([ObjectType("x", Thing, "xs", "x", "xs",
                                     (Reference("unit", "x_of", "nowhere"),))])
        assert "type_name" not in Thing.__dict__  # a refused registry stamps nothing
        with pytest.raises(ModelError, match="already the object type 'unit'"):
            TYPES.extend([ObjectType("another_unit", OrgUnit, "xs", "x", "xs")])
        with pytest.raises(ModelError, match="already has an object type named 'unit'"):
            TYPES.extend([unit])
        with pytest.raises(ModelError, match="group"):
            Registry([attrs.evolve(unit, references=(
                Reference("parent", "parent", "@nobody"),))])


# --- a type declared outside the package: the walkthrough of docs/architecture.md ---------

@attrs.frozen(kw_only=True)
class _Partner:
    """A community organization that partners with a school or district."""

    id: str = attrs.field(validator=fields.valid_id)
    unit: str = attrs.field(validator=fields.valid_id)
    name: str = attrs.field(default="", validator=fields.valid_text)
    contacts: tuple[str, ...] = attrs.field(default=(), converter=fields.to_ids)
    since: object = attrs.field(default=None, converter=fields.to_date)


PARTNER = ObjectType("community_partner", _Partner, "community_partners",
                     "community partner", "community partners", (
                         Reference("unit", "partners_with", "unit", home=True),
                         Reference("contacts", "contact_of", "person", many=True,
                                   optional=True)))
EXTENDED = TYPES.extend([PARTNER])


def _graph():
    g = example()
    return AlignmentGraph([*g, *g.memberships(),
                           _Partner(id="cp-ymca", unit="sch-lincoln", name="YMCA",
                                    contacts=["p-kim"], since="2025-09-01")],
                          types=EXTENDED, as_of=g.as_of)


class TestATypeOfOnesOwn:
    def test_the_graph_holds_it_and_checks_its_references(self):
        g = _graph()
        assert g.count("community_partner") == 1 and "cp-ymca" in g
        assert g.referrers("sch-lincoln", "partners_with") == ("cp-ymca",)
        assert label(g["cp-ymca"]) == "community partner 'YMCA' (cp-ymca)"
        with pytest.raises(DocumentError, match="contacts 'p-nobody' is not in the graph"):
            loads(json.dumps({"format_version": 1, "units": [{"id": "d", "kind": "district"}],
                              "community_partners": [{"id": "c", "unit": "d",
                                                      "contacts": ["p-nobody"]}]}),
                  types=EXTENDED)
        # the shipped registry does not know it
        with pytest.raises(ModelError):
            AlignmentGraph([_Partner(id="c", unit="d")])

    def test_documents_round_trip(self):
        g = _graph()
        text = dumps(g)
        assert '"community_partners": [' in text
        again = loads(text, types=EXTENDED)
        assert again["cp-ymca"] == g["cp-ymca"] and to_data(again) == to_data(g)
        with pytest.raises(DocumentError, match="unknown section 'community_partners'"):
            loads(text)

    def test_the_json_schema_types_its_fields(self):
        schema = json_schema(EXTENDED)
        partner = schema["$defs"]["_Partner"]["properties"]
        assert partner["contacts"]["anyOf"][1]["type"] == "array"  # an id list, not a string
        assert partner["since"]["anyOf"][0]["format"] == "date"
        assert schema["properties"]["community_partners"]["items"]["$ref"].endswith("_Partner")
        pytest.importorskip("jsonschema")
        assert check_document(to_data(_graph()), types=EXTENDED) == []

    def test_a_waiver_may_name_it_and_a_rule_may_check_it(self):
        @rule(code="ACME040", name="partner-without-contact", severity="warning",
              subjects="community_partner",
              reads={"community_partner": lambda graph, ctx, edit: [
                  o.id for o in edit.versions]})
        def without_contact(graph, ctx, partner):
            """A community partner with no contact person."""
            if not partner.contacts:
                return Violation(subject=partner.id, message=f"{label(partner)} has no contact")
            return None

        g = _graph()
        g.replace(attrs.evolve(g["cp-ymca"], contacts=()))
        rules = RuleSet([without_contact])
        assert [f.subject for f in validate(g, rules=rules)] == ["cp-ymca"]
        g.add(Waiver(id="w-ymca", rule="ACME040", subject="cp-ymca", reason="new partner",
                     approved_by="MTSS director"))
        report = validate(g, rules=rules)
        assert report.findings == () and [f.subject for f in report.waived] == ["cp-ymca"]
        # on a graph without the type the rule is refused, naming the type
        with pytest.raises(ConfigError, match="'community_partner'"):
            validate(example(), rules=rules)

    def test_the_session_and_check_reads_hold_it(self):
        @rule(code="ACME041", name="school-without-partner", severity="info",
              subjects="unit", labels_only=True,
              reads={"unit": lambda graph, ctx, edit: [o.id for o in edit.versions],
                     "community_partner": lambda graph, ctx, edit: [
                         o.unit for o in edit.versions]})
        def lonely_school(graph, ctx, unit):
            """A school no community partner works with."""
            if unit.kind.value == "school" and not graph.referrers(unit.id, "partners_with"):
                return Violation(subject=unit.id, message=f"{label(unit)} has no partner")
            return None

        session = Session(_graph(), rules=RuleSet([lonely_school]), verify=True)
        assert "sch-lincoln" not in {f.subject for f in session.report()}
        session.remove("cp-ymca")
        assert "sch-lincoln" in {f.subject for f in session.report()}
        session.add(_Partner(id="cp-boys", unit="sch-lincoln"))
        assert session.report() == validate(session.graph, rules=RuleSet([lonely_school]))
        check_reads(lonely_school, _graph(), [Edit(_graph()["cp-ymca"], None)])
        # a reads that forgets the new type is caught
        forgetful = attrs.evolve(lonely_school, reads={"unit": ALL})
        with pytest.raises(Exception, match="leaves out 'community_partner'"):
            check_reads(forgetful, _graph(), [Edit(_graph()["cp-ymca"], None)])

    def test_diff_frames_and_exports(self, tmp_path):
        old, new = _graph(), _graph()
        new.replace(attrs.evolve(new["cp-ymca"], name="YMCA of Lakeshore"))
        (change,) = diff(old, new).changed
        assert (change.type_name, change.id, change.singular) == (
            "community_partner", "cp-ymca", "community partner")
        assert "~ community partner 'cp-ymca'" in str(diff(old, new))
        pytest.importorskip("pandas")
        frame = to_frame(new, "community_partners")
        assert list(frame["name"]) == ["YMCA of Lakeshore"]
        data = to_node_link(new)
        assert {"id": "cp-ymca", "type": "community_partner"}.items() <= next(
            n for n in data["nodes"] if n["id"] == "cp-ymca").items()
        write_graphml(new, tmp_path / "g.graphml")
        assert "cp-ymca" in {n.get("id") for n in ET.parse(tmp_path / "g.graphml").iter()
                             if n.tag.endswith("node")}

    def test_it_pickles_with_its_registry(self):
        g = _graph()
        again = pickle.loads(pickle.dumps(g))
        assert again.types.names == EXTENDED.names and again["cp-ymca"] == g["cp-ymca"]

    def test_memberships_stay_the_only_edges(self):
        """A declared edge type other than memberships is refused (the graph's only
        edges are seats)."""
        with pytest.raises(ModelError, match="membership"):
            TYPES.extend([ObjectType("seat2", _Partner, "seats2", "s", "s", (
                Reference("unit", "x", "unit"),), edge=True)])
        assert TYPES["membership"].cls is Membership and OrgUnit.type_name == "unit"
