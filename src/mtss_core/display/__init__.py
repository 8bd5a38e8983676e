"""Pictures and pages for people: a drawing of the structure and a shareable report.

>>> from mtss_core.display import draw, html_report
>>> callable(draw) and callable(html_report)
True
"""

from .._publish import publish
from ._draw import draw
from ._report import html_report

__all__ = ["draw", "html_report"]

publish(__name__, globals())
