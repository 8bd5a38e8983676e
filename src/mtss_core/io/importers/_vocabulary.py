"""One vocabulary for positions: what each source's job titles mean in the model's roles.

Every importer maps the titles it reads (Ed-Fi ``StaffClassification`` descriptors,
OneRoster roles, a directory's leader columns) through :data:`POSITIONS`, so the same job
becomes the same position whatever system it came from.  A title in the table with no
MTSS role (a librarian, a proctor) is kept as written; a title that is not in the table
is kept as written too, and the import's notes count it, so a data steward can see what
went unmapped.  ``docs/import-positions.md`` shows the table; a test keeps the two equal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from ...model import Role

__all__ = ["GUARDIAN", "POSITIONS", "STUDENT", "PositionMatch", "match_position"]

#: Markers for people a staff import does not model (counted, not imported).
STUDENT = "(student)"
GUARDIAN = "(guardian)"

_T = Role.TEACHER
_SP = Role.SERVICE_PROVIDER
_ADMIN = Role.ADMINISTRATOR

#: (source, title as the source writes it, position it becomes or ``None`` for "kept as
#: written, no MTSS role").
POSITIONS: tuple[tuple[str, str, str | None], ...] = (
    # Ed-Fi Data Standard StaffClassificationDescriptor values (5.2)
    ("edfi", "Superintendent", Role.SUPERINTENDENT),
    ("edfi", "Assistant Superintendent", Role.ASSISTANT_SUPERINTENDENT),
    ("edfi", "LEA Administrator", _ADMIN),
    ("edfi", "State Administrator", _ADMIN),
    ("edfi", "School Administrator", _ADMIN),
    ("edfi", "Assistant Principal", _ADMIN),
    ("edfi", "Principal", Role.PRINCIPAL),
    ("edfi", "School Leader", Role.PRINCIPAL),
    ("edfi", "Instructional Coordinator", Role.COACH),
    ("edfi", "Instr Coordinator and Supervisor to the Staff", Role.COACH),
    ("edfi", "Teacher", _T),
    ("edfi", "Pre-Kindergarten Teacher", _T),
    ("edfi", "Kindergarten Teacher", _T),
    ("edfi", "Elementary Teacher", _T),
    ("edfi", "Secondary Teacher", _T),
    ("edfi", "Ungraded Teacher", _T),
    ("edfi", "Substitute Teacher", _T),
    ("edfi", "Counselor", _SP),
    ("edfi", "School Counselor", _SP),
    ("edfi", "Elementary School Counselor", _SP),
    ("edfi", "Secondary School Counselor", _SP),
    ("edfi", "School Psychologist", _SP),
    ("edfi", "Student Support Services Staff (w/o Psychology)", _SP),
    ("edfi", "Instructional Aide", None),
    ("edfi", "Paraprofessional/Instructional Aide", None),
    ("edfi", "Librarian/Media Specialist", None),
    ("edfi", "Library/Media Support Staff", None),
    ("edfi", "LEA Administrative Support Staff", None),
    ("edfi", "School Administrative Support Staff", None),
    ("edfi", "LEA Specialist", None),
    ("edfi", "School Specialist", None),
    ("edfi", "LEA System Administrator", None),
    ("edfi", "Support Services Staff", None),
    ("edfi", "All Other Support Staff", None),
    ("edfi", "Operational Support", None),
    ("edfi", "Other", None),
    ("edfi", "Missing", None),
    # OneRoster 1.1 and 1.2 role vocabularies
    ("oneroster", "administrator", _ADMIN),
    ("oneroster", "districtAdministrator", _ADMIN),
    ("oneroster", "siteAdministrator", _ADMIN),
    ("oneroster", "principal", Role.PRINCIPAL),
    ("oneroster", "teacher", _T),
    ("oneroster", "counselor", _SP),
    ("oneroster", "aide", None),
    ("oneroster", "proctor", None),
    ("oneroster", "systemAdministrator", None),
    ("oneroster", "parent", GUARDIAN),
    ("oneroster", "guardian", GUARDIAN),
    ("oneroster", "relative", GUARDIAN),
    ("oneroster", "student", STUDENT),
    # a state directory's leader columns (and the titles they are often given)
    ("directory", "Superintendent", Role.SUPERINTENDENT),
    ("directory", "Principal", Role.PRINCIPAL),
    ("directory", "Co-Principal", Role.PRINCIPAL),
    ("directory", "Head of School", Role.PRINCIPAL),
)


def _key(title: str) -> str:
    """Titles compare without case, spaces or punctuation: ``School  leader`` = ``SchoolLeader``."""
    return re.sub(r"[^0-9a-z]", "", title.lower())


_BY_SOURCE: dict[str, dict[str, str | None]] = {}
for _source, _title, _target in POSITIONS:
    _BY_SOURCE.setdefault(_source, {})[_key(_title)] = _target


class PositionMatch:
    """What a title becomes: ``position`` (a role or the title kept), and how it was found.

    ``known`` is false for a title not in the vocabulary; ``person`` is false for a
    student or a guardian (not staff).
    """

    __slots__ = ("known", "person", "position", "title")

    def __init__(self, title: str, position: str, known: bool, person: str | None) -> None:
        self.title = title
        self.position = position
        self.known = known
        #: ``None`` for staff; :data:`STUDENT` or :data:`GUARDIAN` otherwise.
        self.person = person

    def __repr__(self) -> str:
        return (f"PositionMatch(title={self.title!r}, position={self.position!r}, "
                f"known={self.known}, person={self.person!r})")


def descriptor_value(value: str) -> str:
    """``uri://ed-fi.org/StaffClassificationDescriptor#Teacher`` -> ``Teacher``."""
    return value.rsplit("#", 1)[-1].strip()


