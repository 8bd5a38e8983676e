"""Importers: Ed-Fi XML and API JSON, OneRoster, school directories, one vocabulary."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from mtss_core import (
    DocumentError,
    Limits,
    import_directory_csv,
    import_edfi,
    import_edfi_api,
    import_oneroster,
    load,
    to_data,
)
from mtss_core.cli import main
from mtss_core.errors import ConfigError
from mtss_core.io.importers._vocabulary import POSITIONS, match_position, vocabulary_table
from mtss_core.model import Role, UnitKind

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
STANDARDS = Path(__file__).parent / "standards" / "edfi-5.2"
EDFI = (FIXTURES / "edfi" / "EducationOrganization.xml",
        FIXTURES / "edfi" / "StaffAssociation.xml")
AS_OF = "2026-09-01"


def problems_of(call, *args, **kwargs):
    with pytest.raises(DocumentError) as info:
        call(*args, **kwargs)
    return info.value.problems


def copy_fixture(tmp_path, *parts):
    target = tmp_path / parts[-1]
    shutil.copytree(FIXTURES.joinpath(*parts), target)
    return target


@pytest.fixture(scope="session")
def edfi_schemas():
    """The Ed-Fi 5.2 interchange schemas (Ed-Fi-Core.xsd takes seconds to load: once)."""
    xmlschema = pytest.importorskip("xmlschema")
    assert STANDARDS.is_dir(), f"the published Ed-Fi schemas are missing: {STANDARDS}"
    return {root: xmlschema.XMLSchema(str(STANDARDS / f"Interchange-{name}.xsd"))
            for root, name in (("InterchangeEducationOrganization", "EducationOrganization"),
                               ("InterchangeStaffAssociation", "StaffAssociation"))}


#: The vendored standards, byte for byte as published (tests/standards/README.md).
VENDORED = {
    "Ed-Fi-Core.xsd": "a8e93f619fd4e50e4b34a3da32fb8777e50e00fcb74ee795bd51f22ef55784e8",
    "SchemaAnnotation.xsd": "a4a784ffe38bae8de02b68e8642ea6f485d4e04595de52539db81cf8daf05e0b",
    "Interchange-EducationOrganization.xsd":
        "410c1e22d01a4b9eed2ea0dc0d396f72c463cdf1ee9c8cf49c94f7724b696c1d",
    "Interchange-StaffAssociation.xsd":
        "9855c92c47eee5e361d85e5dc0022e5ee2c7403ef525b1771c7985cc312842ae",
    "StaffClassificationDescriptor.xml":
        "72a7a8040169537d6c0f0e0802700b36f4e85b3dc57079a2507e66b73555b855",
    "EducationOrganizationCategoryDescriptor.xml":
        "d651ecf2a95b5de7491215310e5c3cf5c135e65346df395a16b2e18d10e4c471",
    "LICENSE": "a6cba85bc92e0cff7a450b1d873c0eaa2e9fc96bf472df0247a26bec77bf3ff9",
}


class TestVendoredStandards:
    def test_the_published_files_are_in_the_repository_unchanged(self):
        """The Ed-Fi 5.2 schemas and descriptors are vendored, as published, with their
        licence: the suite never reads beside the clone."""
        import hashlib

        found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in STANDARDS.iterdir()}
        assert found == VENDORED
        readme = (STANDARDS.parent / "README.md").read_text(encoding="utf-8")
        assert "Ed-Fi Alliance" in readme and "Apache" in readme
        assert all(digest in readme for digest in VENDORED.values())


class TestEdFiFixturesFollowTheStandard:
    def test_every_xml_fixture_validates_against_the_published_xsd(self, edfi_schemas):
        """No Ed-Fi fixture can drift from the Data Standard 5.2 XSDs."""
        files = [p for p in sorted(FIXTURES.rglob("*.xml"))
                 if 'xmlns="http://ed-fi.org/5.2.0"' in p.read_text(encoding="utf-8")]
        older = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.xml")} - {
            p.relative_to(FIXTURES).as_posix() for p in files}
        # only the Data Standard 1.x fixtures (their own namespace) are left out
        assert older == {"edfi-ds1/InterchangeEducationOrganization.xml",
                         "edfi-ds1/InterchangeStaffAssociation.xml"}
        assert len(files) >= 2
        for path in files:
            root = path.read_text(encoding="utf-8").split("<Interchange", 1)[1].split()[0]
            schema = edfi_schemas["Interchange" + root]
            errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(str(path))]
            assert errors == [], f"{path.name} does not follow the XSD: {errors[:3]}"

    def test_the_validation_would_catch_a_guessed_shape(self, edfi_schemas):
        """The old flat shape (ids straight under the reference) is not the standard's."""
        text = EDFI[1].read_text(encoding="utf-8").replace(
            "<StaffIdentity>\n\t\t\t\t<StaffUniqueId>207220</StaffUniqueId>\n\t\t\t</StaffIdentity>",
            "<StaffUniqueId>207220</StaffUniqueId>")
        assert not edfi_schemas["InterchangeStaffAssociation"].is_valid(text)


