"""Import (OneRoster, Ed-Fi, directory CSV), overlay, exports, and document safety."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from mtss_core import (
    DocumentError,
    Limits,
    OrgUnit,
    Role,
    UnitKind,
    example,
    import_directory_csv,
    import_edfi,
    import_oneroster,
    load,
    loads,
    overlay,
    to_data,
    to_dot,
    to_mermaid,
    to_node_link,
    validate,
    write_graphml,
)
from mtss_core._cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def problems_of(call, *args, **kwargs):
    with pytest.raises(DocumentError) as info:
        call(*args, **kwargs)
    return info.value.problems


def copy_fixture(tmp_path, name):
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


class TestOneRoster11:
    def test_units_people_and_notes(self):
        """Org types map to levels; national orgs, students and deleted rows are noted."""
        result = import_oneroster(FIXTURES / "oneroster11")
        g = result.graph
        assert [(u.id, u.kind) for u in g.units()] == [
            ("mi", UnitKind.STATE), ("isd-ls", UnitKind.ISD), ("d-maple", UnitKind.DISTRICT),
            ("s-lincoln", UnitKind.SCHOOL), ("dep-math", UnitKind.DEPARTMENT)]
        assert g["mi"].parent is None  # the national org above it is not modelled
        assert g["d-maple"].name == "Maple Valley Public Schools"  # quoted fields
        assert g["s-lincoln"].code == "00123"  # leading zeros kept
        assert g["u-kim"].positions == (Role.ADMINISTRATOR,)
        assert g["u-okafor"].unit == "s-lincoln" and g["u-lewis"].positions == (Role.PARENT,)
        assert "u-sam" not in g and "u-gone" not in g and "s-old" not in g
        assert result.notes == (
            "1 national org(s) not modelled: us",
            "user 'u-okafor' also holds positions at dep-math; based at 's-lincoln'",
            "1 student(s) not imported: mtss_core models leaders and staff",
            "2 row(s) with status 'tobedeleted' skipped")

    def test_zip_export(self, tmp_path):
        """A zip of the same files imports the same structure."""
        archive = tmp_path / "export.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for f in (FIXTURES / "oneroster11").iterdir():
                zf.write(f, f"oneroster/{f.name}")
        assert to_data(import_oneroster(archive).graph) == to_data(
            import_oneroster(FIXTURES / "oneroster11").graph)

    def test_missing_column_is_reported_with_file_and_line(self, tmp_path):
        """A missing required column names the file, line 1 and the columns."""
        folder = copy_fixture(tmp_path, "oneroster11")
        text = (folder / "users.csv").read_text().replace("givenName", "firstName")
        (folder / "users.csv").write_text(text)
        (p,) = problems_of(import_oneroster, folder)
        assert p.source.endswith("users.csv") and p.line == 1
        assert "missing required column(s): givenName" in p.message

    def test_broken_parent_and_unknown_type(self, tmp_path):
        """A parent not in orgs.csv and an unknown type are reported at their rows."""
        folder = copy_fixture(tmp_path, "oneroster11")
        text = (folder / "orgs.csv").read_text(encoding="utf-8-sig")
        text = text.replace(",00123,d-maple,", ",00123,d-mapel,").replace(
            "Mathematics,department", "Mathematics,departmnt")
        (folder / "orgs.csv").write_text(text)
        got = {(p.source[-9:], p.line, p.field) for p in problems_of(import_oneroster, folder)}
        # the user placed in the department of unknown type is reported too
        assert got == {("/orgs.csv", 6, "parentSourcedId"), ("/orgs.csv", 8, "type"),
                       ("users.csv", 4, "orgSourcedIds")}

    def test_user_in_unknown_org(self, tmp_path):
        """A user's org must be in orgs.csv."""
        folder = copy_fixture(tmp_path, "oneroster11")
        text = (folder / "users.csv").read_text().replace('"s-lincoln",admin', '"s-x",admin')
        (folder / "users.csv").write_text(text)
        (p,) = problems_of(import_oneroster, folder)
        assert (p.line, p.field) == (3, "orgSourcedIds")

    def test_missing_files(self, tmp_path):
        """A folder without orgs.csv / users.csv, or no folder at all, is reported."""
        assert len(problems_of(import_oneroster, tmp_path)) == 2
        assert "not a folder" in problems_of(import_oneroster, tmp_path / "none")[0].message


