"""Before and after, in one run: the same benchmark against two source trees.

Runs ``bench.py``'s measurements (build, the full catalogue, peak memory, edit times) for
each shape of generated structure, once against ``--before`` (a ``src`` folder, e.g. of a
``git worktree`` at an older commit) and once against this tree, each in fresh
subprocesses, and prints one Markdown table.

    git worktree add /tmp/before 39068c1
    python benchmarks/compare.py --before /tmp/before/src --scale state
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AFTER = HERE.parent / "src"
#: The figures compared (others are in bench.py's own table).
MEASURES = ("objects", "build_graph_s", "bare_networkx_build_s", "build_vs_bare",
            "headline_rules_s", "all_rules_s", "plain_networkx_headline_s",
            "all_rules_vs_plain_networkx", "findings", "peak_rss_mb",
            "relink_recheck_median_ms", "seat_teacher_median_ms", "seat_coach_median_ms",
            "add_vision_median_ms", "rename_school_median_ms", "rename_person_median_ms",
            "add_school_median_ms", "add_stage_record_median_ms", "change_plan_median_ms",
            "setting_change_ms")


def _run(src: Path, *args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(HERE)])}
    out = subprocess.run([sys.executable, str(HERE / "bench.py"), *args], env=env,
                         check=True, capture_output=True, text=True)
    found = json.loads(out.stdout)
    assert isinstance(found, dict)
    return found


def measure(src: Path, scale: str, shape: str, edits: bool) -> dict[str, object]:
    row = _run(src, "--one", scale, "--shape", shape)
    bare = _run(src, "--bare", scale, "--shape", shape)
    row["bare_networkx_build_s"] = bare["seconds"]
    row["build_vs_bare"] = round(float(row["build_graph_s"]) / float(bare["seconds"]), 2)
    if edits:
        row.update(_run(src, "--incremental", scale, "--shape", shape))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, type=Path,
                        help="the src folder of the older tree")
    parser.add_argument("--after", type=Path, default=AFTER,
                        help="the src folder of the newer tree (default: this one)")
    parser.add_argument("--scale", default="state")
    parser.add_argument("--shapes", default="standard,grade-units,no-roles")
    parser.add_argument("--no-edits", action="store_true", help="skip the edit timings")
    args = parser.parse_args()
    columns = []
    for shape in args.shapes.split(","):
        for label, src in (("before", args.before), ("after", args.after)):
            columns.append((f"{shape}: {label}", measure(src, args.scale, shape,
                                                          not args.no_edits)))
            print(f"{shape} {label}: done", file=sys.stderr)
    print(f"{args.scale} scale; each column measured in fresh processes\n")
    print("| measure | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for m in MEASURES:
        cells = [row.get(m, "") for _, row in columns]
        print(f"| {m} | " + " | ".join(f"{c:,}" if isinstance(c, int) else str(c)
                                        for c in cells) + " |")


if __name__ == "__main__":
    main()
