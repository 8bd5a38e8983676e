"""Bad input never escapes: every public entry point turns hostile input into the library's
typed error (an MtssError with a location), within a time and memory budget.

Each defect found by the fuzz campaign of issue 16 has a regression test named after it.
The Hypothesis tests run a few dozen examples here; ``HYPOTHESIS_PROFILE=nightly`` runs
thousands (see docs/reliability.md).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import signal
import tracemalloc
import zipfile
from contextlib import contextmanager, suppress
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mtss_core as mc
from conftest import examples
from mtss_core import Config, Session, example, validate
from mtss_core.cli import main
from mtss_core.errors import (
    ConfigError,
    DocumentError,
    MissingExtraError,
    ModelError,
    MtssError,
    UnknownIdError,
)
from mtss_core.io import Limits, loads
from mtss_core.model import OrgUnit, Team
from mtss_core.rules import config_from_data, config_from_toml

FIXTURES = Path(__file__).parent / "fixtures"
#: The budget any one hostile input may take: seconds, and megabytes of new allocations.
SECONDS, MEGABYTES = 10, 200


@contextmanager
def budget(seconds: int = SECONDS, megabytes: int = MEGABYTES):
    """Fail if the block runs longer or allocates more than the budget."""
    def stop(*_):
        raise AssertionError(f"over the time budget of {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    tracemalloc.start()
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < megabytes * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def refused(call, *args, kind=MtssError, **kwargs):
    """``call`` raises the library's own error (never anything else), within budget."""
    with budget(), pytest.raises(MtssError) as caught:
        call(*args, **kwargs)
    assert isinstance(caught.value, kind), repr(caught.value)
    return caught.value


def doc(**sections):
    return json.dumps({"format_version": 1, **sections})


UNIT = {"id": "d1", "kind": "district"}


# --- documents: values the model cannot hold -------------------------------------------------

@pytest.mark.parametrize("duration", ["P99999999999999999999Y", "P9000Y",
                                      "PT99999999999999999999H", "P" + "9" * 5000 + "D"])
def test_overflowing_duration_is_refused(duration):
    """OverflowError for P99999999999999999999Y: durations are bounded where they enter."""
    err = refused(loads, doc(units=[UNIT], teams=[{"id": "t", "kind": "district-leadership",
                                                     "unit": "d1", "cadence": duration}]),
                  kind=DocumentError)
    assert "/teams/0/cadence" in str(err)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_far_dates_are_refused_where_they_enter(day):
    """A meeting or as-of on 9999-12-31 loaded and then crashed validation."""
    refused(loads, doc(as_of=day, units=[UNIT]), kind=DocumentError)
    refused(loads, doc(units=[UNIT], teams=[{"id": "t", "kind": "executive-leadership",
                                              "unit": "d1"}],
                       meetings=[{"id": "m", "team": "t", "starts_at": f"{day}T09:00:00Z"}]),
            kind=DocumentError)


def test_huge_integer_is_a_document_error():
    """ValueError for a 4,301-digit integer."""
    refused(loads, '{"format_version": ' + "1" * 4301 + "}", kind=DocumentError)


@pytest.mark.parametrize("tz", [140395, 7, True, ["America/Detroit"]])
def test_timezone_must_be_a_name(tz):
    """"timezone": 7 read as +00:00:07 and the dump would not load again."""
    err = refused(loads, doc(timezone=tz, units=[UNIT]), kind=DocumentError)
    assert "/timezone" in str(err)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant):
    """NaN / ±Infinity were accepted (even with check_schema) and dumps wrote invalid JSON."""
    text = ('{"format_version": 1, "units": [{"id": "d1", "kind": "district"}],\n'
            ' "risk_thresholds": [{"id": "r", "unit": "d1", "measure": "m", "value": '
            + constant + '}]}')
    err = refused(loads, text, kind=DocumentError)
    assert ":2:" in str(err) and "JSON allows" in str(err)


def test_duplicate_json_key_is_refused_with_both_lines():
    """A duplicate JSON key ("units": [...], "units": []) kept the last: an empty graph."""
    text = '{"format_version": 1,\n "units": [{"id": "d1", "kind": "district"}],\n "units": []}'
    err = refused(loads, text, kind=DocumentError)
    assert "/units" in str(err) and "lines 2 and 3" in str(err)


def test_json_ignores_max_depth():
    """JSON ignored Limits.max_depth."""
    deep = '{"format_version": 1, "x": ' + "[" * 50 + "]" * 50 + "}"
    err = refused(loads, deep, limits=Limits(max_depth=10), kind=DocumentError)
    assert "Limits.max_depth" in str(err)


@pytest.mark.parametrize(("field", "value"), [
    ("departments", {"special-education": 1}), ("domains", {"academic": True}),
    ("positions", {"teacher": 1}), ("coaching_skills", {"team-facilitation": 1})])