class TestOneRoster12:
    def test_roles_file_and_as_of(self):
        """1.2 positions come from roles.csv; ended roles do not count as of a date."""
        result = import_oneroster(FIXTURES / "oneroster12", as_of="2026-09-01")
        g = result.graph
        assert g["u-yoon"].positions == (Role.SERVICE_PROVIDER, "aide")
        assert g["u-yoon"].unit == "s-cedar-elem"  # the primary role's org
        assert g["u-left"].positions == () and g["u-left"].unit is None
        assert g["u-morgan"].positions == (Role.ADMINISTRATOR,)
        before = import_oneroster(FIXTURES / "oneroster12", as_of="2020-01-01").graph
        assert before["u-left"].positions == (Role.PRINCIPAL,)
        assert before["u-santos"].positions == ()

    def test_bad_role_org(self, tmp_path):
        """A role's org must exist."""
        folder = copy_fixture(tmp_path, "oneroster12")
        text = (folder / "roles.csv").read_text().replace(",s-cedar-elem,\nr3", ",s-nope,\nr3")
        (folder / "roles.csv").write_text(text)
        (p,) = problems_of(import_oneroster, folder)
        assert p.source.endswith("roles.csv") and (p.line, p.field) == (3, "orgSourcedId")


class TestEdFi:
    FILES = (FIXTURES / "edfi" / "EducationOrganization.xml",
             FIXTURES / "edfi" / "StaffAssociation.xml")

    def test_organizations_and_staff(self):
        """Agencies become units with their parents; assignments become positions."""
        result = import_edfi(*self.FILES, as_of="2026-09-01")
        g = result.graph
        assert [(u.id, u.kind.value, u.parent) for u in g.units()] == [
            ("26", "state", None), ("70", "isd", "26"), ("70010", "district", "70"),
            ("70010123", "school", "70010"), ("7001012301", "department", "70010123")]
        assert g["S100"].positions == (Role.SUPERINTENDENT,) and g["S100"].unit == "70010"
        assert g["S400"].positions == ()  # the assignment ended in 2020
        assert "EducationOrganization.xml: Course not modelled" in result.notes
        assert import_edfi(*self.FILES, as_of="2015-01-01").graph["S400"].positions == (
            Role.PRINCIPAL,)

    def test_dtds_and_entities_are_refused(self, tmp_path):
        """An entity-expansion document is refused, not expanded."""
        bomb = tmp_path / "bomb.xml"
        bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<Interchange>&lol2;'
                        '</Interchange>')
        (p,) = problems_of(import_edfi, bomb)
        assert "DTDs and entity declarations are not allowed" in p.message

    def test_malformed_xml_has_a_line(self, tmp_path):
        """Broken XML is reported with its line and column."""
        bad = tmp_path / "bad.xml"
        bad.write_text("<Interchange>\n  <School>\n</Interchange>")
        (p,) = problems_of(import_edfi, bad)
        assert p.line == 3 and "not valid XML" in p.message

    def test_references_must_resolve(self, tmp_path):
        """A school whose district is in no file given, or staff without staff, is refused."""
        got = problems_of(import_edfi, self.FILES[1])
        assert {p.field for p in got} == {"EducationOrganizationId"}
        school_only = tmp_path / "eo.xml"
        school_only.write_text(
            '<I xmlns="http://ed-fi.org/5.0.0"><School><SchoolId>1</SchoolId>'
            "<LocalEducationAgencyReference><LocalEducationAgencyId>9</LocalEducationAgencyId>"
            "</LocalEducationAgencyReference></School></I>")
        (p,) = problems_of(import_edfi, school_only)
        assert "refers to '9', which is in no interchange given" in p.message


class TestDirectoryCsv:
    CSV = FIXTURES / "directory" / "schools.csv"
    MAPPING = FIXTURES / "directory" / "mapping.toml"

    def test_a_state_directory_in_one_call(self):
        """Rows become ISD, districts, schools and their leaders; repeats are merged."""
        g = import_directory_csv(self.CSV, self.MAPPING, state="Michigan").graph
        assert [u.id for u in g.units("district")] == ["district-70010", "district-70020"]
        assert g["school-00124"].grades == "6-8" and g["school-00124"].parent == "district-70010"
        assert g["isd-70"].parent == "state"
        assert [p.name for p in g.people()] == ["Elena Castillo", "Grace Kim", "Luis Romero",
                                                "Patricia Morgan", "Owen Wright"]

    def test_conflicting_rows(self, tmp_path):
        """The same district described two ways is a conflict, with both lines."""
        path = tmp_path / "d.csv"
        path.write_text(self.CSV.read_text().replace(
            "70010,Maple Valley Public Schools,00124", "70010,Maple Valley Schools,00124"))
        (p,) = problems_of(import_directory_csv, path, self.MAPPING)
        assert p.line == 3 and "described differently than on line 2" in p.message

    def test_mapping_errors(self):
        """Unknown mapping keys and missing required ones are named."""
        got = [p.message for p in problems_of(import_directory_csv, self.CSV,
                                              {"district_id": "District Code", "colour": "x"})]
        assert "unknown mapping key(s): colour" in got[0]
        assert any("'school_id'" in m for m in got)

    def test_missing_column_and_empty_id(self, tmp_path):
        """A mapped column that is not in the file, and an empty id, are reported."""
        assert "missing required column(s): Grades" in problems_of(
            import_directory_csv, self.CSV,
            {"district_id": "District Code", "district_name": "District Name",
             "school_id": "Building Code", "school_name": "Building Name",
             "grades": "Grades "})[0].message.replace("Grades ", "Grades")
        path = tmp_path / "d.csv"
        path.write_text(self.CSV.read_text().replace(",00201,", ",,"))
        (p,) = problems_of(import_directory_csv, path, self.MAPPING)
        assert p.line == 4 and p.field == "Building Code"


