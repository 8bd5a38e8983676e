"""A vendor's own type of object and rule, from the docs alone: loaded from a document,
validated, kept current in a Session, checked on a process pool by path, and from the
command line (``--types MODULE:REGISTRY``); and building a registry never changes what
another registry's classes say."""

from __future__ import annotations

import copy
import io
import json
import pickle
from concurrent.futures import ProcessPoolExecutor

import networkx as nx
import pytest

import mtss_core as mc
from mtss_core import Session, example
from mtss_core.analysis import validate_many
from mtss_core.cli import main
from vendor_ext import TYPES_WITH_INTERVENTIONS, Intervention, tier_three_without_name

RULES = mc.DEFAULT_RULES.with_rules(tier_three_without_name)


def _document(tmp_path):
    data = mc.to_data(example())
    data["interventions"] = [{"id": "iv-1", "team": "t-lincoln-slt", "tier": 3},
                             {"id": "iv-2", "team": "t-lincoln-slt", "name": "Reading",
                              "tier": 3}]
    path = tmp_path / "vendor.json"
    path.write_text(json.dumps(data))
    return path


def test_a_vendor_type_everywhere(tmp_path):
    path = _document(tmp_path)
    g = mc.load(path, types=TYPES_WITH_INTERVENTIONS)
    assert isinstance(g["iv-1"], Intervention)
    found = mc.validate(g, rules=RULES).by_code("ACME100")
    assert [f.subject for f in found] == ["iv-1"]
    session = Session(g, rules=RULES)
    session.apply([{"op": "set", "id": "iv-1", "field": "name", "value": "Check-in"}])
    assert session.report().by_code("ACME100") == ()
    # a process pool, by path: the registry travels with the call
    with ProcessPoolExecutor(max_workers=2) as pool:
        [result] = list(validate_many([("v", str(path))], executor=pool, rules=RULES,
                                      types=TYPES_WITH_INTERVENTIONS))
    assert result.error is None, result.error
    assert [f.subject for f in result.report.by_code("ACME100")] == ["iv-1"]
    # the command line
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", str(path), "--types", "vendor_ext:TYPES_WITH_INTERVENTIONS"],
                stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(path)], stdout=out, stderr=err) == 2
    assert "interventions" in err.getvalue()


def test_building_a_registry_stamps_no_other_registry(tmp_path):
    """Waiver.__mtss_type__ moved to whichever vendor's registry was built last."""
    import attrs

    from mtss_core.model import TYPES, ObjectType, fields

    waiver = TYPES["waiver"].cls
    before = waiver.__mtss_type__

    @attrs.frozen(kw_only=True)
    class Other:
        id: str = attrs.field(validator=fields.valid_id)

    other = TYPES.extend([ObjectType("other_thing", Other, "other_things", "other thing",
                                     "other things")])
    assert waiver.__mtss_type__ is before
    assert "other_thing" in other["waiver"].reference("subject").targets
    assert "other_thing" not in TYPES_WITH_INTERVENTIONS["waiver"].reference(
        "subject").targets


def test_the_networkx_view_copies_pickles_and_converts():
    """to_undirected, deepcopy and pickle raised TypeError: cannot pickle 'mappingproxy'."""
    g = example()
    view = g.view
    assert view.to_undirected().number_of_edges() == view.number_of_edges()
    assert copy.deepcopy(view).number_of_nodes() == view.number_of_nodes()
    again = pickle.loads(pickle.dumps(view))
    assert nx.is_isomorphic(nx.DiGraph(again), nx.DiGraph(view))
    assert dict(view.copy().edges["sch-lincoln", "dist-maple", "parent"]) == {}


def test_a_vendor_rules_memo_keys_never_meet_the_shipped_ones():
    """ctx.memo was one dict under string keys: a vendor rule keeping "teams_by_unit" of
    its own collided silently with a shipped rule's index."""
    from mtss_core import RuleSet, Violation, rule

    @rule(code="ACME200", name="memo-squatter", severity="info", subjects="unit")
    def squatter(graph, ctx, unit):
        "Keeps indexes of its own under the names the shipped rules use."
        for name in ("teams_by_unit", "leads_by_unit", "coaches_by_district",
                     "thresholds_by_unit", "protocol_links", "success_highlights",
                     "capacity_by_unit", "time_index"):
            ctx.memo[name] = {"nothing": "useful"}
        if False:
            return Violation(subject=unit.id, message="never")
        return None

    g = example()
    alone = mc.validate(g).findings
    together = mc.validate(g, rules=RuleSet([squatter, *mc.DEFAULT_RULES])).findings
    assert together == alone


def test_a_rule_that_reads_names_is_told_labels_only_is_wrong():
    """A duplicate-name rule declaring labels_only gave [] in a Session against 2
    findings in a full run; check_reads caught it but blamed reads['unit']."""
    import pytest

    from mtss_core import Violation, rule
    from mtss_core.errors import ReadsError
    from mtss_core.rules import ALL, Edit
    from mtss_core.session import check_reads

    @rule(code="ACME300", name="two-schools-one-name", severity="warning",
          subjects="unit", reads={"unit": ALL}, labels_only=True)
    def twins(graph, ctx, unit):
        "Two schools of one name."
        if unit.kind.value == "school" and unit.name and any(
                u.id != unit.id and u.name == unit.name for u in graph.units("school")):
            return Violation(subject=unit.id, message=f"{unit.id} shares its name")
        return None

    g = example()
    old = g["sch-maple-ms"]
    import attrs

    renamed = attrs.evolve(old, name=g["sch-lincoln"].name)
    with pytest.raises(ReadsError, match=r"declares labels_only.*drop labels_only"):
        check_reads(twins, g, [Edit(old, renamed)])


def test_a_third_party_validators_message_reads_as_a_message():
    """attrs' instance_of raises TypeError(message, attribute, type, value): the problem
    showed the repr of that tuple instead of the message."""
    import attrs

    from mtss_core.errors import DocumentError
    from mtss_core.io import from_data
    from mtss_core.model import TYPES, ObjectType, Reference, fields

    @attrs.frozen(kw_only=True)
    class Grant:
        id: str = attrs.field(validator=fields.valid_id)
        district: str = attrs.field(validator=fields.valid_id)
        amount: int = attrs.field(validator=attrs.validators.instance_of(int))

    types = TYPES.extend([ObjectType("grant", Grant, "grants", "grant", "grants",
                                     (Reference("district", "grant_of", "unit", home=True),))])
    with pytest.raises(DocumentError) as caught:
        from_data({"format_version": 1, "units": [{"id": "d1", "kind": "district"}],
                   "grants": [{"id": "g1", "district": "d1", "amount": "lots"}]}, types=types)
    (problem,) = caught.value.problems
    assert problem.pointer == "/grants/0/amount" and problem.message.startswith("'amount' must be")
    assert "Attribute(" not in str(problem)