def test_object_given_for_a_list_is_refused(field, value):
    """An object where a list is expected became its keys."""
    err = refused(loads, doc(units=[UNIT], people=[{"id": "p", field: value}]),
                  kind=DocumentError)
    assert f"/people/0/{field}" in str(err) and "object" in str(err)


@pytest.mark.parametrize("ready", ["no", "yes", 0, 1])
def test_ready_accepts_only_booleans(ready):
    """`ready` accepted "no" as true."""
    refused(loads, doc(units=[UNIT], readiness_assessments=[
        {"id": "r", "unit": "d1", "assessed_on": "2025-01-01", "ready": ready}]),
        kind=DocumentError)


def test_lone_surrogate_is_refused():
    """Lone surrogates loaded and dump() then wrote half a file."""
    text = '{"format_version": 1, "units": [{"id": "d1", "kind": "district", "name": "A\\ud800"}]}'
    err = refused(loads, text, kind=DocumentError)
    assert "/units/0/name" in str(err) and "surrogate" in str(err)


def test_lone_surrogate_in_yaml_is_refused():
    """UnicodeEncodeError for a lone surrogate in YAML."""
    pytest.importorskip("yaml")
    refused(loads, 'format_version: 1\nunits:\n- {id: d1, kind: district, name: "A\\ud800"}\n',
            "yaml", kind=DocumentError)


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1e300"])
def test_numbers_out_of_range_are_refused(number):
    """A threshold or amount beyond any real value (1e400 reads as infinity)."""
    text = doc(units=[UNIT]).rstrip("}") + (
        ', "risk_thresholds": [{"id": "r", "unit": "d1", "measure": "m", "value": '
        + number + "}]}")
    refused(loads, text, kind=DocumentError)


def test_loaded_documents_validate_on_any_as_of():
    """Anything that loads validates: the extremes the model allows do not crash a rule."""
    g = example()
    for as_of in ("1900-01-01", "2199-12-31"):
        assert validate(g, Config(as_of=as_of)).verdict in ("pass", "fail")
    late = loads(doc(units=[UNIT], teams=[{"id": "t", "kind": "executive-leadership",
                                            "unit": "d1", "cadence": "P100Y"}],
                     stages=[{"id": "s", "unit": "d1", "stage": "initial-implementation",
                              "entered_on": "2199-12-31"}]))
    assert validate(late, Config(as_of="2199-12-31")).findings


# --- settings and configuration --------------------------------------------------------------

@pytest.mark.parametrize("settings_", [
    {"CAD001": {"window": "P3000Y"}}, {"CAD002": {"grace": "PT99999999999999999999H"}},
    {"RES001": {"levels": [1]}}, {"CAD002": {"kinds": [3]}}, {"LED001": {"levels": "x"}},
    {"TEA003": {"composition": []}}, {"COA002": {"skills": "all"}}])
def test_settings_the_rules_cannot_handle_are_refused(settings_):
    """Settings such as {"CAD001": {"window": "P3000Y"}} raised from inside validate."""
    with budget(), pytest.raises(ConfigError):
        validate(example(), Config(settings=settings_, as_of="2026-09-01"))


@pytest.mark.parametrize("kwargs", [{"select": 5}, {"select": []}, {"as_of": "x"},
                                    {"ignore": {"a": 1}}, {"severity": {"FOC001": "loud"}},
                                    {"settings": {"FOC001": 5}}])
def test_config_refuses_bad_values_with_config_error(kwargs):
    """TypeError / ValueError from Config(select=5), Config(as_of="x")."""
    refused(Config, **kwargs, kind=ConfigError)


def test_pyproject_tool_not_a_table(tmp_path):
    """AttributeError for a pyproject with `tool = 1`."""
    path = tmp_path / "pyproject.toml"
    path.write_text("tool = 1\n")
    refused(config_from_toml, path, kind=ConfigError)


@pytest.mark.parametrize("raw", [b"select = [\n", b"\xff\xfe\x00s", b"[tool\n"])
def test_config_file_not_toml_or_not_utf8(tmp_path, raw):
    """UnicodeDecodeError / TOMLDecodeError for non-UTF-8 or malformed config files."""
    path = tmp_path / "mtss.toml"
    path.write_bytes(raw)
    refused(config_from_toml, path, kind=ConfigError)


def test_config_from_data_refuses_non_tables():
    refused(config_from_data, [1, 2], kind=ConfigError)


# --- files: only regular files, bounded ------------------------------------------------------

def test_document_symlinked_to_dev_zero_is_bounded(tmp_path):
    """load() of a .json symlinked to /dev/zero ignored Limits.max_bytes."""
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    err = refused(mc.load, link, kind=DocumentError)
    assert "not a regular file" in str(err)