class TestOverlay:
    def test_add_the_mtss_layer_on_an_import(self, tmp_path):
        """Teams and visions referencing imported ids join the imported structure."""
        base = import_directory_csv(TestDirectoryCsv.CSV, TestDirectoryCsv.MAPPING).graph
        layer = {"format_version": 1,
                 "teams": [{"id": "t-maple-dlt", "kind": "district-leadership",
                            "unit": "district-70010",
                            "members": [{"person": "superintendent-70010",
                                         "roles": ["superintendent"]}]}],
                 "visions": [{"id": "v-maple", "owner": "district-70010"}],
                 "units": [{"id": "district-70010", "kind": "district",
                            "name": "Maple Valley Public Schools", "parent": "isd-70",
                            "code": "70010"}]}  # identical to the import: fine
        g = overlay(base, layer)
        assert g.roles("t-maple-dlt", "superintendent-70010") == (Role.SUPERINTENDENT,)
        assert "v-maple" in g and "v-maple" not in base
        assert len(validate(g).findings) > 0  # the combined structure is checkable

    def test_conflicts_and_dangling_references(self, tmp_path):
        """A differing object is a conflict; a reference to nothing points at its field."""
        base = example()
        got = problems_of(overlay, base, {
            "format_version": 1,
            "units": [{"id": "dist-maple", "kind": "district", "name": "Maple"}],
            "teams": [{"id": "t-new", "kind": "grade-team", "unit": "sch-nowhere"}]})
        assert [(p.pointer, p.field) for p in got] == [("/units/0/name", "name")]
        got = problems_of(overlay, base, {"format_version": 1, "teams": [
            {"id": "t-new", "kind": "grade-team", "unit": "sch-nowhere"}]})
        assert [p.pointer for p in got] == ["/teams/0/unit"]

    def test_overlay_from_a_file(self, tmp_path):
        """A YAML file can be the layer."""
        layer = tmp_path / "layer.yaml"
        layer.write_text("format_version: 1\nfocus_areas:\n"
                         "  - {id: fa-new, district: dist-maple, name: Numeracy}\n")
        assert overlay(example(), layer).focus_areas("dist-maple")[-1].name == "Numeracy"


class TestExports:
    def test_node_link_is_networkx_readable(self):
        """Node-link JSON rebuilds the same networkx graph."""
        g = example()
        data = json.loads(json.dumps(to_node_link(g)))
        back = nx.node_link_graph(data, edges="edges")
        assert back.number_of_nodes() == len(g)
        assert back.number_of_edges() == g.view.number_of_edges()
        assert back.nodes["sch-lincoln"]["kind"] == "school"
        assert back.edges["p-kim", "t-lincoln-slt", "member"]["roles"] == ["principal"]

    def test_graphml_round_trips_through_networkx(self, tmp_path):
        """GraphML opens in networkx (and so in Gephi, yEd, ...)."""
        path = tmp_path / "lakeshore.graphml"
        write_graphml(example(), path)
        back = nx.read_graphml(path, force_multigraph=True)
        assert back.nodes["v-cedar-high"]["aligned_to"] == "v-maple"
        assert json.loads(back.nodes["v-maple"]["addresses"])[0] == "fa-maple-literacy"

    def test_dot_and_mermaid_whole_and_subtree(self):
        """DOT and Mermaid draw the org and alignment tree; a root limits them."""
        g = example()
        dot = to_dot(g)
        assert dot.startswith("digraph mtss {") and '"v-cedar-high" -> "v-maple"' in dot
        assert "p-garcia" not in dot and "p-garcia" in to_dot(g, people=True)
        mermaid = to_mermaid(g, root="dist-cedar")
        assert mermaid.startswith("flowchart BT") and "Maple Valley" not in mermaid
        with pytest.raises(ValueError, match="not an org unit"):
            to_dot(g, root="v-maple")


