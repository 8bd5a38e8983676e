"""The nation in one process: make the objects, build the graph, validate with every rule;
print the peak memory after the build and after the run.

    python benchmarks/nation.py                  # about 5 minutes and 9 GB
    python benchmarks/nation.py --scale state    # any scale of generate.SCALES

The objects stream from the generator straight into the graph (no list of them is kept),
as a loader would; the target is the whole run within 10 GB at nation scale.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="nation")
    args = parser.parse_args()
    from _compat import bulk, mc
    from generate import AS_OF, SCALES, generate

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    start = time.perf_counter()
    with bulk():
        graph = mc.AlignmentGraph(generate(SCALES[args.scale]))
    built_s, built_mb = time.perf_counter() - start, peak_mb()
    gc.collect()
    start = time.perf_counter()
    findings = len(mc.validate(graph, mc.Config(as_of=AS_OF)))
    run_s = time.perf_counter() - start
    objects = len(graph) + graph.count("membership")
    print(f"{args.scale}: {objects:,} objects; made and built in {built_s:.0f} s, peak "
          f"{built_mb:,.0f} MB; every rule in {run_s:.0f} s, {findings:,} findings; peak "
          f"{peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
