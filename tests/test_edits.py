"""Edits as data: the vocabulary's plain form, its schema, all-or-nothing batches, typed
errors, and the law that any sequence of edits, applied then undone, gives the structure
back (a Hypothesis state machine)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import mtss_core as mc
from conftest import canonical
from mtss_core import Membership, Session, example, validate
from mtss_core.edits import (
    Applied,
    apply_edits,
    edit_from_dict,
    edits_from_data,
    edits_schema,
)
from mtss_core.errors import DocumentError, EditError, ModelError

ROOT = Path(__file__).resolve().parents[1]


EXAMPLES = [
    {"op": "create", "type": "vision", "object": {"id": "v-x", "owner": "dist-maple"}},
    {"op": "set", "id": "v-cedar-high", "field": "aligned_to", "value": "v-cedar"},
    {"op": "add", "id": "v-maple", "field": "addresses", "value": "fa-maple-math"},
    {"op": "remove", "id": "v-maple", "field": "addresses", "value": "fa-maple-math"},
    {"op": "delete", "id": "rt-maple-ms-reading"},
    {"op": "rename", "id": "fa-maple-math", "to": "fa-maple-mathematics"},
    {"op": "seat", "team": "t-maple-dlt", "person": "p-garcia", "roles": ["coach"],
     "since": "2026-09-01"},
    {"op": "unseat", "team": "t-maple-dlt", "person": "p-garcia", "until": "2027-06-30"},
    {"op": "set_seat", "team": "t-maple-dlt", "person": "p-garcia", "seat": None},
]


@pytest.mark.parametrize("data", EXAMPLES, ids=[e["op"] for e in EXAMPLES])
def test_every_edit_round_trips_its_plain_form_and_matches_the_schema(data):
    jsonschema = pytest.importorskip("jsonschema")
    assert edit_from_dict(data).to_dict() == data
    jsonschema.validate([data], edits_schema())


def test_the_published_schema_is_current():
    published = ROOT / "src" / "mtss_core" / "schema" / "edits-1.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == edits_schema(), (
        "regenerate it: python -c 'import json; from mtss_core.edits import edits_schema;"
        " print(json.dumps(edits_schema(), indent=2))' > " + str(published))


@pytest.mark.parametrize(("data", "message"), [
    ({"op": "sett", "id": "x"}, "unknown op 'sett' (did you mean 'set'?)"),
    ({"op": "set", "id": "v-1", "feild": "x", "value": 1}, "unknown key 'feild'"),
    ({"op": "set", "id": "v-1", "value": 1}, "missing 'field'"),
    ({"op": "delete", "id": ""}, "'id' must be a non-empty text"),
    ("delete", "an edit is an object"),
    ({"op": "seat", "team": "t", "person": "p", "roles": "coach"}, "'roles' must be a list"),
])
def test_malformed_edits_are_edit_errors(data, message):
    with pytest.raises(EditError, match=re.escape(message)):
        edit_from_dict(data)


@pytest.mark.parametrize(("edit", "message"), [
    ({"op": "set", "id": "v-cedar-high", "field": "statment", "value": "x"},
     r"edit 1 \(v-cedar-high\): unknown field 'statment' of a vision \(did you mean "
     r"'statement'\?\)"),
    ({"op": "set", "id": "v-cedar-hihg", "field": "title", "value": "x"},
     r"no object with id 'v-cedar-hihg' \(did you mean 'v-cedar-high'\?\)"),
    ({"op": "seat", "team": "t-maple-dlt", "person": "p-garcia", "roles": ["princpal"]},
     r"unknown role 'princpal' \(did you mean 'principal'\?\)"),
    ({"op": "delete", "id": "dist-maple"}, r"edit 1 \(dist-maple\): .*cannot be removed"),
    ({"op": "create", "type": "visoin", "object": {"id": "v-q", "owner": "dist-maple"}},
     r"unknown type 'visoin' \(did you mean 'vision'\?\)"),
    ({"op": "create", "type": "vision", "object": {"id": "v-q", "ownr": "dist-maple"}},
     r"edit 1 \(v-q\): create vision: ownr: unknown field 'ownr'"),
    ({"op": "set", "id": "v-cedar-high", "field": "adopted_on", "value": "yesterday"},
     r"edit 1 \(v-cedar-high\): adopted_on: "),
    ({"op": "rename", "id": "v-cedar-high", "to": "v-cedar"}, r"id 'v-cedar' is taken"),
    ({"op": "unseat", "team": "t-maple-dlt", "person": "p-garcia", "until": "2027-01-01"},
     r"p-garcia has no seat on t-maple-dlt"),
])
def test_a_bad_edit_is_typed_and_the_batch_changes_nothing(edit, message):
    g = example()
    session = Session(g)
    before, findings = canonical(g), session.report().findings
    with pytest.raises(EditError, match=message) as caught:
        session.apply([EXAMPLES[1], edit])
    assert caught.value.index == 1
    assert canonical(g) == before and session.report().findings == findings


def test_the_role_typo_is_refused_wherever_a_seat_is_made():
    """Membership(**entry) accepted 'princpal' silently; the workbook refused it."""
    with pytest.raises(ModelError, match="did you mean 'principal'"):
        Membership(team="t", person="p", roles=["princpal"])
    data = mc.to_data(example())
    team = next(t for t in data["teams"] if t.get("members"))
    team["members"][0]["roles"] = ["princpal"]
    with pytest.raises(DocumentError, match="did you mean 'principal'"):
        mc.from_data(data)
    assert Membership(team="t", person="p", roles=["board liaison"]).roles == (
        "board liaison",)  # a role of one's own, unlike any known one, is kept


def test_applied_says_what_changed_and_which_findings_moved():
    session = Session(example())
    done = session.apply(EXAMPLES[:3])
    assert isinstance(done, Applied)
    assert done.created == ("v-x",)
    assert ("v-cedar-high", "aligned_to", "v-maple", "v-cedar") in done.changed
    assert [f.code for f in done.resolved] == ["ALN001"]
    assert all(":" in d["key"] for d in done.to_dict()["findings_added"])
    assert session.report().findings == validate(session.graph).findings
    assert "fixed 1 problem(s)" in done.summary()


def test_edits_on_a_plain_graph_and_batches_from_data():
    g = example()
    done = apply_edits(g, edits_from_data({"edits": EXAMPLES[5:7]}))
    assert "fa-maple-mathematics" in g and "fa-maple-math" not in g
    assert all("fa-maple-math" not in v.addresses for v in g.objects("vision"))
    assert done.renamed == (("fa-maple-math", "fa-maple-mathematics"),)
    assert done.added == () and done.resolved == ()  # a graph keeps no findings


# --- the law: applied then undone, any sequence gives the structure back -----------------

NAMES = st.text("abcdefghij", min_size=1, max_size=6)


class EditsMachine(RuleBasedStateMachine):
    """Random edits of every op to a session; the inverse of all of them, applied in
    reverse, gives the structure back, and the session's findings equal a full run."""

    def __init__(self) -> None:
        super().__init__()
        self.graph = example()
        self.session = Session(self.graph)
        self.start = canonical(self.graph)
        self.undo: list[list[dict]] = []
        self.made: list[str] = []
        self.seated: list[tuple[str, str]] = []

    def _apply(self, edits: list[dict]) -> None:
        try:
            done = self.session.apply(edits)
        except EditError:
            return  # refused as a whole: nothing changed (checked by the invariant)
        self.undo.append(list(done.inverse))

    @rule(name=NAMES)
    def create_focus_area(self, name):
        ident = f"fa-new-{name}"
        self._apply([{"op": "create", "type": "focus_areas",
                      "object": {"id": ident, "district": "dist-maple", "name": name}}])
        if ident in self.graph:
            self.made.append(ident)

    @rule(title=NAMES)
    def set_a_title(self, title):
        self._apply([{"op": "set", "id": "v-maple", "field": "title", "value": title}])

    @rule(data=st.data())
    def add_or_remove_an_address(self, data):
        areas = [f.id for f in self.graph.objects("focus_area")]
        value = data.draw(st.sampled_from(areas))
        op = data.draw(st.sampled_from(["add", "remove"]))
        self._apply([{"op": op, "id": "v-maple", "field": "addresses", "value": value}])

    @precondition(lambda self: self.made)
    @rule(data=st.data(), name=NAMES)
    def rename_one_made(self, data, name):
        old = data.draw(st.sampled_from(self.made))
        if old not in self.graph:
            return
        new = f"fa-renamed-{name}"
        self._apply([{"op": "rename", "id": old, "to": new}])
        if new in self.graph:
            self.made = [new if m == old else m for m in self.made]

    @precondition(lambda self: self.made)
    @rule(data=st.data())
    def delete_one_made(self, data):
        self._apply([{"op": "delete", "id": data.draw(st.sampled_from(self.made))}])

    @rule(data=st.data())
    def seat_or_unseat(self, data):
        team = data.draw(st.sampled_from(["t-maple-dlt", "t-cedar-dlt", "t-lincoln-slt"]))
        person = data.draw(st.sampled_from(["p-garcia", "p-nguyen", "p-morgan"]))
        how = data.draw(st.sampled_from(["seat", "unseat", "set_seat"]))
        edit: dict = {"op": how, "team": team, "person": person}
        if how == "seat":
            edit["roles"] = data.draw(st.lists(st.sampled_from(
                ["coach", "data-lead", "family-representative"]), max_size=2, unique=True))
        elif how == "unseat":
            edit["until"] = "2027-06-30"
        else:
            edit["seat"] = None
        self._apply([edit])

    @rule()
    def rename_a_district(self):
        for old, new in (("dist-cedar", "dist-cedar-creek"), ("dist-cedar-creek",
                                                               "dist-cedar")):
            if old in self.graph:
                self._apply([{"op": "rename", "id": old, "to": new}])
                return

    @invariant()
    def findings_equal_a_full_run(self):
        assert self.session.report().findings == validate(self.graph).findings

    def teardown(self):
        for inverse in reversed(self.undo):
            self.session.apply(inverse)
        assert canonical(self.graph) == self.start
        assert self.session.report().findings == validate(self.graph).findings


EditsMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=12,
                                          deadline=None,
                                          suppress_health_check=list(HealthCheck))
test_any_edits_applied_then_undone_give_the_structure_back = EditsMachine.TestCase
