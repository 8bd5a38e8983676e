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

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # the names below are imported when first used (see __getattr__)
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

#: Where each name of the root lives: imported on first use, so ``import mtss_core`` (and
#: the command line) loads only what is used.
_HOMES = {name: f"mtss_core.{home}" for home, names in (
    ("analysis", ("alignment_scorecard", "status_pack", "validate_many")),
    ("display", ("draw", "html_report")),
    ("errors", ("DocumentError", "IntegrityError", "MtssError")),
    ("graph", ("AlignmentGraph",)),
    ("io", ("Limits", "dump", "dumps", "example", "from_data", "import_directory_csv",
            "import_edfi", "import_edfi_api", "import_oneroster", "load", "loads",
            "overlay", "to_data")),
    ("model", ("FocusArea", "ImprovementPlan", "Membership", "NonNegotiables", "OrgUnit",
               "Person", "Team", "Vision")),
    ("rules", ("DEFAULT_RULES", "Config", "Finding", "Report", "Rule", "RuleSet",
               "Severity", "Verdict", "Violation", "is_valid", "rule", "validate")),
    ("session", ("Session",)),
) for name in names}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mtss_core' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *globals()})
