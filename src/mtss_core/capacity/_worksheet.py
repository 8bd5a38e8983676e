"""The worksheet a team scores by consensus: each item, what each score means, the
suggested score with its evidence and gaps beside it, and room for the team's score and
notes; as a printable page (HTML) or a workbook (``.xlsx``, the ``xlsx`` extra) that is
read back as the recorded administration (:func:`read_worksheet`)."""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import warnings
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._atomic import saved_bytes, write_bytes
from .._extras import openpyxl
from .._limits import Limits
from .._sheets import SheetFaultError, find_sheet, sheet_rows
from ..errors import DocumentError, Problem
from ..graph import AlignmentGraph
from ..model import CapacityAssessment, OrgUnit

if TYPE_CHECKING:
    from ._prefill import CapacityReport

__all__ = ["read_worksheet", "worksheet_html", "write_worksheet"]

SHEET = "Worksheet"
_FIELDS = ("unit", "instrument", "prefilled_as_of", "assessment_id", "administered_on",
           "administrator", "respondents")
_HEAD = ("area", "item", "title", "what 0, 1 and 2 mean", "suggested", "evidence", "gaps",
         "consensus score", "notes")
_WIDTHS = (16, 6, 30, 40, 10, 30, 42, 11, 24)
#: The columns (1-based) of the item id and of the team's score, and of a detail's value.
_ITEM, _SCORE, _VALUE = 2, 8, 3
_FIRST = len(_FIELDS) + 4  # the row of the item table's header


def _assessment_id(report: CapacityReport) -> str:
    return f"cap-{report.unit}-{report.instrument.name}-{report.as_of}"


