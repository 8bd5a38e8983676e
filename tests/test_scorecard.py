"""The alignment scorecard, checked by hand on the example and on a generated county."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from mtss_core import AlignmentGraph, Vision, alignment_scorecard, example
from mtss_core.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


class TestTheExampleByHand:
    """Lakeshore: 2 districts, 4 schools, 2 grades, 2 departments, 8 teachers."""

    def test_school_visions(self):
        """Four schools have visions; Cedar High's is aligned to the other district's."""
        row = alignment_scorecard(example()).row("school", "vision")
        assert (row.levels, row.with_product, row.aligned, row.misaligned, row.without) == (
            4, 4, 3, 1, 0)
        assert row.share_aligned == 0.75 and row.coverage == 1.0

    def test_school_non_negotiables(self):
        """Cedar High has none (the planted absence): 3 of 4 have them, all aligned."""
        row = alignment_scorecard(example()).row("school", "non-negotiables")
        assert (row.levels, row.with_product, row.aligned, row.without) == (4, 3, 3, 1)

    def test_grades_and_teachers(self):
        """Grade K's team vision is unaligned; Garcia's is aligned to another school."""
        card = alignment_scorecard(example())
        grade, teacher = card.row("grade", "vision"), card.row("teacher", "vision")
        assert (grade.levels, grade.aligned, grade.misaligned) == (2, 1, 1)
        assert (teacher.levels, teacher.with_product, teacher.aligned,
                teacher.misaligned) == (8, 5, 4, 1)

    def test_rollups_sum_their_units(self):
        """A district's roll-up is its own level plus everything below it; Cedar's
        visions: district, 2 schools, grade, department, 2 teachers = 7, 3 misaligned."""
        card = alignment_scorecard(example())
        cedar = card.rollup("dist-cedar")
        assert cedar.coverage("vision") == (7, 9) and cedar.share("vision") == 4 / 7
        isd = card.rollup("isd-lakeshore")
        maple = card.rollup("dist-maple")
        assert isd.coverage("vision")[1] == 1 + cedar.coverage("vision")[1] + maple.coverage(
            "vision")[1]
        assert card.heatmap == ("dist-maple", "dist-cedar")

    def test_focus_area_coverage(self):
        """Who works on each focus area; the ones nobody below works on are orphaned."""
        card = alignment_scorecard(example())
        by_area = {f.area: f for f in card.focus}
        assert by_area["fa-maple-literacy"].worked_on_by == ("sch-lincoln",)
        assert by_area["fa-cedar-tech"].orphaned and not by_area["fa-cedar-tech"].in_vision
        assert len(card.focus) == 13 and len(card.orphaned) == 9
        assert set(card.unaddressed) == {"v-lincoln", "v-maple-ms", "v-cedar-elem",
                                         "v-cedar-high"}

    def test_a_subtree(self):
        """--root: only that unit and below; a school's focus areas are its district's."""
        card = alignment_scorecard(example(), "sch-cedar-high")
        assert card.row("school", "vision").levels == 1
        assert card.row("district", "vision").levels == 0
        assert {f.district for f in card.focus} == {"dist-cedar"}
        assert card.rollup("sch-cedar-high").coverage("vision") == (3, 4)

    def test_plain_data_and_frame(self):
        """to_dict is JSON-ready; to_frame has one row per level and kind."""
        card = alignment_scorecard(example())
        data = json.loads(json.dumps(card.to_dict()))
        assert data["orphaned_focus_areas"][0] == "fa-maple-attendance"
        frame = card.to_frame()
        assert len(frame) == 8 * 3 and frame.loc[9, "level"] == "school"
        assert "heatmap" in card._repr_html_() and "<caption>" in card._repr_html_()


class TestAGeneratedCounty:
    def test_counts_match_the_generator(self):
        """Every count follows from what the generator made (and where it planted faults)."""
        from generate import SCALES, generate

        objs = list(generate(SCALES["county"], seed=4))  # faults at every level
        g = AlignmentGraph(objs)
        card = alignment_scorecard(g)
        visions = [o for o in objs if isinstance(o, Vision)]
        schools = [v for v in visions if v.owner.startswith("s") and v.owner[1:].isdigit()]
        row = card.row("school", "vision")
        assert row.levels == row.with_product == 150
        assert row.misaligned == sum(v.aligned_to is None for v in schools) == 3
        grade = card.row("grade", "vision")  # six grade teams per school, each a level
        teams = [v for v in visions if "-g" in v.owner]
        assert grade.levels == 900 and grade.misaligned == sum(
            v.aligned_to is not None and not v.aligned_to.endswith(v.owner.split("-g")[0])
            for v in teams) == 13
        teacher = card.row("teacher", "vision")
        teachers = [v for v in visions if v.owner.startswith("t") and v.owner[1:].isdigit()]
        assert teacher.levels == 6000 and teacher.with_product == len(teachers)
        assert teacher.misaligned == sum(v.aligned_to is None for v in teachers) == 48
        assert card.row("district", "vision").aligned == 20
        assert card.orphaned == tuple(sorted(
            (f"{d}-fa{i}" for d in (f"d{n}" for n in range(20)) for i in range(1, 5)),
            key=lambda a: (int(a.split("-")[0][1:]), a)))


class TestCli:
    def run(self, *argv):
        out = io.StringIO()
        return main(list(argv), stdout=out, stderr=io.StringIO()), out.getvalue()

    @pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
    def test_formats(self, fmt):
        """mtss scorecard prints text, JSON or Markdown."""
        code, out = self.run("scorecard", "--example", "--root", "dist-cedar", "--format", fmt)
        assert code == 0 and "dist-cedar" in out
        if fmt == "json":
            assert json.loads(out)["root"] == "dist-cedar"

    def test_unknown_root(self):
        """--root names an org unit, or it is a usage error."""
        assert self.run("scorecard", "--example", "--root", "v-maple")[0] == 2
