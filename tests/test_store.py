"""The store, on SQLite and on a real PostgreSQL server started by the test run on
127.0.0.1: commits, conflicts, idempotency, history, undo, snapshots, the layout, many
writer processes, and a writer killed in the middle of a commit."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap

import pendulum
import pytest

import mtss_core as mc
from conftest import canonical
from mtss_core import example, validate
from mtss_core.edits import apply_edits
from mtss_core.errors import EditError, StoreError, UnknownIdError
from mtss_core.store import ConflictError, open_store
from pg import new_database

pytest.importorskip("sqlalchemy")

@pytest.fixture(scope="session")
def postgres_server():
    from pg import postgres

    with postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def url(request, tmp_path):
    """A fresh, empty database: a SQLite file, or a new database on the PostgreSQL
    server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return new_database(request.getfixturevalue("postgres_server"))


def _clock():
    """A clock that moves a minute a call, from a fixed day: times are known."""
    start = pendulum.datetime(2026, 9, 1, 8, tz="UTC")
    ticks = itertools.count()
    return lambda: start.add(minutes=next(ticks))


ALIGN = {"op": "set", "id": "v-cedar-high", "field": "aligned_to", "value": "v-cedar"}


def test_commit_log_history_and_undo(url):
    store = open_store(url, clock=_clock())
    assert store.create("lakeshore", example(), author="setup") == 0
    session = store.session("lakeshore")
    first = session.commit([ALIGN], author="kim", reason="align the high school")
    assert first.version == 1 and [f.code for f in first.applied.resolved] == ["ALN001"]
    second = session.commit([{"op": "seat", "team": "t-cedar-dlt", "person": "p-garcia",
                              "roles": ["coach"], "since": "2026-09-01"}], author="lee")
    assert second.version == 2 == store.version("lakeshore")
    assert session.report().findings == validate(session.graph).findings
    # the past: by version and by moment
    assert store.graph("lakeshore", version=0)["v-cedar-high"].aligned_to == "v-maple"
    assert store.graph("lakeshore", version=1)["v-cedar-high"].aligned_to == "v-cedar"
    at_one = store.graph("lakeshore", at=pendulum.datetime(2026, 9, 1, 8, 1, 30, tz="UTC"))
    assert at_one.membership("t-cedar-dlt", "p-garcia") is None
    assert at_one["v-cedar-high"].aligned_to == "v-cedar"
    # who changed it, when, why
    log = store.log("lakeshore", id="v-cedar-high")
    assert [(e.version, e.author, e.reason) for e in log] == [
        (1, "kim", "align the high school")]
    assert log[0].at == pendulum.datetime(2026, 9, 1, 8, 1, tz="UTC")
    assert [e.version for e in store.log("lakeshore", id="p-garcia")] == [2]
    # undo one commit: a new commit of its inverse
    undone = store.undo("lakeshore", 1, author="kim")
    assert undone.version == 3
    latest = store.graph("lakeshore")
    assert latest["v-cedar-high"].aligned_to == "v-maple"
    assert latest.membership("t-cedar-dlt", "p-garcia") is not None
    assert store.log("lakeshore")[-1].undoes == 1
    store.close()


def test_a_stale_commit_is_a_conflict_and_writes_nothing(url):
    store = open_store(url)
    store.create("t", example())
    alice, bob = store.session("t"), store.session("t")
    alice.commit([{"op": "seat", "team": "t-maple-dlt", "person": "p-garcia",
                   "roles": ["mtss-lead"]}], author="alice")
    before = canonical(bob.graph)
    findings = bob.report().findings
    with pytest.raises(ConflictError) as caught:
        bob.commit([{"op": "delete", "id": "rt-maple-ms-reading"}], author="bob")
    assert (caught.value.base, caught.value.current) == (0, 1)
    assert canonical(bob.graph) == before and bob.report().findings == findings
    assert store.version("t") == 1 and len(store.log("t")) == 2
    assert bob.refresh() == 1 and bob.version == 1
    bob.commit([{"op": "delete", "id": "rt-maple-ms-reading"}], author="bob")
    final = store.graph("t")
    assert final.membership("t-maple-dlt", "p-garcia") is not None  # alice's seat kept
    assert "rt-maple-ms-reading" not in final
    assert bob.report().findings == validate(final).findings