class TestEdFiXml:
    def test_units_follow_ref_links_and_nested_identities(self):
        """ESC by ref=, state agency by identity, schools, departments, a standalone school."""
        g = import_edfi(*EDFI, as_of=AS_OF).graph
        parents = {u.id: (u.kind.value, u.parent) for u in g.units()}
        assert parents == {
            "255": ("state", None), "255950": ("isd", "255"),
            "255901": ("district", "255950"),  # its ESC (ref=) wins over its state agency
            "255902": ("district", "255"),      # a charter LEA under the state (ref=)
            "255901001": ("school", "255901"), "255901044": ("school", "255901"),
            "255901107": ("school", "255901"), "255902001": ("school", "255902"),
            "255903001": ("school", None),      # a standalone school
            "255901900": ("department", "255901"),  # the district's central office
            "255901011": ("department", "255901001")}
        assert g["255901"].name == "Grand Bend ISD" and g["255901001"].grades == "9-12"
        assert g["255901107"].grades == "K-5" and g["255903001"].grades == "K,UG"

    def test_people_keep_every_assignment(self):
        """A teacher shared by two schools keeps both, dated, with FTE and order."""
        g = import_edfi(*EDFI, as_of=AS_OF).graph
        okafor = g["207250"]
        assert okafor.name == "Chidi Okafor" and okafor.unit == "255901001"
        assert [(a.unit, a.position, a.fte, a.order, a.title) for a in okafor.assignments] == [
            ("255901001", Role.TEACHER, 0.6, 1, "Mathematics Teacher"),
            ("255901044", Role.TEACHER, 0.4, 2, "Mathematics Teacher")]
        assert g["207260"].positions == (Role.SUPERINTENDENT,)  # staff linked by ref=
        assert g["207270"].positions == (Role.SERVICE_PROVIDER,)  # Counselor, mapped
        assert g["207300"].departments == ("student-supports",)  # from employment
        assert g["207300"].unit == "255901900" and g["207300"].positions == (Role.COACH,)

    def test_as_of_keeps_current_assignments_only(self):
        """An ended assignment counts before its end, not after."""
        now = import_edfi(*EDFI, as_of=AS_OF)
        assert now.graph["207280"].assignments == () and now.graph["207280"].unit is None
        assert now.skipped["assignment not current on 2026-09-01"] == 1
        before = import_edfi(*EDFI, as_of="2015-01-01").graph
        assert before["207280"].positions == (Role.PRINCIPAL,)
        assert before["207250"].assignments == ()  # not begun yet
        assert len(import_edfi(*EDFI).graph["207280"].assignments) == 1  # no date: all

    def test_summary_accounts_for_everything(self):
        """Read, made and skipped, with reasons; networks and unknown titles in notes."""
        result = import_edfi(*EDFI, as_of=AS_OF)
        assert result.read == {"EducationOrganization.xml": 13, "StaffAssociation.xml": 17}
        assert result.skipped == {"Location element (not modelled)": 1,
                                  "education organization network (information, not a "
                                  "parent)": 1, "assignment not current on 2026-09-01": 1}
        summary = result.summary()
        assert "Made 11 units (1 state, 1 ISD, 2 districts, 5 schools, 2 departments), " \
               "7 people and 7 assignments." in summary
        assert any("Grand Bend Literacy Consortium" in n for n in result.notes)
        assert any("'Dean of Students' (1)" in n for n in result.notes)
        assert result.graph["207290"].positions == ("Dean of Students",)

    def test_id_prefix(self):
        """id_prefix keeps two states' (or staff and org) ids apart; codes stay raw."""
        g = import_edfi(*EDFI, as_of=AS_OF, id_prefix="gb:").graph
        assert g["gb:255901001"].parent == "gb:255901" and g["gb:255901001"].code == "255901001"
        assert g["gb:207250"].assignments[1].unit == "gb:255901044"

    def test_earlier_data_standards_differ_only_in_names(self, tmp_path):
        """A 3.x interchange (another namespace) and a DS 2 descriptor shape read the same."""
        old = tmp_path / "old"
        old.mkdir()
        for f in EDFI:
            text = f.read_text(encoding="utf-8").replace("http://ed-fi.org/5.2.0",
                                                         "http://ed-fi.org/3.3.0-a")
            text = text.replace(
                "<StaffClassification>uri://ed-fi.org/StaffClassificationDescriptor#Counselor"
                "</StaffClassification>",
                "<StaffClassification><CodeValue>Counselor</CodeValue></StaffClassification>")
            (old / f.name).write_text(text, encoding="utf-8")
        got = import_edfi(old / EDFI[0].name, old / EDFI[1].name, as_of=AS_OF)
        assert to_data(got.graph) == to_data(import_edfi(*EDFI, as_of=AS_OF).graph)

    def test_dangling_ref_names_its_line(self, tmp_path):
        """A ref= to no element's id is a problem at the reference's element, with a line."""
        bad = tmp_path / "eo.xml"
        bad.write_text(EDFI[0].read_text(encoding="utf-8").replace(
            'EducationServiceCenterReference ref="ESC_255950"',
            'EducationServiceCenterReference ref="ESC_999"'), encoding="utf-8")
        (p,) = problems_of(import_edfi, bad)
        assert p.line == 39 and p.field == "EducationServiceCenterReference"
        assert "ref='ESC_999', which no element's id names" in p.message
        assert str(p).startswith(f"{bad}:39:") and "/:" not in str(p)

    def test_missing_parent_and_unknown_staff(self, tmp_path):
        """A parent in no file given, and assignments of staff not given, are problems."""
        got = problems_of(import_edfi, EDFI[1])
        assert {p.field for p in got} == {"EducationOrganizationReference"}
        assert all(p.line is not None for p in got)
        school = tmp_path / "school.xml"
        school.write_text('<InterchangeEducationOrganization xmlns="http://ed-fi.org/5.2.0">'
                          "<School><NameOfInstitution>X</NameOfInstitution><SchoolId>1"
                          "</SchoolId><LocalEducationAgencyReference><LocalEducationAgencyIdentity>"
                          "<LocalEducationAgencyId>9</LocalEducationAgencyId>"
                          "</LocalEducationAgencyIdentity></LocalEducationAgencyReference>"
                          "</School></InterchangeEducationOrganization>")
        (p,) = problems_of(import_edfi, school)
        assert "LocalEducationAgencyReference names '9', which is in no file given" in p.message

    def test_duplicates_are_conflicts_with_both_places(self, tmp_path):
        """Two schools with one id, described differently: a conflict naming both."""
        text = EDFI[0].read_text(encoding="utf-8").replace(
            "<SchoolId>255901044</SchoolId>", "<SchoolId>255901001</SchoolId>")
        path = tmp_path / "eo.xml"
        path.write_text(text, encoding="utf-8")
        (p,) = problems_of(import_edfi, path)
        assert p.line == 74 and "used twice, differently" in p.message
        assert "'Grand Bend Middle School' here and 'Grand Bend High School' at " \
               "eo.xml line 55" in p.message
        # the same element twice (two files holding it) is read once
        again = import_edfi(EDFI[0], EDFI[0], EDFI[1], as_of=AS_OF)
        assert again.skipped["repeated education organization (identical)"] == 11

    def test_an_agency_sharing_a_district_id_is_a_conflict(self, tmp_path):
        """A state agency with an LEA's id is refused, not dropped."""
        path = tmp_path / "eo.xml"
        path.write_text(EDFI[0].read_text(encoding="utf-8").replace(
            "<StateEducationAgencyId>255</StateEducationAgencyId>\n\t</State",
            "<StateEducationAgencyId>255902</StateEducationAgencyId>\n\t</State"),
            encoding="utf-8")
        got = problems_of(import_edfi, path)
        assert any("education organization id '255902' is used twice" in p.message for p in got)

    def test_dtds_and_entities_are_refused(self, tmp_path):
        """An entity-expansion document is refused, not expanded."""
        bomb = tmp_path / "bomb.xml"
        bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<Interchange>&lol2;'
                        '</Interchange>')
        (p,) = problems_of(import_edfi, bomb)
        assert "DTDs and entity declarations are not allowed" in p.message

    def test_malformed_xml_has_a_line_and_column(self, tmp_path):
        """Broken XML is reported with its line and column."""
        bad = tmp_path / "bad.xml"
        bad.write_text("<Interchange>\n  <School>\n</Interchange>")
        (p,) = problems_of(import_edfi, bad)
        assert (p.line, p.column) == (3, 3) and "not well-formed XML" in p.message

    def test_a_huge_token_is_refused_quickly(self, tmp_path):
        """One oversized attribute value is refused at Limits.max_token_bytes."""
        path = tmp_path / "big.xml"
        path.write_bytes(b'<I><School id="' + b"x" * 300_000 + b'"/></I>')
        (p,) = problems_of(import_edfi, path, limits=Limits(max_token_bytes=100_000))
        assert "Limits.max_token_bytes" in p.message


