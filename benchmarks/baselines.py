"""What a user would otherwise write: the two headline checks in plain networkx and in SHACL.

Both baselines check the same data as mtss_core: every vision aligned to a vision of the
level above (teacher -> their team, grade/department/course team -> school, school ->
district), and no district with more than six focus areas.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import networkx as nx

try:
    from mtss_core import model as mc
except ImportError:  # the package before 0.6 (compare.py)
    import mtss_core as mc  # type: ignore[no-redef]


def from_document(data: dict[str, Any]) -> nx.DiGraph:
    """The graph a plain script makes of a parsed document (its units, people, teams and
    their members, visions and focus areas), as :func:`plain_networkx` makes it of objects."""
    g = nx.DiGraph()
    for u in data.get("units", ()):
        g.add_node(u["id"], type="unit", kind=u["kind"])
        if u.get("parent"):
            g.add_edge(u["id"], u["parent"], rel="parent")
    for p in data.get("people", ()):
        g.add_node(p["id"], type="person")
    for t in data.get("teams", ()):
        g.add_node(t["id"], type="team", kind=t["kind"])
        g.add_edge(t["id"], t["unit"], rel="serves")
        for m in t.get("members", ()):
            g.add_edge(m["person"], t["id"], rel="member")
    for v in data.get("visions", ()):
        g.add_node(v["id"], type="vision", aligned_to=v.get("aligned_to"))
        g.add_edge(v["id"], v["owner"], rel="owner")
    for f in data.get("focus_areas", ()):
        g.add_node(f["id"], type="focus_area")
        g.add_edge(f["id"], f["district"], rel="focus_of")
    return g


def headline_checks(g: nx.DiGraph) -> int:
    """The two headline checks over a graph :func:`plain_networkx` or
    :func:`from_document` built: the findings."""
    def out(n: str, rel: str) -> list[str]:
        return [v for v, d in g.succ[n].items() if d["rel"] == rel]

    def visions_of(owner: str) -> set[str]:
        return {u for u, d in g.pred[owner].items() if d["rel"] == "owner"}

    def level_visions(unit: str) -> set[str]:
        found = visions_of(unit)
        for t, d in g.pred[unit].items():
            if d["rel"] == "serves" and not g.nodes[t]["kind"].endswith("-team"):
                found |= visions_of(t)
        return found

    def school_of(unit: str) -> str | None:
        while unit is not None and g.nodes[unit]["kind"] != "school":
            parents = out(unit, "parent")
            unit = parents[0] if parents else None
        return unit

    findings = 0
    for v, data in g.nodes(data=True):
        if data["type"] != "vision":
            continue
        owner = out(v, "owner")[0]
        node = g.nodes[owner]
        if node["type"] == "person":
            expected = set().union(*[visions_of(t) for t in out(owner, "member")] or [set()])
        elif node["type"] == "team" and node["kind"].endswith("-team"):
            school = school_of(out(owner, "serves")[0])
            expected = level_visions(school) if school else set()
        else:
            unit = owner if node["type"] == "unit" else out(owner, "serves")[0]
            kind = g.nodes[unit]["kind"]
            if kind in ("grade", "department", "course"):  # a school's subunit
                school = school_of(unit)
                expected = level_visions(school) if school else set()
            elif kind == "school":
                expected = level_visions(out(unit, "parent")[0])
            else:
                continue
        if data["aligned_to"] not in expected:
            findings += 1
    for n, data in g.nodes(data=True):
        if (data["type"] == "unit" and data["kind"] == "district"
                and sum(1 for _, d in g.pred[n].items() if d["rel"] == "focus_of") > 6):
            findings += 1
    return findings



def plain_networkx(objects: Iterable[Any], repeat: int = 1) -> tuple[float, int]:
    """Seconds for a plain networkx script to run the two headline checks (the best of
    ``repeat`` runs); findings."""
    g = nx.DiGraph()
    for o in objects:
        if isinstance(o, mc.Membership):
            g.add_edge(o.person, o.team, rel="member")
        elif isinstance(o, mc.OrgUnit):
            g.add_node(o.id, type="unit", kind=o.kind.value)
            if o.parent:
                g.add_edge(o.id, o.parent, rel="parent")
        elif isinstance(o, mc.Team):
            g.add_node(o.id, type="team", kind=o.kind.value)
            g.add_edge(o.id, o.unit, rel="serves")
        elif isinstance(o, mc.Vision):
            g.add_node(o.id, type="vision", aligned_to=o.aligned_to)
            g.add_edge(o.id, o.owner, rel="owner")
        elif isinstance(o, mc.FocusArea):
            g.add_node(o.id, type="focus_area")
            g.add_edge(o.id, o.district, rel="focus_of")
        elif isinstance(o, mc.Person):
            g.add_node(o.id, type="person")

    def check() -> int:
        return headline_checks(g)

    times, findings = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        findings = check()
        times.append(time.perf_counter() - start)
    return min(times), findings


_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:mtss:> .

ex:VisionShape a sh:NodeShape ;
  sh:targetClass ex:Vision ;
  sh:sparql [
    sh:message "vision not aligned with the vision of the level above" ;
    sh:select '''
      PREFIX ex: <urn:mtss:>
      SELECT $this WHERE {
        $this ex:owner ?o .
        {
          ?o a ex:Person .
          FILTER NOT EXISTS { $this ex:alignedTo ?t . ?t ex:owner ?team . ?o ex:memberOf ?team }
        } UNION {
          ?o ex:instructional true ; ex:serves ?u .
          ?u ex:parent* ?school . ?school ex:kind "school" .
          FILTER NOT EXISTS { $this ex:alignedTo ?t . ?t ex:owner ?x .
                              FILTER(?x = ?school || EXISTS { ?x ex:schoolLevelOf ?school }) }
        } UNION {
          ?o ex:kind "school" ; ex:parent ?d .
          FILTER NOT EXISTS { $this ex:alignedTo ?t . ?t ex:owner ?x .
                              FILTER(?x = ?d || EXISTS { ?x ex:schoolLevelOf ?d }) }
        }
      }
    ''' ;
  ] .

ex:DistrictShape a sh:NodeShape ;
  sh:targetClass ex:District ;
  sh:property [ sh:path [ sh:inversePath ex:district ] ; sh:maxCount 6 ] .
"""


