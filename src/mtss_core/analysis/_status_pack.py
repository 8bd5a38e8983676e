"""The liaison's status pack: what the liaison brings to the executive team (MIBLSI).

Implementation stages, the latest assessment results, open barriers and the findings,
for one district as of a date — as Markdown to read and as plain data for tools.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from .._text import md_cell, md_text
from ..errors import ModelError, ModelTypeError
from ..graph import AlignmentGraph, place, stage_as_of, subtree, time_in_stage
from ..model import OrgUnit, UnitKind, label, to_date
from ..rules import Config, Finding, validate

__all__ = ["StatusPack", "status_pack"]


@attrs.frozen(kw_only=True)
class StatusPack:
    """A district's implementation status as of a date."""

    district: str
    district_name: str
    as_of: pendulum.Date
    #: (unit id, unit label, stage or None, days in stage or None)
    stages: tuple[tuple[str, str, str | None, int | None], ...]
    #: (unit id, instrument, date, total, target, reached) — the latest of each
    assessments: tuple[tuple[str, str, pendulum.Date, float, float, bool], ...]
    #: (barrier id, title, with team, since, owner, days open)
    barriers: tuple[tuple[str, str, str, pendulum.Date, str | None, int], ...]
    findings: tuple[Finding, ...]
    #: Each unit or team with findings under it, in the tree's order (the district, its
    #: teams, then each school and its teams, ...): (its id, its label, the findings about
    #: it or about what belongs under it: its products, people, focus areas, records).
    by_node: tuple[tuple[str, str, tuple[Finding, ...]], ...] = ()

    def counts(self) -> dict[str, int]:
        """Findings by severity, most severe first."""
        return {s: sum(f.severity.value == s for f in self.findings)
                for s in ("error", "warning", "info")}

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        return {
            "district": self.district, "district_name": self.district_name,
            "as_of": self.as_of.isoformat(),
            "stages": [{"unit": u, "label": n, "stage": s, "days_in_stage": d}
                       for u, n, s, d in self.stages],
            "assessments": [{"unit": u, "instrument": i, "assessed_on": on.isoformat(),
                             "total": t, "target": g, "reached": r}
                            for u, i, on, t, g, r in self.assessments],
            "open_barriers": [{"barrier": b, "title": t, "with": w,
                               "since": since.isoformat(), "owner": o, "days_open": d}
                              for b, t, w, since, o, d in self.barriers],
            "findings": {"counts": self.counts(),
                         "items": [f.to_dict() for f in self.findings],
                         "by_node": [{"node": n, "label": name,
                                      "findings": [f.to_dict() for f in found]}
                                     for n, name, found in self.by_node]},
        }

    def __repr__(self) -> str:
        c = self.counts()
        return (f"<StatusPack {self.district} as of {self.as_of}: {len(self.stages)} units, "
                f"{len(self.barriers)} open barriers, {c['error']} errors, "
                f"{c['warning']} warnings, {c['info']} notes>")

    def _repr_html_(self) -> str:
        from ._views import status_pack_html

        return status_pack_html(self)

    def to_markdown(self) -> str:
        """The pack as Markdown, ready to paste into the executive team's meeting notes."""
        c = md_cell
        out = [f"# MTSS status: {md_text(self.district_name or self.district)}",
               "", f"As of {self.as_of}.", "", "## Implementation stages", "",
               "| unit | stage | time in stage |", "|---|---|---|"]
        out += [f"| {c(n)} | {s or 'not started'} | "
                f"{'' if d is None else f'{d} days'} |" for _, n, s, d in self.stages]
        out += ["", "## Latest assessment results", ""]
        if self.assessments:
            out += ["| unit | instrument | date | score | target |", "|---|---|---|---|---|"]
            out += [f"| {c(u)} | {c(i)} | {on} | {t:g}% {'✓' if r else '✗'} | {g:g}% |"
                    for u, i, on, t, g, r in self.assessments]
        else:
            out.append("No assessments recorded.")
        out += ["", "## Open barriers", ""]
        if self.barriers:
            out += ["| barrier | with | since | owner | days open |", "|---|---|---|---|---|"]
            out += [f"| {c(t)} ({c(b)}) | {c(w)} | {since} | {c(o) if o else '**none**'} | "
                    f"{d} |"
                    for b, t, w, since, o, d in self.barriers]
        else:
            out.append("None.")
        counts = self.counts()
        out += ["", "## Findings", "",
                f"{counts['error']} errors, {counts['warning']} warnings, "
                f"{counts['info']} notes."]
        for _, name, found in self.by_node:
            out += ["", f"### {md_text(name)}", ""]
            for f in sorted(found, key=lambda f: (-f.severity.rank, f.sort_key())):
                out.append(f"- **{f.severity.value}** {f.code} `{md_text(f.subject)}`: "
                           f"{md_text(f.message)}")
        return "\n".join(out) + "\n"


