"""Analyses built on a structure and its findings: scorecards, status packs, timelines,
and validating many tenants at once.

>>> from mtss_core import example
>>> from mtss_core.analysis import alignment_scorecard
>>> alignment_scorecard(example()).row("school", "vision").aligned
3
"""

from .._publish import publish
from ..graph import (
    ReviewDue,
    StagePeriod,
    due_for_review,
    fidelity_trend,
    implementation_start,
    stage_as_of,
    time_in_stage,
    time_to_fidelity,
    timeline,
)
from ._diff import Change, Diff, SeatChange, diff
from ._refresh import (
    ClosedUnit,
    Departure,
    Move,
    PostTurnover,
    Refresh,
    Succession,
    person_key,
    refresh,
)
from ._scorecard import Scorecard, alignment_scorecard
from ._scorecard_html import heatmap_table
from ._starter import starter_layer
from ._status_pack import StatusPack, status_pack
from ._tenants import TenantResult, validate_many
from ._turnover import KEY_ROLES, EmptySeat, TeamTurnover, Turnover, turnover

__all__ = [
    "KEY_ROLES",
    "Change",
    "ClosedUnit",
    "Departure",
    "Diff",
    "EmptySeat",
    "Move",
    "PostTurnover",
    "Refresh",
    "ReviewDue",
    "Scorecard",
    "SeatChange",
    "Succession",
    "StagePeriod",
    "StatusPack",
    "TeamTurnover",
    "TenantResult",
    "Turnover",
    "alignment_scorecard",
    "diff",
    "due_for_review",
    "fidelity_trend",
    "heatmap_table",
    "implementation_start",
    "person_key",
    "refresh",
    "stage_as_of",
    "starter_layer",
    "status_pack",
    "time_in_stage",
    "time_to_fidelity",
    "timeline",
    "turnover",
    "validate_many",
]

publish(__name__, globals())
