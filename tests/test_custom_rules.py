"""Custom rules cross processes: they pickle by reference, run in process pools and come
into the command line as plugins."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor

import attrs
import pytest

import mtss_core as mc
from mtss_core import DEFAULT_RULES, Config, RuleSet, example, validate, validate_many
from mtss_core.rules import ALL, Edit, Rule

PLUGIN = textwrap.dedent('''
    """A vendor's rules, written to the public protocol."""
    from mtss_core import RuleSet, Violation, rule
    from mtss_core.rules import ALL

    @rule(code="ACME001", name="acme-unnamed-unit", severity="warning", subjects="unit",
          reads={"unit": lambda graph, ctx, edit: {o.id for o in edit.versions}})
    def unnamed(graph, ctx, unit):
        """A unit without a name."""
        if not unit.name:
            return Violation(subject=unit.id, message="no name", hint="name it")
        return None

    @rule(code="ACME002", name="acme-big-district", severity="error", subjects="unit",
          reads={"unit": ALL})
    def big(graph, ctx, unit):
        """A district with more than one school."""
        schools = [u for u in graph.children(unit.id) if u.kind.value == "school"]
        if unit.kind.value == "district" and len(schools) > 1:
            return Violation(subject=unit.id, message=f"{len(schools)} schools", hint="-")
        return None

    RULES = RuleSet([unnamed, big])
''')


@pytest.fixture
def acme(tmp_path, monkeypatch):
    """An installed distribution ``acme-rules`` offering rules through entry points; the
    folder is on sys.path here and on PYTHONPATH for child processes."""
    (tmp_path / "acme_rules.py").write_text(PLUGIN)
    dist = tmp_path / "acme_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[mtss_core.rules]\nacme = acme_rules:RULES\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]))
    import acme_rules

    yield acme_rules
    sys.modules.pop("acme_rules", None)


def test_custom_rules_pickle_by_reference(acme):
    """A pickled custom rule is the module's rule again: module, name and code travel,
    not the function."""
    blob = pickle.dumps(acme.unnamed)
    assert b"acme_rules" in blob and b"ACME001" in blob
    assert pickle.loads(blob) is acme.unnamed
    assert pickle.loads(pickle.dumps(acme.RULES)).rules == acme.RULES.rules


def test_a_shipped_rule_copied_with_evolve_pickles_as_its_changes():
    """attrs.evolve of a shipped rule pickles as the shipped code plus what changed."""
    copy = attrs.evolve(DEFAULT_RULES["FOC001"], severity="error")
    again = pickle.loads(pickle.dumps(copy))
    assert again == copy and again.check is DEFAULT_RULES["FOC001"].check
    assert again.reads == DEFAULT_RULES["FOC001"].reads
    assert pickle.loads(pickle.dumps(DEFAULT_RULES["FOC001"])) is DEFAULT_RULES["FOC001"]


def test_a_copy_under_a_new_code_pickles_as_the_shipped_rule_and_its_changes():
    """A shipped rule copied under a code of one's own still travels by reference."""
    copy = attrs.evolve(DEFAULT_RULES["FOC001"], code="ZZZ001", name="zzz")
    blob = pickle.dumps(copy)
    assert b"_focus" not in blob  # the public path, not the private module
    again = pickle.loads(blob)
    assert again == copy and again.check is DEFAULT_RULES["FOC001"].check


def test_custom_rules_run_in_a_process_pool(acme):
    """validate_many on a process pool runs every tenant with the custom rules, and finds
    what a serial run finds."""
    rules = DEFAULT_RULES.with_rules(*acme.RULES)
    tenants = {f"t{i}": mc.to_data(example()) for i in range(3)}
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(validate_many(tenants, executor=pool, rules=rules))
    assert [r.error for r in results] == [None, None, None]
    serial = validate(example(), rules=rules)
    assert all(r.report == serial for r in results)
    assert [f.subject for f in serial if f.code.startswith("ACME")] == [
        "dist-cedar", "dist-maple"]


def test_plugin_rules_through_the_command_line_on_two_processes(acme, tmp_path):
    """mtss validate DIR --plugins --jobs 2 runs the plugin's rules in worker processes."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.json", "b.json"):
        mc.dump(example(), docs / name)
    proc = subprocess.run(
        [sys.executable, "-m", "mtss_core.cli", "validate", str(docs), "--plugins",
         "--jobs", "2", "--select", "ACME", "--format", "json", "--no-progress"],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert [d["counts"]["by_code"] for d in data] == [{"ACME001": 0, "ACME002": 2}] * 2


def test_protocol_pieces_are_public():
    """What a custom rule needs is in mtss_core.rules."""
    assert repr(ALL) == "ALL" and pickle.loads(pickle.dumps(ALL)) is ALL
    edit = Edit(None, example()["sch-lincoln"])
    assert edit.added and not edit.removed and edit.type_name == "unit"
    assert isinstance(DEFAULT_RULES["ALN001"], Rule)
    assert Config(select=["acme"]).select == ("acme",)
    assert RuleSet([]).get("ALN001") is None


FACTORY = textwrap.dedent('''
    """Rules made by a factory, and two rules made from one function."""
    from mtss_core import RuleSet, Violation, rule

    def _too_few(kind, code, name):
        def check(graph, ctx, unit):
            """A unit with too few children of a kind."""
            if unit.kind.value == "district" and not any(
                    u.kind.value == kind for u in graph.children(unit.id)):
                return Violation(subject=unit.id, message=f"no {kind}", hint="-")
            return None
        return rule(code=code, name=name, severity="warning", subjects="unit",
                    reads={"unit": lambda graph, ctx, edit: [o.id for o in edit.versions]})(
                        check)

    NO_DEPARTMENT = _too_few("department", "ACME010", "no-department")
    NO_SCHOOL = _too_few("school", "ACME011", "no-school")

    def _empty_name(graph, ctx, unit):
        """A unit named with spaces only."""
        if unit.name and not unit.name.strip():
            return Violation(subject=unit.id, message="blank name")
        return None

    BLANK_A = rule(code="ACME012", name="blank-a", severity="info", subjects="unit")(
        _empty_name)
    BLANK_B = rule(code="ACME013", name="blank-b", severity="error", subjects="unit")(
        _empty_name)
    RULES = RuleSet([NO_DEPARTMENT, NO_SCHOOL, BLANK_A, BLANK_B])