class TestEdFiApi:
    def test_json_resources_import_as_the_xml_does(self):
        """The API's JSON (arrays and JSON Lines) gives the same structure as the XML."""
        api = import_edfi_api(FIXTURES / "edfi-api", as_of=AS_OF)
        xml = import_edfi(*EDFI, as_of=AS_OF)
        assert _unsourced(to_data(api.graph)) == _unsourced(to_data(xml.graph))
        # each object says which file it came from
        assert api.graph["207260"].source == "edfi:staffs.json"
        assert xml.graph["207260"].source == "edfi:StaffAssociation.xml"
        assert api.read["schools.jsonl"] == 5
        # every file left alone is counted and named with its reason
        assert api.skipped["file not read (not an Ed-Fi resource read here)"] == 2
        note = next(n for n in api.notes if "left alone" in n)
        assert "calendars.json (not one of the resources read)" in note
        assert "README.md (not a .json, .jsonl or .ndjson file)" in note

    def test_order_of_files_does_not_matter(self, tmp_path):
        """Units come out top-down, whatever order the files are given in."""
        files = sorted((FIXTURES / "edfi-api").iterdir(), reverse=True)
        backwards = import_edfi_api(*files, as_of=AS_OF)
        assert to_data(backwards.graph) == to_data(
            import_edfi_api(FIXTURES / "edfi-api", as_of=AS_OF).graph)

    def test_bad_records_name_file_and_line(self, tmp_path):
        """A record that is not an object, a duplicate key and NaN are refused at their line."""
        folder = copy_fixture(tmp_path, "edfi-api")
        (folder / "staffs.json").write_text('[\n  {"staffUniqueId": "1"},\n  7\n]')
        (folder / "schools.jsonl").write_text('{"schoolId": 1, "schoolId": 2}\n')
        (folder / "stateEducationAgencies.json").write_text('[{"stateEducationAgencyId": NaN}]')
        got = {(Path(p.source).name, p.line, p.message)
               for p in problems_of(import_edfi_api, folder)}
        assert ("staffs.json", 3, "a record is not a JSON object") in got
        assert ("schools.jsonl", 1, "not valid JSON: the key 'schoolId' appears twice in "
                                    "one object") in got
        assert ("stateEducationAgencies.json", 1, "not valid JSON: NaN is not a JSON "
                                                  "number") in got