_CSS = """
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:#1d2329;margin:1rem}
h1{font-size:1.3rem;margin:0 0 .3rem}h2{font-size:1.05rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #9aa5b1;padding:.25rem .4rem;
vertical-align:top;text-align:left}thead th{background:#eef2f6}
.score{text-align:center;font-weight:600;width:4.5rem}.box{width:6rem}.notes{width:12rem}
.gap{color:#7a1f1f}.meta td{border:none;padding:.1rem .6rem .1rem 0}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def worksheet_html(report: CapacityReport) -> str:
    """One self-contained printable page: the team's worksheet for the administration."""
    meta = [("Unit", report.unit_name), ("Instrument", report.instrument.title),
            ("Pre-filled as of", str(report.as_of)),
            ("Suggested total", f"{report.points}/{report.possible}"
                                + (f" ({report.share:.0%})" if report.share is not None
                                   else "")),
            ("Criterion", f"{report.criterion:.0%}"),
            ("Administered on", ""), ("Administrator", ""), ("Respondents", "")]
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{escape(report.instrument.title)}: {escape(report.unit_name)}</title>",
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{escape(report.instrument.title)}</h1>",
             '<table class="meta"><tbody>' + "".join(
                 f"<tr><td><b>{escape(k)}</b></td><td>{escape(v) or '&nbsp;' * 30}</td></tr>"
                 for k, v in meta) + "</tbody></table>",
             "<p>Suggested scores come from the structure; the team decides each score by "
             "consensus and writes it in the box.</p>"]
    for area in report.areas:
        share = "" if area.share is None else f" (suggested {area.share:.0%})"
        parts.append(f"<h2>{escape(area.area.title)}{share}</h2>")
        rows = []
        for r in report.items:
            if r.item.area != area.area.id:
                continue
            criteria = "".join(f"<div><b>{n}</b> {escape(c)}</div>"
                               for n, c in enumerate(r.item.criteria))
            gaps = "".join(f'<div class="gap">{escape(g)}</div>' for g in r.gaps)
            rows.append(
                f"<tr><td>{escape(r.item.id)}</td><td>{escape(r.item.title)}{criteria}</td>"
                f'<td class="score">{"?" if r.score is None else r.score}</td>'
                f"<td>{escape(', '.join(r.shown))}{gaps}</td>"
                f'<td class="box"></td><td class="notes"></td></tr>')
        parts.append('<table><thead><tr><th scope="col">item</th><th scope="col">what it '
                     'asks; what 0, 1, 2 mean</th><th scope="col">suggested</th>'
                     '<th scope="col">evidence and gaps</th><th scope="col">consensus</th>'
                     f'<th scope="col">notes</th></tr></thead><tbody>{"".join(rows)}'
                     "</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_worksheet(report: CapacityReport, path: str | os.PathLike[str]) -> None:
    """Write the worksheet as a workbook: the administration's details to fill in at the
    top, then a row per item with the suggested score, evidence and gaps beside an empty
    consensus score (a 0/1/2 dropdown) and notes; set to print landscape on one page wide.

    >>> import tempfile, pathlib
    >>> from mtss_core import example
    >>> from mtss_core.capacity import capacity
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "dca.xlsx"
    >>> write_worksheet(capacity(example(), "dist-cedar"), path)
    >>> path.stat().st_size > 5000
    True
    """
    pyxl = openpyxl()
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = pyxl.Workbook()
    ws = book.active
    ws.title = SHEET
    ws.append([f"{report.instrument.title}: {report.unit_name}"])
    ws["A1"].font = Font(bold=True, size=14)
    values = {"unit": report.unit, "instrument": report.instrument.name,
              "prefilled_as_of": _dt.date.fromisoformat(report.as_of.isoformat()),
              "assessment_id": _assessment_id(report)}
    for field in _FIELDS:
        ws.append([field.replace("_", " "), None, values.get(field)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.cell(_FIELDS.index("prefilled_as_of") + 2, _VALUE).number_format = "yyyy-mm-dd"
    ws.cell(_FIELDS.index("administered_on") + 2, _VALUE).number_format = "yyyy-mm-dd"
    ws.append([f"Suggested total {report.points}/{report.possible}; criterion "
               f"{report.criterion:.0%}. Fill in the administration's details above and each "
               "item's consensus score (0, 1 or 2); suggested scores come from the structure."])
    ws.append([])
    ws.append(list(_HEAD))
    for cell in ws[_FIRST]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    top = Alignment(wrap_text=True, vertical="top")
    areas = {a.id: a.title for a in report.instrument.areas}
    for r in report.items:
        criteria = "\n".join(f"{n}: {c}" for n, c in enumerate(r.item.criteria))
        ws.append([areas[r.item.area], r.item.id, r.item.title, criteria, r.score,
                   ", ".join(r.shown), "\n".join(r.gaps), None, None])
        for cell in ws[ws.max_row]:
            cell.alignment = top
            if isinstance(cell.value, str):
                cell.data_type = "s"
        ws.row_dimensions[ws.max_row].height = 13 * _lines(ws[ws.max_row]) + 4
    for i, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[pyxl.utils.get_column_letter(i)].width = width
    last = ws.max_row
    rule = DataValidation(type="list", formula1='"0,1,2"', allow_blank=True,
                          showErrorMessage=True)
    rule.error, rule.errorTitle = "A score is 0, 1 or 2", "mtss_core"
    ws.add_data_validation(rule)
    score = pyxl.utils.get_column_letter(_SCORE)
    rule.add(f"{score}{_FIRST + 1}:{score}{max(last, _FIRST + 1)}")
    ws.freeze_panes = f"A{_FIRST + 1}"
    ws.print_title_rows = f"{_FIRST}:{_FIRST}"
    ws.print_options.gridLines = True  # the printed worksheet: a box per score
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    write_bytes(path, lambda: saved_bytes(book.save))


def _lines(cells: Any) -> int:
    """How many lines the row's tallest wrapped cell takes (so a printed row fits it)."""
    most = 1
    for cell, width in zip(cells, _WIDTHS, strict=False):
        if isinstance(cell.value, str):
            most = max(most, sum(max(1, -(-len(line) // max(width - 1, 1)))
                                 for line in cell.value.split("\n")))
    return most


def read_worksheet(path: str | os.PathLike[str], graph: AlignmentGraph | None = None
                   ) -> CapacityAssessment:
    """The recorded administration a filled worksheet holds: its id, unit, instrument,
    date, administrator, respondents and the consensus score of every item scored.  Every
    problem names the cell; given the ``graph`` the administration is added to, a unit,
    administrator or respondent that is not a person of it is refused at its cell, with
    the person meant when one is close (a name typed instead of an id included).
    """
    p = Path(path)
    if not p.is_file():
        raise DocumentError.single(str(p), "no such file" if not p.exists() else
                                   "not a regular file (a folder, a device or a pipe)")
    limits = Limits()
    if p.stat().st_size > limits.max_bytes:
        raise DocumentError.single(str(p), f"the worksheet is larger than "
                                           f"{limits.max_bytes:,} bytes (Limits.max_bytes)")
    pyxl = openpyxl()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = pyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DocumentError.single(str(p), f"cannot read the worksheet: {exc}") from None
    problems: list[Problem] = []

    from openpyxl.utils import get_column_letter

    score_column = get_column_letter(_SCORE)

    def problem(cell: str, message: str, field: str | None = None) -> None:
        problems.append(Problem(source=str(p), pointer=f"{SHEET}!{cell}"
                                + (f" ({field})" if field else ""),
                                message=message, field=field))

    table: dict[int, list[Any]] = {}
    try:
        title = find_sheet(book.sheetnames, SHEET)
        if title is None:
            raise DocumentError.single(str(p), f"no sheet named {SHEET!r}: not a worksheet "
                                               "written by mtss capacity")
        for n, cells in sheet_rows(book[title], max_cells=100_000):
            # only the columns the worksheet has: a far-off stray cell makes no wide row
            table[n] = [cells.get(c) for c in range(1, len(_HEAD) + 1)]
    except SheetFaultError as fault:
        raise DocumentError.single(str(p), f"{fault.where}: {fault.message}") from None
    finally:
        book.close()
    empty: list[Any] = [None] * len(_HEAD)
    details: dict[str, Any] = {}
    for i, field in enumerate(_FIELDS, start=2):
        row = table.get(i, empty)
        if row[0] != field.replace("_", " "):
            problem(f"A{i}", f"expected {field.replace('_', ' ')!r} here (the worksheet's "
                             "layout was changed)")
            continue
        value = row[_VALUE - 1]
        details[field] = value.strip() if isinstance(value, str) else value
    scores: dict[str, int] = {}
    scored_at: dict[str, int] = {}
    header = table.get(_FIRST, empty)
    if tuple(header[:len(_HEAD)]) != _HEAD:
        problem(f"A{_FIRST}", "the item table's header was changed")
    else:
        for n in sorted(r for r in table if r > _FIRST):
            row = table[n]
            item = row[_ITEM - 1]
            score = row[_SCORE - 1]
            if item in (None, "") or score in (None, ""):
                continue
            if isinstance(score, str) and score.strip() in ("0", "1", "2"):
                score = int(score.strip())
            if isinstance(score, float) and score.is_integer():
                score = int(score)
            if isinstance(score, bool) or score not in (0, 1, 2):
                problem(f"{score_column}{n}", f"expected 0, 1 or 2, got {score!r}",
                        "consensus score")
                continue
            key = str(item).strip()
            if key in scores and scores[key] != score:
                problem(f"{score_column}{n}", f"item {key!r} is scored twice: "
                        f"{scores[key]} at {score_column}{scored_at[key]} and {score} here; "
                        "keep one row", "consensus score")
                continue
            scores[key] = int(score)
            scored_at[key] = n
    day = details.get("administered_on")
    if isinstance(day, _dt.datetime | _dt.date):
        day = day.strftime("%Y-%m-%d")
    if day in (None, ""):
        problem(f"C{_FIELDS.index('administered_on') + 2}",
                "the date of the administration is required", "administered_on")
    if not scores and not problems:
        problem(f"{score_column}{_FIRST + 1}", "no consensus score is filled in",
                "consensus score")
    respondents = [r.strip() for r in str(details.get("respondents") or "").split(",")
                   if r.strip()]
    if graph is not None:
        _check_people(graph, details, respondents, problem)
    if problems:
        raise DocumentError(problems)
    try:
        return CapacityAssessment(
            id=str(details.get("assessment_id") or ""), unit=str(details.get("unit")),
            instrument=str(details.get("instrument")), administered_on=str(day),
            administrator=(str(details["administrator"]) if details.get("administrator")
                           else None),
            respondents=respondents, scores=scores)
    except (TypeError, ValueError) as exc:
        raise DocumentError.single(str(p), f"the worksheet's details: {exc}") from None


def _check_people(graph: AlignmentGraph, details: Mapping[str, Any], respondents: list[str],
                  problem: Callable[[str, str, str | None], None]) -> None:
    """The unit, administrator and respondents as the graph holds them, at their cells."""
    from ..model import Person

    row = {f: i for i, f in enumerate(_FIELDS, start=2)}
    unit = details.get("unit")
    if unit not in (None, "") and not isinstance(graph.get(str(unit), default=None), OrgUnit):
        problem(f"C{row['unit']}", f"no org unit with id {unit!r} in the document", "unit")
    people = {p.id: p for p in graph.objects(Person)}
    by_name: dict[str, list[str]] = {}
    for someone in people.values():
        by_name.setdefault(" ".join(someone.name.lower().split()), []).append(someone.id)

    def check(value: str, field: str) -> None:
        if value in people:
            return
        named = by_name.get(" ".join(value.lower().split()), [])
        if len(named) == 1:
            hint = f" (did you mean {named[0]!r}, {people[named[0]].name}?)"
        elif named:
            hint = f" ({len(named)} people are named so: {', '.join(sorted(named))})"
        else:
            near = difflib.get_close_matches(value, list(people), n=1, cutoff=0.8)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
        problem(f"C{row[field]}", f"no person with id {value!r} in the document{hint}; "
                                  "give people by id", field)

    administrator = details.get("administrator")
    if administrator not in (None, ""):
        check(str(administrator).strip(), "administrator")
    for respondent in respondents:
        check(respondent, "respondents")
