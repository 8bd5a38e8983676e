"""The domain model: org units, people, teams, their products and records, as values.

Every object is a frozen, keyword-only attrs class with a stable ``id``; objects name
each other by id, so they can be built in any order and checked by the
:class:`~mtss_core.AlignmentGraph` that holds them.

>>> from mtss_core.model import OrgUnit, UnitKind
>>> OrgUnit(id="dist-maple", kind="district").kind is UnitKind.DISTRICT
True
"""

from .._publish import publish
from ._core import (
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
    to_date,
)
from ._core import (
    _team as _team,
)
from ._labels import label
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
from ._registry import OBJECT_CLASSES, TYPES, EdgeKind, ModelObject, ObjectType, Reference
from ._responsibilities import RESPONSIBILITIES, Responsibility, responsibilities
from ._time import (
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

__all__ = [
    "OBJECT_CLASSES",
    "RESPONSIBILITIES",
    "TYPES",
    "AgendaItem",
    "Assignment",
    "Barrier",
    "BarrierStatus",
    "CoachingSkill",
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
    "ResourceAllocation",
    "ResourceCategory",
    "Responsibility",
    "RiskThreshold",
    "Role",
    "Stage",
    "StageRecord",
    "StatusUpdate",
    "Team",
    "TeamKind",
    "UnitKind",
    "Vision",
    "Waiver",
    "WaiverScope",
    "label",
    "responsibilities",
    "to_date",
    "to_datetime",
    "to_duration",
]

publish(__name__, globals())
# what pickles of teams and protocols name (carrying their ISO 8601 cadence)
_team.__module__ = _protocol.__module__ = __name__
