"""The rules that ship with mtss_core, as one explicit list."""

from __future__ import annotations

from ._engine import RuleSet
from ._rules_alignment import vision_not_aligned
from ._rules_focus import too_many_focus_areas

__all__ = ["DEFAULT_RULES"]

#: Every rule shipped with mtss_core.  Immutable: build your own with ``with_rules``.
DEFAULT_RULES = RuleSet([
    vision_not_aligned,
    too_many_focus_areas,
])
