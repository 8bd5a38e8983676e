"""Rules: checks with stable codes, the rule protocol, configuration and reports.

A rule declares what it is about: the types of object it checks one at a time
(``subjects``), and for each type whose edits can change its findings, which subjects
an edit affects (``reads``).  :func:`validate` runs a rule over every subject;
a :class:`~mtss_core.Session` re-checks only what an edit affects.  The rules the
library ships use exactly this protocol, so a custom rule gets the same treatment.

>>> from mtss_core import example
>>> from mtss_core.rules import DEFAULT_RULES, Config, validate
>>> validate(example(), Config(select=["FOC001"])).counts_by_code()
{'FOC001': 1}
>>> DEFAULT_RULES["FOC001"].subjects
('unit',)
"""

from typing import Any

from .._publish import publish
from . import reads
from ._baseline import Baseline
from ._catalogue import DEFAULT_RULES
from ._config import Config, RuleSet
from ._config_file import PLUGIN_GROUP, config_from_data, config_from_toml, plugin_rules
from ._engine import is_valid, iter_findings, validate
from ._fix import Change, Fix, apply_change, apply_fix
from ._formats import to_github, to_junit, to_sarif
from ._protocol import (
    ALL,
    Affects,
    Edit,
    Lifecycle,
    Rule,
    RuleContext,
    Setting,
    Severity,
    Verdict,
    Violation,
    among,
    rule,
)
from ._protocol import _All as _All
from ._protocol import _rebuild_rule as _rebuild_rule
from ._protocol import _rule_from_reference as _rule_from_reference
from ._report import FINDING_COLUMNS, Finding, Notice, Report, RuleCount
from ._ruledoc import render_rule
from ._session import Session as Session  # its public home is mtss_core.session
from ._session import check_reads as check_reads

__all__ = [
    "ALL",
    "Affects",
    "DEFAULT_RULES",
    "Baseline",
    "Change",
    "FINDING_COLUMNS",
    "Fix",
    "PLUGIN_GROUP",
    "Config",
    "Edit",
    "Finding",
    "Lifecycle",
    "Notice",
    "Report",
    "Rule",
    "RuleContext",
    "RuleCount",
    "RuleSet",
    "Setting",
    "Severity",
    "Verdict",
    "Violation",
    "among",
    "apply_change",
    "apply_fix",
    "config_from_data",
    "config_from_toml",
    "is_valid",
    "iter_findings",
    "plugin_rules",
    "reads",
    "render_rule",
    "rule",
    "to_github",
    "to_junit",
    "to_sarif",
    "validate",
]

publish(__name__, globals(), pickles=("_All", "_rebuild_rule", "_rule_from_reference"))

#: The engine's plumbing, public until 0.3.0 only because the Session sat outside it.
_PLUMBING = ("assemble", "check_types", "guidance", "to_finding")


def __getattr__(name: str) -> Any:
    if name in _PLUMBING:
        import warnings

        from . import _engine

        warnings.warn(f"mtss_core.rules.{name} is deprecated since 0.4.0 and will be removed "
                      "in 0.5.0: it is the engine's own plumbing (validate and Session are "
                      "the public ways in)", DeprecationWarning, stacklevel=2)
        return getattr(_engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
