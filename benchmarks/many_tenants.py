"""Many tenants on 2 cores: validate_many serially vs. through a process pool.

    python benchmarks/many_tenants.py [--tenants 24] [--scale county]

Writes the tenants' documents to a temporary folder, then times validate_many over
their paths without an executor and with ProcessPoolExecutor(2), and prints the
speed-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    from generate import AS_OF, SCALES, generate

    import mtss_core as mc

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=24)
    parser.add_argument("--scale", default="county", choices=sorted(SCALES))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    config = mc.Config(as_of=AS_OF)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(args.tenants):
            path = os.path.join(folder, f"tenant{i}.json")
            mc.dump(mc.AlignmentGraph(generate(SCALES[args.scale], seed=i)), path)
            paths.append((f"tenant{i}", path))
        t0 = time.perf_counter()
        serial = list(mc.validate_many(paths, config=config))
        t1 = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            pooled = list(mc.validate_many(paths, executor=pool, config=config))
        t2 = time.perf_counter()
    assert len(serial) == len(pooled) == args.tenants
    assert all(r.report is not None for r in pooled)
    print(f"{args.tenants} {args.scale}-scale tenants (load + all rules), "
          f"{os.cpu_count()} cores")
    print("| run | seconds | tenants per second |\n|---|---|---|")
    for name, secs in (("serial", t1 - t0), (f"process pool ({args.workers})", t2 - t1)):
        print(f"| {name} | {secs:.2f} | {args.tenants / secs:.1f} |")
    print(f"\nspeed-up: {(t1 - t0) / (t2 - t1):.2f}x")


if __name__ == "__main__":
    main()
