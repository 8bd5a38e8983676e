from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

from mtss_core import (
    AlignmentGraph,
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Team,
    Vision,
)
from mtss_core.model import (
    CoachingSkill,
    DataSource,
    FidelityAssessment,
    Meeting,
    Protocol,
    ReadinessAssessment,
    ResourceAllocation,
    RiskThreshold,
    StageRecord,
    StatusUpdate,
    SuccessHighlight,
)

#: ``HYPOTHESIS_PROFILE=nightly`` runs every property test with fifty times the examples
#: (about an hour on two cores; docs/reliability.md).  The default keeps CI in seconds.
NIGHTLY = os.environ.get("HYPOTHESIS_PROFILE") == "nightly"
settings.register_profile("nightly", deadline=None, max_examples=5000)
if NIGHTLY:
    settings.load_profile("nightly")


#: The clone: the suite reads nothing beside it (CI runs it in a copy with nothing beside
#: it, .ci/run; a contributor's clone has nothing beside it either).
REPO = Path(__file__).resolve().parents[1]
_OUTSIDE = str(REPO.parent) + os.sep
_INSIDE = str(REPO) + os.sep
_ALLOWED = tuple({str(Path(p).resolve()) + os.sep for p in (
    sys.prefix, sys.base_prefix, sys.exec_prefix, *sys.path[1:])
    if p and Path(p).is_dir() and not str(Path(p).resolve()).startswith(_INSIDE)})


def _reads_beside_the_clone(event: str, args: tuple) -> None:
    """Refuse any file opened beside the clone (a sibling folder): a
    test that needs a published file vendors it into tests/ (tests/standards/)."""
    if event != "open" or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.fsdecode(args[0])
    if not os.path.isabs(path):
        path = os.path.join(os.getcwd(), path)
    path = os.path.normpath(path)
    if (path.startswith(_OUTSIDE) and not path.startswith(_INSIDE) and path != str(REPO)
            and not path.startswith(_ALLOWED)):
        raise RuntimeError(f"the test suite read {path}, beside the clone: vendor what "
                           "tests need into tests/ (see tests/standards/README.md)")


sys.addaudithook(_reads_beside_the_clone)


def examples(n: int) -> int:
    """``n`` examples for a property test, fifty times as many in the nightly profile."""
    return n * 50 if NIGHTLY else n

ALL_DOMAINS = ["academic", "behavior", "social-emotional"]
ALL_SKILLS = list(CoachingSkill.values())
AS_OF = "2026-09-01"


def _seat(team, person, *roles):
    return Membership(team=team, person=person, roles=list(roles))