def test_document_that_is_a_fifo_does_not_hang(tmp_path):
    """load() of a FIFO hung forever."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    refused(mc.load, fifo, kind=DocumentError)


def test_folder_member_symlinked_outside_is_not_read(tmp_path):
    """A folder's orgs.csv symlinked to /etc/passwd was read, and the error echoed its
    first line."""
    shutil.copytree(FIXTURES / "oneroster" / "single-school", tmp_path / "export")
    (tmp_path / "export" / "orgs.csv").unlink()
    (tmp_path / "export" / "orgs.csv").symlink_to("/etc/passwd")
    err = refused(mc.import_oneroster, tmp_path / "export", kind=DocumentError)
    assert "symbolic link" in str(err) and "root:" not in str(err)


def _zip(tmp_path, members, **kwargs):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", **kwargs) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_bomb_is_refused_before_extraction(tmp_path):
    """A 1 MB zip holding a 1 GiB orgs.csv raised MemoryError."""
    users = (FIXTURES / "oneroster" / "single-school" / "users.csv").read_bytes()
    path = _zip(tmp_path, {"orgs.csv": b"a" * (64 * 1024 * 1024), "users.csv": users},
                compression=zipfile.ZIP_DEFLATED)
    err = refused(mc.import_oneroster, path, kind=DocumentError)
    assert "Limits.max_zip_ratio" in str(err)


@pytest.mark.parametrize("damage", ["truncated", "not-a-zip", "encrypted-flag"])
def test_corrupt_zips_are_document_errors(tmp_path, damage):
    """BadZipFile / RuntimeError / NotImplementedError for corrupt, encrypted or odd zips."""
    good = (FIXTURES / "oneroster" / "single-school")
    path = _zip(tmp_path, {p.name: p.read_bytes() for p in good.iterdir()},
                compression=zipfile.ZIP_DEFLATED)
    raw = bytearray(path.read_bytes())
    if damage == "truncated":
        raw = raw[: len(raw) // 2]
    elif damage == "not-a-zip":
        raw = bytearray(b"PK\x03\x04" + b"\x00" * 200)
    else:  # the general-purpose flag's "encrypted" bit on every header
        for sig in (b"PK\x03\x04", b"PK\x01\x02"):
            start = 0
            while (i := raw.find(sig, start)) != -1:
                raw[i + (6 if sig == b"PK\x03\x04" else 8)] |= 1
                start = i + 4
    path.write_bytes(bytes(raw))
    refused(mc.import_oneroster, path, kind=DocumentError)


def test_two_orgs_files_in_one_zip_are_refused(tmp_path):
    """Two orgs.csv in one zip: the first used."""
    text = (FIXTURES / "oneroster" / "single-school" / "orgs.csv").read_bytes()
    path = _zip(tmp_path, {"orgs.csv": text, "sub/ORGS.csv": text})
    refused(mc.import_oneroster, path, kind=DocumentError)


def test_huge_csv_cell_is_a_document_error(tmp_path):
    """_csv.Error for a 131,073-character cell."""
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "oneroster" / "single-school", export)
    orgs = (export / "orgs.csv").read_text()
    (export / "orgs.csv").write_text(orgs + 'x,active,,"' + "a" * 131_073 + '",school,,\n')
    refused(mc.import_oneroster, export, kind=DocumentError)


def test_xml_unknown_encoding_is_a_document_error(tmp_path):
    """LookupError for an XML encoding="bogus"."""
    path = tmp_path / "EducationOrganization.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="bogus"?><InterchangeEducationOrganization/>')
    refused(mc.import_edfi, path, kind=DocumentError)


def test_xml_huge_attribute_is_refused_quickly(tmp_path):
    """Ed-Fi parse time grew with the square of one token's size (12 MB: 16 s)."""
    path = tmp_path / "EducationOrganization.xml"
    path.write_bytes(b'<?xml version="1.0"?><InterchangeEducationOrganization a="'
                     + b"x" * (12 * 1024 * 1024) + b'"/>')
    err = refused(mc.import_edfi, path, kind=DocumentError)
    assert "Limits.max_token_bytes" in str(err)


@pytest.mark.parametrize("raw", [b"\xff\xfe\xfd", b"[section\nkey = 1\n"])
def test_directory_mapping_not_utf8_or_not_toml(tmp_path, raw):
    """UnicodeDecodeError / TOMLDecodeError for a non-UTF-8 or malformed mapping."""
    mapping = tmp_path / "mapping.toml"
    mapping.write_bytes(raw)
    refused(mc.import_directory_csv, FIXTURES / "directory" / "schools.csv", mapping,
            kind=DocumentError)


def test_oneroster_national_and_state_orgs(tmp_path):
    """KeyError 'national' for a OneRoster national + state pair."""
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "oneroster" / "single-school", export)
    orgs = (export / "orgs.csv").read_text()
    (export / "orgs.csv").write_text(
        orgs + "nat,active,,Nation,national,,\nst,active,,State,state,,nat\n")
    with budget():
        try:
            result = mc.import_oneroster(export)
        except MtssError:
            return
    assert any("national" in note for note in result.notes)


