"""Refresh: next year's roster under this year's MTSS layer, on rosters exported a year
apart (tests/fixtures/refresh/: OneRoster 1.2 and Ed-Fi 5.2)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pendulum
import pytest

import mtss_core as mc
from mtss_core import (
    AlignmentGraph,
    Config,
    FocusArea,
    Membership,
    OrgUnit,
    Team,
    Vision,
    import_edfi,
    import_oneroster,
    validate,
)
from mtss_core.analysis import refresh, turnover
from mtss_core.cli import main
from mtss_core.errors import ModelError
from mtss_core.model import Meeting

HERE = Path(__file__).parent / "fixtures" / "refresh"
WHEN = "2027-08-19"

#: The same people and places in each format's ids.
IDS = {
    "oneroster": {"district": "d-birch", "north": "s-north", "south": "s-south",
                  "annex": "s-annex", "east": "s-east", "supt": "u-reyes",
                  "adams": "u-adams", "baker": "u-baker", "cho": "u-cho", "diaz": "u-diaz",
                  "evans": "u-evans", "fox": "u-fox", "gray": "u-gray", "hill": "u-hill"},
    "edfi": {"district": "255901", "north": "255901101", "south": "255901102",
             "annex": "255901103", "east": "255901104", "supt": "207401", "adams": "207402",
             "baker": "207409", "cho": "207403", "diaz": "207404", "evans": "207405",
             "fox": "207406", "gray": "207407", "hill": "207408"},
}


def imported(fmt: str, year: str):
    if fmt == "oneroster":
        return import_oneroster(HERE / f"oneroster-{year}", as_of=f"{year}-08-19")
    folder = HERE / f"edfi-{year}"
    return import_edfi(folder / "EducationOrganization.xml", folder / "StaffAssociation.xml",
                       as_of=f"{year}-08-19")


def layer(i: dict[str, str]) -> list:
    """What the district's people added to the 2026 roster: teams, seats, products, a
    focus area, a meeting."""
    def seat(team, who, *roles, since="2025-08-20"):
        return Membership(team=team, person=i[who], roles=list(roles), since=since)

    return [
        Team(id="t-dlt", kind="district-leadership", unit=i["district"]),
        Team(id="t-north-slt", kind="school-leadership", unit=i["north"]),
        Team(id="t-south-slt", kind="school-leadership", unit=i["south"]),
        Team(id="t-annex-slt", kind="school-leadership", unit=i["annex"]),
        Team(id="t-north-g3", kind="grade-team", unit=i["north"]),
        seat("t-dlt", "supt", "superintendent"), seat("t-dlt", "adams", "principal"),
        seat("t-dlt", "cho", "principal"), seat("t-dlt", "diaz", "principal"),
        seat("t-north-slt", "adams", "principal", "mtss-lead"),
        seat("t-north-slt", "hill", "service-provider"),
        seat("t-north-slt", "evans", "teacher-leader"),
        seat("t-south-slt", "cho", "principal"), seat("t-south-slt", "gray", "teacher-leader"),
        seat("t-annex-slt", "diaz", "principal"), seat("t-annex-slt", "fox", "teacher-leader"),
        seat("t-north-g3", "evans", "general-education-teacher"),
        FocusArea(id="fa-literacy", district=i["district"], name="Early literacy"),
        Vision(id="v-birch", owner=i["district"], addresses=["fa-literacy"]),
        Vision(id="v-north", owner=i["north"], aligned_to="v-birch"),
        Vision(id="v-annex", owner=i["annex"], aligned_to="v-birch"),
        Vision(id="v-north-g3", owner="t-north-g3", aligned_to="v-north"),
        Vision(id="v-evans", owner=i["evans"], aligned_to="v-north-g3"),
        Meeting(id="m-annex", team="t-annex-slt", starts_at="2026-05-04T15:30:00-04:00"),
    ]


def current(fmt: str) -> AlignmentGraph:
    g = imported(fmt, "2026").graph
    g.add_all(layer(IDS[fmt]))
    return g


@pytest.fixture(params=["oneroster", "edfi"])
def fmt(request):
    return request.param


def test_every_layer_object_is_kept(fmt):
    now = current(fmt)
    roster = {o.id for o in (*now.units(), *now.people()) if o.source}
    nxt, changes = refresh(now, imported(fmt, "2027"), as_of=WHEN)
    kept = [o for o in now if o.id not in roster]
    assert kept and all(o.id in nxt for o in kept)
    assert {m.key for m in now.memberships()} == {m.key for m in nxt.memberships()}
    assert changes.kept_layer == len(kept) + len(now.memberships())
    assert nxt.as_of.isoformat() == WHEN


def test_exactly_the_changes_between_the_years(fmt):
    i = IDS[fmt]
    nxt, changes = refresh(current(fmt), imported(fmt, "2027"), as_of=WHEN)
    assert changes.arrived_units == (i["east"],)
    assert changes.arrived_people == (i["baker"],)
    (closed,) = changes.closed_units
    assert (closed.unit, closed.kept, closed.teams) == (i["annex"], True, ("t-annex-slt",))
    assert "v-annex" in closed.products
    assert sorted(closed.ended) == sorted([("t-annex-slt", i["diaz"]),
                                           ("t-annex-slt", i["fox"])])
    (left,) = changes.left_people
    assert left.person == i["adams"] and left.kept
    assert sorted(left.vacated) == [("t-dlt", ("principal",)),
                                    ("t-north-slt", ("principal", "mtss-lead"))]
    moved = {m.person: m for m in changes.moved_people}
    assert set(moved) == {i["evans"], i["diaz"], i["fox"]}
    evans = moved[i["evans"]]
    assert (evans.before, evans.after) == (i["north"], i["south"])
    assert sorted(t for t, _ in evans.ended) == ["t-north-g3", "t-north-slt"]
    assert moved[i["diaz"]].kept == ("t-dlt",)  # the district team: still his
    assert changes.changed_units == ()


def test_the_next_structure_keeps_history(fmt):
    i = IDS[fmt]
    nxt, _ = refresh(current(fmt), imported(fmt, "2027"), as_of=WHEN)
    assert str(nxt[i["adams"]].left_on) == WHEN and str(nxt[i["annex"]].closed_on) == WHEN
    assert str(nxt.membership("t-north-slt", i["adams"]).until) == WHEN
    assert nxt.membership("t-dlt", i["diaz"]).until is None
    assert nxt[i["evans"]].unit == i["south"]  # the new roster's person
    assert i["baker"] in nxt and i["east"] in nxt
    # what the structure now says: the empty key seats, who held them, since when
    report = validate(nxt, Config(as_of=WHEN))
    north = [f for f in report if f.subject == i["north"] and f.code == "LED001"]
    assert north and north[0].message.endswith(
        f"has had no designated MTSS lead since {WHEN} (was {i['adams']})")
    assert not [f for f in report if f.subject in (i["annex"], "t-annex-slt", "v-annex")]
    assert "inactive" in [n.kind for n in report.notices]
    seats = turnover(nxt, as_of=WHEN)
    assert ("t-north-slt", "principal") in [(t, e.role) for t, e in seats.empty_seats]


def test_the_summary_names_everyone_involved(fmt):
    i = IDS[fmt]
    _, changes = refresh(current(fmt), imported(fmt, "2027"), as_of=WHEN)
    involved = [i[k] for k in ("east", "annex", "adams", "baker", "evans", "diaz", "fox")]
    involved += ["t-annex-slt", "t-north-slt", "t-north-g3", "t-dlt"]
    text, md = str(changes), changes.to_markdown()
    data = json.dumps(changes.to_dict())
    for ident in involved:
        assert ident in text and f"`{ident}`" in md and f'"{ident}"' in data, ident
    assert changes.summary() == (f"refresh as of {WHEN}: 1 unit arrived, 1 unit closed, "
                                 "1 person arrived, 1 person left, 3 people moved; "
                                 f"{changes.kept_layer} layer objects kept")


def test_the_current_structure_is_left_as_it_was(fmt):
    now = current(fmt)
    before = mc.to_data(now)
    refresh(now, imported(fmt, "2027"), as_of=WHEN)
    assert mc.to_data(now) == before


def test_refresh_needs_a_date_and_a_fitting_layer():
    now = current("oneroster")
    new = imported("oneroster", "2027").graph
    undated = AlignmentGraph(list(new), as_of=None)
    with pytest.raises(ModelError, match="as-of date"):
        refresh(now, undated)
    with pytest.raises(ModelError, match="graph or an import"):
        refresh(now, "next.json")
    # the district reorganised as a regional agency: its leadership team no longer fits
    import attrs

    odd = AlignmentGraph([attrs.evolve(u, kind="isd") if u.id == "d-birch" else u
                          for u in new.units()] + list(new.people()))
    with pytest.raises(ModelError, match="does not fit the new roster"):
        refresh(now, odd, as_of=WHEN)


def test_a_structure_without_sources_takes_every_unit_and_person_as_roster():
    import attrs

    now = current("oneroster")
    unsourced = AlignmentGraph([attrs.evolve(o, source="") if o.type_name in ("unit", "person")
                                else o for o in now] + list(now.memberships()))
    _, changes = refresh(unsourced, imported("oneroster", "2027"), as_of=WHEN)
    assert changes.notes and "no sources" in changes.notes[0]
    assert [d.person for d in changes.left_people] == ["u-adams"]


def test_the_command(tmp_path):
    cur, new, nxt = tmp_path / "2026.json", tmp_path / "2027.json", tmp_path / "2027-next.xlsx"
    mc.dump(current("oneroster"), cur)
    out = io.StringIO()
    assert main(["import", "oneroster", str(HERE / "oneroster-2027"), "-o", str(new),
                 "--as-of", WHEN], stdout=out, stderr=io.StringIO()) == 0
    out = io.StringIO()
    code = main(["refresh", str(cur), str(new), "-o", str(nxt), "--format", "json"],
                stdout=out, stderr=io.StringIO())
    assert code == 0
    data = json.loads(out.getvalue())
    assert data["output"] == str(nxt) and data["left_people"][0]["person"] == "u-adams"
    loaded = mc.load(nxt)
    assert str(loaded.membership("t-dlt", "u-adams").until) == WHEN
    out = io.StringIO()
    assert main(["refresh", str(cur), str(new), "-o", str(tmp_path / "n.json"), "--format",
                 "markdown"], stdout=out, stderr=io.StringIO()) == 0
    assert out.getvalue().startswith(f"## Roster refresh as of {WHEN}")
    err = io.StringIO()
    assert main(["refresh", str(cur), str(new), "-o", "-"], stdout=io.StringIO(),
                stderr=err) == 2


# --- guards: an empty roster, a mass change, an import that made nothing -----------------

def _state(districts: int, schools: int) -> AlignmentGraph:
    units = [OrgUnit(id="st", kind="state", name="State", source="directory:2026")]
    for d in range(districts):
        units.append(OrgUnit(id=f"d{d}", kind="district", parent="st", name=f"D{d}",
                             source="directory:2026"))
        units += [OrgUnit(id=f"d{d}s{s}", kind="school", parent=f"d{d}", name=f"S{d}-{s}",
                          source="directory:2026") for s in range(schools)]
    return AlignmentGraph(units, as_of="2026-08-20")


def test_an_empty_new_roster_is_refused_with_the_figures():
    """An export that holds nothing closed all 10,693 units, exit 0, no warning."""
    from mtss_core.errors import MassChangeError

    now = _state(5, 4)
    empty = AlignmentGraph([], as_of="2027-08-20")
    with pytest.raises(MassChangeError, match="holds no unit: it would close 26 of 26 units"):
        refresh(now, empty)
    nxt, record = refresh(now, empty, accept_mass_change=True)
    assert len(record.closed_units) == 26


def test_a_refresh_closing_more_than_a_fifth_is_refused():
    from mtss_core.errors import MassChangeError

    now = _state(10, 6)  # 71 units
    kept = AlignmentGraph([u for u in now.units() if not u.id.startswith(("d7", "d8", "d9"))],
                          as_of="2027-08-20")
    with pytest.raises(MassChangeError, match=r"close 21 of 71 units.*30%.*more than 20%"):
        refresh(now, kept)
    assert refresh(now, kept, max_change=0.5)[1].closed_units
    code, _, err = _cli_refresh(now, kept)
    assert code == 2 and "--accept-mass-change" in err
    code, out, _ = _cli_refresh(now, kept, "--accept-mass-change")
    assert code == 0 and "21 units closed" in out


def _cli_refresh(now, kept, *flags):
    import tempfile

    folder = Path(tempfile.mkdtemp())
    mc.dump(now, folder / "now.json")
    mc.dump(kept, folder / "next-roster.json")
    out, err = io.StringIO(), io.StringIO()
    code = main(["refresh", str(folder / "now.json"), str(folder / "next-roster.json"),
                 "-o", str(folder / "next.json"), *flags], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_an_import_that_made_nothing_exits_2_and_writes_nothing(tmp_path):
    """'Read nothing. Made 0 units', exit 0."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "orgs.csv").write_text("sourcedId,status,dateLastModified,name,type,"
                                     "identifier,parentSourcedId\n", encoding="utf-8")
    (folder / "users.csv").write_text("sourcedId,status,dateLastModified,enabledUser,"
                                      "orgSourcedIds,role,username,givenName,familyName\n",
                                      encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["import", "oneroster", str(folder), "-o", str(tmp_path / "x.json")],
                stdout=out, stderr=err)
    assert code == 2 and "the import made nothing" in err.getvalue()
    assert not (tmp_path / "x.json").exists()


