"""A report in the formats other tools read: SARIF 2.1.0, JUnit XML, GitHub annotations.

Each takes the report, the name of the document it is about and, where known, the line
and column of each object in that document (``mtss_core.io.places``), so a finding points
at the object it is about.

- **SARIF 2.1.0** (OASIS): one run, the rules as ``reportingDescriptor``s with their help
  URIs, each finding a ``result`` with its level (error, warning, note), physical and
  logical location, and a ``partialFingerprints`` entry; waived findings carry a
  ``suppressions`` entry with the waiver's reason.
- **JUnit XML**: one ``testsuite``; a ``testcase`` per rule and subject with a finding
  (``failure`` for errors and warnings, the message in ``system-out`` for information), and
  one passing ``testcase`` per rule that found nothing.
- **GitHub workflow commands**: one ``::error``, ``::warning`` or ``::notice`` line per
  finding, with ``file``, ``line``, ``col`` and ``title``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from .._html import RULE_DOCS_URL
from .._version import __version__
from ._config import RuleSet
from ._protocol import Severity
from ._report import Finding, Report

__all__ = ["to_github", "to_junit", "to_sarif"]

Places = Mapping[str, tuple[int, int]]
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(report: Report, source: str, *, places: Places | None = None,
             rules: RuleSet | None = None,
             spans: Mapping[tuple[str, str], tuple[int, int, int, int]] | None = None
             ) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (plain data, for ``json.dump``).  With ``spans``
    (where each ``(object id, field)`` value is written: ``mtss_core.io.field_spans``), a
    finding whose fix only replaces values carries it as a SARIF ``fix``.

    >>> from mtss_core import example, validate
    >>> log = to_sarif(validate(example()), "lakeshore.json")
    >>> log["version"], log["runs"][0]["results"][0]["ruleId"]
    ('2.1.0', 'ALN001')
    """
    from ._catalogue import DEFAULT_RULES

    catalogue = DEFAULT_RULES if rules is None else rules
    places = places or {}
    codes = sorted({*report.rules, *(f.code for f in (*report.findings, *report.waived))})
    described = []
    for code in codes:
        r = catalogue.get(code)
        entry: dict[str, Any] = {"id": code,
                                 "helpUri": RULE_DOCS_URL.format(code=code)}
        if r is not None:
            entry.update({
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.why or r.summary},
                "help": {"text": r.fix or r.summary},
                "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
                "properties": {"tags": ["mtss"], "source": r.source},
            })
        described.append(entry)
    index = {code: i for i, code in enumerate(codes)}

    def result(f: Finding) -> dict[str, Any]:
        location: dict[str, Any] = {"physicalLocation": {
            "artifactLocation": {"uri": source, "index": 0}}}
        if f.subject in places:
            line, column = places[f.subject]
            location["physicalLocation"]["region"] = {"startLine": line,
                                                      "startColumn": column}
        location["logicalLocations"] = [{"name": f.subject, "kind": "object"}]
        out: dict[str, Any] = {
            "ruleId": f.code, "ruleIndex": index[f.code], "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message + (f" Hint: {f.hint}." if f.hint else "")},
            "locations": [location],
            "partialFingerprints": {"mtssFinding/v1": f.fingerprint},
            "properties": {"subject": f.subject, "related": list(f.related),
                           "hint": f.hint},
        }
        if f.waiver is not None:
            out["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                    "justification": f"waiver {f.waiver}"}]
        fix = _sarif_fix(f, source, spans or {})
        if fix is not None:
            out["fixes"] = [fix]
        if f.fix is not None:
            out["properties"]["fix"] = f.fix.to_dict()
        return out

    run: dict[str, Any] = {
        "tool": {"driver": {"name": "mtss_core", "version": __version__,
                            "informationUri": RULE_DOCS_URL.split("/rules/")[0] + "/",
                            "rules": described}},
        "artifacts": [{"location": {"uri": source}}],
        "results": [result(f) for f in (*report.findings, *report.waived)],
        "invocations": [{"executionSuccessful": True,
                         "toolExecutionNotifications": [
                             {"level": "note", "message": {"text": n.message}}
                             for n in report.notices]}],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _sarif_fix(f: Finding, source: str,
               spans: Mapping[tuple[str, str], tuple[int, int, int, int]]
               ) -> dict[str, Any] | None:
    """A finding's fix as a SARIF ``fix``: each change a replacement of the text of a
    value the document writes (a change of another kind, or of a value it does not
    write, leaves the fix out: its ``properties`` still carry it)."""
    if f.fix is None or not spans:
        return None
    replacements = []
    for change in f.fix.changes:
        span = spans.get((change.target, change.field or ""))
        if span is None or change.op == "delete" or change.value is None:
            return None
        if change.op == "set":
            value: Any = change.value
        else:
            return None  # (the new list depends on the document's list: not replaced here)
        start_line, start_col, end_line, end_col = span
        replacements.append({"deletedRegion": {"startLine": start_line,
                                               "startColumn": start_col,
                                               "endLine": end_line, "endColumn": end_col},
                             "insertedContent": {"text": json.dumps(value)}})
    return {"description": {"text": f.fix.title + ("" if f.fix.safe else " (unsafe)")},
            "artifactChanges": [{"artifactLocation": {"uri": source, "index": 0},
                                 "replacements": replacements}]}


def to_junit(report: Report, source: str) -> str:
    """The report as JUnit XML: a test case per rule and subject with a finding, and a
    passing one per rule that found nothing.

    >>> from mtss_core import Config, example, validate
    >>> xml = to_junit(validate(example(), Config(select=["FOC"])), "lakeshore.json")
    >>> print(xml.splitlines()[1])
    <testsuites name="mtss_core" tests="5" failures="3" errors="0">
    """
    by_case: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        by_case.setdefault((f.code, f.subject), []).append(f)
    cases: list[ET.Element] = []
    failures = 0
    for code in sorted({*report.rules, *(c for c, _ in by_case)}):
        found = [(s, fs) for (c, s), fs in by_case.items() if c == code]
        if not found:
            cases.append(ET.Element("testcase", classname=f"mtss.{code}", name=code,
                                    file=source))
            continue
        for subject, fs in sorted(found):
            case = ET.Element("testcase", classname=f"mtss.{code}",
                              name=f"{code} {fs[0].name}: {subject}", file=source)
            text = "\n".join(f"{f.message}\nhint: {f.hint}" for f in fs)
            if fs[0].severity is Severity.INFO:
                ET.SubElement(case, "system-out").text = text
            else:
                failures += 1
                failure = ET.SubElement(case, "failure", type=fs[0].severity.value,
                                        message=fs[0].message)
                failure.text = text
            cases.append(case)
    suite = ET.Element("testsuite", name=f"mtss_core: {source}", tests=str(len(cases)),
                       failures=str(failures), errors="0", skipped="0")
    if report.as_of is not None:
        suite.set("timestamp", f"{report.as_of}T00:00:00")
    suite.extend(cases)
    root = ET.Element("testsuites", name="mtss_core", tests=str(len(cases)),
                      failures=str(failures), errors="0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="unicode") + "\n"


_GITHUB = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: Report, source: str, *, places: Places | None = None) -> list[str]:
    """GitHub Actions workflow commands, one per finding: shown as annotations on the
    document in a pull request.

    >>> from mtss_core import example, validate
    >>> to_github(validate(example()), "lakeshore.json")[0][:46]
    '::error file=lakeshore.json,title=ALN001 visio'
    """
    places = places or {}
    lines = []
    for f in report.findings:
        props = [f"file={_property(source)}"]
        if f.subject in places:
            line, column = places[f.subject]
            props += [f"line={line}", f"col={column}"]
        props.append(f"title={_property(f'{f.code} {f.name} ({f.subject})')}")
        message = f.message + (f" Hint: {f.hint}" if f.hint else "")
        lines.append(f"::{_GITHUB[f.severity]} {','.join(props)}::{_data(message)}")
    return lines