def test_oneroster_roles_of_unknown_users_are_counted(tmp_path):
    """OneRoster roles for unknown users were dropped without a note."""
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "oneroster12", export)
    roles = (export / "roles.csv").read_text().splitlines()
    header, first = roles[0], roles[1].split(",")
    first[header.split(",").index("userSourcedId")] = "nobody-at-all"
    (export / "roles.csv").write_text("\n".join([*roles, ",".join(first)]) + "\n")
    result = mc.import_oneroster(export)
    assert result.skipped["role of a user not in users.csv"] == 1
    assert "1 role of a user not in users.csv" in result.summary()


# --- outputs safe for where they go ---------------------------------------------------------

NASTY = 'Lincoln | <img src=x onerror=alert(1)>\r\nElementary'


def test_markdown_escapes_names():
    """status_pack().to_markdown() and the CLI's markdown inserted names raw."""
    g = example()
    g.replace(attrs.evolve(g["dist-cedar"], name=NASTY))
    g.replace(attrs.evolve(g["sch-cedar-elem"], name=NASTY))
    text = mc.status_pack(g, "dist-cedar").to_markdown()
    text += mc.alignment_scorecard(g).to_markdown()
    assert "<img" not in text and "\r" not in text
    assert "Lincoln \\| &lt;img" in text  # the name is in a cell, escaped
    width = None  # every row of a table has as many cell borders as its header
    for line in text.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        borders = line.count("|") - line.count("\\|")
        width = borders if width is None else width
        assert borders == width, line


def test_mermaid_and_dot_labels_are_escaped():
    """Mermaid kept carriage returns."""
    from mtss_core.io import to_dot, to_mermaid

    g = example()
    g.replace(attrs.evolve(g["sch-lincoln"], name=NASTY))
    mermaid, dot = to_mermaid(g), to_dot(g)
    assert "\r" not in mermaid and "<img" not in mermaid  # Mermaid renders HTML in labels
    assert "\r" not in dot and '"school: Lincoln | <img' in dot  # quoted: inert in DOT


# --- errors pickle ---------------------------------------------------------------------------

@pytest.mark.parametrize("error", [
    DocumentError.single("a.json", "broken", line=3),
    MissingExtraError("pandas", "dataframes", "DataFrames"),
    UnknownIdError("x", "team"), ConfigError("bad"), ModelError("bad"),
])
def test_errors_pickle_to_equal_values(error):
    """An unpickled DocumentError had a garbled message; MissingExtraError did not unpickle."""
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    assert vars(again) == vars(error)


def test_integrity_errors_pickle():
    err = refused(mc.AlignmentGraph, [OrgUnit(id="s", kind="school", parent="x")])
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and again.subject == err.subject


# --- a failed Session edit leaves everything as it was ---------------------------------------

class _BoomError(Exception):
    pass


def _exploding_rule():
    from mtss_core import rule

    state = {"armed": False}

    @rule(code="ZZZ001", name="explodes", severity="info", subjects="unit",
          reads={t: (lambda graph, ctx, edit: ["dist-maple"]) for t in
                 ("unit", "team", "membership", "vision", "person", "focus_area",
                  "barrier")})
    def explodes(graph, ctx, unit):
        """Raises when armed."""
        if state["armed"]:
            raise _BoomError
        return

    return explodes, state


@pytest.mark.parametrize("edit", ["add", "remove", "replace", "add-seat", "remove-seat",
                                  "rename"])
def test_a_failed_session_edit_changes_nothing(edit):
    """After a Session.replace whose re-check failed, the graph had changed but the
    findings were stale."""
    boom, state = _exploding_rule()
    g = example()
    session = Session(g, Config(as_of="2026-09-01"),
                      rules=mc.DEFAULT_RULES.with_rules(boom))
    before_report, before_objects = session.report(), list(g)
    before_seats = sorted(g.memberships(), key=lambda m: (m.team, m.person))
    state["armed"] = True
    seat = next(iter(g.memberships()))
    edits = {
        "add": lambda: session.add(Team(id="t-new", kind="school-leadership",
                                        unit="sch-lincoln")),
        "remove": lambda: session.remove("b-cedar-screener-licenses"),
        "replace": lambda: session.replace(attrs.evolve(g["v-cedar-high"], aligned_to=None)),
        "add-seat": lambda: session.add(attrs.evolve(seat, team="t-maple-exec")),
        "remove-seat": lambda: session.remove_membership(seat.team, seat.person),
        "rename": lambda: session.replace(attrs.evolve(g["dist-maple"], name="New")),
    }
    with pytest.raises(_BoomError):
        edits[edit]()
    state["armed"] = False
    assert sorted(map(repr, g)) == sorted(map(repr, before_objects))
    assert sorted(g.memberships(), key=lambda m: (m.team, m.person)) == before_seats
    assert session.report() == before_report == validate(g, session.config,
                                                           rules=session.rules)


def test_outside_edits_are_noticed():
    """A Session edited the caller's graph, and edits made to that graph directly left the
    report stale."""
    session = Session(example())
    session.graph.remove("b-cedar-screener-licenses")
    assert session.report() == validate(session.graph)


# --- the command line: one line, exit 2 ------------------------------------------------------