def test_a_position_code_and_its_words_are_one_position():
    """INSTRUCTIONAL_AIDE and Instructional Aide became two positions (inBloom's data)."""
    from mtss_core import Person

    assert Person(id="p", positions=["INSTRUCTIONAL_AIDE", "Instructional Aide",
                                     "TOSA"]).positions == ("Instructional Aide", "TOSA")


def test_a_refusal_cut_at_its_list_says_how_many_problems_in_all():
    """~200 problems listed then "more problems…": the total was never given."""
    from mtss_core.errors import DocumentError

    data = {"format_version": 1, "units": [{"id": f"u{i}", "kind": "schol"}
                                            for i in range(500)]}
    with pytest.raises(DocumentError) as caught:
        mc.from_data(data)
    assert caught.value.total == 500
    assert "(500 problems in all; only the first" in str(caught.value)


def test_directory_grades_read_through_the_text_guard(tmp_path):
    """AskTED's grades arrived as "'EE-05" on every school, with no message."""
    from mtss_core import import_directory_csv

    path = tmp_path / "dir.csv"
    path.write_text("District,District Name,School,School Name,Grades\n"
                    "001,Alpha ISD,001001,Alpha El,'EE-05\n"
                    "001,Alpha ISD,001002,Alpha MS,'06-08\n"
                    "001,Alpha ISD,001003,Alpha Annex,Various\n", encoding="utf-8")
    mapping = {"district_id": "District", "district_name": "District Name",
               "school_id": "School", "school_name": "School Name", "grades": "Grades"}
    result = import_directory_csv(path, mapping)
    grades = {u.name: u.grades for u in result.graph.units("school")}
    assert grades == {"Alpha El": "PK-5", "Alpha MS": "6-8", "Alpha Annex": "Various"}
    assert any("line 4 'Various'" in n for n in result.notes)


