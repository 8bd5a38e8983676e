"""Every kind of object the graph holds, in one place."""

from __future__ import annotations

from typing import Any, TypeAlias

from ._model import (
    DataSource,
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    RiskThreshold,
    Team,
    Vision,
)
from ._practice_model import (
    Barrier,
    Evidence,
    LeadershipSelfAssessment,
    Protocol,
    ResourceAllocation,
)
from ._time_model import (
    FidelityAssessment,
    Meeting,
    ReadinessAssessment,
    StageRecord,
    StatusUpdate,
)

__all__ = ["OBJECT_CLASSES", "ModelObject"]

#: Any object the graph holds.
ModelObject: TypeAlias = (
    OrgUnit | Person | Team | Membership | Vision | NonNegotiables | ImprovementPlan | FocusArea
    | DataSource | RiskThreshold | Meeting | StatusUpdate | StageRecord | ReadinessAssessment
    | FidelityAssessment | LeadershipSelfAssessment | ResourceAllocation | Barrier | Protocol
    | Evidence
)

#: The concrete classes, in the order a document lists them.
OBJECT_CLASSES: tuple[type[Any], ...] = (
    OrgUnit, Person, Team, Membership, Vision, NonNegotiables, ImprovementPlan, FocusArea,
    DataSource, RiskThreshold, Meeting, StatusUpdate, StageRecord, ReadinessAssessment,
    FidelityAssessment, LeadershipSelfAssessment, ResourceAllocation, Barrier, Protocol,
    Evidence,
)
