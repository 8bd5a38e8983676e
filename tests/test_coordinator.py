"""The coordinator's path, start to finish, with no programmer and no export: a blank
starter, filled in as a person fills a workbook (kinds typed loosely, a role misspelt, an
id mistyped, a date typed as text, a name picked from a dropdown, a row added later),
saved by LibreOffice, every problem in one pass at its cell, fixed, validated with every
finding located, and printed one page wide per sheet."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest

import mtss_core as mc
from conftest import debian_program
from mtss_core.cli import main

openpyxl = pytest.importorskip("openpyxl")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _soffice() -> str:
    return debian_program(("soffice", "libreoffice"), "libreoffice-calc-nogui",
                          "LibreOffice headless")


def _through_libreoffice(path: Path, to: str = "xlsx") -> Path:
    """The workbook opened and saved again by LibreOffice (as a coordinator saves it)."""
    out = path.parent / "saved"
    out.mkdir(exist_ok=True)
    subprocess.run([_soffice(), "--headless", "--norestore", "--convert-to", to, "--outdir",
                    str(out), str(path)], check=True, capture_output=True, timeout=300,
                   env={"HOME": str(path.parent), "PATH": "/usr/bin:/bin"})
    return out / f"{path.stem}.{to}"


def _append(ws, values: dict[str, object]) -> int:
    head = {c.value: c.column for c in ws[1] if c.value}
    row = ws.max_row + 1
    for field, value in values.items():
        ws.cell(row, head[field]).value = value
    return row


def _cell(ws, row: int, field: str) -> str:
    head = {c.value: c.column for c in ws[1] if c.value}
    return f"{ws.title}!{openpyxl.utils.get_column_letter(head[field])}{row}"


def test_a_coordinator_finishes_the_workbook_in_one_sitting(tmp_path):
    layer = tmp_path / "birch.xlsx"
    code, out, _ = run("init", "-o", str(layer), "--district", "d-birch", "--name",
                       "Birch Public Schools", "--school", "Birch Elementary",
                       "--as-of", "2026-09-01")
    assert code == 0 and "objects added for d-birch" in out
    # filled in as a person fills it
    book = openpyxl.load_workbook(layer)
    units, people, teams = book["Units"], book["People"], book["Teams"]
    members, visions = book["Team members"], book["Visions"]
    _append(units, {"id": "d-birch-s2", "kind": "School",
                                 "name": "Birch Middle", "parent": "d-birch"})
    _append(people, {"id": "p-park", "name": "James Park", "unit": "d-birch"})
    _append(people, {"id": "p-lee", "name": "Ana Lee", "unit": "d-birch-s1"})
    _append(people, {"id": "p-ruiz", "name": "Eva Ruiz", "unit": "d-birch"})
    _append(teams, {"id": "t-birch-g3", "kind": "Grade Team",
                               "unit": "d-birch-s1"})
    picked = _append(members, {"team": "d-birch-dlt", "person": "James Park (p-park)",
                               "roles": "superintendent"})
    typo_role = _append(members, {"team": "d-birch-dlt", "person": "p-lee",
                                  "roles": "princpal"})
    typo_id = _append(members, {"team": "d-birch-dlt", "person": "p-ruis",
                                "roles": "coach"})
    typed_date = _append(members, {"team": "d-birch-s1-slt", "person": "p-lee",
                                   "roles": "principal", "since": "01/09/2026"})
    _append(visions, {"id": "v-birch-g3", "owner": "t-birch-g3",
                              "aligned_to": "v-d-birch-s1",
                              "statement": "Every third grader reads fluently."})
    book.save(layer)
    saved = _through_libreoffice(layer)
    # one pass: every problem, each at its cell
    code, _, err = run("validate", str(saved))
    assert code == 2
    assert f"{_cell(members, typo_role, 'roles')} (roles): unknown role 'princpal' " \
           "(did you mean 'principal'?)" in err
    assert f"{_cell(members, typo_id, 'person')} (person): no object with id 'p-ruis' " \
           "(did you mean 'p-ruiz'?)" in err
    assert f"{_cell(members, typed_date, 'since')} (since): '01/09/2026' can be read two " \
           "ways" in err
    assert "Units!" not in err and "Teams!" not in err  # 'School', 'Grade Team' are read
    assert str(picked) not in re.findall(r"Team members!\w(\d+)", err)  # a picked name
    # the coordinator fixes the three cells in the copy LibreOffice saved
    book = openpyxl.load_workbook(saved)
    members = book["Team members"]
    head = {c.value: c.column for c in members[1] if c.value}
    members.cell(typo_role, head["roles"]).value = "principal"
    members.cell(typo_id, head["person"]).value = "p-ruiz"
    members.cell(typed_date, head["since"]).value = "2026-09-01"
    book.save(saved)
    fixed = _through_libreoffice(saved)
    code, out, err = run("validate", str(fixed))
    assert code in (0, 1), err
    g = mc.load(fixed)
    assert g["d-birch-s2"].kind.value == "school" and g["t-birch-g3"].kind.value == \
        "grade-team"
    assert g.membership("d-birch-dlt", "p-park").roles == ("superintendent",)
    assert g["v-birch-g3"].aligned_to == "v-d-birch-s1"
    findings = [line for line in out.splitlines() if re.match(r"  [A-Z]{3}\d{3} \[", line)]
    assert findings and all(re.search(r": [A-Z][\w -]*![A-Z]+\d+: ", line)
                            for line in findings), findings
    code, out, _ = run("validate", str(fixed), "--format", "json")
    import json

    located = json.loads(out)["findings"]
    assert all("location" in f for f in located)


def test_every_sheet_prints_one_page_wide(tmp_path):
    """The printed PDF of a workbook: landscape pages, and each sheet's header row whole
    on its page (no column pushed to a second page)."""
    pdftotext = debian_program(("pdftotext",), "poppler-utils", "poppler")
    path = tmp_path / "lakeshore.xlsx"
    mc.dump(mc.example(), path)
    pdf = _through_libreoffice(path, "pdf")
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True,
                           capture_output=True, text=True).stdout
    pages = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", sizes)
    assert pages and all(float(w) > float(h) for w, h in pages), pages  # landscape
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout.split("\f")
    # the Team members sheet: its first and last columns on the same page
    page = next(p for p in text if re.search(r"^\s*team\s+person\s+roles", p, re.M))
    assert re.search(r"team\s+person\s+roles\s+since\s+until", page)
