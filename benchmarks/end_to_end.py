"""End to end, as a user waits for it: a structure document on disk to its findings
written, against a plain script that only reads the same document into networkx and runs
the two headline checks (``bare_document.py``).

Each run is its own process (interpreter start included), the two sides interleaved; the
table gives each side's median wall time and peak memory (the process's maximum resident
set) and the ratio.  Documents are made once per scale, shape and format in a temporary
folder.

    python benchmarks/end_to_end.py                                 # district, state
    python benchmarks/end_to_end.py --scales state --shapes held-out --formats json
    python benchmarks/end_to_end.py --startup                       # one district, 10 runs

The mtss_core side is ``mtss validate DOC --format json -o OUT``: every rule of the
catalogue, the report written.  The ``held-out`` shape (grade visions owned by grade units,
grade teams without the roles the rules ask for, no school plans or protocols) gives more
than 100,000 findings at state scale.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
MTSS = str(Path(PYTHON).with_name("mtss"))


def _timed(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of one process running ``argv``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, code


def _document(folder: Path, scale: str, shape: str, fmt: str) -> Path:
    """The scale's structure written as a document of ``fmt`` (made once)."""
    path = folder / f"{scale}-{shape}.{fmt}"
    if not path.exists():
        code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); import mtss_core as mc; "
                f"from generate import SCALES, generate; "
                f"mc.dump(mc.AlignmentGraph(generate(SCALES[{scale!r}], shape={shape!r})), "
                f"{str(path)!r})")
        subprocess.run([PYTHON, "-c", code], check=True)
    return path


def _findings(out: Path) -> int:
    data = json.loads(out.read_text(encoding="utf-8"))
    return len(data["findings"]) if "findings" in data and isinstance(
        data["findings"], list) else int(data.get("findings", 0))


def compare(doc: Path, runs: int, folder: Path) -> dict[str, Any]:
    """Interleaved runs of the bare script and of ``mtss validate``; medians."""
    bare_out, mtss_out = folder / "bare.json", folder / "mtss.json"
    bare = [PYTHON, str(HERE / "bare_document.py"), str(doc), str(bare_out)]
    ours = [MTSS, "validate", str(doc), "--format", "json", "-o", str(mtss_out),
            "--no-progress"]
    times: dict[str, list[float]] = {"bare": [], "mtss": []}
    peaks: dict[str, list[float]] = {"bare": [], "mtss": []}
    for _ in range(runs):
        for side, argv in (("bare", bare), ("mtss", ours)):
            seconds, peak, _code = _timed(argv)
            times[side].append(seconds)
            peaks[side].append(peak)
    row = {side: (statistics.median(times[side]), max(peaks[side])) for side in times}
    return {"document_mb": doc.stat().st_size / 1e6,
            "bare_s": row["bare"][0], "bare_mb": row["bare"][1],
            "mtss_s": row["mtss"][0], "mtss_mb": row["mtss"][1],
            "ratio": row["mtss"][0] / row["bare"][0],
            "bare_findings": _findings(bare_out), "mtss_findings": _findings(mtss_out)}


def startup(folder: Path, runs: int) -> dict[str, float]:
    """Medians of the interpreter alone, importing networkx, and ``mtss validate`` of one
    district (25 schools) to a file."""
    doc = _document(folder, "district", "standard", "json")
    out = folder / "district-findings.json"
    argvs = {"python -c pass": [PYTHON, "-c", "pass"],
             "python -c 'import networkx'": [PYTHON, "-c", "import networkx"],
             "python -c 'import mtss_core'": [PYTHON, "-c", "import mtss_core"],
             "mtss validate (one district)": [MTSS, "validate", str(doc), "--format", "json",
                                              "-o", str(out), "--no-progress"]}
    found: dict[str, list[float]] = {k: [] for k in argvs}
    for _ in range(runs):
        for name, argv in argvs.items():
            found[name].append(_timed(argv)[0])
    return {name: statistics.median(t) for name, t in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="district,state")
    parser.add_argument("--shapes", default="standard,held-out")
    parser.add_argument("--formats", default="json,yaml,xlsx")
    parser.add_argument("--xlsx-scales", default="district,county",
                        help="the scales a workbook is measured at (a state's workbook takes "
                             "minutes to write)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--startup", action="store_true",
                        help="only the start-up figures (one district, 10 runs)")
    parser.add_argument("--keep", help="a folder to keep the documents in between runs")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mtss-e2e-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.startup:
        print("| command | median s |\n|---|---|")
        for name, seconds in startup(folder, 10).items():
            print(f"| `{name}` | {seconds:.3f} |")
        return
    print("| scale | shape | format | MB | bare s | mtss s | ratio | bare MB peak | "
          "mtss MB peak | findings (bare / mtss) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for scale in args.scales.split(","):
        for shape in args.shapes.split(","):
            for fmt in args.formats.split(","):
                if fmt == "xlsx" and scale not in args.xlsx_scales.split(","):
                    continue
                doc = _document(folder, scale, shape, fmt)
                r = compare(doc, args.runs, folder)
                print(f"| {scale} | {shape} | {fmt} | {r['document_mb']:.1f} | "
                      f"{r['bare_s']:.2f} | {r['mtss_s']:.2f} | {r['ratio']:.2f}x | "
                      f"{r['bare_mb']:.0f} | {r['mtss_mb']:.0f} | "
                      f"{r['bare_findings']:,} / {r['mtss_findings']:,} |", flush=True)


if __name__ == "__main__":
    main()
