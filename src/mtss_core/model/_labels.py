"""How objects are named in messages, tables and pictures: one vocabulary for all.

>>> from mtss_core.model import OrgUnit, label
>>> from mtss_core.model._labels import caption, ref
>>> isd = OrgUnit(id="isd-lake", kind="isd", name="Lakeshore ISD")
>>> label(isd), ref(isd), caption(isd)
("ISD 'Lakeshore ISD' (isd-lake)", "ISD 'isd-lake'", 'ISD: Lakeshore ISD')
"""

from __future__ import annotations

from typing import Any

from ._core import Membership, OrgUnit, Product, Team
from ._kinds import UnitKind

__all__ = ["a", "caption", "label", "ref", "word"]


#: (class, kind) -> its word: worked out once each (labels are made for every finding)
_WORDS: dict[tuple[type[Any], Any], str] = {}


def word(obj: Any) -> str:
    """What an object is, in a word or two: a unit's kind (``ISD``, ``school``), a team's
    kind, a product's kind, or its type (``focus area``, ``stage record``)."""
    key = (type(obj), getattr(obj, "kind", None))
    try:
        found = _WORDS.get(key)
    except TypeError:  # a kind that is no key: worked out each time
        return _word(obj)
    if found is None:
        found = _word(obj)
        # (a class the registry has not stamped yet may be stamped later: not kept)
        if isinstance(obj, (OrgUnit, Team, Product)) or hasattr(type(obj), "__mtss_type__"):
            _WORDS[key] = found
    return found


def _word(obj: Any) -> str:
    if isinstance(obj, OrgUnit):
        return "ISD" if obj.kind is UnitKind.ISD else obj.kind.value
    if isinstance(obj, Team):
        return obj.kind.label
    if isinstance(obj, Product):
        return obj.kind.value
    declared = getattr(type(obj), "__mtss_type__", None)  # stamped by the registry
    return declared.singular if declared is not None else type(obj).__name__.lower()


def label(obj: object) -> str:
    """A short human label: ``school 'Lincoln Elementary' (sch-lincoln)``; the id alone
    when the object has no name."""
    name = getattr(obj, "name", "")
    ident = getattr(obj, "id", "?")
    return f"{word(obj)} {name!r} ({ident})" if name else f"{word(obj)} {ident}"


def ref(obj: object) -> str:
    """An object by its id, for integrity errors: ``school 'sch-lincoln'``."""
    if isinstance(obj, Membership):
        return f"membership of person {obj.person!r} in team {obj.team!r}"
    if getattr(obj, "id", None) is None:
        return repr(obj)
    return f"{word(obj)} {obj.id!r}"  # type: ignore[attr-defined]


def caption(obj: Any) -> str:
    """A caption for a picture: ``school: Lincoln Elementary`` (the title or id when the
    object has no name)."""
    name = getattr(obj, "name", "") or getattr(obj, "title", "") or obj.id
    return f"{word(obj)}: {name}"


def a(phrase: str) -> str:
    """``phrase`` with its indefinite article: ``an executive leadership team``.

    >>> a("executive leadership team"), a("vision"), a("ISD")
    ('an executive leadership team', 'a vision', 'an ISD')
    """
    vowel = phrase[:1].lower() in "aeiou" or phrase.startswith(("ISD", "MTSS"))
    return f"{'an' if vowel else 'a'} {phrase}"