class TestOneRoster:
    def test_a_single_school_export(self):
        """A school with no parent is a root; a parentless department hangs under it."""
        result = import_oneroster(FIXTURES / "oneroster" / "single-school")
        g = result.graph
        assert [(u.id, u.parent) for u in g.units()] == [("s-riverside", None),
                                                         ("dep-sped", "s-riverside")]
        assert any("placed under the export's one root" in n for n in result.notes)
        assert [p.id for p in g.people()] == ["u-hale", "u-park"]
        assert result.skipped == {"student (students are not imported unless asked)": 1,
                                  "guardian (guardians are not imported unless asked)": 1}

    def test_students_and_guardians_only_when_asked(self):
        """include= imports them, guardians as parents."""
        g = import_oneroster(FIXTURES / "oneroster" / "single-school",
                             include=["guardians", "students"]).graph
        assert g["u-gdn1"].positions == (Role.PARENT,)
        assert g["u-stu1"].positions == ("student",)
        with pytest.raises(ConfigError, match="include names 'teachers'"):
            import_oneroster(FIXTURES / "oneroster" / "single-school", include=["teachers"])

    def test_as_of_never_turns_students_into_staff(self):
        """After every student role ended, students are still students, not staff."""
        result = import_oneroster(FIXTURES / "oneroster" / "messy", as_of="2026-09-01")
        assert "u-stu7" not in result.graph and "u-stu8" not in result.graph
        assert result.skipped["student (students are not imported unless asked)"] == 2

    def test_a_messy_excel_export(self):
        """Windows-1252, CRLF, misspelt headers, trailing columns, US dates, guards."""
        result = import_oneroster(FIXTURES / "oneroster" / "messy", as_of="2026-09-01")
        g = result.graph
        assert g["u-nunez"].name == "José Núñez" and g["d-cedar"].code == "70020"
        assert g["u-dubois"].assignments[0].begins_on.isoformat() == "2021-08-20"
        assert g["u-dubois"].positions == (Role.TEACHER, "Instructional Coach")
        notes = "\n".join(result.notes)
        assert "users.csv: read as Windows-1252" in notes
        assert "orgs.csv: column 'dataLastModified' read as 'dateLastModified'" in notes
        assert "orgs.csv: 2 empty column(s) at the end of the header ignored" in notes
        assert "'Instructional Coach' (1)" in notes
        assert result.skipped["role of a user not in users.csv"] == 1
        assert result.skipped["user row with status 'tobedeleted'"] == 1

    def test_v11_isd_with_national_org(self):
        """1.1: types map to levels, a national org is skipped, a second org is kept."""
        result = import_oneroster(FIXTURES / "oneroster11")
        g = result.graph
        assert [(u.id, u.kind) for u in g.units()] == [
            ("mi", UnitKind.STATE), ("isd-ls", UnitKind.ISD), ("d-maple", UnitKind.DISTRICT),
            ("s-lincoln", UnitKind.SCHOOL), ("dep-math", UnitKind.DEPARTMENT)]
        assert g["mi"].parent is None and g["s-lincoln"].code == "00123"
        assert [a.unit for a in g["u-okafor"].assignments] == ["s-lincoln", "dep-math"]
        assert result.skipped == {"national org (not modelled)": 1,
                                  "org row with status 'tobedeleted'": 1,
                                  "user row with status 'tobedeleted'": 1,
                                  "guardian (guardians are not imported unless asked)": 1,
                                  "student (students are not imported unless asked)": 1}

    def test_v12_roles_are_dated_assignments(self):
        """1.2 roles: positions via the vocabulary, the primary org as base, dates kept."""
        g = import_oneroster(FIXTURES / "oneroster12", as_of=AS_OF).graph
        assert g["u-yoon"].positions == (Role.SERVICE_PROVIDER, "aide")
        assert g["u-yoon"].unit == "s-cedar-elem"
        assert g["u-left"].assignments == ()
        before = import_oneroster(FIXTURES / "oneroster12", as_of="2020-01-01").graph
        assert before["u-left"].positions == (Role.PRINCIPAL,)

    def test_zip_export(self, tmp_path):
        """A zip of the same files imports the same structure."""
        archive = tmp_path / "export.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for f in (FIXTURES / "oneroster" / "messy").iterdir():
                zf.write(f, f"export/{f.name}")
        assert to_data(import_oneroster(archive).graph) == to_data(
            import_oneroster(FIXTURES / "oneroster" / "messy").graph)

    def test_refusals_name_file_row_and_column(self, tmp_path):
        """A missing parent, an unknown type and a bad date: file, row, column, field."""
        folder = copy_fixture(tmp_path, "oneroster", "messy")
        orgs = (folder / "orgs.csv").read_bytes().replace(b",'00202,d-cedar", b",'00202,d-cedr")
        (folder / "orgs.csv").write_bytes(orgs.replace(b"Elementary,school", b"Elementary,schol"))
        roles = (folder / "roles.csv").read_bytes().replace(b"8/20/2021,,s-cedar-high",
                                                            b"20/8/2021,,s-cedar-high")
        (folder / "roles.csv").write_bytes(roles)
        got = {(Path(p.source).name, p.line, p.column, p.field)
               for p in problems_of(import_oneroster, folder)}
        assert got == {("orgs.csv", 3, 5, "type"), ("orgs.csv", 4, 7, "parentSourcedId"),
                       ("roles.csv", 4, 7, "beginDate")}

    def test_missing_files_and_columns(self, tmp_path):
        """Missing files are named; a missing column names line 1 and what arrived."""
        assert len(problems_of(import_oneroster, tmp_path)) == 2
        folder = copy_fixture(tmp_path, "oneroster11")
        text = (folder / "users.csv").read_text().replace("givenName", "firstName")
        (folder / "users.csv").write_text(text)
        (p,) = problems_of(import_oneroster, folder)
        assert p.line == 1 and "missing required column(s): givenName" in p.message


