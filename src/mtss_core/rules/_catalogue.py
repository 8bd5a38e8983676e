"""The rules that ship with mtss_core, as one explicit list."""

from __future__ import annotations

from typing import Any

from ._alignment import (
    alignment_loop,
    alignment_skips_level,
    improvement_plan_not_aligned,
    missing_product,
    non_negotiables_not_aligned,
    vision_not_aligned,
)
from ._config import RuleSet
from ._data import plan_without_data, threshold_differs_from_district
from ._focus import (
    focus_area_not_in_vision,
    focus_area_outside_district,
    no_focus_areas,
    too_many_focus_areas,
)
from ._people import lead_housed_in_special_education, lead_missing_domain, no_mtss_lead
from ._practice import (
    barrier_escalation_skipped_liaison,
    barrier_open_at_executive_level,
    barrier_without_owner,
    coaching_skill_uncovered,
    missing_allocation,
    no_protected_meeting_time,
    protocol_review_overdue,
    school_leadership_team_without_coach,
    school_team_without_protocol,
)
from ._protocol import Rule
from ._structure import (
    cycle,
    dangling_reference,
    district_without_isd,
    duplicate_id,
    isd_not_formal_partner,
    wrong_parent_kind,
)
from ._teams import (
    district_missing_team,
    liaison_not_on_implementation_team,
    school_missing_team,
    team_missing_constituency,
)
from ._time import (
    fidelity_below_target,
    fidelity_not_assessed,
    liaison_update_overdue,
    mtss_off_executive_agenda,
    no_readiness_assessment,
    review_overdue,
    school_without_implementation_team,
    stage_conflict,
    stage_in_future,
    stage_regression,
    stage_skipped,
    team_not_meeting,
)
from ._waivers import waiver_expired

__all__ = ["DEFAULT_RULES"]

_RULES: list[Any] = [
    vision_not_aligned,
    non_negotiables_not_aligned,
    improvement_plan_not_aligned,
    alignment_loop,
    alignment_skips_level,
    missing_product,
    too_many_focus_areas,
    no_focus_areas,
    focus_area_not_in_vision,
    focus_area_outside_district,
    district_missing_team,
    school_missing_team,
    team_missing_constituency,
    liaison_not_on_implementation_team,
    no_mtss_lead,
    lead_housed_in_special_education,
    lead_missing_domain,
    plan_without_data,
    threshold_differs_from_district,
    duplicate_id,
    dangling_reference,
    wrong_parent_kind,
    cycle,
    isd_not_formal_partner,
    district_without_isd,
    mtss_off_executive_agenda,
    team_not_meeting,
    liaison_update_overdue,
    review_overdue,
    stage_in_future,
    stage_skipped,
    stage_regression,
    stage_conflict,
    no_readiness_assessment,
    fidelity_below_target,
    fidelity_not_assessed,
    school_without_implementation_team,
    school_leadership_team_without_coach,
    coaching_skill_uncovered,
    missing_allocation,
    no_protected_meeting_time,
    barrier_open_at_executive_level,
    barrier_without_owner,
    barrier_escalation_skipped_liaison,
    school_team_without_protocol,
    protocol_review_overdue,
    waiver_expired,
]
assert all(isinstance(r, Rule) for r in _RULES)

#: Every rule shipped with mtss_core.  Immutable: build your own with ``with_rules``.
DEFAULT_RULES = RuleSet(_RULES)
