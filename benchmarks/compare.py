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
MEASURES = ("objects", "make_objects_s", "build_graph_s", "bare_networkx_build_s",
            "build_vs_bare", "make_and_build_vs_bare",
            "headline_rules_s", "all_rules_s", "plain_networkx_headline_s",
            "all_rules_vs_plain_networkx", "headline_vs_plain_networkx", "findings",
            "seconds_per_1k_findings", "peak_rss_mb", "bare_peak_rss_mb", "memory_vs_bare",
            "relink_recheck_median_ms", "seat_teacher_median_ms", "seat_coach_median_ms",
            "add_vision_median_ms", "rename_school_median_ms", "rename_person_median_ms",
            "add_school_median_ms", "add_stage_record_median_ms", "change_plan_median_ms",
            "setting_change_ms")


#: (what, the measure, its ceiling): the targets of the performance work.
TARGETS = (
    ("whole catalogue <= 1.0x plain networkx headline", "all_rules_vs_plain_networkx", 1.0),
    ("headline checks <= 0.2x plain networkx headline", "headline_vs_plain_networkx", 0.2),
    ("build <= 1.3x bare networkx build", "build_vs_bare", 1.3),
    ("peak memory <= 1.3x bare networkx", "memory_vs_bare", 1.3),
    ("relink + re-check < 10 ms", "relink_recheck_median_ms", 10),
    ("rename + re-check < 10 ms", "rename_school_median_ms", 10),
)


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
    row["make_and_build_vs_bare"] = round(  # the model objects made too (from records)
        (float(row["make_objects_s"]) + float(row["build_graph_s"])) / float(bare["seconds"]), 2)
    row["bare_peak_rss_mb"] = bare["peak_rss_mb"]
    row["memory_vs_bare"] = round(float(row["peak_rss_mb"]) / float(bare["peak_rss_mb"]), 2)
    if "headline_vs_plain_networkx" not in row:  # an older tree's bench.py
        row["headline_vs_plain_networkx"] = round(
            float(row["headline_rules_s"]) / float(row["plain_networkx_headline_s"]), 2)
    row["seconds_per_1k_findings"] = round(
        1000 * float(row["all_rules_s"]) / max(int(row["findings"]), 1), 4)  # type: ignore[call-overload]
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
    parser.add_argument("--shapes", default="standard,grade-units,no-roles,findings-heavy")
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
    print("\nTargets (each column):\n")
    print("| target | " + " | ".join(name for name, _ in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for label, name, limit in TARGETS:
        cells = []
        for _, row in columns:
            value = row.get(name)
            cells.append("" if value in (None, "") else
                         f"{'met' if float(value) <= limit else 'not met'} ({value})")
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
