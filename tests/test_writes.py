"""Nothing lost, nothing corrupted: every file the library writes for a user is written
whole or not at all, and ``--fix`` changes the fixed values and nothing else (hardening
round three: each test is named after the bug it guards against)."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import mtss_core as mc
from mtss_core import example
from mtss_core._atomic import atomic_write, write_bytes, write_text
from mtss_core.cli import main
from mtss_core.errors import DocumentError, WriteError
from mtss_core.io import patch_file, patch_text
from strategies import structures

FULL_DISK = 16_384
#: Small enough that every command's output is larger.
TINY_DISK = 200


def run(*argv: str, stdin=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=stdin)
    return code, out.getvalue(), err.getvalue()


def run_with_full_disk(*argv: str, cwd: Path, limit: int = FULL_DISK
                       ) -> subprocess.CompletedProcess[str]:
    """``mtss ARGV`` in a process whose writes fail past 16 KiB (a full disk, a quota): the
    file-size limit, with SIGXFSZ ignored so a write gets EFBIG as a full disk's ENOSPC."""
    code = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from mtss_core.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)


def _big_example(tmp_path: Path, suffix: str) -> Path:
    """The example document, over 16 KiB in every format."""
    path = tmp_path / f"layer{suffix}"
    mc.dump(example(), path)
    assert path.stat().st_size > FULL_DISK
    return path


# --- atomic ---------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".json", ".yaml", ".xlsx"])
def test_fix_on_a_full_disk_leaves_the_document_byte_for_byte(tmp_path, suffix):
    """--fix on a full disk truncated JSON, YAML and xlsx documents to 16,384 bytes, said
    "File too large" without the file's name and (xlsx) printed a ZipFile traceback."""
    pytest.importorskip("yaml")
    path = _big_example(tmp_path, suffix)
    before = path.read_bytes()
    done = run_with_full_disk("validate", str(path), "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert path.read_bytes() == before
    assert done.returncode == 2, done.stderr
    assert f"cannot write {path}" in done.stderr and "the file is unchanged" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize("command", [
    ["convert", "{src}", "{out}.xlsx"], ["convert", "{src}", "{out}.yaml"],
    ["convert", "{src}", "{out}.json"], ["export", "{src}", "--format", "graphml", "-o",
                                         "{out}.graphml"],
    ["export", "{src}", "--format", "node-link", "-o", "{out}.json"],
    ["report", "{src}", "-o", "{out}.html"],
    ["init", "--from", "{src}", "--district", "dist-maple", "-o", "{out}.json"],
    ["validate", "{src}", "--format", "json", "-o", "{out}.json"],
    ["capacity", "{src}", "--district", "dist-maple", "--format", "xlsx", "-o",
     "{out}.xlsx"],
    ["validate", "{src}", "--write-baseline", "{out}.json"],
])
def test_every_command_that_writes_keeps_the_old_file_on_a_full_disk(tmp_path, command):
    """Each command's output replaces the target whole or not at all; the error names it."""
    pytest.importorskip("yaml")
    src = tmp_path / "src.json"
    mc.dump(example(), src)
    argv = [a.format(src=src, out=tmp_path / "out") for a in command]
    target = Path(argv[-1])
    old = b"the previous version, which must survive\n" * 10
    target.write_bytes(old)
    done = run_with_full_disk(*argv, cwd=tmp_path, limit=TINY_DISK)
    assert target.read_bytes() == old
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"cannot write {target}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["src.json", target.name])


def test_refresh_and_record_keep_the_old_file_on_a_full_disk(tmp_path):
    src = tmp_path / "src.json"
    mc.dump(example(), src)
    target = tmp_path / "next.json"
    target.write_text("old\n")
    done = run_with_full_disk("refresh", str(src), str(src), "-o", str(target),
                              "--as-of", "2027-08-01", cwd=tmp_path)
    assert target.read_text() == "old\n" and done.returncode == 2
    assert f"cannot write {target}" in done.stderr


def test_a_failure_part_way_leaves_the_original_and_no_temporary_file(tmp_path):
    target = tmp_path / "layer.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["layer.json"]


def test_a_failing_rename_is_a_write_error_naming_the_file(tmp_path, monkeypatch):
    """(as root a read-only folder can still be written, so the rename is made to fail)"""
    target = tmp_path / "layer.json"
    target.write_text("old")

    def refuse(*_):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError) as caught:
        write_text(target, "new")
    assert caught.value.path == str(target) and "Permission denied" in str(caught.value)
    assert target.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


def test_a_write_into_a_missing_folder_is_a_write_error(tmp_path):
    with pytest.raises(WriteError, match="nowhere"):
        write_bytes(tmp_path / "nowhere" / "x.json", b"{}")
    code, _, err = run("convert", "--input-format", "json", "-",
                       str(tmp_path / "nowhere" / "x.json"), stdin=io.StringIO("{}"))
    assert code == 2


