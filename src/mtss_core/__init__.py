"""mtss_core: model who leads a school system's MTSS and check that its levels stay aligned.

>>> import mtss_core as mc
>>> report = mc.validate(mc.example())
>>> report.verdict
'fail'
"""

from importlib.metadata import PackageNotFoundError, version

from ._catalogue import DEFAULT_RULES
from ._config_file import PLUGIN_GROUP, config_from_data, config_from_toml, plugin_rules
from ._document import (
    FORMAT_VERSION,
    dump,
    dumps,
    from_data,
    load,
    loads,
    overlay,
    to_data,
)
from ._draw import draw
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
    InUseError,
    MissingExtraError,
    MtssError,
    ParentKindError,
    Problem,
    UnknownIdError,
)
from ._example import example, example_path
from ._export import to_dot, to_mermaid, to_networkx, to_node_link, write_graphml
from ._frames import to_frame
from ._graph import AlignmentGraph, EdgeKind
from ._html_report import html_report
from ._import_common import Imported
from ._import_directory import import_directory_csv
from ._import_edfi import import_edfi, import_edfi_api
from ._import_oneroster import import_oneroster
from ._incremental import Session
from ._levels import Expected, expected_alignment
from ._limits import Limits
from ._model import (
    Assignment,
    CoachingSkill,
    DataSource,
    Department,
    Direction,
    Domain,
    FocusArea,
    ImprovementPlan,
    Membership,
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
from ._objects import ModelObject
from ._practice_model import (
    Barrier,
    BarrierStatus,
    Escalation,
    Evidence,
    LeadershipCharacteristic,
    LeadershipSelfAssessment,
    Protocol,
    ResourceAllocation,
    ResourceCategory,
)
from ._responsibilities import RESPONSIBILITIES, Responsibility, responsibilities
from ._schema import check_document, json_schema
from ._scorecard import Scorecard, alignment_scorecard
from ._status_pack import StatusPack, status_pack
from ._tenants import TenantResult, validate_many
from ._time_model import (
    AgendaItem,
    FidelityAssessment,
    Meeting,
    ReadinessAssessment,
    Stage,
    StageRecord,
    StatusUpdate,
    to_datetime,
    to_duration,
)
from ._timeline import (
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

try:
    __version__ = version("mtss-core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "DEFAULT_RULES",
    "FORMAT_VERSION",
    "PLUGIN_GROUP",
    "RESPONSIBILITIES",
    "AgendaItem",
    "AlignmentGraph",
    "Assignment",
    "Barrier",
    "BarrierStatus",
    "CoachingSkill",
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
    "Escalation",
    "Evidence",
    "Expected",
    "FidelityAssessment",
    "Finding",
    "FocusArea",
    "Imported",
    "ImprovementPlan",
    "InUseError",
    "IntegrityError",
    "LeadershipCharacteristic",
    "LeadershipSelfAssessment",
    "Lifecycle",
    "Limits",
    "Meeting",
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
    "Protocol",
    "ReadinessAssessment",
    "Report",
    "ResourceAllocation",
    "ResourceCategory",
    "Responsibility",
    "ReviewDue",
    "RiskThreshold",
    "Role",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Scorecard",
    "Session",
    "Setting",
    "Severity",
    "Stage",
    "StagePeriod",
    "StageRecord",
    "StatusPack",
    "StatusUpdate",
    "Team",
    "TeamKind",
    "TenantResult",
    "UnitKind",
    "UnknownIdError",
    "Violation",
    "Vision",
    "__version__",
    "alignment_scorecard",
    "check_document",
    "config_from_data",
    "config_from_toml",
    "draw",
    "due_for_review",
    "dump",
    "dumps",
    "example",
    "example_path",
    "expected_alignment",
    "fidelity_trend",
    "from_data",
    "html_report",
    "implementation_start",
    "import_directory_csv",
    "import_edfi",
    "import_edfi_api",
    "import_oneroster",
    "is_valid",
    "iter_findings",
    "json_schema",
    "load",
    "loads",
    "overlay",
    "plugin_rules",
    "responsibilities",
    "rule",
    "stage_as_of",
    "status_pack",
    "time_in_stage",
    "time_to_fidelity",
    "timeline",
    "to_data",
    "to_datetime",
    "to_dot",
    "to_duration",
    "to_frame",
    "to_mermaid",
    "to_networkx",
    "to_node_link",
    "validate",
    "validate_many",
    "write_graphml",
]