''')


@pytest.fixture
def factory(tmp_path, monkeypatch):
    (tmp_path / "acme_factory.py").write_text(FACTORY)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]))
    import acme_factory

    yield acme_factory
    sys.modules.pop("acme_factory", None)


def test_the_decorator_leaves_the_function_alone(factory):
    """@rule used to rename the function (__qualname__ -> name.check)."""
    assert factory._empty_name.__qualname__ == "_empty_name"
    assert factory.BLANK_A.check is factory.BLANK_B.check is factory._empty_name


def test_factory_made_rules_and_rules_sharing_a_function_pickle_by_reference(factory):
    """Each travels as its module and code (not by value: the factory's closures could not
    be pickled by value at all)."""
    for r in factory.RULES:
        blob = pickle.dumps(r)
        assert b"acme_factory" in blob and b"_rebuild_rule" not in blob
        assert pickle.loads(blob) is r
    copy = attrs.evolve(factory.BLANK_B, severity="warning")
    again = pickle.loads(pickle.dumps(copy))
    assert again == copy and again.code == "ACME013"


def test_factory_made_rules_run_in_a_process_pool(factory):
    """validate_many on a process pool finds what a serial run finds."""
    rules = factory.RULES
    tenants = [("a", example()), ("b", example())]
    serial = {r.key: r.report for r in validate_many(tenants, rules=rules)}
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = {r.key: r.report for r in validate_many(tenants, executor=pool, rules=rules)}
    assert pooled == serial
    assert serial["a"].counts_by_code()["ACME010"] == 2
