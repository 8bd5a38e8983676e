"""The shipped instruments, as the plain data an instrument file holds.

Paraphrased in this project's own words after the instruments' published structure: the
District Capacity Assessment (SISEP / NIRN) by implementation drivers, its regional
variant for an ISD, and the District Systems Fidelity Inventory's nine areas (Center on
PBIS).  The official item wording is the publishers'; a district that holds it loads it
over these (:meth:`~mtss_core.capacity.Instrument.with_wording`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["SHIPPED"]


def _item(id: str, area: str, title: str, zero: str, one: str, two: str, evidence: str = "",
          **args: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id, "area": area, "title": title,
                           "criteria": [zero, one, two], "evidence": evidence}
    if args:
        out["args"] = args
    return out


_DRIVERS = [
    {"id": "leadership", "title": "Leadership"},
    {"id": "competency", "title": "Competency: selection, training and coaching"},
    {"id": "organisation", "title": "Organisation: data systems, facilitative administration "
                                    "and systems intervention"},
]

_DISTRICT_ITEMS = [
    _item("L1", "leadership", "An implementation team leads the work",
          "No implementation team", "A team, but the unit's or the schools' administration "
          "is not on it", "A team with the unit's and the schools' administration",
          "implementation_team"),
    _item("L2", "leadership", "Executive leadership reviews MTSS regularly",
          "MTSS is not on the executive team's agenda", "MTSS is on some of its agendas",
          "MTSS is on at least four in five of its agendas", "executive_agenda"),
    _item("L3", "leadership", "A liaison links the executive and implementation teams",
          "No liaison", "A liaison on the executive team only",
          "A liaison who sits on both teams", "liaison_link"),
    _item("L4", "leadership", "A designated MTSS lead",
          "No lead", "A lead whose work leaves a domain out",
          "A lead covering academics, behavior and social-emotional learning",
          "designated_lead"),
    _item("L5", "leadership", "A shared vision and a few priority focus areas",
          "No vision", "A vision, but focus areas missing, too many or not in it",
          "A vision addressing at most six priority focus areas", "vision_and_focus"),
    _item("L6", "leadership", "An improvement plan grounded in data",
          "No plan", "A plan naming no data", "A plan built on named data sources",
          "plan_with_data"),
    _item("C1", "competency", "Roles on the leadership team are defined",
          "No team, or no member on record", "Some members' roles recorded",
          "Every member's role recorded", "roles_recorded", team="district-leadership"),
    _item("C2", "competency", "Professional learning is resourced",
          "Nothing allocated", "An allocation that has ended",
          "A current allocation for professional learning", "professional_learning"),
    _item("C3", "competency", "Systems coaching covers the needed skills",
          "No systems coach", "Coaches whose skills leave gaps",
          "Coaches who between them cover every skill", "coaching_skills"),
    _item("C4", "competency", "Coaches support every school leadership team",
          "No school team has a coach", "Some do", "Every one does", "school_coaches"),
    _item("C5", "competency", "Staff are selected for the roles the work needs",
          "Roles filled with no defined criteria", "Criteria for some roles",
          "Criteria and a process for every role"),
    _item("O1", "organisation", "Universal screening data inform decisions",
          "No data source", "Data sources, but no universal screener",
          "A universal screening data source", "screening_data"),
    _item("O2", "organisation", "Fidelity is measured",
          "No fidelity assessment in the last year", "Some: the unit or a few schools",
          "The unit and at least four in five schools in the last year",
          "fidelity_measured"),
    _item("O3", "organisation", "Resources are allocated to MTSS",
          "None", "Some of budget, staffing, schedule and professional learning",
          "All four, current", "resources_allocated"),
    _item("O4", "organisation", "Schools protect time for their teams",
          "No school does", "Some do", "Every school does", "protected_time"),
    _item("O5", "organisation", "Schools and the implementation team communicate by "
          "protocol", "No school has a protocol", "Some do", "Every school does",
          "communication_protocols"),
    _item("O6", "organisation", "Barriers are raised and removed through the linked teams",
          "Open barriers with no owner", "Barriers without owners or stuck at the top",
          "Every open barrier owned and moving", "barrier_process"),
    _item("O7", "organisation", "The executive team hears implementation status",
          "No update in the last year", "An update in the last year",
          "An update in the last three months", "status_updates"),
    _item("O8", "organisation", "Policies are reviewed for fit with MTSS",
          "Not reviewed", "Some reviewed", "Reviewed, and changed where needed"),
]

_REGIONAL_ITEMS = [
    dict(i) for i in _DISTRICT_ITEMS
    if i["id"] in ("L1", "L2", "L3", "L4", "L5", "L6", "C2", "C3", "O1", "O3", "O7")
] + [
    _item("R1", "organisation", "The ISD supports its districts' implementation",
          "No district supported", "Some districts supported",
          "Every participating district supported"),
]

_DSFI_AREAS = [
    {"id": "teaming", "title": "Leadership teaming"},
    {"id": "stakeholders", "title": "Stakeholder engagement"},
    {"id": "resources", "title": "Resource alignment and funding"},
    {"id": "policy", "title": "Policy and systems support"},
    {"id": "workforce", "title": "Workforce capacity"},
    {"id": "learning", "title": "Professional development"},
    {"id": "coaching", "title": "Coaching and technical assistance"},
    {"id": "evaluation", "title": "Evaluation"},
    {"id": "demonstrations", "title": "Local implementation demonstrations"},
]

_DSFI_ITEMS = [
    _item("1.1", "teaming", "The leadership team has the authority to act: roles defined",
          "No team, or roles not on record", "Some roles defined", "Every role defined",
          "roles_recorded", team="district-leadership"),
    _item("1.2", "teaming", "The team's membership represents those it serves",
          "Most constituencies missing", "Most present, or not reviewed in the last year",
          "Families, general and special education and social-emotional-behavioral "
          "expertise, reviewed every year", "team_membership", team="district-leadership"),
    _item("1.3", "teaming", "The implementation team meets regularly",
          "No meeting in three months", "Some", "At least monthly", "team_meets",
          team="district-implementation"),
    _item("2.1", "stakeholders", "Families have a voice", "No family member on the teams",
          "Families on school teams only", "A family member on the leadership team",
          "family_voice"),
    _item("2.2", "stakeholders", "Buy-in is known", "Not measured",
          "Measured below the criterion", "Measured at or above the criterion", "buy_in"),
    _item("3.1", "resources", "Resources are allocated", "None", "Some", "All four current",
          "resources_allocated"),
    _item("3.2", "resources", "Initiatives are aligned", "No priority focus areas",
          "Too many, or some outside the vision", "At most six, all in the vision",
          "focus_alignment"),
    _item("4.1", "policy", "Non-negotiable practices are set", "None set",
          "Set, but few schools align to them", "Set, and schools align to them",
          "non_negotiables"),
    _item("4.2", "policy", "Policy supports the practices", "Not reviewed",
          "Some reviewed", "Reviewed and aligned"),
    _item("5.1", "workforce", "An MTSS lead is designated", "No lead", "A lead with gaps",
          "A lead covering every domain", "designated_lead"),
    _item("5.2", "workforce", "Instructional specialists support the work",
          "Neither specialists nor coaches", "Coaches only", "Instructional specialists",
          "instructional_specialists"),
    _item("6.1", "learning", "Professional development is resourced", "Nothing allocated",
          "An allocation that ended", "A current allocation", "professional_learning"),
    _item("7.1", "coaching", "Coaching covers the needed skills", "No coach",
          "Gaps in the skills", "Every skill covered", "coaching_skills"),
    _item("7.2", "coaching", "Every school leadership team has a coach", "None", "Some",
          "Every one", "school_coaches"),
    _item("8.1", "evaluation", "Fidelity is measured", "Not in the last year", "Partly",
          "The unit and most schools", "fidelity_measured"),
    _item("8.2", "evaluation", "Screening data are used", "No data source",
          "Other data only", "A universal screener", "screening_data"),
    _item("8.3", "evaluation", "Results are reported to leadership", "No update in a year",
          "An update in the last year", "An update in the last quarter", "status_updates"),
    _item("9.1", "demonstrations", "Schools demonstrate the practice",
          "No school implementing", "Schools in initial implementation",
          "A school at full implementation with fidelity reached", "demonstration_sites"),
    _item("9.2", "demonstrations", "Successes are shared", "None shared",
          "Shared, not lately", "Shared in the last six months", "success_highlights"),
]

#: The shipped instruments, by name.
SHIPPED: dict[str, dict[str, Any]] = {
    "district": {
        "name": "district", "level": "district", "criterion": 0.8,
        "title": "District capacity, by implementation drivers",
        "windows": ["08-01/09-30", "01-01/02-28"],
        "source": "after the District Capacity Assessment (SISEP / NIRN, version 7.x): "
                  "paraphrased, not the published wording",
        "areas": _DRIVERS, "items": _DISTRICT_ITEMS,
    },
    "regional": {
        "name": "regional", "level": "isd", "criterion": 0.8,
        "title": "Regional (ISD) capacity, by implementation drivers",
        "windows": ["08-01/09-30", "01-01/02-28"],
        "source": "after the Regional Capacity Assessment (SISEP / NIRN): paraphrased",
        "areas": _DRIVERS, "items": _REGIONAL_ITEMS,
    },
    "dsfi": {
        "name": "dsfi", "level": "district", "criterion": 0.8,
        "title": "District systems fidelity, nine areas",
        "windows": ["01-01/12-31"],
        "source": "after the District Systems Fidelity Inventory (Center on PBIS): "
                  "paraphrased, not the published wording",
        "areas": _DSFI_AREAS, "items": _DSFI_ITEMS,
    },
}