def status_pack(graph: AlignmentGraph, district_id: str, *,
                as_of: pendulum.Date | str | None = None) -> StatusPack:
    """The liaison's status pack for a district (as of ``as_of`` or the graph's date).

    >>> from mtss_core import example, status_pack
    >>> pack = status_pack(example(), "dist-cedar")
    >>> pack.stages[0][2], pack.barriers[0][0], pack.counts()
    ('initial-implementation', 'b-cedar-screener-licenses', {'error': 4, 'warning': 7, 'info': 0})
    >>> [(node, len(found)) for node, _, found in pack.by_node][:4]
    [('dist-cedar', 3), ('t-cedar-exec', 1), ('t-cedar-elem-slt', 1), ('t-cedar-elem-k', 1)]
    """
    when = to_date(as_of) if as_of is not None else graph.as_of
    if when is None:
        raise ModelError("a status pack needs an as-of date (none given, none in the graph)",
                         field="as_of")
    district = graph.get(district_id, OrgUnit)
    if district.kind is not UnitKind.DISTRICT:
        raise ModelTypeError(f"{district_id!r} is a {district.kind.value}, not a district")
    units: Iterable[OrgUnit] = [district, *graph.descendants(district_id)]
    units = [u for u in units if u.kind in (UnitKind.DISTRICT, UnitKind.SCHOOL)]
    stages = []
    for u in units:
        spent = time_in_stage(graph, u.id, as_of=when)
        stage = stage_as_of(graph, u.id, as_of=when)
        stages.append((u.id, label(u), None if stage is None else stage.value,
                       None if spent is None else spent[1].in_days()))
    assessments = []
    for u in units:
        latest: dict[str, Any] = {}
        for a in graph.fidelity_assessments(u.id):
            if a.assessed_on <= when:
                latest[a.instrument] = a
        assessments += [(u.id, a.instrument, a.assessed_on, a.total, a.target, a.reached)
                        for _, a in sorted(latest.items())]
    scope = subtree(graph, district.id)
    barriers = [(b.id, b.title, b.level_on(when), b.since_on(when), b.owner,
                 (when - b.raised_on).in_days())
                for b in graph.barriers() if b.id in scope and b.open_on(when)]
    report = validate(graph, Config(as_of=when))
    findings = tuple(f for f in report if f.subject in scope)
    return StatusPack(district=district_id, district_name=district.name, as_of=when,
                      stages=tuple(stages), assessments=tuple(assessments),
                      barriers=tuple(barriers), findings=findings,
                      by_node=_by_node(graph, district, findings))


def _by_node(graph: AlignmentGraph, district: OrgUnit, findings: Iterable[Finding]
             ) -> tuple[tuple[str, str, tuple[Finding, ...]], ...]:
    """The findings under each unit and team of the district's tree, in the tree's order;
    what belongs under none of them, under the district."""
    order: list[Any] = []

    def walk(unit: OrgUnit) -> None:
        order.append(unit)
        order.extend(graph.teams_of(unit.id))
        for child in graph.children(unit.id):
            walk(child)

    walk(district)
    shown = {n.id for n in order}
    under: dict[str, list[Finding]] = {}
    for f in findings:
        node = place(graph, f.subject, shown)
        under.setdefault(node if node is not None and node in shown else district.id,
                         []).append(f)
    return tuple((n.id, label(n), tuple(under[n.id])) for n in order if n.id in under)
