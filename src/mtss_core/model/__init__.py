"""The domain model: org units, people, teams, their products and records, as values.

Every object is a frozen, keyword-only attrs class with a stable ``id``; objects name
each other by id, so they can be built in any order and checked by the
:class:`~mtss_core.AlignmentGraph` that holds them.

>>> from mtss_core.model import OrgUnit, UnitKind
>>> OrgUnit(id="dist-maple", kind="district").kind is UnitKind.DISTRICT
True
"""

from .._publish import publish
from . import fields
from ._capacity import (
    BuyIn,
    CapacityAssessment,
    Cohort,
    CohortApplication,
    Commitment,
    SuccessHighlight,
)
from ._core import (
    PRODUCT_CLASSES,
    Assignment,
    DataSource,
    Direction,
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Product,
    RiskThreshold,
    Team,
    Vision,
    content_field,
    written,
)
from ._core import (
    _team as _team,
)
from ._kinds import (
    INSTRUCTIONAL_TEAMS,
    PARENT_KINDS,
    TEAM_UNIT_KINDS,
    CoachingSkill,
    Department,
    Domain,
    ProductKind,
    Role,
    TeamKind,
    UnitKind,
)
from ._labels import a, caption, label, ref, word
from ._plugins import TYPES_GROUP, plugin_types, types_from
from ._practice import (
    Barrier,
    BarrierStatus,
    Escalation,
    Evidence,
    LeadershipCharacteristic,
    LeadershipSelfAssessment,
    Protocol,
    ResourceAllocation,
    ResourceCategory,
    Waiver,
    WaiverScope,
)
from ._practice import (
    _protocol as _protocol,
)
from ._registry import (
    OBJECT_CLASSES,
    TYPES,
    WAIVABLE,
    EdgeKind,
    ModelObject,
    ObjectType,
    Reference,
    Registry,
    group,
)
from ._registry import _shipped as _shipped
from ._responsibilities import RESPONSIBILITIES, Responsibility, responsibilities
from ._time import (
    AgendaItem,
    FidelityAssessment,
    Meeting,
    ReadinessAssessment,
    Stage,
    StageRecord,
    StatusUpdate,
)
from .fields import duration_iso, to_date, to_datetime, to_duration

__all__ = [
    "INSTRUCTIONAL_TEAMS",
    "OBJECT_CLASSES",
    "PARENT_KINDS",
    "PRODUCT_CLASSES",
    "TEAM_UNIT_KINDS",
    "WAIVABLE",
    "RESPONSIBILITIES",
    "TYPES",
    "AgendaItem",
    "Assignment",
    "Barrier",
    "BarrierStatus",
    "BuyIn",
    "CapacityAssessment",
    "CoachingSkill",
    "Cohort",
    "CohortApplication",
    "Commitment",
    "DataSource",
    "Department",
    "Direction",
    "Domain",
    "EdgeKind",
    "Escalation",
    "Evidence",
    "FidelityAssessment",
    "FocusArea",
    "ImprovementPlan",
    "LeadershipCharacteristic",
    "LeadershipSelfAssessment",
    "Meeting",
    "Membership",
    "ModelObject",
    "NonNegotiables",
    "ObjectType",
    "OrgUnit",
    "Person",
    "Product",
    "ProductKind",
    "Protocol",
    "ReadinessAssessment",
    "Reference",
    "Registry",
    "ResourceAllocation",
    "ResourceCategory",
    "Responsibility",
    "RiskThreshold",
    "Role",
    "Stage",
    "StageRecord",
    "StatusUpdate",
    "SuccessHighlight",
    "Team",
    "TeamKind",
    "UnitKind",
    "Vision",
    "Waiver",
    "WaiverScope",
    "a",
    "caption",
    "duration_iso",
    "fields",
    "group",
    "label",
    "ref",
    "responsibilities",
    "to_date",
    "to_datetime",
    "to_duration",
    "types_from",
    "plugin_types",
    "TYPES_GROUP",
    "content_field",
    "written",
    "word",
]

# pickles of teams and protocols carry their ISO 8601 cadence through these
publish(__name__, globals(), pickles=("_team", "_protocol", "_shipped"))