def match_position(source: str, title: str,
                   extra: Mapping[str, str] | None = None) -> PositionMatch:
    """What ``title`` from ``source`` (``edfi``, ``oneroster``, ``directory``) becomes.

    ``extra`` maps further titles to positions (a district's own titles), ahead of the
    table.

    >>> match_position("edfi", "uri://ed-fi.org/StaffClassificationDescriptor#Counselor")
    PositionMatch(title='Counselor', position='service-provider', known=True, person=None)
    >>> match_position("oneroster", "Counselor").position
    'service-provider'
    >>> match_position("edfi", "Dean of Students")
    PositionMatch(title='Dean of Students', position='Dean of Students', known=False, person=None)
    """
    plain = descriptor_value(title)
    if extra:
        for name, wanted in extra.items():
            if _key(name) == _key(plain):
                return PositionMatch(plain, wanted, True, None)
    return _match(source, plain)


@functools.lru_cache(maxsize=1024)
def _match(source: str, plain: str) -> PositionMatch:
    """The table's answer for one title (a few titles repeat across a whole state)."""
    table = _BY_SOURCE.get(source, {})
    key = _key(plain)
    if key not in table:
        return PositionMatch(plain, plain, False, None)
    target = table[key]
    if target in (STUDENT, GUARDIAN):
        return PositionMatch(plain, "", True, target)
    return PositionMatch(plain, plain if target is None else str(target), True, None)


def vocabulary_table() -> str:
    """The vocabulary as the Markdown table ``docs/import-positions.md`` shows."""
    rows = ["| source | title | becomes |", "|---|---|---|"]
    for source, title, target in POSITIONS:
        if target == STUDENT:
            becomes = "not imported (a student)"
        elif target == GUARDIAN:
            becomes = "a guardian: not imported unless asked; then `parent`"
        elif target is None:
            becomes = "kept as written (no MTSS role)"
        else:
            becomes = f"`{target}`"
        rows.append(f"| {source} | {title} | {becomes} |")
    return "\n".join(rows) + "\n"