COMMANDS = [
    ["validate", "--example"], ["timeline", "--example", "--root", "sch-lincoln"],
    ["status-pack", "--example", "--district", "dist-maple"], ["scorecard", "--example"],
    ["report", "--example"], ["rules"], ["explain", "ALN001"], ["schema"], ["example"],
    ["export", "--example", "--format", "dot"],
]


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_every_command_fails_in_one_line(argv, tmp_path):
    """A bad --as-of date, an unwritable -o, a bad flag, a missing file printed tracebacks
    and exited 1, the same code as "the structure has errors"."""
    assert _run(*argv)[0] in (0, 1)
    cases = [[*argv, "--no-such-flag"], [*argv, "-o", str(tmp_path / "missing" / "x.out")]]
    if "--example" in argv:
        cases.append([a if a != "--example" else str(tmp_path / "missing.json")
                      for a in argv])
        if argv[0] in ("validate", "timeline", "status-pack", "report"):
            cases.append([*argv, "--as-of", "2026-13-45"])
    for case in cases:
        code, _, err = _run(*case)
        assert code == 2, (case, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (case, err)


@pytest.mark.parametrize("argv", [
    ["validate", "--example", "--jobs", "0"], ["validate", "--example", "--jobs", "-3"],
    ["validate", "--example", "--config", "/no/such/mtss.toml"],
    ["import", "csv", "x.csv", "-o", "out.json", "--mapping", "/no/such.toml"],
    ["import", "oneroster", str(FIXTURES / "oneroster12"), "-o", "out.json",
     "--overlay", "/no/such.json"],
    ["export", "--example", "--format", "node-link", "--root", "dist-maple"],
])
def test_cli_usage_errors_are_one_line(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(*argv)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_rule_codes_are_case_insensitive_on_the_command_line():
    """Codes were case-sensitive in --select / --severity but not in documents."""
    assert _run("validate", "--example", "--select", "foc001")[0] == 0
    assert _run("validate", "--example", "--select", "foc",
                "--severity", "foc001=ERROR")[0] == 1


def test_output_dash_is_standard_output(tmp_path, monkeypatch):
    """-o - wrote a file named -."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("rules", "-o", "-")
    assert code == 0 and out and not (tmp_path / "-").exists()


# --- Hypothesis: any text, any data ----------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=30)
_SECTIONS = list(mc.model.TYPES.sections)


@st.composite
def hostile_documents(draw):
    """Documents shaped like real ones with random values in random places."""
    data = {"format_version": draw(st.sampled_from([1, 1, 1, 2, "1", None]))}
    for section in draw(st.lists(st.sampled_from(_SECTIONS), max_size=4, unique=True)):
        data[section] = draw(st.lists(st.dictionaries(
            st.sampled_from(["id", "kind", "unit", "parent", "owner", "team", "name",
                             "aligned_to", "starts_at", "entered_on", "stage", "value",
                             "cadence", "members", "roles", "total", "category"]),
            _json_values | st.sampled_from(["d1", "district", "school", "P1M", "2026-01-01",
                                            "2026-01-01T09:00:00Z"]), max_size=6),
            max_size=3))
    return data


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hostile_documents())
def test_any_document_data_is_a_graph_or_a_document_error(data):
    """from_data on hostile data: a graph, or a DocumentError, nothing else; and a graph
    that loads validates and dumps to a document that loads again."""
    try:
        g = mc.from_data(data)
    except DocumentError:
        return
    report = validate(g, Config(as_of="2026-09-01"))
    back = mc.loads(mc.dumps(g))  # the round trip keeps every object, seat and finding
    assert list(back) == list(g) and back.memberships() == g.memberships()
    assert back.as_of == g.as_of
    assert list(validate(back, Config(as_of="2026-09-01"))) == list(report)


@settings(max_examples=examples(60), deadline=None)
@given(text=st.text(max_size=300) | st.binary(max_size=300).map(
    lambda b: b.decode("latin-1")))
def test_any_text_is_a_graph_or_a_document_error(text):
    with suppress(DocumentError):
        mc.loads(text)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400), name=st.sampled_from(["orgs.csv", "users.csv"]))
def test_any_oneroster_file_is_imported_or_refused(tmp_path, raw, name):
    export = tmp_path / "export"
    shutil.rmtree(export, ignore_errors=True)
    shutil.copytree(FIXTURES / "oneroster" / "single-school", export)
    (export / name).write_bytes(raw)
    with suppress(MtssError):
        mc.import_oneroster(export)


# --- duplicates are conflicts, never last-wins ----------------------------------------------

def test_padded_team_id_is_a_document_error():
    """ValueError for a padded team id."""
    err = refused(loads, doc(units=[UNIT], teams=[{"id": " t1", "kind": "district-leadership",
                                                     "unit": "d1"}]), kind=DocumentError)
    assert "/teams/0/id" in str(err)
    refused(loads, doc(units=[UNIT], people=[{"id": "p"}], teams=[
        {"id": "t1", "kind": "district-leadership", "unit": "d1",
         "members": [{"person": "p "}]}]), kind=DocumentError)


def _edfi(tmp_path, extra):
    text = (FIXTURES / "edfi" / "EducationOrganization.xml").read_text()
    path = tmp_path / "EducationOrganization.xml"
    path.write_text(text.replace("</InterchangeEducationOrganization>",
                                 extra + "</InterchangeEducationOrganization>"))
    return path


def test_edfi_duplicate_school_id_is_a_conflict(tmp_path):
    """Last-wins for duplicate Ed-Fi SchoolId."""
    path = _edfi(tmp_path, "<School><NameOfInstitution>Another</NameOfInstitution>"
                           "<SchoolId>255901001</SchoolId></School>")
    err = refused(mc.import_edfi, path, kind=DocumentError)
    assert "255901001" in str(err) and "used twice" in str(err)


def test_edfi_state_agency_sharing_an_lea_id_is_a_conflict(tmp_path):
    """An Ed-Fi state agency sharing an LEA's id was dropped."""
    path = _edfi(tmp_path, "<StateEducationAgency><NameOfInstitution>Other</NameOfInstitution>"
                           "<StateEducationAgencyId>255901</StateEducationAgencyId>"
                           "</StateEducationAgency>")
    err = refused(mc.import_edfi, path, kind=DocumentError)
    assert "255901" in str(err)


def test_duplicate_csv_column_names_are_refused(tmp_path):
    """Last-wins for duplicate CSV column names."""
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "oneroster" / "single-school", export)
    lines = (export / "orgs.csv").read_text().splitlines()
    lines[0] = lines[0].replace("identifier", "name")
    (export / "orgs.csv").write_text("\n".join(lines) + "\n")
    err = refused(mc.import_oneroster, export, kind=DocumentError)
    assert "two columns are both 'name'" in str(err)


# --- round two: escapes found by fuzzing after the first hardening (issue 20) ---------------

EDFI_XML = FIXTURES / "edfi" / "EducationOrganization.xml"
LEA_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<InterchangeEducationOrganization '
            b'xmlns="http://ed-fi.org/5.2.0">\n<LocalEducationAgency><LocalEducationAgencyId>'
            b"1</LocalEducationAgencyId><NameOfInstitution>")
