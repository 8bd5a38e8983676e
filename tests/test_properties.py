"""Laws that hold for every structure (Hypothesis)."""

from __future__ import annotations

import random

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from mtss_core import AlignmentGraph, dumps, from_data, loads, to_data, validate
from strategies import structures


@given(objs=structures())
def test_json_written_in_pieces_is_the_one_shot_text(objs):
    """dumps/dump write JSON a piece at a time: the text of json.dumps of to_data."""
    import json

    g = AlignmentGraph(objs)
    assert dumps(g) == json.dumps(to_data(g), indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=60, deadline=None)
@given(objs=structures(), seed=st.integers(0, 2**32 - 1))
def test_findings_do_not_depend_on_insertion_order(objs, seed):
    """Shuffling the objects gives the same report."""
    shuffled = list(objs)
    random.Random(seed).shuffle(shuffled)
    assert validate(AlignmentGraph(objs)) == validate(AlignmentGraph(shuffled))


@settings(max_examples=60, deadline=None)
@given(objs=structures())
def test_every_finding_names_real_objects(objs):
    """Each finding's subject and related ids are in the graph, with a message and hint."""
    g = AlignmentGraph(objs)
    for f in validate(g):
        assert f.subject in g
        assert all(r in g for r in f.related)
        assert f.message and f.hint


@settings(max_examples=60, deadline=None)
@given(objs=structures())
def test_dump_then_load_gives_an_equal_structure(objs):
    """to_data/from_data and dumps/loads lose nothing."""
    g = AlignmentGraph(objs)
    for again in (from_data(to_data(g)), loads(dumps(g)), loads(dumps(g, "yaml"), "yaml")):
        assert {o.id: o for o in again} == {o.id: o for o in g}
        assert set(again.memberships()) == set(g.memberships())
        assert to_data(again) == to_data(g)
        for m in again.meetings():  # the wall-clock time and its offset are kept
            assert m.starts_at.utcoffset() == g[m.id].starts_at.utcoffset()


@settings(max_examples=60, deadline=None)
@given(objs=structures())
def test_following_the_hints_fixes_the_alignment(objs):
    """Setting aligned_to as each ALN001 hint says silences exactly those findings."""
    g = AlignmentGraph(objs)
    prefix = "set aligned_to to "
    fixes = {f.subject: f.hint.removeprefix(prefix).strip("'")
             for f in validate(g).by_code("ALN001") if f.hint.startswith(prefix)}
    fixed = [attrs.evolve(o, aligned_to=fixes[o.id]) if getattr(o, "id", None) in fixes else o
             for o in objs]
    still = {f.subject for f in validate(AlignmentGraph(fixed)).by_code("ALN001")}
    assert not still & set(fixes)


@settings(max_examples=80, deadline=None)
@given(objs=structures(), above_district=st.booleans(), partners=st.booleans())
def test_aligned_as_expected_never_fires(objs, above_district, partners):
    """Every product aligned to what expected_alignment names fires no ALN rule."""
    import attrs

    from mtss_core import Config, Person, validate
    from mtss_core.graph import expected_alignment
    from mtss_core.model import Product

    g = AlignmentGraph(objs)
    realigned = []
    for obj in objs:
        if isinstance(obj, Product):
            expected = expected_alignment(g, obj, above_district=above_district,
                                          isd_partners_only=partners)
            target = expected.targets[0] if expected and expected.targets else None
            obj = attrs.evolve(obj, aligned_to=target)
        realigned.append(obj)
    fixed = AlignmentGraph(realigned)
    settings = {"above_district": above_district, "isd_partners_only": partners}
    report = validate(fixed, Config(select=["ALN001", "ALN002", "ALN003", "ALN004",
                                            "ALN005"],
                                    settings=dict.fromkeys(
                                        ("ALN001", "ALN002", "ALN003", "ALN005"), settings)))
    # the one exception: a teacher on no team has no level above at all
    assert all(isinstance(fixed[fixed[f.subject].owner], Person) and "sits on no team"
               in f.message for f in report), [str(f) for f in report]
