"""Capacity self-assessments, pre-filled from the structure.

Districts rate their own capacity to implement MTSS once or twice a year with published
instruments (a district capacity assessment by implementation drivers, a regional one for
an ISD, a district systems fidelity inventory of nine areas), gathering the evidence by
hand each time.  Most of it is already in the structure.  :func:`capacity` pre-fills an
instrument for a unit: per item a suggested score with its evidence, gaps and the action
that would raise it; :func:`write_worksheet` and :func:`read_worksheet` are the worksheet
the team scores by consensus, read back as a recorded
:class:`~mtss_core.model.CapacityAssessment`; :func:`capacity_trend` follows the scores
over the administrations.

>>> from mtss_core import example
>>> from mtss_core.capacity import capacity
>>> report = capacity(example(), "dist-maple", "district", as_of="2026-09-01")
>>> report.item("L1").score, report.item("L1").evidence[0]
(2, 't-maple-dit')
"""

from .._publish import publish
from ._instrument import Area, Instrument, Item, instrument_from_data, load_instrument
from ._prefill import AreaResult, CapacityReport, ItemResult, capacity, instrument
from ._shipped import SHIPPED
from ._trend import CapacityTrend, capacity_trend
from ._worksheet import read_worksheet, worksheet_html, write_worksheet
from .evidence import EVIDENCE, EvidenceContext, Found, evidence, plugin_evidence

__all__ = [
    "EVIDENCE",
    "SHIPPED",
    "Area",
    "AreaResult",
    "CapacityReport",
    "CapacityTrend",
    "EvidenceContext",
    "Found",
    "Instrument",
    "Item",
    "ItemResult",
    "capacity",
    "capacity_trend",
    "evidence",
    "instrument",
    "instrument_from_data",
    "load_instrument",
    "plugin_evidence",
    "read_worksheet",
    "worksheet_html",
    "write_worksheet",
]

publish(__name__, globals())