LEA_TAIL = (b"</NameOfInstitution></LocalEducationAgency>\n"
            b"</InterchangeEducationOrganization>\n")


def test_quadratic_xml_text_is_refused_or_read_in_linear_time(tmp_path):
    """A 2 MB element of a million lines or of &amp; references took over 60 s
    (text += data): text is built in a list, and capped per element
    (Limits.max_token_bytes)."""
    path = tmp_path / "EducationOrganization.xml"
    path.write_bytes(LEA_HEAD + b"a\n" * 1_000_000 + LEA_TAIL)  # 2 M characters of text
    err = refused(mc.import_edfi, path, kind=DocumentError)
    assert "holds more than" in str(err) and "Limits.max_token_bytes" in str(err)
    path.write_bytes(LEA_HEAD + b"&amp;" * 400_000 + LEA_TAIL)  # 2 MB, 400,000 characters
    with budget():  # under the cap: read, and quickly
        assert mc.import_edfi(path).graph["1"].name == "&" * 400_000


def test_whitespace_between_xml_records_costs_nothing(tmp_path):
    """4 MB of whitespace between records (appended to the root's text) took over 60 s."""
    raw = EDFI_XML.read_bytes().replace(b"<LocalEducationAgency ",
                                        b"\n" * (4 * 1024 * 1024) + b"<LocalEducationAgency ", 1)
    path = tmp_path / "EducationOrganization.xml"
    path.write_bytes(raw)
    with budget(megabytes=400):
        assert mc.import_edfi(path).graph.count("unit") > 0


@pytest.mark.parametrize("call", ["load", "import_edfi", "import_directory_csv",
                                  "baseline", "import_edfi_api"])
def test_a_folder_where_a_file_is_expected(tmp_path, call):
    """read_file opened a folder and fdopen raised a raw IsADirectoryError."""
    folder = tmp_path / "structure.json"
    folder.mkdir()
    if call == "load":
        err = refused(mc.load, folder, kind=DocumentError)
    elif call == "import_edfi":
        err = refused(mc.import_edfi, folder, kind=DocumentError)
    elif call == "import_directory_csv":
        err = refused(mc.import_directory_csv, folder, FIXTURES / "directory" /
                      "mapping.toml", kind=DocumentError)
    elif call == "import_edfi_api":  # a folder named as a resource is a folder of pages
        (folder.parent / "schools.json").mkdir()
        with budget():
            assert len(mc.import_edfi_api(folder.parent / "schools.json").graph) == 0
        return
    else:
        err = refused(mc.rules.Baseline.read, folder, kind=ConfigError)
    assert "is a folder, not a regular file" in str(err)


