"""The document format: loading with precise errors, writing, round trips."""

from __future__ import annotations

import json

import pytest

from mtss_core import (
    AlignmentGraph,
    DocumentError,
    OrgUnit,
    dump,
    dumps,
    example,
    from_data,
    load,
    loads,
    to_data,
)
from mtss_core.errors import MissingExtraError

GOOD = {
    "format_version": 1,
    "units": [{"id": "d1", "kind": "district", "name": "Maple"},
              {"id": "s1", "kind": "school", "parent": "d1"}],
    "people": [{"id": "p1", "name": "Ann", "unit": "s1"}],
    "teams": [{"id": "t1", "kind": "school-leadership", "unit": "s1",
               "members": [{"person": "p1", "roles": ["principal"], "since": "2023-07-01"}]}],
    "visions": [{"id": "v-d1", "owner": "d1"},
                {"id": "v-s1", "owner": "t1", "aligned_to": "v-d1", "adopted_on": "2024-08-15"}],
    "focus_areas": [{"id": "fa1", "district": "d1", "name": "Literacy"}],
}


def problems(data=None, text=None, fmt="json"):
    with pytest.raises(DocumentError) as info:
        if text is not None:
            loads(text, fmt, source="doc." + fmt)
        else:
            from_data(data, source="doc.json")
    return info.value.problems


def edit(**sections):
    return {**json.loads(json.dumps(GOOD)), **sections}


class TestLoading:
    def test_good_document(self):
        """A good document builds the whole graph, members included."""
        g = from_data(GOOD)
        assert g.roles("t1", "p1") == ("principal",)
        assert str(g["v-s1"].adopted_on) == "2024-08-15"
        assert g.members("t1")[0].since.year == 2023

    def test_yaml_document(self):
        """YAML documents load the same, dates unquoted or quoted."""
        text = ("format_version: 1\nunits:\n  - {id: d1, kind: district}\n"
                "visions:\n  - id: v\n    owner: d1\n    adopted_on: 2024-08-15\n")
        g = loads(text, "yaml")
        assert g["v"].adopted_on.month == 8

    def test_file_with_bom(self, tmp_path):
        """A UTF-8 file with a byte-order mark loads."""
        path = tmp_path / "d.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
        assert "d1" in load(path)