def test_a_retried_commit_with_its_key_lands_once(url):
    store = open_store(url)
    store.create("t", example())
    s = store.session("t")
    edit = {"op": "create", "type": "focus_area",
            "object": {"id": "fa-maple-arts", "district": "dist-maple"}}
    assert s.commit([edit], author="a", key="req-1").version == 1
    again = s.commit([edit], author="a", key="req-1")
    assert again.repeated and again.version == 1 and store.version("t") == 1
    other = store.session("t")  # another worker, behind, retrying the same request
    other.version = 0
    other._session = mc.Session(store.graph("t", version=0))
    assert other.commit([edit], author="a", key="req-1").repeated and other.version == 1


def test_a_bad_edit_writes_nothing(url):
    store = open_store(url)
    store.create("t", example())
    s = store.session("t")
    before = canonical(s.graph)
    with pytest.raises(EditError, match=r"edit 1 \(v-cedar\): unknown field 'statment'"):
        s.commit([ALIGN, {"op": "set", "id": "v-cedar", "field": "statment", "value": "x"}],
                 author="a")
    assert canonical(s.graph) == before and store.version("t") == 0 and s.version == 0


def test_unknown_tenants_and_versions_are_refused(url):
    store = open_store(url)
    store.create("t", example())
    with pytest.raises(UnknownIdError):
        store.session("nobody")
    with pytest.raises(StoreError, match="versions 0 to 0"):
        store.graph("t", version=3)
    with pytest.raises(StoreError, match="already"):
        store.create("t", example())
    with pytest.raises(StoreError, match="did not exist yet"):
        store.graph("t", at="1999-01-01T00:00:00Z")


def test_snapshots_bound_the_replay_and_agree_with_it(url):
    store = open_store(url, snapshot_every=3)
    store.create("t", example())
    s = store.session("t")
    for i in range(7):
        s.commit([{"op": "create", "type": "focus_areas",
                   "object": {"id": f"fa-{i}", "district": "dist-maple"}}], author="a")
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        versions = [r[0] for r in conn.execute(sa.text(
            "SELECT version FROM mtss_snapshots ORDER BY version"))]
    assert versions == [0, 3, 6]
    replayed = store.graph("t", version=0)
    for entry in store.log("t")[1:6]:
        apply_edits(replayed, entry.edits)
    assert canonical(store.graph("t", version=5)) == canonical(replayed)


def test_the_layout_is_versioned(url):
    import sqlalchemy as sa

    store = open_store(url)
    store.create("t", example())
    store.close()
    empty = (url.rsplit("/", 1)[0] + "/elsewhere.db" if url.startswith("sqlite")
             else new_database(url))
    with pytest.raises(StoreError, match="not an mtss_core store"):
        open_store(empty, create=False)
    with pytest.raises(StoreError, match="cannot reach the store"):
        open_store(url.rsplit("/", 1)[0] + "/no/such/folder/x.db" if url.startswith("sqlite")
                   else url + "_missing")
    engine = sa.create_engine(url)
    for found, message in (("2", "newer mtss_core"), ("0", "mtss store export")):
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE mtss_meta SET value = :v WHERE key = 'layout'"),
                         {"v": found})
        with pytest.raises(StoreError, match=message):
            open_store(url)
    engine.dispose()


def test_the_tables_are_metadata_a_product_can_migrate_with():
    from mtss_core.store import metadata

    assert sorted(metadata.tables) == ["mtss_commits", "mtss_meta", "mtss_snapshots",
                                       "mtss_tenants"]
    commits = metadata.tables["mtss_commits"]
    assert [c.name for c in commits.primary_key] == ["tenant", "version"]


def test_a_newer_snapshot_format_is_refused(url):
    import sqlalchemy as sa

    store = open_store(url)
    store.create("t", example())
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE mtss_snapshots SET format_version = 99"))
    with pytest.raises(StoreError, match="format 99"):
        store.graph("t")


# --- many writers --------------------------------------------------------------------------

def _writer(url: str, worker: int, commits: int, queue) -> None:
    from mtss_core.store import ConflictError as Conflict
    from mtss_core.store import open_store as opening

    store = opening(url)
    session = store.session("t")
    applied, conflicts = [], 0
    for i in range(commits):
        edit = [{"op": "create", "type": "focus_area",
                 "object": {"id": f"fa-w{worker}-{i}", "district": "dist-maple"}},
                {"op": "add", "id": "v-maple", "field": "addresses",
                 "value": f"fa-w{worker}-{i}"}]
        while True:
            try:
                done = session.commit(edit, author=f"w{worker}", key=f"w{worker}-{i}")
                applied.append(done.version)
                break
            except Conflict:
                conflicts += 1
                session.refresh()
    store.close()
    queue.put((worker, applied, conflicts))