def test_oneroster_names_every_file_it_did_not_read_and_loose_roots(tmp_path):
    """A stray test-csv.csv beside the export was ignored without a note; a school with
    no parent became a second root beside the only district without a note."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "orgs.csv").write_text(
        "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
        "d1,active,2026-08-01,Birch,district,,\n"
        "s1,active,2026-08-01,Birch Elementary,school,,d1\n"
        "s2,active,2026-08-01,Birch Annex,school,,\n", encoding="utf-8")
    (folder / "users.csv").write_text(
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
        "givenName,familyName\n"
        "u1,active,2026-08-01,true,s1,teacher,ana,Ana,Lee\n", encoding="utf-8")
    (folder / "test-csv.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "classes.csv").write_text("sourcedId\n", encoding="utf-8")
    result = import_oneroster(folder, as_of="2026-08-20")
    notes = " | ".join(result.notes)
    assert "not read, not a OneRoster file: test-csv.csv" in notes
    assert "does not need: classes.csv" in notes
    assert "school 's2' name(s) no parent" in notes and "beside the district 'd1'" in notes


# --- people, not posts -----------------------------------------------------------------------

def _roster_year(principals: dict[str, str], superintendent: str) -> list:
    src = "directory:askted"
    units = [OrgUnit(id="d", kind="district", name="Royal ISD", source=src)]
    units += [OrgUnit(id=s, kind="school", parent="d", name=f"School {s.upper()}",
                      source=src) for s in ("a", "b", "c")]
    people = [mc.Person(id=f"principal-{s}", name=name, unit=s, positions=["principal"],
                        source=src) for s, name in principals.items()]
    people.append(mc.Person(id="superintendent-d", name=superintendent, unit="d",
                            positions=["superintendent"], source=src))
    return [*units, *people]


def test_a_successor_does_not_inherit_the_predecessors_seats_and_a_mover_keeps_theirs():
    """At Royal High School McGary was replaced by Runnels: Runnels held McGary's seats
    "since 2016-08-15" and McGary appeared nowhere; 307 moves were reported as 0."""
    year1 = AlignmentGraph([
        *_roster_year({"a": "McGary", "b": "Smith", "c": "Jones"}, "Dr. Ann Cole"),
        Team(id="t-a-slt", kind="school-leadership", unit="a"),
        Team(id="t-c-slt", kind="school-leadership", unit="c"),
        Team(id="t-d-dlt", kind="district-leadership", unit="d"),
        Membership(team="t-a-slt", person="principal-a", roles=["principal", "mtss-lead"],
                   since="2016-08-15"),
        Membership(team="t-c-slt", person="principal-c", roles=["principal"]),
        Membership(team="t-d-dlt", person="principal-c", roles=["coach"]),
        Membership(team="t-d-dlt", person="superintendent-d", roles=["superintendent"]),
    ], as_of="2026-08-20")
    year2 = AlignmentGraph(_roster_year({"a": "Runnels", "b": "Ms. Jones", "c": "Pat Lee"},
                                        "Ann Cole"), as_of="2027-08-20")
    nxt, record = refresh(year1, year2)
    said = {s.post: (s.before, s.after, s.history) for s in record.successions}
    assert said["principal-a"] == ("McGary", "Runnels", "principal-a~mcgary")
    assert said["principal-b"][:2] == ("Smith", "Ms. Jones")
    assert said["principal-c"] == ("Jones", "Pat Lee", "principal-b")  # Jones moved to b
    assert "superintendent-d" not in said  # "Dr. Ann Cole" and "Ann Cole": one person
    # McGary's seats end, kept under their own id; Runnels arrives with none
    history = nxt.membership("t-a-slt", "principal-a~mcgary")
    assert history.until == nxt.as_of and nxt["principal-a~mcgary"].name == "McGary"
    assert nxt.membership("t-a-slt", "principal-a") is None
    # Jones moved from c to b: the district seat is theirs still, school c's ended
    moved = {m.name: m for m in record.moved_people}
    assert "Ms. Jones" in moved and "t-d-dlt" in moved["Ms. Jones"].kept
    assert nxt.membership("t-d-dlt", "principal-b").until is None
    assert nxt.membership("t-c-slt", "principal-b").until == nxt.as_of
    assert "principal-a: McGary → Runnels" in str(record)
    # no person of the current roster disappears without being reported as left or moved,
    # and no seat changes holder without a record
    reported = {d.person for d in record.left_people} | {m.person for m in record.moved_people}
    for person in year1.people():
        assert person.id in nxt or person.id in {s.post for s in record.successions}
    for seat in year1.memberships(history=True):
        holder = seat.person
        if holder in said:  # the post changed hands: the seat stays with its holder
            assert nxt.membership(seat.team, said[holder][2]) is not None
        assert holder in reported or holder in said or nxt.membership(
            seat.team, holder) is not None


def test_turnover_of_principals_and_superintendents_per_district():
    year1 = AlignmentGraph(_roster_year({"a": "McGary", "b": "Smith", "c": "Jones"},
                                        "Dr. Ann Cole"), as_of="2026-08-20")
    year2 = AlignmentGraph(_roster_year({"a": "Runnels", "b": "Smith", "c": "Jones"},
                                        "Ann Cole"), as_of="2027-08-20")
    _, record = refresh(year1, year2)
    district = next(p for p in record.posts if p.district == "d")
    assert (district.principals, district.principals_changed) == (3, 1)
    assert (district.superintendents, district.superintendents_changed) == (1, 0)
    assert record.turnover().share_changed == 0.25
    assert record.to_dict()["posts"][-1]["district"] == "*"


def test_directory_statuses_and_rows_that_are_not_schools(tmp_path):
    """CCD: 112 closed, 395 inactive and 81 future schools came in as open; the California
    directory's district rows (a CDS code ending 0000000, the School column blank) became
    nameless schools.  (Columns as NCES CCD's SY_STATUS and CDE's pubschls name them.)"""
    from mtss_core import import_directory_csv

    path = tmp_path / "ccd.csv"
    path.write_text(
        "LEAID,LEA_NAME,NCESSCH,SCH_NAME,SY_STATUS,CLOSED\n"
        "4800001,Alpha ISD,480000100000,,1,\n"          # the district's own row
        "4800001,Alpha ISD,480000100001,Alpha El,1,\n"
        "4800001,Alpha ISD,480000100002,Alpha Old,2,2017-06-30\n"
        "4800001,Alpha ISD,480000100003,Alpha Gone,2,\n"
        "4800001,Alpha ISD,480000100004,Alpha Paused,6,\n"
        "4800001,Alpha ISD,480000100005,Alpha Next,7,\n"
        "4800001,Alpha ISD,480000100006,Alpha Odd,Z,\n", encoding="utf-8")
    mapping = {"district_id": "LEAID", "district_name": "LEA_NAME", "school_id": "NCESSCH",
               "school_name": "SCH_NAME", "status": "SY_STATUS", "closed_on": "CLOSED"}
    from mtss_core.errors import DocumentError

    with pytest.raises(DocumentError, match=r"status 'Z' is not one of"):
        import_directory_csv(path, mapping)
    path.write_text(path.read_text().replace(",Z,", ",1,"), encoding="utf-8")
    result = import_directory_csv(path, mapping)
    schools = {u.name: u for u in result.graph.units("school")}
    assert set(schools) == {"Alpha El", "Alpha Old", "Alpha Odd"}
    assert str(schools["Alpha Old"].closed_on) == "2017-06-30"
    skipped = dict(result.skipped)
    assert skipped["a district's or an office's own row (no school)"] == 1
    assert skipped["closed, with no closing date to mark it"] == 1
    assert skipped["inactive"] == 1 and skipped["not yet open (a future school)"] == 1
    assert "Alpha ISD" in {u.name for u in result.graph.units("district")}


def test_a_directory_year_pair_names_every_change():
    """The year pair of tests/fixtures/directory/askted-*: a succession, a move, a
    superintendent who leaves, a school that closes and one that opens, a district's own
    row, grades through Excel's guard — each named in the record, no person of the first
    year gone unreported, no seat changing holder without a record."""
    from mtss_core import import_directory_csv

    base = HERE.parent / "directory"
    mapping = base / "askted-2016" / "mapping.toml"
    year1 = import_directory_csv(base / "askted-2016" / "campuses.csv", mapping).graph
    year2 = import_directory_csv(base / "askted-2017" / "campuses.csv", mapping).graph
    assert {u.grades for u in year1.units("school")} == {"9-12", "PK-5", "6-8"}
    assert all(u.name for u in year1.units("school"))  # the district's row made no school
    assert "José Ávila" in {p.name for p in year2.people()}  # saved as Windows-1252
    layer = [Team(id="t-chs-slt", kind="school-leadership", unit="school-170902042"),
             Team(id="t-arm-slt", kind="school-leadership", unit="school-170902101"),
             Team(id="t-dlt", kind="district-leadership", unit="district-170902"),
             Membership(team="t-chs-slt", person="principal-170902042",
                        roles=["principal", "mtss-lead"], since="2016-08-15"),
             Membership(team="t-arm-slt", person="principal-170902101",
                        roles=["principal"]),
             Membership(team="t-dlt", person="principal-170902101", roles=["coach"]),
             Membership(team="t-dlt", person="superintendent-170902",
                        roles=["superintendent"])]
    current = AlignmentGraph([*year1, *layer], as_of="2016-09-01")
    nxt, record = refresh(current, year2, as_of="2017-08-21")
    text = str(record)
    said = {s.post: s for s in record.successions}
    assert "principal-170902042: Mr. Tom McGary → Dana Runnels" in text
    assert "superintendent-170902: Curtis Null → Dr. Jane Doe" in text
    assert said["principal-170902101"].moved  # Pat Jones moved to Houser
    assert "principal-170902041" not in said  # LONNIE CARTER is Lonnie Carter
    assert [c.unit for c in record.closed_units] == ["school-170902199"]
    assert "school-170902103" in record.arrived_units
    assert {m.name for m in record.moved_people} == {"Ms. Pat Jones"}
    assert nxt.membership("t-dlt", "principal-170902102").until is None  # Jones's seat
    assert nxt.membership("t-chs-slt", "principal-170902042") is None  # Runnels: none
    history = said["principal-170902042"].history
    assert nxt.membership("t-chs-slt", history).until == pendulum.date(2017, 8, 21)
    # no person of the first year disappears unreported; no seat changes holder silently
    left = {d.person for d in record.left_people}
    moved = {m.person for m in record.moved_people}
    for person in year1.people():
        succession = said.get(person.id)
        from mtss_core.analysis import person_key

        assert ((person.id in nxt and person_key(nxt[person.id].name) == person_key(
            person.name)) or person.id in left or succession is not None), person.id
    for seat in current.memberships(history=True):
        holder = said[seat.person].history if seat.person in said else seat.person
        kept = nxt.membership(seat.team, holder)
        assert kept is not None or holder in moved or seat.person in moved, seat.key
    assert record.turnover().principals_changed >= 3
    # the key seats the year left empty: McGary's MTSS lead seat, among them
    empty = {(team, role) for team, role, _ in record.vacancies}
    assert ("t-chs-slt", "mtss-lead") in empty
    assert "key seat now empty: mtss-lead on t-chs-slt" in str(record)


def test_a_ccd_directory_file_keeps_closed_schools_closed_and_futures_out():
    """NCES CCD: closed, inactive and future schools came in as ordinary open ones."""
    from mtss_core import import_directory_csv

    folder = HERE.parent / "directory" / "ccd"
    result = import_directory_csv(folder / "ccd_sch_029.csv", folder / "mapping.toml")
    schools = {u.name: u for u in result.graph.units("school")}
    assert set(schools) == {"ALPHA EL", "ALPHA MIDDLE", "ALPHA OLD CAMPUS", "ALPHA H S",
                            'ALPHA JJAEP, "CAMPUS B"', "ALPHA VIRTUAL ACADEMY", "BRAVO EL"}
    assert str(schools["ALPHA OLD CAMPUS"].closed_on) == "2017-06-30"
    assert schools["ALPHA EL"].grades == "PK-5" and schools["ALPHA EL"].closed_on is None
    # the CCD's "M" (missing) grade codes leave the span empty; ungraded stays ungraded
    assert schools['ALPHA JJAEP, "CAMPUS B"'].grades == ""
    assert schools["ALPHA VIRTUAL ACADEMY"].grades == "UG"
    # a reopened school's effective date is when it reopened, not a closing
    assert schools["BRAVO EL"].closed_on is None and schools["BRAVO EL"].grades == "K-4"
    skipped = dict(result.skipped)
    assert skipped == {"inactive": 1, "not yet open (a future school)": 1}
    # the trailing empty column of the export is noted, not silently dropped
    assert any("empty column" in note for note in result.notes)
