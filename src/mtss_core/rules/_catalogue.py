"""The rules that ship with mtss_core: one module per family of codes, in one table.

Each family module declares its prefix (``PREFIX = "ALN"``) and its rules in code order
(``RULES``); a rule's code is written once, in its ``@rule`` declaration.  This table
orders the families, as ruff's ``codes.rs`` orders its linters; a test checks that every
rule of a family carries the family's prefix, that codes are unique and in order, and
that no rule is left out.
"""

from __future__ import annotations

from types import ModuleType

import attrs

from . import (
    _alignment,
    _barriers,
    _cadence,
    _capacity,
    _coaching,
    _communication,
    _data,
    _entering,
    _fidelity,
    _focus,
    _implementation,
    _leads,
    _resources,
    _stages,
    _structure,
    _support,
    _teams,
    _waivers,
)
from ._config import RuleSet

__all__ = ["DEFAULT_RULES", "FAMILIES"]

#: The families of shipped rules, in the order reports and documentation list them.
FAMILIES: tuple[ModuleType, ...] = (
    _alignment,       # ALN: alignment with the level above
    _focus,           # FOC: priority focus areas
    _teams,           # TEA: teams and who sits on them
    _leads,           # LED: designated MTSS leads
    _data,            # DAT: data behind plans, at-risk thresholds
    _structure,       # STR: what a lenient build refused or doubted
    _support,         # SUP: ISD support
    _cadence,         # CAD: meetings, agendas, updates, reviews
    _stages,          # STG: implementation stages
    _fidelity,        # FID: fidelity assessments
    _implementation,  # IMP: implementation teams for implementing schools
    _coaching,        # COA: systems coaching
    _resources,       # RES: resources and protected time
    _barriers,        # BAR: barriers and their escalation
    _communication,   # COM: communication protocols, successes shared
    _capacity,        # CAP: capacity self-assessments
    _entering,        # ENT: entering implementation: applications, commitments, buy-in
    _waivers,         # WAI: waivers
)

#: Every rule shipped with mtss_core.  Immutable: build your own with ``with_rules``.
#: Each pickles as its code in the public ``mtss_core.rules.DEFAULT_RULES``.
DEFAULT_RULES = RuleSet(attrs.evolve(r, home=("mtss_core.rules", "DEFAULT_RULES"))
                        for family in FAMILIES for r in family.RULES)
