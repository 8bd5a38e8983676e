"""Hostile workbooks, worksheets, instruments, standard input and score pairs (hardening
round three): every fault a typed error at its sheet and cell, no hang, no memory blow-up,
nothing dropped silently.  Each test is named after the bug it guards against."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import mtss_core as mc
from mtss_core import example
from mtss_core.cli import main
from mtss_core.errors import ConfigError, DocumentError, ModelError, ModelTypeError

openpyxl = pytest.importorskip("openpyxl")

VISIONS = "xl/worksheets/sheet7.xml"     # the sheets of a workbook the library writes
HIGHLIGHTS = "xl/worksheets/sheet30.xml"


def run(*argv: str, stdin=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=stdin)
    return code, out.getvalue(), err.getvalue()


def workbook(tmp_path: Path, name: str = "layer.xlsx") -> Path:
    path = tmp_path / name
    mc.dump(example(), path)
    return path


def tamper(path: Path, member: str, change) -> None:
    """Rewrite one member of the workbook's zip archive."""
    with zipfile.ZipFile(path) as archive:
        members = [(i, archive.read(i)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, body in members:
            if info.filename == member:
                body = change(body.decode()).encode()
            archive.writestr(info, body)


def cell(xml: str, ref: str, new: str) -> str:
    """Replace the cell ``ref`` (it must be there) with ``new``."""
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)')
    assert pattern.search(xml), ref
    return pattern.sub(new, xml, count=1)


# --- cells parsed lazily, outside the reader's error handling --------------------------------

@pytest.mark.parametrize(("name", "change"), [
    ("bad sheet XML", lambda x: x.replace("</sheetData>", "<sheetData")),
    ("a 5,000-digit number", lambda x: cell(x, "B2", f'<c r="B2"><v>{"1" * 5000}</v></c>')),
    ("abc in a number cell", lambda x: cell(x, "B2", '<c r="B2" t="n"><v>abc</v></c>')),
    ("a shared string out of range", lambda x: cell(x, "B2", '<c r="B2" t="s"><v>99999</v></c>')),
    ("a bad date cell", lambda x: cell(x, "E2", '<c r="E2" t="d"><v>not a date</v></c>')),
    ("a bad boolean", lambda x: cell(x, "B2", '<c r="B2" t="b"><v>maybe</v></c>')),
    ("a bad cell reference", lambda x: cell(x, "B2", '<c r="!!"><v>1</v></c>')),
    ("a row numbered x", lambda x: x.replace('<row r="2"', '<row r="x"', 1)),
    ("a bad merge", lambda x: x.replace("</sheetData>", "</sheetData><mergeCells count=\"1\">"
                                         "<mergeCell ref=\"ZZ:!\"/></mergeCells>")),
])
def test_a_damaged_sheet_is_a_document_error_at_its_sheet(tmp_path, name, change):
    """Each escaped as ParseError, ValueError, IndexError or TypeError."""
    path = workbook(tmp_path)
    tamper(path, VISIONS, change)
    with pytest.raises(DocumentError) as caught:
        mc.load(path)
    assert all(p.source == str(path) for p in caught.value.problems)
    text = str(caught.value)
    assert "Visions" in text or "cannot read the workbook" in text, (name, text)
    code, _, err = run("validate", str(path), "--diff")
    assert code == 2 and err.startswith("mtss: ") and "internal error" not in err


def test_a_stale_dimension_drops_no_row(tmp_path):
    """A stale <dimension> (A1:F2) loaded 1 of 4 success highlights."""
    path = workbook(tmp_path)
    expected = len(example().objects("success_highlight"))
    assert expected > 1
    tamper(path, HIGHLIGHTS, lambda x: re.sub(r'<dimension ref="[^"]*"',
                                              '<dimension ref="A1:F2"', x))
    assert len(mc.load(path).objects("success_highlight")) == expected


def _claims_a_whole_sheet(path: Path) -> None:
    def change(x: str) -> str:
        x = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', x)
        return x.replace("</sheetData>",
                         '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>')
    tamper(path, HIGHLIGHTS, change)


def test_a_claimed_whole_sheet_is_read_as_the_cells_it_holds(tmp_path):
    """A1:XFD1048576 with one far-off blank cell hung the load (40 s for 48 KB) and made
    --diff reach 3 GB (a walk to max_row): each now reads the cells that exist.  (Run in a
    process with a bound on its memory and its time, so a regression fails, not hangs.)"""
    path = workbook(tmp_path)
    _claims_a_whole_sheet(path)
    code = (f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({2 << 30}, {2 << 30}))\n"
            "import sys; from mtss_core.cli import main\n"
            f"sys.exit(main(['validate', {str(path)!r}, '--diff', '--unsafe-fixes']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr
    assert len(mc.load(path).objects("success_highlight")) == len(
        example().objects("success_highlight"))


def test_two_columns_for_one_field_are_refused_with_both_cells(tmp_path):
    """'summary' and 'Summary': the later won silently."""
    path = workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["Success highlights"]
    head = {c.value: c.column for c in ws[1]}
    extra = ws.max_column + 1
    ws.cell(1, extra).value = "Summary"
    book.save(path)
    letter = openpyxl.utils.get_column_letter
    with pytest.raises(DocumentError, match=(
            rf"Success highlights!{letter(extra)}1.*second column for 'summary'.*"
            rf"Success highlights!{letter(head['summary'])}1")):
        mc.load(path)


def test_a_second_sheet_for_one_section_is_refused(tmp_path):
    """A second sheet 'Success highlights ' (trailing space) was skipped with its rows."""
    path = workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["Success highlights"])
    copy.title = "Success highlights "
    book.save(path)
    with pytest.raises(DocumentError, match="two sheets for 'Success highlights'"):
        mc.load(path)