class TestDirectory:
    CSV = FIXTURES / "directory" / "schools.csv"
    MAPPING = FIXTURES / "directory" / "mapping.toml"
    EXCEL = FIXTURES / "directory" / "excel-1252"

    def test_a_state_directory_in_one_call(self):
        """Rows become ISD, districts, schools and their leaders; repeats are merged."""
        g = import_directory_csv(self.CSV, self.MAPPING, state="Michigan").graph
        assert [u.id for u in g.units("district")] == ["district-70010", "district-70020"]
        assert g["school-00124"].grades == "6-8" and g["isd-70"].parent == "state"

    def test_an_excel_export_with_co_principals(self):
        """Windows-1252, guards, region names from the mapping, co-principals, blanks."""
        result = import_directory_csv(self.EXCEL / "campuses.csv", self.EXCEL / "mapping.toml")
        g = result.graph
        assert g["district-170902"].code == "170902"  # the guard apostrophe is gone
        assert g["isd-6"].name == "Region 6 Education Service Center"
        assert [p.name for p in g.people() if p.unit == "school-170902041"] == [
            "Lonnie Carter", "María Hernández"]
        assert g["principal-170902102-2"].name == "Tom O'Neil"  # two in one cell
        notes = "\n".join(result.notes)
        assert "read as Windows-1252" in notes
        assert "1 school(s) list no principal: school-170902101" in notes

    def test_utf16_and_bom_and_explicit_encoding(self, tmp_path):
        """UTF-16 and UTF-8 with a BOM are recognised; a wrong encoding names the byte."""
        text = self.CSV.read_text(encoding="utf-8")
        for encoding in ("utf-16", "utf-8-sig"):
            path = tmp_path / f"{encoding}.csv"
            path.write_bytes(text.encode(encoding))
            assert len(import_directory_csv(path, self.MAPPING).graph) == 11
        path = tmp_path / "latin.csv"
        path.write_bytes(text.replace("Grace Kim", "Grâce Kim").encode("latin-1"))
        (p,) = problems_of(import_directory_csv, path, {
            **_mapping(self.MAPPING), "encoding": "utf-8"})
        assert "not utf-8 text: byte" in p.message and "0xe2" in p.message

    def test_conflicts_show_both_values(self, tmp_path):
        """The same district described two ways: both lines, both values, no repr."""
        path = tmp_path / "d.csv"
        path.write_text(self.CSV.read_text().replace(
            "70010,Maple Valley Public Schools,00124", "70010,Maple Valley Schools,00124"))
        (p,) = problems_of(import_directory_csv, path, self.MAPPING)
        assert p.line == 3 and p.field == "District Name"
        assert "described differently than on line 2: name is 'Maple Valley Schools' here, " \
               "'Maple Valley Public Schools' there" in p.message
        assert "OrgUnit(" not in str(p)

    def test_mapping_problems(self, tmp_path):
        """Unknown keys, a malformed TOML (with its line) and wrong types are named."""
        got = [p.message for p in problems_of(import_directory_csv, self.CSV,
                                              {"district_id": "District Code", "colour": "x"})]
        assert "unknown mapping key 'colour'" in got[0]
        assert any("'school_id'" in m for m in got)
        bad = tmp_path / "m.toml"
        bad.write_text('district_id = "A"\nschool_id = \n')
        (p,) = problems_of(import_directory_csv, self.CSV, bad)
        assert p.line == 2 and "not valid TOML" in p.message
        (p,) = problems_of(import_directory_csv, self.CSV,
                           {**_mapping(self.MAPPING), "clean_ids": "yes"})
        assert p.field == "clean_ids"

    def test_clean_ids_can_be_turned_off(self):
        """clean_ids = false keeps ids exactly as written."""
        g = import_directory_csv(self.EXCEL / "campuses.csv",
                                 {**_mapping(self.EXCEL / "mapping.toml"),
                                  "clean_ids": False}).graph
        assert "district-'170902" in g


def _mapping(path):
    import tomllib

    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


class TestVocabulary:
    def test_the_same_job_maps_the_same_from_every_source(self):
        """Counselors, principals and teachers map alike whatever the source."""
        for title, role in (("Counselor", Role.SERVICE_PROVIDER), ("Principal", Role.PRINCIPAL),
                            ("Teacher", Role.TEACHER)):
            assert match_position("edfi", title).position == role
            assert match_position("oneroster", title.lower()).position == role
        assert match_position("edfi", "School Administrator").position == Role.ADMINISTRATOR
        assert match_position("oneroster", "siteAdministrator").position == Role.ADMINISTRATOR

    def test_every_published_staff_classification_is_in_the_table(self):
        """Each Ed-Fi 5.2 StaffClassificationDescriptor code value has an entry."""
        text = (STANDARDS / "StaffClassificationDescriptor.xml").read_text(encoding="utf-8")
        codes = [c.split("</CodeValue>")[0] for c in text.split("<CodeValue>")[1:]]
        assert len(codes) > 30
        assert all(match_position("edfi", code).known for code in codes), [
            c for c in codes if not match_position("edfi", c).known]

    def test_docs_show_the_table(self):
        """docs/import-positions.md holds exactly the vocabulary."""
        page = (ROOT / "docs" / "import-positions.md").read_text(encoding="utf-8")
        assert vocabulary_table() in page
        assert len(POSITIONS) == vocabulary_table().count("\n") - 2


