"""mtss_core: model who leads a school system's MTSS and check that its levels stay aligned.

>>> import mtss_core as mc
>>> report = mc.validate(mc.example())
>>> report.verdict
'fail'
"""

from importlib.metadata import PackageNotFoundError, version

from ._catalogue import DEFAULT_RULES
from ._config_file import PLUGIN_GROUP, config_from_data, config_from_toml, plugin_rules
from ._document import FORMAT_VERSION, dump, dumps, from_data, load, loads, to_data
from ._engine import (
    Config,
    Finding,
    Lifecycle,
    Report,
    Rule,
    RuleContext,
    RuleSet,
    Setting,
    Severity,
    Violation,
    is_valid,
    iter_findings,
    rule,
    validate,
)
from ._errors import (
    ConfigError,
    CycleError,
    DanglingReferenceError,
    DocumentError,
    DuplicateIdError,
    IntegrityError,
    MissingExtraError,
    MtssError,
    ParentKindError,
    Problem,
    UnknownIdError,
)
from ._example import example, example_path
from ._graph import AlignmentGraph, EdgeKind
from ._model import (
    DataSource,
    Department,
    Direction,
    Domain,
    FocusArea,
    ImprovementPlan,
    Membership,
    ModelObject,
    NonNegotiables,
    OrgUnit,
    Person,
    Product,
    ProductKind,
    RiskThreshold,
    Role,
    Team,
    TeamKind,
    UnitKind,
    Vision,
)

try:
    __version__ = version("mtss-core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "DEFAULT_RULES",
    "FORMAT_VERSION",
    "PLUGIN_GROUP",
    "AlignmentGraph",
    "Config",
    "ConfigError",
    "CycleError",
    "DanglingReferenceError",
    "DataSource",
    "Department",
    "Direction",
    "DocumentError",
    "Domain",
    "DuplicateIdError",
    "EdgeKind",
    "Finding",
    "FocusArea",
    "ImprovementPlan",
    "IntegrityError",
    "Lifecycle",
    "Membership",
    "MissingExtraError",
    "ModelObject",
    "MtssError",
    "NonNegotiables",
    "OrgUnit",
    "ParentKindError",
    "Person",
    "Problem",
    "Product",
    "ProductKind",
    "Report",
    "RiskThreshold",
    "Role",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Setting",
    "Severity",
    "Team",
    "TeamKind",
    "UnitKind",
    "UnknownIdError",
    "Violation",
    "Vision",
    "__version__",
    "config_from_data",
    "config_from_toml",
    "dump",
    "dumps",
    "example",
    "example_path",
    "from_data",
    "is_valid",
    "iter_findings",
    "load",
    "loads",
    "plugin_rules",
    "rule",
    "to_data",
    "validate",
]