def test_thousands_of_broken_references_are_refused_promptly(tmp_path):
    """Each unresolved reference searched every id: 4k broken references took 45 s.
    (Bounded by a process time-out: a regression fails, it does not hang the suite.)"""
    data = mc.to_data(example())
    data["people"] += [{"id": f"p-{i:05d}", "name": f"Person {i}", "unit": f"sch-{i:05d}x"}
                       for i in range(4000)]
    path = tmp_path / "broken.xlsx"
    ok = mc.from_data({**data, "people": data["people"][:-4000]})
    mc.dump(ok, path)
    book = openpyxl.load_workbook(path)
    ws = book["People"]
    head = {c.value: c.column for c in ws[1]}
    for i, person in enumerate(data["people"][-4000:], start=ws.max_row + 1):
        ws.cell(i, head["id"]).value = person["id"]
        ws.cell(i, head["name"]).value = person["name"]
        ws.cell(i, head["unit"]).value = person["unit"]
    book.save(path)
    code = f"import mtss_core as mc\ntry:\n mc.load({str(path)!r})\nexcept mc.MtssError as e:\n" \
           " print(len(e.problems), e.truncated)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[1] == "True"


def test_a_date_cell_out_of_range_is_named_without_a_warning(tmp_path):
    """openpyxl warned on stderr ("Cell F9 is marked as a date...") and the value was
    reported as got '#VALUE!'."""
    path = workbook(tmp_path)

    def change(x: str) -> str:
        style = re.search(r'<c r="E2" s="(\d+)"', x)
        assert style, "the adopted_on cell carries a date style"
        return cell(x, "E2", f'<c r="E2" s="{style.group(1)}"><v>1000000000000</v></c>')

    tamper(path, VISIONS, change)
    with pytest.raises(DocumentError) as caught:  # (filterwarnings=error: none escapes)
        mc.load(path)
    assert "Visions!E2" in str(caught.value) and "serial number" in str(caught.value)
    assert "#VALUE!" not in str(caught.value)


# --- the capacity worksheet ------------------------------------------------------------------

def _worksheet(tmp_path: Path) -> Path:
    from mtss_core.capacity import capacity, write_worksheet

    path = tmp_path / "dca.xlsx"
    write_worksheet(capacity(example(), "dist-maple", "district"), path)
    return path


def _fill(path: Path, scores: dict[int, object], respondents: str = "") -> None:
    book = openpyxl.load_workbook(path)
    ws = book["Worksheet"]
    ws["C6"] = "2026-05-01"
    if respondents:
        ws["C8"] = respondents
    for row, score in scores.items():
        ws.cell(row, 8).value = score
    book.save(path)