def test_permissions_are_kept_and_symlinks_written_through(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.json"
    write_text(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_fix_writes_through_a_symlink_to_the_document(tmp_path):
    real = tmp_path / "docs" / "layer.json"
    real.parent.mkdir()
    mc.dump(example(), real)
    link = tmp_path / "layer.json"
    link.symlink_to(real)
    before = real.read_bytes()
    code, out, _ = run("validate", str(link), "--fix")
    assert link.is_symlink() and "fixed" in out
    assert real.read_bytes() != before


# --- faithful --fix: JSON and YAML ------------------------------------------------------------

def _crlf_bom(text: str) -> bytes:
    return ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")


def test_fix_keeps_crlf_line_endings_and_the_bom(tmp_path):
    """Every CRLF became LF (while --diff showed 7 lines) and the BOM was dropped."""
    path = tmp_path / "layer.json"
    mc.dump(example(), path)
    path.write_bytes(_crlf_bom(path.read_text()))
    before = path.read_bytes()
    _, diff, _ = run("validate", str(path), "--diff")
    removed = [line for line in diff.splitlines()
               if line.startswith("-") and not line.startswith("---")]
    run("validate", str(path), "--fix")
    after = path.read_bytes()
    assert after.startswith("\ufeff".encode())
    assert b"\n" not in after.replace(b"\r\n", b"")  # every line ending is still CRLF
    old_lines, new_lines = before.split(b"\r\n"), after.split(b"\r\n")
    import difflib

    gone = [line for line in difflib.ndiff([x.decode() for x in old_lines],
                                           [x.decode() for x in new_lines])
            if line.startswith("- ")]
    assert 0 < len(gone) == len(removed)  # what --diff showed is what changed
    assert mc.load(path)


def test_fix_keeps_yaml_comments(tmp_path):
    """YAML comments were all deleted by --fix, though docs/cli.md promises they stay."""
    yaml = pytest.importorskip("yaml")
    data = mc.to_data(example())
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    lines = body.splitlines()
    commented = [f"{line}  # note {i}" if line.strip().startswith("- id:") else line
                 for i, line in enumerate(lines)]
    text = "# Lakeshore's layer, kept by hand\n" + "\n".join(commented) + "\n"
    path = tmp_path / "layer.yaml"
    path.write_text(text)
    code, out, _ = run("validate", str(path), "--fix")
    after = path.read_text()
    assert "fixed" in out
    assert after.startswith("# Lakeshore's layer, kept by hand\n")
    assert after.count("# note ") == text.count("# note ")
    assert after != text


def test_fix_writes_nothing_when_it_cannot_be_faithful():
    """A change the splicer cannot make without touching other text is refused whole."""
    class Change:
        target, op, field, value = "v-1", "set", "aligned_to", "v-0"

    text = '{"format_version": 1, "visions": [{"id": "v-1", "owner": "d", "owner": "e"}]}'
    with pytest.raises(DocumentError):
        patch_text(text, "json", [Change()])


def _outside(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The pieces of ``text`` outside ``spans``, less the separators at their ends."""
    pieces, at = [], 0
    for start, end in sorted(spans):
        pieces.append(text[at:start])
        at = max(at, end)
    pieces.append(text[at:])
    return [p.strip(" ,\r\n-") for p in pieces if p.strip(" ,\r\n-")]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(objs=structures(max_districts=2, max_schools=2))
def test_fix_changes_nothing_but_the_fixed_values(objs):
    """For any structure, --fix on JSON and YAML gives the document the fixes describe,
    and every byte outside the changed objects is kept, in order."""
    yaml = pytest.importorskip("yaml")
    from mtss_core.cli._validate import fixes_of
    from mtss_core.io import patch_data
    from mtss_core.io._splice import json_entries, yaml_entries

    graph = mc.AlignmentGraph(objs, as_of="2026-09-01")
    chosen = [c for fix in fixes_of(mc.validate(graph), True) for c in fix.changes]
    if not chosen:
        return
    data = mc.to_data(graph)
    sections = {t.section for t in graph.types if t.nested is None}
    for fmt, text in (("json", json.dumps(data, indent=2) + "\n"),
                      ("yaml", yaml.safe_dump(data, sort_keys=False))):
        after = patch_text(text, fmt, chosen)
        expected = json.loads(json.dumps(data))
        patch_data(expected, chosen)
        assert (json.loads(after) if fmt == "json" else yaml.safe_load(after)) == expected
        entries = (json_entries(text, sections) if fmt == "json"
                   else yaml_entries(text, sections, yaml))
        spans = [(entries[c.target][2].start, entries[c.target][2].end) for c in chosen]
        at = 0
        for piece in _outside(text, spans):
            found = after.find(piece, at)
            assert found >= 0, piece
            at = found + len(piece)


# --- faithful --fix: workbooks ---------------------------------------------------------------

openpyxl = pytest.importorskip("openpyxl")


def _workbook(tmp_path: Path) -> Path:
    path = tmp_path / "layer.xlsx"
    mc.dump(example(), path)
    return path


def _header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value is not None}


def _row_of(ws, ident: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == ident)


class _Change:
    def __init__(self, target, op, field=None, value=None):
        self.target, self.op, self.field, self.value = target, op, field, value


def test_a_header_typed_in_another_case_is_the_same_column(tmp_path):
    """A header typed 'Addresses' made an unsafe fix append a new 'addresses' column (the
    vision's six addresses lost); 'Aligned to' added a duplicate column per fixed row."""
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["Visions"]
    head = _header(ws)
    ws.cell(1, head["addresses"]).value = "Addresses"
    ws.cell(1, head["aligned_to"]).value = "Aligned to"
    width = ws.max_column
    book.save(path)
    g = mc.load(path)
    vision = next(v for v in g.objects("vision") if v.addresses)
    others = [v.id for v in g.objects("vision") if v.id != vision.id][:2]
    patch_file(path, [_Change(vision.id, "add", "addresses", "fa-new"),
                      _Change(others[0], "set", "aligned_to", vision.id),
                      _Change(others[1], "set", "aligned_to", vision.id)])
    ws = openpyxl.load_workbook(path)["Visions"]
    assert ws.max_column == width
    cell = ws.cell(_row_of(ws, vision.id), head["addresses"]).value
    assert all(a in cell for a in vision.addresses) and "fa-new" in cell


def test_a_sheet_titled_in_capitals_is_found_by_the_fix(tmp_path):
    """A sheet titled 'VISIONS' loaded but the fix said 'no row with id'."""
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Visions"].title = "tmp"  # (openpyxl compares titles without case)
    book["tmp"].title = "VISIONS"
    book.save(path)
    vision = mc.load(path).objects("vision")[1]
    done = patch_file(path, [_Change(vision.id, "set", "title", "Renamed")])[2]
    assert done and done[0].startswith("VISIONS!")


def test_a_fix_into_a_merged_cell_is_refused_with_the_cell(tmp_path):
    """openpyxl raised AttributeError: 'MergedCell'."""
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["Visions"]
    head = _header(ws)
    vision = ws.cell(3, 1).value
    col = openpyxl.utils.get_column_letter(head["aligned_to"])
    nxt = openpyxl.utils.get_column_letter(head["aligned_to"] + 1)
    ws.merge_cells(f"{col}3:{nxt}3")
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(DocumentError, match=f"Visions!{col}3.*merged"):
        patch_file(path, [_Change(vision, "set", "aligned_to", "v-isd")])
    assert path.read_bytes() == before


def test_formulas_keep_the_values_they_showed(tmp_path):
    """A formula-computed name came back '' after openpyxl re-saved the workbook."""
    from mtss_core.io._patch import _restore_cached

    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    units = book["Units"]
    head = _header(units)
    units.cell(2, head["name"]).value = '=UPPER("Lakeshore Regional ISD")'
    buffer = io.BytesIO()
    book.save(buffer)
    # as a spreadsheet program saves it: the formula with the value it computed
    path.write_bytes(_restore_cached(buffer.getvalue(), book,
                                     {("Units", f"{_letter(head['name'])}2"):
                                      "LAKESHORE REGIONAL ISD"}))
    assert mc.load(path)[units.cell(2, 1).value].name == "LAKESHORE REGIONAL ISD"
    vision = mc.load(path).objects("vision")[1]
    patch_file(path, [_Change(vision.id, "set", "title", "Renamed")])
    assert mc.load(path)[units.cell(2, 1).value].name == "LAKESHORE REGIONAL ISD"
    kept = openpyxl.load_workbook(path)["Units"].cell(2, head["name"]).value
    assert kept == '=UPPER("Lakeshore Regional ISD")'


def test_a_fix_into_a_formula_cell_is_refused(tmp_path):
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book["Visions"]
    head = _header(ws)
    vision = ws.cell(3, 1).value
    ws.cell(3, head["title"]).value = '="Vision " & 1'
    book.save(path)
    with pytest.raises(DocumentError, match="formula"):
        patch_file(path, [_Change(vision, "set", "title", "x")])


def test_a_value_starting_with_equals_is_written_as_text(tmp_path):
    path = _workbook(tmp_path)
    vision = mc.load(path).objects("vision")[1]
    patch_file(path, [_Change(vision.id, "set", "title", "=HYPERLINK(\"x\")")])
    ws = openpyxl.load_workbook(path)["Visions"]
    cell = ws.cell(_row_of(ws, vision.id), _header(ws)["title"])
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'
    assert mc.load(path)[vision.id].title == '=HYPERLINK("x")'


def _letter(n: int) -> str:
    return openpyxl.utils.get_column_letter(n)


def test_validate_a_folder_with_fix_says_what_it_did(tmp_path):
    """`mtss validate FOLDER --fix` did nothing, silently."""
    for name in ("a.json", "b.json"):
        mc.dump(example(), tmp_path / name)
    code, out, _ = run("validate", str(tmp_path), "--fix")
    assert out.count("fixed ") == 2 and "a.json" in out and "b.json" in out
    assert mc.validate(mc.load(tmp_path / "a.json")).findings != \
        mc.validate(example()).findings


# --- convert keeps every value ----------------------------------------------------------------

def _with(update) -> mc.AlignmentGraph:
    data = mc.to_data(example())
    update(data)
    return mc.from_data(data)


def test_a_list_item_holding_a_comma_comes_back_whole(tmp_path):
    """'fa,1' was written as 'fa,1' and read back as two ids: the workbook did not load."""
    def rename(data):
        old = data["focus_areas"][0]["id"]
        text = json.dumps(data).replace(f'"{old}"', '"fa,1"')
        data.clear()
        data.update(json.loads(text))

    graph = _with(rename)
    path = tmp_path / "x.xlsx"
    mc.dump(graph, path)
    assert mc.to_data(mc.load(path)) == mc.to_data(graph)


@pytest.mark.parametrize(("value", "why"), [
    ("x" * 32_768, "32,767"), ("  padded", "spaces"), ("line\r\nbreak", "carriage return")])
def test_convert_refuses_what_a_cell_cannot_keep_with_the_cell(tmp_path, value, why):
    def put(data):
        data["visions"][0]["statement"] = value

    path = tmp_path / "x.xlsx"
    with pytest.raises(DocumentError, match=why) as caught:
        mc.dump(_with(put), path)
    assert "Visions!G2 (statement)" in str(caught.value)
    assert not path.exists()


def test_workbooks_round_trip_any_structure(tmp_path_factory):
    """document -> workbook -> document gives the same document (any generated one)."""
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(objs=structures(max_districts=2, max_schools=2))
    def check(objs):
        graph = mc.AlignmentGraph(objs, as_of="2026-09-01")
        path = tmp_path_factory.mktemp("rt") / "x.xlsx"
        refused: DocumentError | None = None
        try:
            mc.dump(graph, path)
        except DocumentError as exc:
            refused = exc
        if refused is not None:  # refused whole, each cell named, never changed
            assert all("!" in p.pointer and p.message for p in refused.problems)
            assert not path.exists()
            return
        assert mc.to_data(mc.load(path)) == mc.to_data(graph)

    check()


def test_zip_members_are_whole(tmp_path):
    path = _workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None


def _cells(path: Path) -> dict[tuple[str, str], object]:
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in book.worksheets
            for row in ws.iter_rows() for c in row if c.value is not None}


def test_fix_on_a_workbook_changes_no_other_cell(tmp_path_factory):
    """For any structure, --fix on a workbook changes the fixed cells and nothing else:
    every other cell of every sheet is equal (fixes that delete rows move the rows below,
    so they are left out here; deletion is tested above)."""
    from mtss_core.cli._validate import fixes_of

    reached: list[int] = []

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(objs=structures(max_districts=2, max_schools=2))
    def check(objs):
        same_cells(mc.AlignmentGraph(objs, as_of="2026-09-01"))

    def same_cells(graph):
        chosen = [c for fix in fixes_of(mc.validate(graph), True) for c in fix.changes
                  if c.op != "delete"]
        if not chosen:
            return
        path = tmp_path_factory.mktemp("fix") / "x.xlsx"
        try:
            mc.dump(graph, path)
        except DocumentError:
            return  # a value no cell keeps: refused whole (tested above)
        before = _cells(path)
        done = patch_file(path, chosen)[2]
        reached.append(len(done))
        changed = {tuple(line.split(":", 1)[0].split("!")) for line in done}
        after = _cells(path)
        for key in before.keys() | after.keys():
            if key not in changed:
                assert before.get(key) == after.get(key), key
        expected = mc.to_data(graph)
        from mtss_core.io import patch_data

        patch_data(expected, chosen)
        assert mc.to_data(mc.load(path, strict=False)) == expected

    check()
    same_cells(example())  # one structure surely with fixes to make
    assert reached, "no structure had a fix to make"