class TestImportCli:
    def run(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()

    def test_each_source_prints_its_summary(self, tmp_path):
        """mtss import writes the document and a one-paragraph summary; notes on stderr."""
        code, text, err = self.run("import", "oneroster", str(FIXTURES / "oneroster11"),
                                   "-o", str(tmp_path / "or.json"))
        assert code == 0 and "Made 5 units" in text and "Skipped 5:" in text
        assert "mtss: note: 1 national org(s) not modelled: us" in err
        code, text, _ = self.run("import", "edfi", *map(str, EDFI), "--as-of", AS_OF,
                                 "-o", str(tmp_path / "e.yaml"))
        assert code == 0 and "7 people and 7 assignments" in text
        code, text, _ = self.run("import", "edfi-api", str(FIXTURES / "edfi-api"), "--as-of",
                                 AS_OF, "--id-prefix", "gb-", "-o", str(tmp_path / "a.json"))
        assert code == 0 and load(tmp_path / "a.json")["gb-255"].kind is UnitKind.STATE
        code, _, _ = self.run("import", "csv", str(TestDirectory.CSV), "--mapping",
                              str(TestDirectory.MAPPING), "--state", "Michigan",
                              "--id-prefix", "mi-", "-o", str(tmp_path / "d.json"))
        assert code == 0 and load(tmp_path / "d.json")["mi-state"].name == "Michigan"

    def test_options_that_do_not_apply_are_refused(self, tmp_path):
        """--mapping for edfi, --as-of for csv, --include for edfi: usage errors."""
        out = str(tmp_path / "x.json")
        for argv in (("edfi", *map(str, EDFI), "--mapping", "m.toml"),
                     ("edfi", *map(str, EDFI), "--state", "Texas"),
                     ("csv", str(TestDirectory.CSV), "--mapping", str(TestDirectory.MAPPING),
                      "--as-of", AS_OF),
                     ("edfi-api", str(FIXTURES / "edfi-api"), "--include", "students")):
            code, _, err = self.run("import", *argv, "-o", out)
            assert code == 2 and "do(es) not apply" in err, argv
        assert not Path(out).exists()

    def test_problems_exit_2_and_write_nothing(self, tmp_path):
        """An import with problems prints them one per line, no pointer placeholder."""
        code, _, err = self.run("import", "oneroster", str(tmp_path), "-o",
                                str(tmp_path / "x.json"))
        assert code == 2 and err.count("file not found") == 2 and "/:" not in err
        assert not (tmp_path / "x.json").exists()


class TestMalformedFilesNeverEscape:
    """Truncated and mis-encoded inputs give a DocumentError, never another exception."""

    @pytest.mark.parametrize("cut", [0.0, 0.3, 0.61, 0.97])
    def test_truncated_edfi_xml(self, tmp_path, cut):
        data = EDFI[0].read_bytes()
        path = tmp_path / "eo.xml"
        path.write_bytes(data[:int(len(data) * cut)])
        assert problems_of(import_edfi, path)

    @pytest.mark.parametrize("cut", [0.0, 0.4, 0.9])
    def test_truncated_api_json(self, tmp_path, cut):
        folder = copy_fixture(tmp_path, "edfi-api")
        data = (folder / "staffs.json").read_bytes()
        (folder / "staffs.json").write_bytes(data[:int(len(data) * cut)])
        if cut == 0.0:  # an empty file holds no records: the staff are missing
            assert problems_of(import_edfi_api, folder)
        else:
            assert problems_of(import_edfi_api, folder)

    @pytest.mark.parametrize("name", ["orgs.csv", "users.csv", "roles.csv"])
    def test_truncated_and_misencoded_oneroster(self, tmp_path, name):
        folder = copy_fixture(tmp_path, "oneroster", "single-school")
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 3])
        with contextlib.suppress(DocumentError):  # whatever a third of the file holds
            import_oneroster(folder)
        (folder / name).write_bytes(b"\x81\x8d\x8f" + data)  # not UTF-8, not cp1252
        (p,) = problems_of(import_oneroster, folder)
        assert "byte 0 is 0x81" in p.message

    def test_broken_zip(self, tmp_path):
        archive = tmp_path / "export.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("orgs.csv", "x" * 1000)
        archive.write_bytes(archive.read_bytes()[:60])
        (p,) = problems_of(import_oneroster, archive)
        assert "not a folder or a readable zip file" in p.message

    def test_misencoded_directory_and_mapping(self, tmp_path):
        path = tmp_path / "d.csv"
        path.write_bytes(b"\xff\xfe\x00" + TestDirectory.CSV.read_bytes()[:50])
        with pytest.raises(DocumentError):
            import_directory_csv(path, TestDirectory.MAPPING)
        mapping = tmp_path / "m.toml"
        mapping.write_bytes(b"district_id = \"\xff\"\n")
        (p,) = problems_of(import_directory_csv, TestDirectory.CSV, mapping)
        assert "not UTF-8 text: byte 15" in p.message


def test_import_results_write_and_reload(tmp_path):
    """Assignments survive the document format."""
    g = import_edfi(*EDFI, as_of=AS_OF).graph
    path = tmp_path / "gb.json"
    from mtss_core import dump

    dump(g, path)
    back = load(path)
    assert back["207250"].assignments == g["207250"].assignments
    assert json.loads(path.read_text())["people"][2]["assignments"][1]["fte"] == 0.4