def test_a_duplicated_item_row_with_another_score_is_refused(tmp_path):
    """Item L1 was recorded as 0 when its rows said 2 and 0 (last wins)."""
    from mtss_core.capacity import read_worksheet

    path = _worksheet(tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["Worksheet"]
    first = 12
    ws.insert_rows(first + 1)
    for c in range(1, 10):
        ws.cell(first + 1, c).value = ws.cell(first, c).value
    book.save(path)
    _fill(path, {first: 2, first + 1: 0})
    with pytest.raises(DocumentError, match=r"Worksheet!H13.*scored twice: 2 at H12 and 0"):
        read_worksheet(path)


def test_a_respondent_typed_as_a_name_is_refused_at_its_cell_with_the_id(tmp_path):
    """'Maria Lopez' was refused with no cell and no suggestion."""
    from mtss_core.capacity import read_worksheet

    g = example()
    person = g.people()[0]
    path = _worksheet(tmp_path)
    _fill(path, {12: 2}, respondents=f"{person.name.upper()}")
    with pytest.raises(DocumentError, match=rf"Worksheet!C8.*did you mean '{person.id}'"):
        read_worksheet(path, g)
    src = tmp_path / "layer.json"
    mc.dump(g, src)
    code, _, err = run("capacity", str(src), "--record", str(path), "-o",
                       str(tmp_path / "out.json"))
    assert code == 2 and "Worksheet!C8" in err


def test_a_worksheet_claiming_a_wide_dimension_is_read_in_bounds(tmp_path):
    """A 160 KB worksheet with a claimed wide dimension reached 3 GB (list(iter_rows))."""
    from mtss_core.capacity import read_worksheet

    path = _worksheet(tmp_path)
    _fill(path, {12: 2})
    tamper(path, "xl/worksheets/sheet1.xml", lambda x: re.sub(
        r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', x).replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'))
    assert read_worksheet(path).scores


def test_a_damaged_worksheet_is_a_document_error(tmp_path):
    from mtss_core.capacity import read_worksheet

    path = _worksheet(tmp_path)
    tamper(path, "xl/worksheets/sheet1.xml", lambda x: x.replace("</sheetData>",
                                                                 "<sheetData"))
    with pytest.raises(DocumentError, match="Worksheet"):
        read_worksheet(path)


# --- instruments and wording -----------------------------------------------------------------

def _instrument(tmp_path: Path, **item_changes) -> Path:
    from mtss_core.capacity import instrument

    data = instrument("district").to_data()
    data["items"][0].update(item_changes)
    path = tmp_path / "dca.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("args", [{"window": 6}, {"days": "sixty"}, {"team": "dlt"},
                                  {"max_focus_areas": True}, {"criterion": "high"}])
def test_instrument_args_of_the_wrong_type_are_refused_at_load(tmp_path, args):
    """They reached the evidence functions (ValueError, TypeError)."""
    from mtss_core.capacity import load_instrument

    with pytest.raises(ConfigError, match=rf"args\.{next(iter(args))}"):
        load_instrument(_instrument(tmp_path, args=args))


@pytest.mark.parametrize("wording", [
    [1, 2], {"items": {"L1": {"criteria": "abc"}}}, {"items": {"L1": {"criteria": 3}}},
    {"items": {"L1": {"title": 5}}}, {"areas": {"leadership": {"title": []}}},
    {"items": ["L1"]}])
