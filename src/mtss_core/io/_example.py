"""The bundled example: Lakeshore Regional ISD, two districts, a school year of meetings,
thirteen planted faults."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..graph import AlignmentGraph
from ._document import loads

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["PLANTED_FAULTS", "example", "example_path", "example_text"]

_NAME = "lakeshore.json"

#: The faults planted in the example, as (rule code, subject id).
PLANTED_FAULTS = (
    ("ALN001", "v-cedar-high"),         # a school vision aligned to the other district's
    ("ALN001", "v-cedar-elem-k"),       # a grade team vision aligned to nothing
    ("ALN001", "v-garcia"),             # a teacher aligned to another school's team
    ("ALN006", "sch-cedar-high"),       # a school with no non-negotiable practices
    ("FOC001", "dist-cedar"),           # a district with eight priority focus areas,
    ("FOC003", "fa-cedar-tech"),        # two of which its vision does not address
    ("FOC003", "fa-cedar-facilities"),
    ("LED001", "sch-cedar-high"),       # a school with no designated MTSS lead
    ("DAT001", "cip-cedar-high"),       # an improvement plan with no data behind it
    ("DAT002", "rt-maple-ms-reading"),  # a school's own at-risk threshold, unlike its district's
    ("CAD001", "t-cedar-exec"),         # MTSS left off the executive agenda since May
    ("CAD003", "t-maple-exec"),         # the liaison's status update overdue since May
    ("BAR002", "b-cedar-screener-licenses"),  # an open barrier nobody owns
)


def example_text() -> str:
    """The JSON text of the bundled example document."""
    text: str = _resource().read_text(encoding="utf-8")
    return text


def _resource() -> Traversable:
    return resources.files("mtss_core").joinpath("examples").joinpath(_NAME)


def example_path() -> Path:
    """The path of the bundled example document (``lakeshore.json``)."""
    return Path(str(_resource()))


def example() -> AlignmentGraph:
    """A fresh graph of the bundled example: an ISD, two districts, four schools.

    >>> from mtss_core import example
    >>> g = example()
    >>> g["dist-cedar"].name
    'Cedar Creek Community Schools'
    >>> sorted(t.kind.value for t in g.teams_of("dist-maple"))
    ['district-implementation', 'district-leadership', 'executive-leadership']
    """
    return loads(example_text(), source=_NAME)
