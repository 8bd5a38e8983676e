"""Overlay, exports, and document safety (the importers are tested in test_import.py)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

from mtss_core import (
    DocumentError,
    Limits,
    example,
    import_directory_csv,
    load,
    loads,
    overlay,
    to_data,
    validate,
)
from mtss_core.cli import main
from mtss_core.errors import ModelTypeError
from mtss_core.io import to_dot, to_mermaid, to_node_link, write_graphml
from mtss_core.model import Role

FIXTURES = Path(__file__).parent / "fixtures"


def problems_of(call, *args, **kwargs):
    with pytest.raises(DocumentError) as info:
        call(*args, **kwargs)
    return info.value.problems


def copy_fixture(tmp_path, name):
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


CSV = FIXTURES / "directory" / "schools.csv"
MAPPING = FIXTURES / "directory" / "mapping.toml"


class TestOverlay:
    def test_add_the_mtss_layer_on_an_import(self, tmp_path):
        """Teams and visions referencing imported ids join the imported structure."""
        base = import_directory_csv(CSV, MAPPING).graph
        layer = {"format_version": 1,
                 "teams": [{"id": "t-maple-dlt", "kind": "district-leadership",
                            "unit": "district-70010",
                            "members": [{"person": "superintendent-70010",
                                         "roles": ["superintendent"]}]}],
                 "visions": [{"id": "v-maple", "owner": "district-70010"}],
                 "units": [{"id": "district-70010", "kind": "district",
                            "name": "Maple Valley Public Schools", "parent": "isd-70",
                            "code": "70010"}]}  # identical to the import: fine
        g = overlay(base, layer)
        assert g.roles("t-maple-dlt", "superintendent-70010") == (Role.SUPERINTENDENT,)
        assert "v-maple" in g and "v-maple" not in base
        assert len(validate(g).findings) > 0  # the combined structure is checkable

    def test_conflicts_and_dangling_references(self, tmp_path):
        """A differing object is a conflict; a reference to nothing points at its field."""
        base = example()
        got = problems_of(overlay, base, {
            "format_version": 1,
            "units": [{"id": "dist-maple", "kind": "district", "name": "Maple"}],
            "teams": [{"id": "t-new", "kind": "grade-team", "unit": "sch-nowhere"}]})
        assert [(p.pointer, p.field) for p in got] == [("/units/0/name", "name")]
        got = problems_of(overlay, base, {"format_version": 1, "teams": [
            {"id": "t-new", "kind": "grade-team", "unit": "sch-nowhere"}]})
        assert [p.pointer for p in got] == ["/teams/0/unit"]

    def test_overlay_from_a_file(self, tmp_path):
        """A YAML file can be the layer."""
        layer = tmp_path / "layer.yaml"
        layer.write_text("format_version: 1\nfocus_areas:\n"
                         "  - {id: fa-new, district: dist-maple, name: Numeracy}\n")
        assert overlay(example(), layer).focus_areas("dist-maple")[-1].name == "Numeracy"


class TestExports:
    def test_node_link_is_networkx_readable(self):
        """Node-link JSON rebuilds the same networkx graph."""
        g = example()
        data = json.loads(json.dumps(to_node_link(g)))
        back = nx.node_link_graph(data, edges="edges")
        assert back.number_of_nodes() == len(g)
        assert back.number_of_edges() == g.view.number_of_edges()
        assert back.nodes["sch-lincoln"]["kind"] == "school"
        assert back.edges["p-kim", "t-lincoln-slt", "member"]["roles"] == ["principal"]

    def test_graphml_round_trips_through_networkx(self, tmp_path):
        """GraphML opens in networkx (and so in Gephi, yEd, ...)."""
        path = tmp_path / "lakeshore.graphml"
        write_graphml(example(), path)
        back = nx.read_graphml(path, force_multigraph=True)
        assert back.nodes["v-cedar-high"]["aligned_to"] == "v-maple"
        assert json.loads(back.nodes["v-maple"]["addresses"])[0] == "fa-maple-literacy"

    def test_dot_and_mermaid_whole_and_subtree(self):
        """DOT and Mermaid draw the org and alignment tree; a root limits them."""
        g = example()
        dot = to_dot(g)
        assert dot.startswith("digraph mtss {") and '"v-cedar-high" -> "v-maple"' in dot
        assert "p-garcia" not in dot and "p-garcia" in to_dot(g, people=True)
        mermaid = to_mermaid(g, root="dist-cedar")
        assert mermaid.startswith("flowchart BT") and "Maple Valley" not in mermaid
        with pytest.raises(ModelTypeError, match="'v-maple' is a vision, not an org unit"):
            to_dot(g, root="v-maple")


class TestSafety:
    BOMB = "".join(["format_version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n",
                    *(f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                      for p, c in zip("abcdefgh", "bcdefghi", strict=True))])

    def test_alias_bomb_is_refused(self):
        """A billion-laughs YAML document is refused before it is built."""
        (p,) = problems_of(loads, self.BOMB, "yaml")
        assert "Limits.max_nodes" in p.message

    def test_deep_nesting_is_refused(self):
        """Absurd nesting is refused for YAML (at its line) and JSON."""
        deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 80))
        (p,) = problems_of(loads, deep, "yaml", limits=Limits(max_depth=10))
        assert "deeper than 10 levels at line 11" in p.message
        (p,) = problems_of(loads, "[" * 50_000 + "]" * 50_000)
        assert "nesting too deep" in p.message

    def test_oversized_file_is_refused_unread(self, tmp_path):
        """A file over the size limit is refused from its size alone."""
        path = tmp_path / "big.json"
        path.write_text(json.dumps({"format_version": 1, "units": []}))
        (p,) = problems_of(load, path, limits=Limits(max_bytes=10))
        assert "the limit is 10 (Limits.max_bytes)" in p.message

    def test_yaml_never_executes(self):
        """Python tags are not constructed: the safe loader refuses them."""
        (p,) = problems_of(loads, "format_version: !!python/object/apply:os.system [echo]",
                           "yaml")
        assert "not valid YAML" in p.message


def test_load_then_dump_is_canonical():
    """Loading then dumping a document gives an equivalent one, and is idempotent."""
    doc = {"format_version": 1, "units": [
        {"id": "d", "kind": "district", "name": "", "parent": None, "grades": ""}],
        "people": [{"id": "p", "roles": [], "positions": "Principal", "departments": []}]}
    doc["people"][0].pop("roles")
    once = to_data(loads(json.dumps(doc)))
    assert once == {"format_version": 1, "units": [{"id": "d", "kind": "district"}],
                    "people": [{"id": "p", "positions": ["principal"]}]}
    assert to_data(loads(json.dumps(once))) == once


class TestCli:
    def run(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()

    def test_import_with_overlay(self, tmp_path):
        """--overlay adds the MTSS layer in the same command."""
        layer = tmp_path / "layer.json"
        layer.write_text(json.dumps({"format_version": 1, "teams": [
            {"id": "t1", "kind": "school-leadership", "unit": "school-00123"}]}))
        code, _, _ = self.run("import", "csv", str(CSV), "--mapping",
                              str(MAPPING), "--overlay", str(layer),
                              "-o", str(tmp_path / "d.json"))
        assert code == 0 and "t1" in load(tmp_path / "d.json")

    def test_export_formats(self, tmp_path):
        """mtss export writes node-link, GraphML, DOT and Mermaid."""
        code, text, _ = self.run("export", "--example", "--to", "node-link")
        assert code == 0 and json.loads(text)["directed"] is True
        assert self.run("export", "--example", "--to", "graphml")[0] == 2  # needs -o
        assert self.run("export", "--example", "--to", "graphml", "-o",
                        str(tmp_path / "g.graphml"))[0] == 0
        assert self.run("export", "--example", "--to", "dot", "--root", "sch-lincoln")[
            1].startswith("digraph")
        code, _, err = self.run("export", "--example", "--to", "mermaid", "--root", "nope")
        assert code == 2 and "no org unit with id 'nope'" in err