def test_wording_of_the_wrong_shape_is_a_config_error(tmp_path, wording):
    """TypeError / AttributeError; "abc" was accepted as three one-letter criteria."""
    from mtss_core.capacity import instrument

    path = tmp_path / "wording.json"
    path.write_text(json.dumps(wording))
    with pytest.raises(ConfigError):
        instrument("district").with_wording(path)
    if isinstance(wording, dict):
        with pytest.raises(ConfigError):
            instrument("district").with_wording(wording)


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_deeply_nested_instrument_files_are_refused(tmp_path, suffix):
    """Nesting 100,000 deep gave RecursionError."""
    from mtss_core.capacity import load_instrument

    path = tmp_path / f"deep{suffix}"
    path.write_text("[" * 100_000 + "]" * 100_000 if suffix == ".json"
                    else "x = " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(ConfigError, match="nest"):
        load_instrument(path)


@pytest.mark.parametrize("option", ["--instrument", "--wording", "--record"])
def test_a_fifo_given_to_capacity_is_refused_not_waited_on(tmp_path, option):
    """--instrument, --wording and --record given a FIFO blocked forever."""
    src = tmp_path / "layer.json"
    mc.dump(example(), src)
    fifo = tmp_path / ("pipe.xlsx" if option == "--record" else "pipe.json")
    os.mkfifo(fifo)
    argv = ["capacity", str(src), "--district", "dist-maple", option, str(fifo)]
    if option == "--record":
        argv += ["-o", str(tmp_path / "out.json")]
    done = subprocess.run([sys.executable, "-m", "mtss_core.cli", *argv], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 2 and "internal error" not in done.stderr, done.stderr


# --- standard input --------------------------------------------------------------------------

class _Endless(io.RawIOBase):
    """A stream that never ends (as /dev/zero); records how much was asked of it."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.asked.append(n)
        if n < 0:
            raise MemoryError("read to the end of an endless stream")
        return b" " * n


class _Stdin:
    def __init__(self, raw) -> None:
        self.buffer = raw


def test_an_endless_standard_input_is_refused_at_the_limit(monkeypatch):
    """`< /dev/zero` ended in MemoryError; 600 MiB peaked at 1.9 GB before the refusal."""
    import mtss_core.cli._common as common

    monkeypatch.setattr(common, "Limits", lambda: mc.Limits(max_bytes=1000))
    raw = _Endless()
    code, _, err = run("validate", "-", stdin=_Stdin(raw))
    assert raw.asked == [1001]
    assert code == 2 and "<stdin>: more than 1,000 bytes" in err


def test_non_utf8_standard_input_is_a_document_error():
    """It was "internal error (UnicodeDecodeError)"."""
    code, _, err = run("validate", "-", "--input-format", "json",
                       stdin=_Stdin(io.BytesIO(b'{"format_version": 1, "x": "\xff"}')))
    assert code == 2 and "<stdin>: not UTF-8 text (byte 28)" in err


def test_a_workbook_on_standard_input_is_named_stdin(tmp_path):
    """Problems were reported under a deleted temporary file's path."""
    path = workbook(tmp_path)
    tamper(path, VISIONS, lambda x: x.replace("</sheetData>", "<sheetData"))
    code, _, err = run("validate", "-", stdin=_Stdin(io.BytesIO(path.read_bytes())))
    assert code == 2 and "<stdin>" in err and "stdin.xlsx" not in err


# --- the model's score pairs -----------------------------------------------------------------

@pytest.mark.parametrize("bad", [[("a", 1, 2)], ["ab"], 5, [["a"]], "ab"])
@pytest.mark.parametrize(("make", "field"), [
    (lambda v: mc.model.FidelityAssessment(id="f", unit="u", instrument="tfi",
                                           assessed_on="2026-01-01", total=80,
                                           subscales=v), "subscales"),
    (lambda v: mc.model.LeadershipSelfAssessment(id="l", subject="t",
                                                 assessed_on="2026-01-01", scores=v),
     "scores"),
    (lambda v: mc.model.CapacityAssessment(id="c", unit="u", instrument="district",
                                           administered_on="2026-01-01", scores=v),
     "scores"),
])
def test_malformed_score_pairs_are_model_errors(make, field, bad):
    """The converters raised bare ValueError / TypeError ("too many values to unpack")."""
    with pytest.raises(ModelError) as caught:
        make(bad)
    assert caught.value.field == field
    assert "unpack" not in str(caught.value)


def test_malformed_subscales_in_a_document_name_the_field():
    data = mc.to_data(example())
    data["fidelity_assessments"][0]["subscales"] = [["Tier 1", 80, 3]]
    with pytest.raises(DocumentError, match=r"/fidelity_assessments/0/subscales.*pairs"):
        mc.from_data(data)


def test_malformed_scores_through_a_session_replace_change_nothing():
    import attrs

    from mtss_core import Session

    g = example()
    s = Session(g)
    old = g.objects("fidelity_assessment")[0]
    with pytest.raises(ModelTypeError):
        s.replace(attrs.evolve(old, subscales=[("a", 1, 2)]))
    assert g[old.id] == old


# --- refresh and diff ------------------------------------------------------------------------

def test_a_roster_person_taking_a_layer_objects_id_is_refused():
    """The layer's success highlight 'sh-maple-board' vanished when a new roster person
    took its id, and the record said "no roster change"."""
    from mtss_core.analysis import refresh

    current = example()
    highlight = current.objects("success_highlight")[0]
    data = mc.to_data(current)
    roster = {"format_version": 1, "units": data["units"],
              "people": [*data["people"], {"id": highlight.id, "name": "New Hire",
                                            "unit": "dist-maple"}]}
    with pytest.raises(ModelError, match=r"takes the id of the layer's success highlight"):
        refresh(current, mc.from_data(roster), as_of="2027-08-01")


def test_layer_objects_the_new_document_holds_are_kept_and_named():
    """Teams or visions the new document held (import --overlay) were dropped silently."""
    from mtss_core import Team
    from mtss_core.analysis import refresh

    current = example()
    new = example()
    new.add(Team(id="t-new-overlay", kind="school-leadership", unit="sch-lincoln"))
    nxt, record = refresh(current, new, as_of="2027-08-01")
    assert "t-new-overlay" in nxt
    assert any("t-new-overlay" in n for n in record.notes)


def test_a_seat_whose_roles_change_is_one_change_in_the_diff():
    """It was listed as "seat given up" plus "seat taken"."""
    import attrs

    from mtss_core.analysis import diff

    old, new = example(), example()
    seat = next(m for m in new.memberships() if m.roles)
    roles = (*seat.roles, "data-lead") if "data-lead" not in seat.roles else seat.roles[:1]
    new.replace(attrs.evolve(seat, roles=roles))
    d = diff(old, new)
    assert d.seats_added == () and d.seats_removed == ()
    assert len(d.seats_changed) == 1
    assert str(d.seats_changed[0]).startswith("roles changed: " + ", ".join(
        map(str, seat.roles)) + " → ")
    assert "seat changed" in d.to_markdown() and d.to_dict()["seats_changed"]
