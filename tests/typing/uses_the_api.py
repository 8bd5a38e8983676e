"""User code as a vendor would write it: type-checked with ``mypy --strict`` by
tests/test_api.py (never run).  Each ``assert_type`` pins what the public API promises."""

from __future__ import annotations

from matplotlib.axes import Axes
from typing_extensions import assert_type

import mtss_core as mc
from mtss_core.analysis import TenantResult, validate_many
from mtss_core.errors import MtssError
from mtss_core.model import Cohort, ImprovementPlan, OrgUnit, Product, Vision

graph = mc.example()

vision = graph.get("v-lincoln", Vision)
assert_type(vision, Vision)
assert_type(vision.aligned_to, str | None)  # no union-attr error, no cast

unit = graph.get("dist-maple", OrgUnit)
assert_type(unit.kind, mc.model.UnitKind)
assert_type(graph.get("v-lincoln", Product), Product)
assert_type(graph.get("anything"), mc.model.ModelObject | None)
assert_type(graph.get("anything", default=0), mc.model.ModelObject | int)

assert_type(graph.objects(Cohort), tuple[Cohort, ...])
assert_type(graph.objects(ImprovementPlan)[0].owner, str)

report = mc.validate(graph)
assert_type(report.verdict, mc.Verdict)
assert report.verdict is mc.Verdict.FAIL

for result in validate_many({"lakeshore": graph}):
    assert_type(result, TenantResult)
    assert_type(result.error, BaseException | None)
    if isinstance(result.error, MtssError):
        print(result.error)

assert_type(mc.draw(graph, "dist-maple"), Axes)
