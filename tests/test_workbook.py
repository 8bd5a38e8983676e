"""Workbooks: the document as a spreadsheet to fill in, read back cell by cell, and opened
by a real spreadsheet program (LibreOffice, headless)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import mtss_core as mc
from conftest import debian_program, examples
from mtss_core import example, validate
from mtss_core.cli import main
from mtss_core.errors import DocumentError, MissingExtraError
from mtss_core.io import Limits
from strategies import structures

openpyxl = pytest.importorskip("openpyxl")

FIXTURE = Path(__file__).parent / "fixtures" / "workbook" / "hand-filled.xlsx"


def roundtrip(graph, folder):
    path = Path(folder) / "g.xlsx"
    mc.dump(graph, path)
    return mc.load(path)


# --- the workbook as written ------------------------------------------------------------------

class TestWritten:
    def test_the_example_round_trips(self, tmp_path):
        again = roundtrip(example(), tmp_path)
        assert mc.to_data(again) == mc.to_data(example())
        assert validate(again) == validate(example())

    def test_sheets_roster_first_headers_frozen_and_bold(self, tmp_path):
        path = tmp_path / "x.xlsx"
        mc.dump(example(), path)
        book = openpyxl.load_workbook(path)
        names = book.sheetnames
        assert names[:6] == ["About", "Units", "People", "Person assignments", "Teams",
                             "Team members"]
        assert names[-1] == "Lists" and book["Lists"].sheet_state == "hidden"
        units = book["Units"]
        assert [c.value for c in units[1]][:4] == ["id", "kind", "name", "parent"]
        assert all(c.font.bold for c in units[1]) and units.freeze_panes == "A2"
        assert units.column_dimensions["C"].width > len("name") + 2  # sized to the names
        members = book["Team members"]
        assert [c.value for c in members[1]] == ["team", "person", "roles", "since", "until"]
        assert members["C3"].value == "director, liaison"  # lists comma-separated
        assert isinstance(book["Visions"]["E2"].value, dt.datetime)  # dates as dates
        about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True) if r[0]}
        assert about["format_version"] == 1 and about["as_of"].date() == dt.date(2026, 9, 1)

    def test_dropdowns_for_choices_and_references(self, tmp_path):
        """Enumerations list their choices; references list the objects of the sheets
        referred to as "Name (id)", from formulas over those sheets' rows and room below
        them, so rows added later appear; a reference is not enforced (an id typed by
        hand, or a name picked, are both read)."""
        path = tmp_path / "x.xlsx"
        mc.dump(example(), path)
        book = openpyxl.load_workbook(path)
        names = book.defined_names
        rules = {str(v.sqref).split(":")[0]: v
                 for v in book["Team members"].data_validations.dataValidation}
        people = names[rules["B2"].formula1.lstrip("=")].attr_text
        assert people.startswith("'Lists'!$") and not rules["B2"].showErrorMessage
        column = people.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
        formulas = [c.value for c in book["Lists"][column][1:4]]
        assert formulas[0] == ('=IF(\'People\'!$A2="","",IF(\'People\'!$B2="",'
                               '\'People\'!$A2,\'People\'!$B2&" ("&\'People\'!$A2&")"))')
        last = int(people.rsplit("$", 1)[1])
        assert last >= len(example().people()) + 200  # room for people added later
        roles = rules["C2"]
        assert not roles.showErrorMessage  # several roles, and roles of one's own
        kinds = next(v for v in book["Units"].data_validations.dataValidation
                     if str(v.sqref).startswith("B2"))
        assert kinds.showErrorMessage
        listed = names[kinds.formula1.lstrip("=")].attr_text
        values = [c.value for c in book["Lists"][listed.split("!")[1].replace("$", "")
                                                 .split(":")[0][0]] if c.value]
        assert values[1:] == ["state", "isd", "district", "school", "grade", "department",
                              "course"]

    def test_text_stays_text(self, tmp_path):
        """A statement that looks like a formula is written as text, and read back."""
        import attrs

        g = example()
        g.replace(attrs.evolve(g["v-maple"], statement="=HYPERLINK(\"x\")+1"))
        assert roundtrip(g, tmp_path)["v-maple"].statement == "=HYPERLINK(\"x\")+1"

    def test_too_many_rows_for_a_sheet_is_said_before_writing(self, tmp_path, monkeypatch):
        from mtss_core.io import _workbook

        monkeypatch.setattr(_workbook, "MAX_ROWS", 10)
        with pytest.raises(DocumentError, match="a workbook sheet holds 9; write a JSON"):
            mc.dump(example(), tmp_path / "big.xlsx")
        assert not (tmp_path / "big.xlsx").exists()


def _as_typed(obj):
    """``obj`` with its text as a person would type it in a cell: no spaces around it
    (a workbook does not keep them: a trailing space typed by accident is not data)."""
    import attrs

    def tidy(value):
        if attrs.has(type(value)):  # an agenda item, an assignment, an escalation
            return _as_typed(value)
        if isinstance(value, tuple) and value and attrs.has(type(value[0])):
            return tuple(_as_typed(v) for v in value)
        if isinstance(value, float):  # a spreadsheet keeps 15 significant digits
            return float(f"{value:.12g}")
        if isinstance(value, str) and "\r" in value:  # (a cell's line ends are \n)
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if isinstance(value, str) and value != value.strip():
            return value.strip() or "x"
        if isinstance(value, str):
            return value
        if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
            return tuple(dict.fromkeys(" ".join(v.split()) or "x" for v in value))
        return value

    if not attrs.has(type(obj)):
        return obj
    changes = {a.name: tidy(getattr(obj, a.name)) for a in attrs.fields(type(obj))
               if a.init}
    return attrs.evolve(obj, **{k: v for k, v in changes.items()
                                if v is not getattr(obj, k)})


@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(objs=structures())
def test_any_structure_round_trips_with_the_same_findings(tmp_path, objs):
    """Document -> workbook -> document: the same graph, the same findings (text as a
    cell holds it: without surrounding spaces)."""
    graph = mc.AlignmentGraph([_as_typed(o) for o in objs], as_of="2026-09-01")
    again = roundtrip(graph, tmp_path)
    assert mc.to_data(again) == mc.to_data(graph)
    assert validate(again) == validate(graph)


# --- a workbook filled in by hand -------------------------------------------------------------

class TestFilledByHand:
    def test_the_hand_filled_workbook_loads(self):
        """Blank rows, trailing spaces, roles typed in another case or with a space, a
        date typed as text, a row deleted in the middle, saved by LibreOffice Calc."""
        g = mc.load(FIXTURE)
        assert [(m.person, [str(r) for r in m.roles], str(m.since))
                for m in g.members("d-birch-dlt")] == [
            ("u-reyes", ["superintendent"], "None"),
            ("u-adams", ["principal", "mtss-lead"], "2026-08-20"),
            ("u-cho", ["principal"], "2026-08-20")]
        assert [str(r) for r in g.roles("s-north-slt", "u-evans")] == ["teacher-leader"]
        assert g.membership("d-birch-exec", "u-hill") is None  # the row deleted
        assert [a.name for a in g.focus_areas("d-birch")] == [
            "Early literacy", "Attendance", "Tier 2 behavior supports"]
        assert g["v-d-birch"].statement.endswith("by grade 3.")
        assert g["u-adams"].source == "oneroster:users.csv"  # the roster's, kept
        assert str(g.as_of) == "2026-08-20"

    def test_an_id_typed_in_another_case_is_refused_at_its_cell(self):
        """The same workbook with one id typed as 'U-Cho' (saved by LibreOffice): ids are
        matched exactly, and the one meant is named."""
        typo = FIXTURE.with_name("hand-filled-typo.xlsx")
        with pytest.raises(DocumentError) as caught:
            mc.load(typo)
        assert [str(p) for p in caught.value.problems] == [
            f"{typo}: Team members!B12 (person): no object with id 'U-Cho' (did you mean "
            "'u-cho'?)"]

    @pytest.mark.parametrize(("sheet", "cell", "value", "expected"), [
        ("Team members", "C4", "princpal",
         "Team members!C4 (roles): unknown role 'princpal' (did you mean 'principal'?)"),
        ("Team members", "B4", "U-Adams",
         "Team members!B4 (person): no object with id 'U-Adams' (did you mean 'u-adams'?)"),
        ("Team members", "A4", "d-birch-DLT",
         "Team members!A4 (team): no team with id 'd-birch-DLT' on the sheet 'Teams' (did "
         "you mean 'd-birch-dlt'?)"),
        ("Units", "B3", "schol",
         "Units!B3 (kind): unknown kind 'schol' (did you mean 'school'?)"),
        ("Team members", "D5", "01/09/2026",
         "Team members!D5 (since): '01/09/2026' can be read two ways: 1 September 2026 "
         "(day first) or 9 January 2026 (month first); type it as 2026-09-01 or "
         "2026-01-09"),
        ("Visions", "C3", "v-nope",
         "Visions!C3 (aligned_to): vision 'v-s-north': aligned_to 'v-nope' is not in the graph"),
        ("Team members", "C1", "rolse",
         "Team members!C1: unknown field 'rolse' (did you mean 'roles'?)"),
        ("Team members", "G3", "stray",
         "Team members!G3: a value under no field: 'stray'"),
    ])
    def test_every_error_names_the_cell(self, tmp_path, sheet, cell, value, expected):
        book = openpyxl.load_workbook(FIXTURE)
        book[sheet][cell] = value
        path = tmp_path / "maple.xlsx"
        book.save(path)
        with pytest.raises(DocumentError) as caught:
            mc.load(path)
        messages = [str(p) for p in caught.value.problems]
        assert any(m.startswith(f"{path}: {expected}") for m in messages), messages

    def test_a_duplicate_id_names_both_cells(self, tmp_path):
        book = openpyxl.load_workbook(FIXTURE)
        units = book["Units"]
        units.append(["s-north", "school", "Again", "d-birch"])
        path = tmp_path / "dup.xlsx"
        book.save(path)
        with pytest.raises(DocumentError, match=r"Units!A6 \(id\): id 's-north' is used twice: "
                                                r"here and at Units!A3"):
            mc.load(path)

    def test_a_misnamed_sheet(self, tmp_path):
        book = openpyxl.load_workbook(FIXTURE)
        book["Team members"].title = "Team member"
        book.create_sheet("My notes").append(["anything"])  # a sheet of one's own: fine
        path = tmp_path / "s.xlsx"
        book.save(path)
        with pytest.raises(DocumentError) as caught:
            mc.load(path)
        assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
            "Team member!A1: unknown sheet 'Team member' (did you mean 'Team members'?)"]

    def test_limits_and_what_is_not_a_workbook(self, tmp_path):
        with pytest.raises(DocumentError, match=r"Limits\.max_bytes"):
            mc.load(FIXTURE, limits=Limits(max_bytes=10_000))
        with pytest.raises(DocumentError, match=r"Limits\.max_zip_ratio"):
            mc.load(FIXTURE, limits=Limits(max_zip_ratio=2))
        fake = tmp_path / "fake.xlsx"
        fake.write_text("id,kind\nd1,district\n")
        with pytest.raises(DocumentError, match=r"not an \.xlsx workbook"):
            mc.load(fake)
        with pytest.raises(DocumentError, match="a workbook is a file, not text"):
            mc.loads("x", "xlsx")

    def test_the_schema_check_points_at_cells(self, tmp_path):
        pytest.importorskip("jsonschema")
        book = openpyxl.load_workbook(FIXTURE)
        book["Units"]["B3"] = "schol"
        path = tmp_path / "schema.xlsx"
        book.save(path)
        with pytest.raises(DocumentError, match=r"Units!B3"):
            mc.load(path, check_schema=True)

    def test_without_the_extra(self, tmp_path, monkeypatch):
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        with pytest.raises(MissingExtraError, match=r"mtss-core\[xlsx\]"):
            mc.load(FIXTURE)
        with pytest.raises(MissingExtraError, match="xlsx"):
            mc.dump(example(), tmp_path / "x.xlsx")


# --- on the command line ---------------------------------------------------------------------

def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_convert_between_formats(tmp_path):
    pytest.importorskip("yaml")
    source = tmp_path / "lakeshore.json"
    mc.dump(example(), source)
    book, text = tmp_path / "lakeshore.xlsx", tmp_path / "lakeshore.yaml"
    assert run("convert", str(source), str(book))[0] == 0
    assert run("convert", str(book), str(text))[0] == 0
    assert mc.to_data(mc.load(text)) == mc.to_data(example())
    code, out, _ = run("validate", str(book), "--format", "json")
    assert code == 1 and '"ALN001"' in out
    code, _, err = run("convert", str(source), str(tmp_path / "x.csv"))
    assert code == 2 and ".xlsx" in err


def test_init_writes_a_starter_workbook(tmp_path):
    roster = mc.import_oneroster(Path(__file__).parent / "fixtures" / "refresh" /
                                 "oneroster-2026", as_of="2026-08-20").graph
    source = tmp_path / "imported.json"
    mc.dump(roster, source)
    code, out, _ = run("init", "--from", str(source), "-o", str(tmp_path / "starter.xlsx"))
    assert code == 0 and "objects added for d-birch" in out
    g = mc.load(tmp_path / "starter.xlsx")
    assert [t.id for t in g.teams_of("d-birch")] == ["d-birch-exec", "d-birch-dlt",
                                                      "d-birch-dit"]


# --- in a real spreadsheet program ------------------------------------------------------------

def _soffice() -> str:
    """LibreOffice headless (Debian's libreoffice-calc-nogui)."""
    return debian_program(("soffice", "libreoffice"), "libreoffice-calc-nogui",
                          "LibreOffice headless")


def _shown(value) -> str:
    """A cell as a spreadsheet program shows it in CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _calc(soffice: str, args: list[str], cwd: Path) -> None:
    profile = cwd / "lo-profile"
    done = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_libreoffice_reads_what_was_written_and_its_copy_loads(tmp_path):
    """LibreOffice Calc opens the workbook: each sheet, exported as CSV, holds exactly
    the cells written; the workbook it saves again loads to the same structure."""
    soffice = _soffice()
    path = tmp_path / "lakeshore.xlsx"
    mc.dump(example(), path)
    _calc(soffice, ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,"
                    "true,true,false,false,-1", path.name], tmp_path)
    book = openpyxl.load_workbook(path)
    for name in book.sheetnames:
        written = [[_shown(v) for v in row] for row in book[name].iter_rows(values_only=True)]
        with open(tmp_path / f"lakeshore-{name}.csv", encoding="utf-8", newline="") as f:
            shown = list(csv.reader(f))
        width = max((len(r) for r in written), default=0)
        shown = [r + [""] * (width - len(r)) for r in shown]
        written = [r + [""] * (width - len(r)) for r in written]
        if name == "Lists":  # the dropdowns' "Name (id)" formulas, as Calc computes them
            labels = {v for r in shown for v in r if v.endswith(")")}
            assert "Dr. Renee Hale (p-hale)" in labels and "Lincoln Elementary " \
                "(sch-lincoln)" in labels
            written = [[s if w.startswith("=") else w for w, s in zip(wr, sr, strict=True)]
                       for wr, sr in zip(written, shown, strict=False)]
            shown = shown[:len(written)]
        assert shown == written, name
    saved = tmp_path / "saved"
    saved.mkdir()
    _calc(soffice, ["--convert-to", "xlsx", "--outdir", str(saved), path.name], tmp_path)
    again = mc.load(saved / "lakeshore.xlsx")
    assert mc.to_data(again) == mc.to_data(example())


def test_libreoffice_prints_the_hand_filled_sheet(tmp_path):
    """The picture in docs/keeping-current.md: the Team members sheet as LibreOffice
    prints it (MTSS_UPDATE_SCREENSHOTS=1 renders it again into docs/img)."""
    soffice = _soffice()
    book = openpyxl.load_workbook(FIXTURE)
    for ws in book.worksheets:
        if ws.title != "Team members":
            ws.sheet_state = "hidden"
    sheet = book["Team members"]
    book.active = book.sheetnames.index("Team members")
    sheet.print_options.gridLines = sheet.print_options.headings = True
    sheet.print_area = "A1:E16"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    book.save(tmp_path / "members.xlsx")
    _calc(soffice, ["--convert-to", "pdf", "members.xlsx"], tmp_path)
    pdf = (tmp_path / "members.pdf").read_bytes()
    assert pdf[:4] == b"%PDF" and b"/Type/Page" in pdf.replace(b" /", b"/")
    if os.environ.get("MTSS_UPDATE_SCREENSHOTS") and shutil.which("pdftoppm"):
        from PIL import Image, ImageChops

        subprocess.run(["pdftoppm", "-r", "110", "-f", "1", "-l", "1", "-png",
                        "members.pdf", "page"], cwd=tmp_path, check=True)
        page = Image.open(tmp_path / "page-1.png").convert("RGB")
        box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
        assert box is not None
        page.crop((box[0] - 12, box[1] - 12, box[2] + 12, box[3] + 12)).save(
            Path(__file__).parents[1] / "docs" / "img" / "workbook-members.png")