def test_a_folder_named_like_a_file_inside_a_oneroster_export(tmp_path):
    """A folder named roles.csv inside an export raised IsADirectoryError."""
    export = tmp_path / "export"
    shutil.copytree(FIXTURES / "oneroster" / "single-school", export)
    (export / "roles.csv").unlink()
    (export / "roles.csv").mkdir()
    err = refused(mc.import_oneroster, export, kind=DocumentError)
    assert "roles.csv" in str(err) and "folder" in str(err)


def test_a_raw_lone_surrogate_in_yaml_text():
    """UnicodeEncodeError from the YAML event check (the \\ud800 escape was covered, a raw
    lone surrogate in the text was not)."""
    pytest.importorskip("yaml")
    err = refused(loads, "format_version: 1\nunits:\n  - {id: d1, kind: district, name: "
                  "a\ud800b}\n", fmt="yaml", kind=DocumentError)
    assert err.problems[0].line == 3 and "lone surrogate" in str(err)


def test_edfi_api_grade_levels_as_a_number(tmp_path):
    """gradeLevels given as a number raised TypeError."""
    (tmp_path / "schools.json").write_text('[{"schoolId": 1, "gradeLevels": 7}]')
    assert mc.import_edfi_api(tmp_path).graph["1"].grades == ""


def test_edfi_api_nesting_beyond_max_depth(tmp_path):
    """A record nested 900 deep was accepted although Limits.max_depth is 64."""
    (tmp_path / "schools.json").write_text(
        '[{"schoolId": 1, "x": ' + "[" * 900 + "]" * 900 + "}]")
    err = refused(mc.import_edfi_api, tmp_path, kind=DocumentError)
    assert "Limits.max_depth" in str(err) and err.problems[0].line == 1


@pytest.mark.parametrize("method", [zipfile.ZIP_LZMA, zipfile.ZIP_BZIP2],
                         ids=["lzma", "bzip2"])
def test_a_damaged_compressed_zip_member(tmp_path, method):
    """_lzma.LZMAError escaped for a damaged LZMA member (zlib errors were caught)."""
    good = FIXTURES / "oneroster" / "single-school"
    path = _zip(tmp_path, {p.name: p.read_bytes() * 20 for p in good.iterdir()},
                compression=method)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("orgs.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 8, start + min(info.compress_size, 200)):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))
    err = refused(mc.import_oneroster, path, kind=DocumentError)
    assert "orgs.csv" in str(err)


@pytest.mark.parametrize("text", ["select = " + "[" * 3000 + "]" * 3000,
                                  "x = " + "1" * 5000],
                         ids=["nested-5000-deep", "integer-5000-digits"])
def test_hostile_toml_config_and_mapping(tmp_path, text):
    """RecursionError / ValueError from TOML; the CLI said "internal error"."""
    path = tmp_path / "mtss.toml"
    path.write_text(text)
    refused(config_from_toml, path, kind=ConfigError)
    refused(mc.import_directory_csv, FIXTURES / "directory" / "schools.csv", path,
            kind=DocumentError)
    for argv in (["validate", "--example", "--config", str(path)],
                 ["import", "csv", str(FIXTURES / "directory" / "schools.csv"), "-o",
                  str(tmp_path / "out.json"), "--mapping", str(path)]):
        code, _, err = _run(*argv)
        assert code == 2 and "internal error" not in err and len(err.splitlines()) == 1


def test_a_baseline_nested_100000_deep(tmp_path):
    """RecursionError reading a baseline; the CLI said "internal error"."""
    path = tmp_path / "baseline.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    refused(mc.rules.Baseline.read, path, kind=ConfigError)
    code, _, err = _run("validate", "--example", "--baseline", str(path))
    assert code == 2 and "internal error" not in err


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "punycode", "utf-8\x00",
                                      "zlib"])
def test_the_mappings_encoding_must_be_a_text_encoding(tmp_path, encoding):
    """LookupError / UnicodeError / ValueError for codecs that are not text encodings."""
    mapping = {"district_id": "District Code", "district_name": "District Name",
               "school_id": "Building Code", "school_name": "Building Name",
               "encoding": encoding}
    path = tmp_path / "schools.csv"
    path.write_bytes((FIXTURES / "directory" / "schools.csv").read_bytes() + b"\xff\xfe")
    refused(mc.import_directory_csv, path, mapping, kind=DocumentError)


@pytest.mark.parametrize("name", ["struc\x00ture.json", "struc\udcffture\ud800.json"],
                         ids=["nul", "lone-surrogate"])
def test_paths_holding_nul_or_a_lone_surrogate(name):
    """ValueError / UnicodeEncodeError from read_file in load and import_edfi."""
    for call in (mc.load, mc.import_edfi):
        err = refused(call, name, kind=DocumentError)
        assert "path" in str(err)