def healthy_objects() -> list:
    """A small, complete and fully aligned ISD: every rule stays silent on it."""
    objs: list = [
        OrgUnit(id="isd", kind="isd", name="Lakeshore ISD", formal_partner=True),
        OrgUnit(id="d1", kind="district", name="Maple", parent="isd"),
        OrgUnit(id="d2", kind="district", name="Cedar", parent="isd"),
        OrgUnit(id="s1", kind="school", name="Lincoln", parent="d1"),
        OrgUnit(id="s2", kind="school", name="Cedar High", parent="d2"),
        OrgUnit(id="g3", kind="grade", name="Grade 3", parent="s1"),
        # the ISD's executive and implementation teams, with their liaison
        Person(id="p-isd-supt", unit="isd"),
        Person(id="p-isd-dir", unit="isd"),
        Team(id="t-isd-exec", kind="executive-leadership", unit="isd"),
        Team(id="t-isd-dit", kind="district-implementation", unit="isd"),
        _seat("t-isd-exec", "p-isd-supt", "superintendent"),
        _seat("t-isd-exec", "p-isd-dir", "director", "liaison"),
        _seat("t-isd-dit", "p-isd-dir", "director", "liaison"),
        _seat("t-isd-dit", "p-kim", "principal"),
        # teachers and the people the school teams need
        Person(id="p-kim", name="Grace Kim", unit="s1"),
        Person(id="p-ok", name="Chidi Okafor", unit="s1"),
        Person(id="p-garcia", name="Diego Garcia", unit="s2"),
        Vision(statement="Every student thrives.", id="v-isd", owner="isd"),
    ]
    for d, school, slt, dlt in (("d1", "s1", "t-slt", "t-dlt"), ("d2", "s2", "t-slt2", "t-dlt2")):
        supt, liaison, lead, coach, sped, parent, princ = (
            f"p-{d}-{r}" for r in ("supt", "liaison", "lead", "coach", "sped", "parent",
                                   "princ"))
        princ = "p-kim" if d == "d1" else princ
        teacher = "p-ok" if d == "d1" else "p-garcia"
        objs += [
            Person(id=supt, unit=d), Person(id=liaison, unit=d),
            Person(id=lead, unit=d, departments=["student-supports"], domains=ALL_DOMAINS),
            Person(id=coach, unit=d, departments=["teaching-and-learning"],
                   domains=ALL_DOMAINS, coaching_skills=ALL_SKILLS),
            Protocol(id=f"cp-{slt}", from_team=slt, to_team=f"t-{d}-dit", designee=coach,
                     cadence="P1M", reviewed_on="2026-01-12"),
            Person(id=sped, unit=school), Person(id=parent),
            *([] if princ == "p-kim" else [Person(id=princ, unit=school)]),
            Team(id=f"t-{d}-exec", kind="executive-leadership", unit=d),
            _seat(f"t-{d}-exec", supt, "superintendent"),
            _seat(f"t-{d}-exec", liaison, "assistant-superintendent", "liaison"),
            Team(id=dlt, kind="district-leadership", unit=d),
            _seat(dlt, supt, "superintendent"), _seat(dlt, lead, "director", "mtss-lead"),
            _seat(dlt, princ, "principal"), _seat(dlt, coach, "coach"),
            _seat(dlt, teacher, "teacher-leader"),
            _seat(dlt, sped, "special-education-teacher", "interventionist"),
            _seat(dlt, parent, "parent"),
            Team(id=f"t-{d}-dit", kind="district-implementation", unit=d),
            _seat(f"t-{d}-dit", liaison, "liaison"), _seat(f"t-{d}-dit", princ, "principal"),
            Team(id=slt, kind="school-leadership", unit=school),
            _seat(slt, princ, "principal"), _seat(slt, teacher, "teacher-leader"),
            _seat(slt, coach, "coach", "mtss-lead"),
            _seat(slt, sped, "special-education-teacher", "interventionist"),
            _seat(slt, parent, "parent"),
            DataSource(id=f"ds-{d}", unit=d, name="Reading screener",
                       kind="universal-screening"),
            ImprovementPlan(goals=["Every student reads by grade 3"],
                            id=f"cip-{d}", owner=d, aligned_to=None, data_sources=[f"ds-{d}"]),
            NonNegotiables(id=f"nn-{d}", owner=dlt, practices=["Universal screening"]),
            NonNegotiables(id=f"nn-{school}", owner=slt, aligned_to=f"nn-{d}",
                           practices=["Universal screening", "Weekly data meetings"]),
            ImprovementPlan(goals=["Every student reads by grade 3"],
                            id=f"cip-{school}", owner=school, aligned_to=f"cip-{d}",
                            data_sources=[f"ds-{d}"], focus_areas=[f"fa-{d}"]),
            RiskThreshold(id=f"rt-{d}", unit=d, measure="reading", value=25),
            RiskThreshold(id=f"rt-{school}", unit=school, measure="reading", value=25),
            FocusArea(id=f"fa-{d}", district=d, name="Early literacy"),
        ]
    objs += [
        *[FocusArea(id=f"fa{i}", district="d1", name=f"Focus {i}") for i in range(5)],
        Team(id="t-g3", kind="grade-team", unit="g3"),
        Team(id="t-ela", kind="department-team", unit="s2"),
        _seat("t-g3", "p-ok", "general-education-teacher"),
        _seat("t-ela", "p-garcia", "general-education-teacher"),
        Vision(statement="Every student thrives.", id="v-d1", owner="d1", aligned_to="v-isd",
               addresses=["fa-d1", *[f"fa{i}" for i in range(5)]]),
        Vision(statement="Every student thrives.",
               id="v-d2", owner="t-dlt", aligned_to="v-isd"),  # d1's DLT owns a second vision
        Vision(statement="Every student thrives.",
               id="v-d2b", owner="d2", aligned_to="v-isd", addresses=["fa-d2"]),
        Vision(statement="Every student thrives.", id="v-s1", owner="t-slt", aligned_to="v-d1"),
        Vision(statement="Every student thrives.", id="v-s2", owner="s2", aligned_to="v-d2b"),
        Vision(statement="Every student thrives.", id="v-g3", owner="t-g3", aligned_to="v-s1"),
        Vision(statement="Every student thrives.", id="v-ela", owner="t-ela", aligned_to="v-s2"),
        Vision(statement="Every student thrives.", id="v-ok", owner="p-ok", aligned_to="v-g3"),
        Vision(statement="Every student thrives.",
               id="v-garcia", owner="p-garcia", aligned_to="v-ela"),
        # a year of implementation in d1 and its school, as of AS_OF
        *[StageRecord(id=f"st-{u}-{i}", unit=u, stage=stage, entered_on=on)
          for u in ("d1", "s1")
          for i, (stage, on) in enumerate([("exploration", "2024-01-10"),
                                           ("installation", "2024-06-03"),
                                           ("initial-implementation", "2025-01-06")])],
        *[SuccessHighlight(id=f"sh-{u}", unit=u, shared_on="2026-05-11",
                           summary="Spring screening: fewer students at risk in reading")
          for u in ("d1", "s1")],
        ReadinessAssessment(id="ra-d1", unit="d1", assessed_on="2024-05-01", ready=True),
        *[ResourceAllocation(id=f"ra-d1-{c}", unit="d1", category=c, amount=1,
                             starts_on="2025-07-01") for c in
          ("budget", "staffing", "schedule", "professional-learning")],
        ResourceAllocation(id="ra-s1-schedule", unit="s1", category="schedule", amount=45,
                           measure="minutes per week", purpose="mtss-team-meetings",
                           starts_on="2025-08-25"),
        ReadinessAssessment(id="ra-s1", unit="s1", assessed_on="2024-05-02", score=81),
        FidelityAssessment(id="dca-d1", unit="d1", instrument="DCA", assessed_on="2026-04-06",
                           total=85, subscales={"Commitment": 90, "Systems": 80}),
        FidelityAssessment(id="tfi-s1", unit="s1", instrument="TFI", assessed_on="2026-05-04",
                           total=82),
        StatusUpdate(id="su-d1", team="t-d1-exec", liaison="p-d1-liaison",
                     given_on="2026-07-13", assessments=["dca-d1", "tfi-s1"]),
        *[Meeting(id=f"m-{team}-{month}", team=team,
                  starts_at=f"2026-{month:02d}-{day:02d}T16:00:00-04:00",
                  agenda=[{"title": "MTSS status", "topics": ["mtss"]}])
          for team, day in (("t-d1-exec", 13), ("t-d1-dit", 16))
          for month in range(3, 9)],
    ]
    return objs