class TestSafety:
    BOMB = "".join(["format_version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n",
                    *(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                      for p, c in zip("abcdefgh", "bcdefghi", strict=True))])

    def test_alias_bomb_is_refused(self):
        """A billion-laughs YAML document is refused before it is built."""
        (p,) = problems_of(loads, self.BOMB, "yaml")
        assert "Limits.max_nodes" in p.message

    def test_deep_nesting_is_refused(self):
        """Absurd nesting is refused for YAML (at its line) and JSON."""
        deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 80))
        (p,) = problems_of(loads, deep, "yaml", limits=Limits(max_depth=10))
        assert "deeper than 10 levels at line 11" in p.message
        (p,) = problems_of(loads, "[" * 50_000 + "]" * 50_000)
        assert "nesting too deep" in p.message

    def test_oversized_file_is_refused_unread(self, tmp_path):
        """A file over the size limit is refused from its size alone."""
        path = tmp_path / "big.json"
        path.write_text(json.dumps({"format_version": 1, "units": []}))
        (p,) = problems_of(load, path, limits=Limits(max_bytes=10))
        assert "the limit is 10 (Limits.max_bytes)" in p.message

    def test_yaml_never_executes(self):
        """Python tags are not constructed: the safe loader refuses them."""
        (p,) = problems_of(loads, "format_version: !!python/object/apply:os.system [echo]",
                           "yaml")
        assert "not valid YAML" in p.message


def test_load_then_dump_is_canonical():
    """Loading then dumping a document gives an equivalent one, and is idempotent."""
    doc = {"format_version": 1, "units": [
        {"id": "d", "kind": "district", "name": "", "parent": None, "grades": ""}],
        "people": [{"id": "p", "roles": [], "positions": "Principal", "departments": []}]}
    doc["people"][0].pop("roles")
    once = to_data(loads(json.dumps(doc)))
    assert once == {"format_version": 1, "units": [{"id": "d", "kind": "district"}],
                    "people": [{"id": "p", "positions": ["principal"]}]}
    assert to_data(loads(json.dumps(once))) == once


class TestCli:
    def run(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()

    def test_import_each_source(self, tmp_path):
        """mtss import writes a document and notes what it left out."""
        out = tmp_path / "or.json"
        code, text, err = self.run("import", "oneroster", str(FIXTURES / "oneroster11"),
                                   "-o", str(out))
        assert code == 0 and "5 units, 4 people" in text
        assert "mtss: note: 1 student(s) not imported" in err
        assert load(out)["isd-ls"].kind is UnitKind.ISD
        code, _, _ = self.run("import", "edfi", *map(str, TestEdFi.FILES), "--as-of",
                              "2026-09-01", "-o", str(tmp_path / "e.yaml"))
        assert code == 0 and isinstance(load(tmp_path / "e.yaml")["70"], OrgUnit)
        code, _, _ = self.run("import", "csv", str(TestDirectoryCsv.CSV), "--mapping",
                              str(TestDirectoryCsv.MAPPING), "--state", "Michigan",
                              "-o", str(tmp_path / "d.json"))
        assert code == 0 and load(tmp_path / "d.json")["state"].name == "Michigan"

    def test_import_with_overlay(self, tmp_path):
        """--overlay adds the MTSS layer in the same command."""
        layer = tmp_path / "layer.json"
        layer.write_text(json.dumps({"format_version": 1, "teams": [
            {"id": "t1", "kind": "school-leadership", "unit": "school-00123"}]}))
        code, _, _ = self.run("import", "csv", str(TestDirectoryCsv.CSV), "--mapping",
                              str(TestDirectoryCsv.MAPPING), "--overlay", str(layer),
                              "-o", str(tmp_path / "d.json"))
        assert code == 0 and "t1" in load(tmp_path / "d.json")

    def test_import_errors_exit_2(self, tmp_path):
        """An import with problems prints them one per line and writes nothing."""
        code, _, err = self.run("import", "oneroster", str(tmp_path), "-o",
                                str(tmp_path / "x.json"))
        assert code == 2 and err.count("file not found") == 2
        assert not (tmp_path / "x.json").exists()
        assert self.run("import", "csv", str(TestDirectoryCsv.CSV), "-o", "x.json")[0] == 2

    def test_export_formats(self, tmp_path):
        """mtss export writes node-link, GraphML, DOT and Mermaid."""
        code, text, _ = self.run("export", "--example", "--to", "node-link")
        assert code == 0 and json.loads(text)["directed"] is True
        assert self.run("export", "--example", "--to", "graphml")[0] == 2  # needs -o
        assert self.run("export", "--example", "--to", "graphml", "-o",
                        str(tmp_path / "g.graphml"))[0] == 0
        assert self.run("export", "--example", "--to", "dot", "--root", "sch-lincoln")[
            1].startswith("digraph")
        code, _, err = self.run("export", "--example", "--to", "mermaid", "--root", "nope")
        assert code == 2 and "no object with id 'nope'" in err