class TestExportsFromMoreTools:
    """Real exports from more tools, each fixture shaped like the original (README in its
    folder): imported whole, or refused naming file, row and reason."""

    LIGHTBEAM = FIXTURES / "edfi-api-lightbeam"

    def test_a_resource_kept_as_a_folder_of_pages_is_read_whole(self):
        """lightbeam / earthmover: schools.jsonl beside schools/*.jsonl; none lost."""
        result = import_edfi_api(self.LIGHTBEAM)
        schools = sorted(u.id for u in result.graph.units("school"))
        assert schools == ["6030001", *[f"6320{n:03d}" for n in range(1, 8)]]
        assert result.read == {"localEducationAgencies.jsonl": 2, "schools/1.jsonl": 3,
                               "schools/2.jsonl": 2, "schools.jsonl": 4}
        # a record on two pages is read once and counted, as every skip is
        assert result.skipped["repeated education organization (identical)"] == 1

    def test_every_file_left_alone_is_named_with_its_reason(self):
        """Nothing is dropped silently: the descriptor file and the README are named."""
        result = import_edfi_api(self.LIGHTBEAM)
        assert result.skipped["file not read (not an Ed-Fi resource read here)"] == 2
        note = next(n for n in result.notes if "left alone" in n)
        assert ("assessmentReportingMethodDescriptors.jsonl (not one of the resources read)"
                in note)
        assert "README.md (not a .json, .jsonl or .ndjson file)" in note
        assert "staffEducationOrganizationAssignmentAssociations" in note

    def test_a_page_named_directly_is_its_folders_resource(self):
        """schools/2.jsonl given by name is read as schools, not refused."""
        result = import_edfi_api(self.LIGHTBEAM / "schools" / "2.jsonl",
                                 self.LIGHTBEAM / "localEducationAgencies.jsonl")
        assert sorted(u.id for u in result.graph.units("school")) == ["6320006", "6320007"]
        assert "schools/2.jsonl" in result.read

    def test_a_resources_folder_named_directly(self):
        """The folder of pages itself is a resource too."""
        result = import_edfi_api(self.LIGHTBEAM / "schools",
                                 self.LIGHTBEAM / "localEducationAgencies.jsonl")
        assert len(list(result.graph.units("school"))) == 4

    def test_a_pull_of_only_some_resources_is_refused_naming_each_reference(self):
        """Schools whose LEA is not in the files: refused, with file, line and field."""
        problems = problems_of(import_edfi_api, self.LIGHTBEAM / "schools.jsonl")
        assert {(Path(p.source).name, p.line, p.field) for p in problems} == {
            ("schools.jsonl", n, "LocalEducationAgencyReference") for n in (1, 2, 3, 4)}

    def test_lenient_imports_what_is_there_and_lists_each_dangling_reference(self):
        """--lenient: the schools come in as roots; each missing LEA is listed."""
        result = import_edfi_api(self.LIGHTBEAM / "schools.jsonl", lenient=True)
        assert [(u.id, u.parent) for u in result.graph.units()] == [
            ("6030001", None), ("6320001", None), ("6320002", None), ("6320003", None)]
        assert len(result.dangling) == 4
        first = result.dangling[0]
        assert first.line is not None and first.field == "LocalEducationAgencyReference"
        assert "which is in no file given; imported without its parent" in first.message
        assert "Imported without 4 references to what the files do not hold" in (
            result.summary())

    def test_lenient_leaves_out_an_assignment_to_an_org_not_in_the_files(self, tmp_path):
        """An assignment to a school the pull does not hold is set aside, not imported."""
        folder = copy_fixture(tmp_path, "edfi-api-dms")
        (folder / "schools.json").unlink()
        with pytest.raises(DocumentError):
            import_edfi_api(folder)
        result = import_edfi_api(folder, lenient=True)
        assert result.graph["s0001"].assignments == ()
        assert {p.field for p in result.dangling} == {"EducationOrganizationReference"}
        assert len(result.dangling) == 3  # two assignments and one employment

    def test_lenient_on_the_command_line(self, tmp_path):
        """mtss import edfi-api --lenient writes the document and lists what it set aside."""
        out, err = io.StringIO(), io.StringIO()
        target = tmp_path / "pulled.json"
        code = main(["import", "edfi-api", str(self.LIGHTBEAM / "schools.jsonl"), "-o",
                     str(target), "--lenient"], stdout=out, stderr=err)
        assert code == 0 and load(target).count("unit") == 4
        assert err.getvalue().count("mtss: set aside (--lenient): ") == 4
        assert main(["import", "edfi-api", str(self.LIGHTBEAM / "schools.jsonl"), "-o",
                     str(target)], stdout=out, stderr=err) == 2

    def test_edfi_staff_json_from_the_alliances_own_tests(self):
        """staffs, assignment and employment associations as the Ed-Fi Data Management
        Service's tests send them (README cites the files)."""
        result = import_edfi_api(FIXTURES / "edfi-api-dms")
        g = result.graph
        assert [(p.id, p.name) for p in g.people()] == [
            ("s0001", "Steve Buck"), ("s0002", "Steve Buck"), ("s0003", "Tim Buck"),
            ("s0004", "Adam Buck"), ("s0005", "Francis Buck")]
        assert g["s0001"].positions == (Role.TEACHER,)
        (math,) = g["s0002"].assignments
        assert (math.unit, math.title, math.begins_on.isoformat()) == (
            "255901001", "Math Teacher", "2018-08-20")
        # employed (an id written as a string) but not assigned: based at the school
        assert g["s0004"].unit == "255901001" and g["s0004"].assignments == ()
        assert "2 staff with no assignment: s0003, s0005" in result.notes

    def test_older_edfi_is_read_never_zero_people(self):
        """Data Standard 1.x (inBloom): Teacher, TeacherSchoolAssociation,
        StaffUniqueStateId read; the version is named in a note."""
        folder = FIXTURES / "edfi-ds1"
        result = import_edfi(folder / "InterchangeEducationOrganization.xml",
                             folder / "InterchangeStaffAssociation.xml")
        g = result.graph
        assert [(u.id, u.kind.value, u.parent) for u in g.units()] == [
            ("IL", "state", None), ("IL-DAYBREAK", "district", "IL"),
            ("Daybreak Central High", "school", "IL-DAYBREAK"),
            ("East Daybreak Junior High", "school", "IL-DAYBREAK"),
            ("South Daybreak Elementary", "school", "IL-DAYBREAK")]
        assert g["South Daybreak Elementary"].grades == "K-5"
        assert [p.id for p in g.people()] == ["cgray", "linda.kim", "rbraverman",
                                              "mgonzales", "ckoch"]
        assert g["linda.kim"].name == "Linda Kim"
        assert g["linda.kim"].positions[0] == Role.TEACHER
        assert g["linda.kim"].unit == "East Daybreak Junior High"
        # "Leader" is not in the vocabulary, its position title "Principal" is
        assert g["mgonzales"].positions == (Role.PRINCIPAL,)
        assert "Teacher element (not modelled)" not in result.skipped
        assert result.skipped == {"Course element (not modelled)": 1,
                                  "TeacherSectionAssociation element (not modelled)": 2}
        assert any("Ed-Fi Data Standard 1.x interchange (namespace http://ed-fi.org/0100)"
                   in n for n in result.notes)

    def test_a_generic_education_organization_by_its_category(self, tmp_path):
        """inBloom's EducationOrganization with OrganizationCategory and
        ParentEducationAgencyReference."""
        path = tmp_path / "InterchangeEducationOrganization.xml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<InterchangeEducationOrganization xmlns="http://ed-fi.org/0100">\n'
            "<EducationOrganization><StateOrganizationId>CAP0-D0</StateOrganizationId>"
            "<NameOfInstitution>CAP0-D0</NameOfInstitution><OrganizationCategories>"
            "<OrganizationCategory>Local Education Agency</OrganizationCategory>"
            "</OrganizationCategories></EducationOrganization>\n"
            "<EducationOrganization><StateOrganizationId>CAP0-D0-HSch0</StateOrganizationId>"
            "<NameOfInstitution>CAP0-D0-HSch0</NameOfInstitution><OrganizationCategories>"
            "<OrganizationCategory>School</OrganizationCategory></OrganizationCategories>"
            "<ParentEducationAgencyReference><EducationalOrgIdentity>"
            "<StateOrganizationId>CAP0-D0</StateOrganizationId></EducationalOrgIdentity>"
            "</ParentEducationAgencyReference></EducationOrganization>\n"
            "</InterchangeEducationOrganization>\n", encoding="utf-8")
        g = import_edfi(path).graph
        assert [(u.id, u.kind.value, u.parent) for u in g.units()] == [
            ("CAP0-D0", "district", None), ("CAP0-D0-HSch0", "school", "CAP0-D0")]

    def test_a_school_under_a_school_is_imported_without_the_link(self, tmp_path):
        """OneRoster: a school whose parent is another school (a campus) no longer refuses
        the whole file; the link is dropped with a note and counted."""
        folder = copy_fixture(tmp_path, "oneroster", "messy")
        orgs = folder / "orgs.csv"
        orgs.write_bytes(orgs.read_bytes().replace(
            b"s-annex,tobedeleted,8/1/2026,Cedar Creek Annex,school,'00299,d-cedar",
            b"s-annex,active,8/1/2026,Cedar Creek Annex,school,'00299,s-cedar-high"))
        result = import_oneroster(folder)
        assert result.graph["s-annex"].parent is None
        assert result.skipped["parent link of a kind the model does not nest (link "
                              "dropped)"] == 1
        assert any("s-annex (school under school s-cedar-high, line 5)" in n
                   for n in result.notes)

    def test_an_org_refused_for_its_type_is_named_as_refused(self, tmp_path):
        """A child of an org refused for its type is not told its parent is missing."""
        folder = copy_fixture(tmp_path, "oneroster", "messy")
        orgs = folder / "orgs.csv"
        orgs.write_bytes(orgs.read_bytes().replace(b"Schools,district", b"Schools,distrct"))
        messages = [p.message for p in problems_of(import_oneroster, folder)]
        assert "unknown org type" in messages
        assert not any("is not in orgs.csv" in m for m in messages)
        assert ("parent org 'd-cedar' was refused for its unknown type 'distrct' (line 2)"
                in messages)

    def test_oneroster_lenient_keeps_orgs_whose_parent_is_missing(self, tmp_path):
        """A parent not in orgs.csv: refused, or with lenient imported as a root."""
        folder = copy_fixture(tmp_path, "oneroster", "messy")
        orgs = folder / "orgs.csv"
        orgs.write_bytes(orgs.read_bytes().replace(b",'00202,d-cedar", b",'00202,d-elsewhere"))
        (p,) = problems_of(import_oneroster, folder)
        assert (p.line, p.field) == (4, "parentSourcedId")
        result = import_oneroster(folder, lenient=True)
        assert result.graph["s-cedar-high"].parent is None
        assert [(d.line, d.field) for d in result.dangling] == [(4, "parentSourcedId")]

    NCES = FIXTURES / "directory" / "nces"

    def test_a_grade_span_in_two_columns(self):
        """NCES' Low Grade / High Grade: the grades between, as one span."""
        result = import_directory_csv(self.NCES / "schools.csv", self.NCES / "mapping.toml")
        grades = {u.name: u.grades for u in result.graph.units("school")}
        assert grades == {"Lincoln Elementary School": "PK-5",
                          "Maple Valley Middle School": "6-8",
                          "Cedar Creek Elementary": "K-5", "Cedar Creek High School": "9-12",
                          "Cedar Creek Alternative Education": "UG",
                          "Cedar Creek Virtual Academy": ""}

    def test_a_bad_grade_names_its_cell(self, tmp_path):
        """A grade that is no grade: row, column and field of the low or high cell."""
        path = tmp_path / "schools.csv"
        path.write_bytes((self.NCES / "schools.csv").read_bytes().replace(b'"KG"', b"Z", 1)
                         .replace(b",KG,", b",Z,", 1))
        (p,) = problems_of(import_directory_csv, path, self.NCES / "mapping.toml")
        assert (p.line, p.column, p.field, p.received) == (4, 5, "Low Grade*", "'Z'")
        assert "'Z' is not a grade" in p.message

    def test_a_span_needs_both_columns(self):
        """A mapping with only a low grade column is refused by name."""
        mapping = {"district_id": "NCES District ID", "district_name": "District",
                   "school_id": "NCES School ID", "school_name": "School Name",
                   "grades_low": "Low Grade*"}
        (p,) = problems_of(import_directory_csv, self.NCES / "schools.csv", mapping)
        assert p.field == "grades_high"

    def test_an_html_page_saved_as_xls_is_named_for_what_it_is(self):
        """NCES' "Excel" download is an HTML page: refused as one, not as missing columns."""
        (p,) = problems_of(import_directory_csv, self.NCES / "ncesdata_3C1A5B7D.xls",
                           self.NCES / "mapping.toml")
        assert "this is an HTML page, not a CSV export" in p.message

    @pytest.mark.parametrize(("head", "what"), [
        (b"PK\x03\x04rest", "Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "Excel 97-2003 workbook (.xls)"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html><table>", "HTML page")])
    def test_workbooks_and_pages_under_a_csv_name(self, tmp_path, head, what):
        """A workbook or a web page saved as .csv is refused naming what it is."""
        path = tmp_path / "schools.csv"
        path.write_bytes(head)
        (p,) = problems_of(import_directory_csv, path, self.NCES / "mapping.toml")
        assert what in p.message

    def test_an_exactly_repeated_row_is_counted(self):
        """A row pasted twice is read once, and the summary says so."""
        result = import_directory_csv(self.NCES / "schools.csv", self.NCES / "mapping.toml")
        assert result.skipped == {"repeated row (identical)": 1}
        assert "Skipped 1: 1 repeated row (identical)." in result.summary()

    def test_the_resource_names_shown_are_the_ones_read(self):
        """The note's resource list and the importer's table agree."""
        from mtss_core.io.importers._edfi_api import _RESOURCE_NAMES, RESOURCES

        assert {n.lower() for n in _RESOURCE_NAMES} == set(RESOURCES)


def _unsourced(data):
    """A document without the sources (the file each object came from)."""
    if isinstance(data, dict):
        return {k: _unsourced(v) for k, v in data.items() if k != "source"}
    if isinstance(data, list):
        return [_unsourced(v) for v in data]
    return data