class TestProblems:
    def test_wrong_kind_has_line_column_pointer_and_field(self):
        """A bad value is located by file, line, column, pointer and field."""
        text = json.dumps(edit(units=[{"id": "d1", "kind": "distrct"}]), indent=2)
        (p,) = problems(text=text)
        assert (p.source, p.pointer, p.field) == ("doc.json", "/units/0/kind", "kind")
        assert p.line == text[:text.index('"distrct"')].count("\n") + 1
        assert p.column == 15
        assert "expected one of" in p.message and p.received == "'distrct'"
        assert str(p).startswith(f"doc.json:{p.line}:15: /units/0/kind: ")

    def test_yaml_problems_have_lines(self):
        """YAML problems point at the YAML line and column."""
        text = "format_version: 1\nunits:\n  - id: d1\n    kind: 12\n"
        (p,) = problems(text=text, fmt="yaml")
        assert (p.pointer, p.line, p.column) == ("/units/0/kind", 4, 11)

    def test_every_problem_is_collected(self):
        """All field problems are reported in one pass."""
        data = edit(units=[{"id": "d1", "kind": "district", "colour": "red"},
                           {"kind": "school", "parent": "d1"}],
                    people=[{"id": "p1", "name": 5}], teams=[], visions=[],
                    focus_areas=[])
        got = {(p.pointer, p.field) for p in problems(data)}
        assert got == {("/units/0/colour", "colour"), ("/units/1/id", "id"),
                       ("/people/0/name", "name")}

    def test_reference_problems_point_at_the_field(self):
        """Dangling references and duplicates point at the offending field."""
        data = edit(visions=[{"id": "v-d1", "owner": "d9"}, {"id": "v-d1", "owner": "d1"}])
        got = {(p.pointer, p.field) for p in problems(data)}
        assert got == {("/visions/0/owner", "owner"), ("/visions/1/id", "id")}

    def test_duplicate_member_points_at_the_member(self):
        """A person listed twice on a team is reported at the second entry."""
        teams = edit()["teams"]
        teams[0]["members"].append({"person": "p1"})
        (p,) = problems(edit(teams=teams))
        assert p.pointer == "/teams/0/members/1/person" and "already a member" in p.message

    def test_pointers_after_a_team_with_members(self):
        """Problems found once every entry is decoded (and let go) still point at the
        right entry, past teams and their members."""
        data = edit()
        data["visions"] = [{"id": "v-ok", "owner": "d1"}, {"id": "v-bad", "owner": "zz"}]
        (p,) = problems(text=json.dumps(data))
        assert p.pointer == "/visions/1/owner"

    def test_yaml_sections_sharing_one_list(self):
        """A YAML alias may give two sections one list: both are read in full."""
        text = ("format_version: 1\nunits: &u\n  - {id: d1, kind: district}\n"
                "people: []\n")
        assert loads(text, "yaml")["d1"].name == ""
        shared = ("format_version: 1\nvisions: &v\n  - {id: v1, owner: d1}\n"
                  "units: [{id: d1, kind: district}]\nnon_negotiables: *v\n")
        got = {p.pointer for p in problems(text=shared, fmt="yaml")}
        assert got == {"/non_negotiables/0/id"}  # the same id twice, not a missing entry

    def test_missing_field_in_text_points_at_its_object(self):
        """A missing field is located at the object that lacks it."""
        text = '{"format_version": 1,\n "units": [\n  {"kind": "district"}]}'
        (p,) = problems(text=text)
        assert (p.pointer, p.line, p.column) == ("/units/0/id", 3, 3)

    @pytest.mark.parametrize(("data", "pointer"), [
        ({"units": []}, "/format_version"),
        ({"format_version": 2}, "/format_version"),
        ({"format_version": 1, "unitz": []}, "/unitz"),
        ({"format_version": 1, "units": {}}, "/units"),
        ({"format_version": 1, "units": ["d1"]}, "/units/0"),
        ({"format_version": 1, "teams": [{"id": "t", "kind": "grade-team", "unit": "u",
                                          "members": {}}]}, "/teams/0/members"),
        ([], ""),
    ])
    def test_shape_problems(self, data, pointer):
        """Wrong shapes, versions and sections are reported at their pointer."""
        assert pointer in [p.pointer for p in problems(data)]

    def test_invalid_json_syntax(self):
        """Broken JSON reports line and column."""
        (p,) = problems(text='{"format_version": 1,\n "units": [,]}')
        assert (p.line, p.column) == (2, 12) and "not valid JSON" in p.message

    def test_invalid_yaml_syntax(self):
        """Broken YAML reports line and column."""
        (p,) = problems(text="format_version: 1\nunits: [\n", fmt="yaml")
        assert p.line == 3 and "not valid YAML" in p.message

    def test_problem_limit(self):
        """Past the limit, the error says how many were found in all."""
        data = edit(units=[{"id": f"u{i}", "kind": "bad"} for i in range(30)])
        with pytest.raises(DocumentError) as info:
            from_data(data, max_problems=5)
        assert len(info.value.problems) == 5 and info.value.truncated
        assert "(30 problems in all; only the first 5 are listed)" in str(info.value)

    def test_unknown_suffix_and_missing_file(self, tmp_path):
        """Files must exist and end in .json, .yaml or .yml."""
        with pytest.raises(DocumentError, match=r"ending in \.json"):
            load(tmp_path / "x.txt")
        with pytest.raises(DocumentError, match="cannot read the file"):
            load(tmp_path / "x.json")

    def test_not_utf8(self, tmp_path):
        """Bytes that are not UTF-8 are reported, not guessed at."""
        path = tmp_path / "x.json"
        path.write_bytes(b'{"a": "\xff"}')
        with pytest.raises(DocumentError, match="not UTF-8"):
            load(path)


class TestWriting:
    def test_round_trip_of_the_example(self, tmp_path):
        """The example survives JSON and YAML files unchanged."""
        g = example()
        for name in ("e.json", "e.yaml"):
            dump(g, tmp_path / name)
            assert to_data(load(tmp_path / name)) == to_data(g)

    def test_defaults_are_left_out(self):
        """Written documents stay small: fields at their defaults are omitted."""
        text = dumps(AlignmentGraph([OrgUnit(id="d", kind="district")]))
        assert json.loads(text) == {"format_version": 1,
                                    "units": [{"id": "d", "kind": "district"}]}

    def test_unknown_format(self):
        """Only json and yaml are formats."""
        with pytest.raises(ValueError, match="format"):
            dumps(example(), "xml")


def test_yaml_needs_its_extra(monkeypatch):
    """Without PyYAML, YAML use names the extra to install."""
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "yaml":
            raise ImportError("no yaml")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(MissingExtraError, match=r"pip install 'mtss-core\[yaml\]'"):
        loads("a: 1", "yaml")