@pytest.mark.parametrize("writers", [4])
def test_many_writer_processes_lose_no_update(url, writers):
    """Each of several processes commits to one tenant; every commit is applied exactly
    once or refused with ConflictError (then retried), and the final structure equals a
    serial replay of the log."""
    store = open_store(url)
    store.create("t", example())
    commits = 15
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    procs = [context.Process(target=_writer, args=(url, w, commits, queue))
             for w in range(writers)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    versions = sorted(v for _, applied, _ in results for v in applied)
    assert versions == list(range(1, writers * commits + 1))  # each exactly once
    final = store.graph("t")
    made = {o.id for o in final.objects("focus_area") if o.id.startswith("fa-w")}
    assert made == {f"fa-w{w}-{i}" for w in range(writers) for i in range(commits)}
    assert set(final["v-maple"].addresses) >= made
    replay = store.graph("t", version=0)
    for entry in store.log("t")[1:]:
        apply_edits(replay, entry.edits)
    assert canonical(replay) == canonical(final)


def test_a_writer_killed_in_a_commit_leaves_the_store_readable(url, tmp_path):
    """SIGKILL in the middle of a commit: the store stays at the previous version,
    readable, nothing half-written."""
    store = open_store(url, snapshot_every=1)
    store.create("t", example())
    store.session("t").commit([ALIGN], author="a")
    script = textwrap.dedent(f"""
        import sys, time
        import mtss_core.store._store as impl
        from mtss_core.store import open_store
        real = impl._pack
        def slow(document):
            print("writing", flush=True)  # inside the commit's transaction
            time.sleep(120)
            return real(document)
        store = open_store({url!r}, snapshot_every=1)
        session = store.session("t")
        impl._pack = slow
        session.commit([{{"op": "delete", "id": "rt-maple-ms-reading"}}], author="doomed")
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             text=True, cwd=tmp_path)
    try:
        assert child.stdout.readline().strip() == "writing"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=60)
        child.stdout.close()
    survivor = open_store(url)
    assert survivor.version("t") == 1
    assert [e.version for e in survivor.log("t")] == [0, 1]
    graph = survivor.graph("t")
    assert "rt-maple-ms-reading" in graph
    session = survivor.session("t")
    assert session.commit([{"op": "delete", "id": "rt-maple-ms-reading"}],
                          author="next").version == 2


# --- the command line ------------------------------------------------------------------------

def _mtss(*argv: str) -> tuple[int, str, str]:
    import io

    from mtss_core.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_store_from_the_command_line(url, tmp_path):
    document = tmp_path / "lakeshore.json"
    mc.dump(example(), document)
    edits = tmp_path / "edits.json"
    edits.write_text(json.dumps([ALIGN]))
    assert _mtss("store", "init", url)[0] == 0
    assert _mtss("store", "add", url, "maple", str(document), "--author", "setup")[0] == 0
    code, out, _ = _mtss("store", "commit", url, "maple", str(edits), "--base-version", "0",
                         "--author", "kim", "--reason", "align", "--key", "k1")
    assert code == 0 and "committed version 1" in out and "fixed 1 problem(s)" in out
    code, out, _ = _mtss("store", "commit", url, "maple", str(edits), "--base-version", "0",
                         "--author", "kim", "--key", "k1")
    assert code == 0 and "already committed as version 1" in out
    code, _, err = _mtss("store", "commit", url, "maple", str(edits), "--base-version", "0",
                         "--author", "bob")
    assert code == 2 and "is at version 1, the commit was made on version 0" in err
    code, out, _ = _mtss("store", "log", url, "maple", "--id", "v-cedar-high", "--format",
                         "json")
    assert [e["author"] for e in json.loads(out)] == ["kim"]
    old = tmp_path / "v0.json"
    assert _mtss("store", "export", url, "maple", "--version", "0", "-o", str(old))[0] == 0
    assert mc.load(old)["v-cedar-high"].aligned_to == "v-maple"
    code, out, _ = _mtss("validate", f"{url}#maple", "--select", "ALN001")
    assert code == 1 and "2 findings" in out
    assert _mtss("store", "undo", url, "maple", "1", "--author", "kim")[0] == 0
    code, out, _ = _mtss("store", "log", url, "maple")
    assert len(out.splitlines()) == 3 and "(undoes 1)" in out
    code, _, err = _mtss("store", "log", url, "nobody")
    assert code == 2 and "no tenant with id 'nobody'" in err
    bad = tmp_path / "bad.json"
    bad.write_text('[{"op": "set", "id": "v-cedar", "field": "statment", "value": 1}]')
    code, _, err = _mtss("store", "commit", url, "maple", str(bad), "--base-version", "2",
                         "--author", "kim")
    assert code == 2 and "did you mean 'statement'" in err