def pyshacl_run(objects: Iterable[Any]) -> tuple[float, int]:
    """Seconds for pySHACL to run the two headline checks as SHACL shapes; violations."""
    import pyshacl
    from rdflib import RDF, Graph, Literal, Namespace

    ex = Namespace("urn:mtss:")
    data = Graph()
    instructional = {"grade-team", "department-team", "course-team"}
    for o in objects:
        if isinstance(o, mc.Membership):
            data.add((ex[o.person], ex.memberOf, ex[o.team]))
        elif isinstance(o, mc.OrgUnit):
            data.add((ex[o.id], ex.kind, Literal(o.kind.value)))
            if o.kind.value == "district":
                data.add((ex[o.id], RDF.type, ex.District))
            if o.parent:
                data.add((ex[o.id], ex.parent, ex[o.parent]))
        elif isinstance(o, mc.Team):
            data.add((ex[o.id], ex.serves, ex[o.unit]))
            if o.kind.value in instructional:
                data.add((ex[o.id], ex.instructional, Literal(True)))
            else:
                data.add((ex[o.id], ex.schoolLevelOf, ex[o.unit]))
        elif isinstance(o, mc.Vision):
            data.add((ex[o.id], RDF.type, ex.Vision))
            data.add((ex[o.id], ex.owner, ex[o.owner]))
            if o.aligned_to:
                data.add((ex[o.id], ex.alignedTo, ex[o.aligned_to]))
        elif isinstance(o, mc.FocusArea):
            data.add((ex[o.id], ex.district, ex[o.district]))
        elif isinstance(o, mc.Person):
            data.add((ex[o.id], RDF.type, ex.Person))
    shapes = Graph().parse(data=_SHAPES, format="turtle")
    start = time.perf_counter()
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    elapsed = time.perf_counter() - start
    violations = len(set(results.subjects(RDF.type, pyshacl.consts.SH_ValidationResult)))
    return elapsed, violations