@pytest.mark.parametrize("text", ["Lincoln\x01Elementary", "nul\x00", "\x1bescape", "\ufffe"])
def test_control_characters_are_refused_where_text_enters(text, tmp_path):
    """A name holding \\x01 or NUL loaded, and write_graphml then wrote XML that is not
    well-formed: text that no XML output can hold is refused at the boundary."""
    err = refused(loads, doc(units=[{"id": "d1", "kind": "district", "name": text}]),
                  kind=DocumentError)
    assert "/units/0/name" in str(err) and "control character" in str(err)
    with pytest.raises(ModelError):
        OrgUnit(id="d" + text, kind="district")
    # tab and line breaks are text, and every XML output stays well-formed with them
    g = loads(doc(units=[{"id": "d1", "kind": "district", "name": "a\tb\nc\r"}]))
    mc.io.write_graphml(g, tmp_path / "g.graphml")
    import xml.etree.ElementTree as ET

    ET.parse(tmp_path / "g.graphml")


def test_jobs_are_capped_at_documents_and_cores(tmp_path, monkeypatch):
    """--jobs 64 started 64 worker processes for two documents."""
    import mtss_core.cli._validate as cli_validate

    for i in range(2):
        mc.dump(example(), tmp_path / f"d{i}.json")
    seen = []

    class Pool(cli_validate._Serial):
        def __init__(self, max_workers):
            seen.append(max_workers)

    monkeypatch.setattr(cli_validate, "ProcessPoolExecutor", Pool)
    _run("validate", str(tmp_path), "--jobs", "64")
    assert seen == [min(2, os.cpu_count() or 1)] or (seen == [] and (os.cpu_count() or 1) == 1)


@pytest.mark.parametrize("argv", [
    ["schema"], ["explain", "ALN001"], ["example"], ["scorecard", "--example"],
    ["report", "--example"], ["export", "--example", "--format", "dot"],
    ["status-pack", "--example", "--district", "dist-maple"],
    ["validate", "--example", "--format", "json"],
    ["diff", str(FIXTURES.parent.parent / "src" / "mtss_core" / "examples" / "lakeshore.json"),
     str(FIXTURES.parent.parent / "src" / "mtss_core" / "examples" / "lakeshore.json")]],
    ids=lambda a: " ".join(a[:2]))
def test_a_closed_standard_output(argv, monkeypatch):
    """mtss schema >&- said "internal error (AttributeError ...)": now exit 2 with one line
    on standard error, or 0 where nothing needed writing."""
    err = io.StringIO()
    monkeypatch.setattr("sys.stdout", None)
    code = main(argv, stderr=err)
    text = err.getvalue()
    assert "internal error" not in text and "Traceback" not in text
    if argv[0] == "diff":  # two equal snapshots: nothing to say
        assert code in (0, 2)
    else:
        assert code == 2 and "standard output is closed" in text
    assert len(text.strip().splitlines()) <= 1


def test_a_closed_standard_output_with_a_file_to_write(tmp_path, monkeypatch):
    """Writing to -o FILE needs no standard output: exit 0, the file written."""
    monkeypatch.setattr("sys.stdout", None)
    target = tmp_path / "report.html"
    assert main(["report", "--example", "-o", str(target)], stderr=io.StringIO()) == 0
    assert target.stat().st_size > 0


@pytest.mark.parametrize("thing", ["v-maple", None, 5, {"id": "v-maple"}])
def test_session_replace_with_something_that_is_not_a_model_object(thing):
    """Session.replace("x") raised AttributeError (the state was left unchanged)."""
    session = Session(example())
    before = session.report()
    with pytest.raises(mc.errors.ModelTypeError):
        session.replace(thing)
    with pytest.raises(mc.errors.ModelTypeError):
        session.graph.replace(thing)
    assert session.report() == before


def test_loads_with_an_unknown_format_and_a_zero_limit():
    """loads(text, fmt="xml") and Limits(max_bytes=0) raised bare ValueErrors."""
    err = refused(loads, "{}", fmt="xml", kind=DocumentError)
    assert "unknown document format" in str(err)
    with pytest.raises(ConfigError, match=r"Limits\.max_bytes must be a positive"):
        Limits(max_bytes=0)
    with pytest.raises(DocumentError):
        mc.dumps(example(), "xml")


def test_an_exactly_duplicated_directory_row_is_counted(tmp_path):
    """A repeated row was merged with no note and no skip count."""
    path = tmp_path / "schools.csv"
    text = (FIXTURES / "directory" / "schools.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    result = mc.import_directory_csv(path, FIXTURES / "directory" / "mapping.toml")
    assert result.skipped == {"repeated row (identical)": 1}


@pytest.mark.parametrize("method", [zipfile.ZIP_LZMA, zipfile.ZIP_BZIP2], ids=["lzma", "bzip2"])
def test_sound_lzma_and_bzip2_exports_still_import(tmp_path, method):
    """The dictionary check refuses only what no member could need."""
    good = FIXTURES / "oneroster" / "single-school"
    path = _zip(tmp_path, {p.name: p.read_bytes() for p in good.iterdir()}, compression=method)
    assert to_data_of(mc.import_oneroster(path).graph) == to_data_of(
        mc.import_oneroster(good).graph)


def to_data_of(graph):
    return mc.to_data(graph)
