"""Benchmark mtss_core at district, county and state scale (nation on request).

Each scale runs in a fresh subprocess so its peak memory is its own.  Prints a
Markdown table; paste it into docs/performance.md.

    python benchmarks/bench.py                    # district, county, state
    python benchmarks/bench.py --scales nation    # ~13,300 districts, 3.2M teachers
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_one(scale_name: str) -> dict[str, object]:
    """Measure one scale in this process; return the figures."""
    sys.path.insert(0, str(HERE))
    from generate import SCALES, generate

    import mtss_core as mc
    from mtss_core._graph import bulk

    scale = SCALES[scale_name]
    t0 = time.perf_counter()
    with bulk():  # the same collector pause the library uses when it builds
        objects = list(generate(scale))
    t1 = time.perf_counter()
    graph = mc.AlignmentGraph(objects)
    t2 = time.perf_counter()
    headline = mc.Config(select=["ALN001", "FOC001"])
    report = mc.validate(graph, headline)
    t3 = time.perf_counter()
    mc.validate(graph, headline)
    t4 = time.perf_counter()
    return {
        "scale": scale_name,
        "objects": len(objects),
        "units": graph.count("unit"),
        "people": graph.count("person"),
        "visions": graph.count("vision"),
        "make_objects_s": round(t1 - t0, 3),
        "build_graph_s": round(t2 - t1, 3),
        "headline_rules_s": round(t3 - t2, 3),
        "again_s": round(t4 - t3, 3),
        "findings": len(report),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="district,county,state")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    for name in args.scales.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", name], check=True,
                             capture_output=True, text=True)
        rows.append(json.loads(out.stdout))
        print(f"{name}: done", file=sys.stderr)
    cols = list(rows[0])
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()}; {len(__import__('os').sched_getaffinity(0))} cores\n")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:,}" if isinstance(row[c], int) else str(row[c])
                                 for c in cols) + " |")


if __name__ == "__main__":
    main()
