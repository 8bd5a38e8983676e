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

def __dir__() -> list[str]:
    return sorted({*__all__, *globals()})
