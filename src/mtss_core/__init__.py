"""mtss_core: model who leads a school system's MTSS and check that its levels stay aligned.

The root holds what most users need; everything else is in public subpackages:
:mod:`mtss_core.model` (the objects and their kinds), :mod:`mtss_core.graph` (the graph
and its queries), :mod:`mtss_core.rules` (the rule protocol and configuration),
:mod:`mtss_core.io` (documents, importers, exports), :mod:`mtss_core.analysis`
(scorecards, status packs, timelines), :mod:`mtss_core.display` and
:mod:`mtss_core.errors`.

>>> import mtss_core as mc
>>> report = mc.validate(mc.example())
>>> report.verdict
<Verdict.FAIL: 'fail'>
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from ._version import __version__
from .analysis import alignment_scorecard, status_pack, validate_many
from .display import draw, html_report
from .errors import DocumentError, IntegrityError, MtssError
from .graph import AlignmentGraph
from .io import (
    Limits,
    dump,
    dumps,
    example,
    from_data,
    import_directory_csv,
    import_edfi,
    import_edfi_api,
    import_oneroster,
    load,
    loads,
    overlay,
    to_data,
)
from .model import (
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Team,
    Vision,
)
from .rules import (
    DEFAULT_RULES,
    Config,
    Finding,
    Report,
    Rule,
    RuleSet,
    Severity,
    Verdict,
    Violation,
    is_valid,
    rule,
    validate,
)
from .session import Session

__all__ = [
    "DEFAULT_RULES",
    "AlignmentGraph",
    "Config",
    "DocumentError",
    "Finding",
    "FocusArea",
    "ImprovementPlan",
    "IntegrityError",
    "Limits",
    "Membership",
    "MtssError",
    "NonNegotiables",
    "OrgUnit",
    "Person",
    "Report",
    "Rule",
    "RuleSet",
    "Session",
    "Severity",
    "Team",
    "Verdict",
    "Violation",
    "Vision",
    "__version__",
    "alignment_scorecard",
    "dump",
    "dumps",
    "draw",
    "example",
    "from_data",
    "html_report",
    "import_directory_csv",
    "import_edfi",
    "import_edfi_api",
    "import_oneroster",
    "is_valid",
    "load",
    "loads",
    "overlay",
    "rule",
    "status_pack",
    "to_data",
    "validate",
    "validate_many",
]

#: Names the root exported in 0.1, and the public module that holds each now.
_MOVED = {
    **dict.fromkeys((
        "RESPONSIBILITIES", "AgendaItem", "Assignment", "Barrier", "BarrierStatus",
        "CoachingSkill", "DataSource", "Department", "Direction", "Domain", "Escalation",
        "Evidence", "FidelityAssessment", "LeadershipCharacteristic",
        "LeadershipSelfAssessment", "Meeting", "ModelObject", "Product", "ProductKind",
        "Protocol", "ReadinessAssessment", "ResourceAllocation", "ResourceCategory",
        "Responsibility", "RiskThreshold", "Role", "Stage", "StageRecord", "StatusUpdate",
        "TeamKind", "UnitKind", "responsibilities", "to_datetime", "to_duration"),
        "mtss_core.model"),
    **dict.fromkeys((
        "ConfigError", "CycleError", "DanglingReferenceError", "DuplicateIdError",
        "InUseError", "MissingExtraError", "ParentKindError", "Problem", "UnknownIdError"),
        "mtss_core.errors"),
    **dict.fromkeys(("EdgeKind", "Expected", "expected_alignment"), "mtss_core.graph"),
    **dict.fromkeys(("Lifecycle", "PLUGIN_GROUP", "RuleContext", "Setting",
                     "config_from_data", "config_from_toml", "iter_findings",
                     "plugin_rules"), "mtss_core.rules"),
    **dict.fromkeys(("FORMAT_VERSION", "Imported", "check_document", "example_path",
                     "json_schema", "to_dot", "to_frame", "to_mermaid", "to_networkx",
                     "to_node_link", "write_graphml"), "mtss_core.io"),
    **dict.fromkeys(("ReviewDue", "Scorecard", "StagePeriod", "StatusPack", "TenantResult",
                     "due_for_review", "fidelity_trend", "implementation_start",
                     "stage_as_of", "time_in_stage", "time_to_fidelity", "timeline"),
                    "mtss_core.analysis"),
}


def __getattr__(name: str) -> Any:
    """Names moved to a public subpackage still work, with a DeprecationWarning."""
    home = _MOVED.get(name)
    if home is None:
        raise AttributeError(f"module 'mtss_core' has no attribute {name!r}")
    warnings.warn(f"mtss_core.{name} has moved: import it from {home}; the old name is "
                  "deprecated since 0.2.0 and will be removed in 0.4.0 (the root keeps "
                  "the names most users need; see docs/api.md)", DeprecationWarning,
                  stacklevel=2)
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted({*__all__, *globals()})
