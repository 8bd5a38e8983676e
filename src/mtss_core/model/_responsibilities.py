"""What each kind of team is responsible for, per the source documents (a reference)."""

from __future__ import annotations

import attrs

from ._kinds import TeamKind

__all__ = ["RESPONSIBILITIES", "Responsibility", "responsibilities"]


@attrs.frozen(kw_only=True)
class Responsibility:
    """One responsibility of a kind of team, with the source document it comes from."""

    code: str
    text: str
    source: str


def _r(code: str, text: str, source: str) -> Responsibility:
    return Responsibility(code=code, text=text, source=source)


_MIBLSI = "MIBLSI executive leadership"
_EMLSS = "Equitable MLSS"
_OWNS = "Who owns MTSS"
_PERSONNEL = "Leadership personnel"

#: Responsibilities by team kind; ``evidence`` records name these codes.
RESPONSIBILITIES: dict[TeamKind, tuple[Responsibility, ...]] = {
    TeamKind.EXECUTIVE_LEADERSHIP: (
        _r("create-vision", "Create a vision for MTSS.", _MIBLSI),
        _r("political-support", "Provide political support for MTSS.", _MIBLSI),
        _r("establish-priority", "Establish MTSS as a priority.", _MIBLSI),
        _r("visibility", "Make the MTSS initiative highly visible.", _MIBLSI),
        _r("allocate-resources", "Allocate resources for MTSS; provide funding for "
           "constituent districts and schools.", _MIBLSI),
        _r("remove-barriers", "Remove barriers, including ones identified by other teams.",
           _MIBLSI),
        _r("regular-agenda-item", "Make MTSS a regular agenda item at its meetings once "
           "implementation begins.", _MIBLSI),
    ),
    TeamKind.DISTRICT_LEADERSHIP: (
        _r("vision-and-non-negotiables", "Create and communicate the district's vision and "
           "non-negotiable practices.", _EMLSS),
        _r("continuous-improvement", "Establish the district continuous improvement process, "
           "driven by data.", _EMLSS),
        _r("assess-readiness", "Assess the district's readiness and lead it through the change "
           "process.", _EMLSS),
        _r("priority-focus-areas", "Identify a workable number (5-6) of priority focus areas "
           "and integrate them into a cohesive whole.", _EMLSS),
    ),
    TeamKind.DISTRICT_IMPLEMENTATION: (
        _r("guidance", "Provide guidance, visibility, funding and political support; set up "
           "systems that scale to support schools.", _OWNS),
        _r("select-technology", "Select and roll out any technology system-wide that supports "
           "MTSS.", _OWNS),
        _r("shared-rules", "Develop once, for all schools, shared rules such as the thresholds "
           "that mark a student at risk, and family information.", _OWNS),
        _r("guidelines-and-protocols", "Set up guidelines and protocols schools can use or "
           "refine.", _OWNS),
    ),
    TeamKind.SCHOOL_LEADERSHIP: (
        _r("school-vision", "Create and communicate the school's vision, non-negotiables and "
           "continuous improvement process, aligned with the district's.", _EMLSS),
        _r("resources-and-schedule", "Decide on resources and the school schedule so staff have "
           "the time and resources to implement MTSS.", _PERSONNEL),
        _r("participate-and-monitor", "Take part in school-level MTSS meetings and support "
           "monitoring and continuous improvement.", _PERSONNEL),
    ),
    TeamKind.SCHOOLWIDE_MTSS: (
        _r("orchestrate-meetings", "Orchestrate when, who and how grade or content team and "
           "schoolwide meetings are run to support MTSS.", _OWNS),
        _r("implementation-details", "Own the details of implementation in the building.",
           _OWNS),
    ),
    TeamKind.GRADE_TEAM: (
        _r("team-vision", "Share leadership for the grade's vision, non-negotiables and "
           "continuous improvement process, aligned with the school's.", _EMLSS),
    ),
    TeamKind.DEPARTMENT_TEAM: (
        _r("team-vision", "Share leadership for the department's vision, non-negotiables and "
           "continuous improvement process, aligned with the school's.", _EMLSS),
    ),
    TeamKind.COURSE_TEAM: (
        _r("team-vision", "Share leadership for the course's vision, non-negotiables and "
           "continuous improvement process, aligned with the school's.", _EMLSS),
    ),
}


def responsibilities(kind: TeamKind | str) -> tuple[Responsibility, ...]:
    """The responsibilities of a kind of team.

    >>> from mtss_core.model import responsibilities
    >>> [r.code for r in responsibilities("executive-leadership")][:3]
    ['create-vision', 'political-support', 'establish-priority']
    """
    return RESPONSIBILITIES[TeamKind(kind)]