@pytest.fixture
def healthy() -> AlignmentGraph:
    return AlignmentGraph(healthy_objects(), as_of=AS_OF)


def with_changes(*changes, drop=(), drop_seats=(), as_of=AS_OF):
    """The healthy structure with objects replaced (same id) or added, and ids dropped.

    ``drop_seats`` lists (team, person) memberships to leave out.
    """
    objs = [o for o in healthy_objects() if getattr(o, "id", None) not in drop
            and getattr(o, "key", None) not in drop_seats
            and getattr(o, "team", None) not in drop
            and getattr(o, "to_team", None) not in drop]
    by_id = {getattr(c, "id", None) or id(c): c for c in changes}
    out = [by_id.pop(o.id, o) if getattr(o, "id", None) else o for o in objs]
    return AlignmentGraph([*out, *by_id.values()], as_of=as_of)


def findings(graph, code="ALN001", as_of=None, **settings):
    """The findings of one rule, with optional settings (as of the graph's date by default)."""
    from mtss_core import Config, validate

    config = Config(select=[code], settings={code: settings} if settings else {},
                    as_of=as_of)
    return validate(graph, config).findings


def debian_program(commands: tuple[str, ...], package: str, what: str) -> str:
    """The path of a program from a Debian package (``chromium``, LibreOffice), installed
    with apt when missing and this is root; else the test is skipped, the reason printed."""
    import shutil
    import subprocess

    found = next((p for c in commands if (p := shutil.which(c))), None)
    if found:
        return found
    reason = f"{what} is not installed and cannot be installed here"
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for argv in (["apt-get", "update", "-qq"],
                     ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]):
            done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False,
                                  timeout=1200)
            if done.returncode:
                reason = f"installing {what} failed: {done.stderr.strip()[-300:]}"
                break
        found = next((p for c in commands if (p := shutil.which(c))), None)
        if found:
            return found
    print(f"SKIPPED ({what}): {reason}")
    pytest.skip(reason)

#: Type-checked by tests/test_api.py, never imported.
collect_ignore = ["typing/uses_the_api.py"]


def canonical(graph) -> dict:
    """A structure's document with every list in a fixed order (a team's members by
    person, each section by its entries' text): equal whatever order edits left it in."""
    import json

    from mtss_core import to_data

    data = to_data(graph)
    for key, entries in data.items():
        if isinstance(entries, list):
            for e in entries:
                if isinstance(e, dict) and isinstance(e.get("members"), list):
                    e["members"] = sorted(e["members"], key=lambda m: m["person"])
            data[key] = sorted(entries, key=lambda e: json.dumps(e, sort_keys=True))
    return data
