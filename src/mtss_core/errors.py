"""One exception hierarchy for everything ``mtss_core`` raises on purpose.

Every error is a :class:`MtssError`; catching that one class is enough for an
embedding product.  Each subclass also derives from the built-in exception a
Python user would expect (``ValueError``, ``KeyError``, ``ImportError``), so
existing ``except`` clauses keep working.
"""

from __future__ import annotations

import linecache
import re
import sys
from collections.abc import Sequence
from types import FrameType
from typing import Any

import attrs

__all__ = [
    "ConfigError",
    "ConflictError",
    "CycleError",
    "DanglingReferenceError",
    "DocumentError",
    "DuplicateIdError",
    "EditError",
    "InUseError",
    "IntegrityError",
    "MassChangeError",
    "MissingExtraError",
    "ModelError",
    "ModelTypeError",
    "MtssError",
    "ParentKindError",
    "Problem",
    "ReadsError",
    "StoreError",
    "UnknownIdError",
    "WriteError",
]


class MtssError(Exception):
    """Base class of every error ``mtss_core`` raises on purpose."""


class ModelError(MtssError, ValueError):
    """A value the model cannot hold: a bad id, an unknown kind, a date out of range.

    ``field`` names the field whose value was refused when the error comes from building
    an object (``None`` for a bad argument to a function), and the message starts with
    it; ``reason`` is the message without it.  Also raised for bad arguments to the
    library's functions (an unknown kind of unit to a query, a rule code of the wrong
    shape).

    >>> from mtss_core import OrgUnit
    >>> try:
    ...     OrgUnit(id="d-1", kind="distrct", name="Lakeshore")
    ... except ModelError as exc:
    ...     print(exc.field, "|", exc)
    kind | kind: expected one of 'state', 'isd', 'district', 'school', 'grade', \
'department', 'course'; got 'distrct' (did you mean 'district'?)
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        if field is None:
            field = _field_being_built()
            shown = (f"{field}: {message}" if field is not None
                     and not message.startswith((field + " ", field + ":")) else message)
        else:
            shown = message
        super().__init__(shown)
        #: The field whose value was refused (``None`` when not about one field).
        self.field = field
        #: The message without the field's name in front.
        self.reason = message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_model_error, (type(self), self.reason, self.field, str(self)))


def _rebuild_model_error(cls: type[ModelError], reason: str, field: str | None,
                         shown: str) -> ModelError:
    exc = cls(reason, field=field)
    exc.args = (shown,)
    return exc


#: A converter or validator call in a class's ``__init__`` as attrs writes it.
_ATTRS_CALL = re.compile(r"__attr_(?:converter|validator)_(\w+)\(")


def _field_being_built() -> str | None:
    """The field whose converter or validator is running, if the error is raised while
    an attrs class's ``__init__`` converts or checks one: found in the calling frames
    (attrs keeps the source of the methods it writes), so building an object costs
    nothing extra.  ``None`` when no such frame is near or the interpreter hides them."""
    try:
        frame: FrameType | None = sys._getframe(2)
    except (AttributeError, ValueError):  # pragma: no cover - an interpreter without it
        return None
    for _ in range(16):
        if frame is None:
            return None
        code = frame.f_code
        if code.co_name == "__init__" and code.co_filename.startswith("<attrs generated"):
            found = _ATTRS_CALL.search(linecache.getline(code.co_filename, frame.f_lineno))
            return found.group(1) if found else None
        frame = frame.f_back
    return None


class ModelTypeError(ModelError, TypeError):
    """A value of the wrong type: a number where an id belongs, an object where a list
    does.  Both ``except ValueError`` and ``except TypeError`` catch it."""


class IntegrityError(MtssError, ValueError):
    """An object would break an invariant of the alignment graph.

    ``subject`` is the id of the offending object, ``field`` the field whose
    value is at fault (``None`` when the object as a whole is), and ``related``
    the ids of the other objects involved.
    """

    code = "STR000"

    def __init__(
        self,
        message: str,
        *,
        subject: str,
        field: str | None = None,
        related: Sequence[str] = (),
        obj: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.subject = subject
        self.field = field
        self.related = tuple(related)
        #: The object that was refused (``None`` when not known).
        self.obj = obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_integrity_error, (type(self), self.message, self.subject, self.field,
                                          self.related, self.obj))


def _rebuild_integrity_error(cls: type[IntegrityError], message: str, subject: str,
                             field: str | None, related: tuple[str, ...], obj: object
                             ) -> IntegrityError:
    return cls(message, subject=subject, field=field, related=related, obj=obj)


class DuplicateIdError(IntegrityError):
    """Two objects share one id."""

    code = "STR001"


class DanglingReferenceError(IntegrityError):
    """A field names an id that is not in the graph, or names the wrong kind of object."""

    code = "STR002"


class ParentKindError(IntegrityError):
    """An org unit sits under a parent of a kind it cannot have (a school under a school)."""

    code = "STR003"


class CycleError(IntegrityError):
    """Org units whose parents form a loop."""

    code = "STR004"


class InUseError(IntegrityError):
    """An object cannot be removed while other objects refer to it."""

    code = "STR000"


class UnknownIdError(MtssError, KeyError):
    """A query named an id that is not there: ``id`` is what was asked for, ``expected``
    what kind of thing it should have been, ``within`` where it was looked up (the graph,
    an instrument, a scorecard ...).

    >>> str(UnknownIdError("v-nowhere", "vision"))
    "no vision with id 'v-nowhere' in the graph"
    >>> str(UnknownIdError("9.9", "item", within="the instrument 'dca'"))
    "no item with id '9.9' in the instrument 'dca'"
    """

    def __init__(self, id: str, expected: str = "object", *,
                 within: str = "the graph") -> None:
        super().__init__(id)
        self.id = id
        self.expected = expected
        self.within = within

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_unknown_id, (type(self), self.id, self.expected, self.within))

    def __str__(self) -> str:
        if self.expected == "rule":
            return f"no rule with code or name {self.id!r} in the rule set"
        return f"no {self.expected} with id {self.id!r} in {self.within}"


def _rebuild_unknown_id(cls: type[UnknownIdError], id: str, expected: str,
                        within: str) -> UnknownIdError:
    return cls(id, expected, within=within)


class ConfigError(MtssError, ValueError):
    """A rule selection, severity override or rule setting is not valid."""


class ReadsError(MtssError, AssertionError):
    """A rule's ``reads`` left out what an edit changed: re-checking only the subjects it
    named found other findings than a full run (see ``Session(verify=True)`` and
    :func:`mtss_core.session.check_reads`).  ``rule`` is the rule's code, ``type_name``
    the type of object edited, ``subjects`` the subjects whose findings differ."""

    def __init__(self, message: str, rule: str = "", type_name: str = "",
                 subjects: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.rule = rule
        self.type_name = type_name
        self.subjects = tuple(subjects)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.rule, self.type_name, self.subjects))

    @classmethod
    def of(cls, rule: Any, edit: Any, subjects: list[str]) -> ReadsError:
        """The error for ``rule`` after ``edit``, its findings about ``subjects`` wrong."""
        type_name = edit.type_name
        word = type_name.replace("_", " ")
        how = ("added" if edit.old is None else "removed" if edit.new is None
               else "changed")
        reads = rule.reads or {}
        renamed = (edit.old is not None and edit.new is not None
                   and getattr(edit.old, "name", None) != getattr(edit.new, "name", None))
        if renamed and getattr(rule, "labels_only", False):
            why = ("it declares labels_only, so a rename re-checks only the findings that "
                   "mention the old label, but its findings depend on a name itself (two "
                   "objects named alike, a name left blank): drop labels_only")
        elif type_name not in reads:
            why = (f"its reads leaves out {type_name!r} (declare reads[{type_name!r}], or "
                   "ALL for it)")
        else:
            why = (f"its reads[{type_name!r}] names too few subjects for such an edit "
                   f"(it missed {', '.join(map(repr, subjects[:5]))})")
        shown = ", ".join(repr(s) for s in subjects[:5]) + (", ..." if len(subjects) > 5
                                                             else "")
        article = "an" if word[:1] in "aeiou" else "a"
        return cls(f"rule {rule.code} ({rule.name}): after {article} {word} was {how}, "
                   f"re-checking what its reads names found other findings than a full run "
                   f"about {shown}: {why}", rule=rule.code, type_name=type_name,
                   subjects=tuple(subjects))


class MissingExtraError(MtssError, ImportError):
    """An optional feature was used without its extra installed."""

    def __init__(self, package: str, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the optional package {package!r} (the {extra!r} extra); "
            f"install it in the mtss_core folder with: pip install '.[{extra}]' (or from "
            f"a wheel: pip install 'mtss_core-VERSION-py3-none-any.whl[{extra}]'; from a "
            f"package index that serves mtss-core: pip install 'mtss-core[{extra}]')"
        )
        self.package = package
        self.extra = extra
        self.feature = feature

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.package, self.extra, self.feature))


class EditError(MtssError, ValueError):
    """An edit that cannot be made: ``index`` (its place in the batch), ``id`` (the
    object it names), ``field`` and what is wrong; nothing of the batch was made.

    >>> str(EditError(2, "unknown field 'statment' (did you mean 'statement'?)",
    ...               id="v-1", field="statment"))
    "edit 2 (v-1): unknown field 'statment' (did you mean 'statement'?)"
    """

    def __init__(self, index: int, message: str, *, id: str | None = None,
                 field: str | None = None) -> None:
        where = f"edit {index}" + (f" ({id})" if id else "")
        super().__init__(f"{where}: {message}")
        self.index = index
        self.id = id
        self.field = field
        self.reason = message

    def at(self, index: int) -> EditError:
        """The same error for the edit at ``index`` of a batch."""
        return type(self)(index, self.reason, id=self.id, field=self.field)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_edit_error, (type(self), self.index, self.reason, self.id,
                                      self.field))


def _rebuild_edit_error(cls: type[EditError], index: int, reason: str, id: str | None,
                        field: str | None) -> EditError:
    return cls(index, reason, id=id, field=field)


class MassChangeError(MtssError, ValueError):
    """A refresh that would close or remove more of the roster than a year's change does
    (or whose new roster is empty): refused with the figures, unless confirmed
    (``accept_mass_change=True``, ``mtss refresh --accept-mass-change``)."""


class StoreError(MtssError):
    """A store that cannot do what was asked: not an mtss store, a layout this library does
    not read, a tenant that is not there (or is there already)."""


class ConflictError(StoreError):
    """A commit made on a version the store has moved past: nothing was written.  Catch
    up (``session.refresh()``), look again, and commit anew.

    >>> str(ConflictError("maple", 4, 6))
    "tenant 'maple' is at version 6, the commit was made on version 4: nothing was written \
(refresh and try again)"
    """

    def __init__(self, tenant: str, base: int, current: int) -> None:
        super().__init__(f"tenant {tenant!r} is at version {current}, the commit was made on "
                         f"version {base}: nothing was written (refresh and try again)")
        self.tenant = tenant
        self.base = base
        self.current = current

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.tenant, self.base, self.current))


class WriteError(MtssError, OSError):
    """A file could not be written; ``path`` names it and ``reason`` says why.

    The library writes every file whole or not at all, so when this is raised the file
    at ``path`` is as it was before (or absent, if it did not exist).

    >>> str(WriteError("layer.json", "No space left on device"))
    'cannot write layer.json: No space left on device (the file is unchanged)'
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason} (the file is unchanged)")
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


@attrs.frozen(kw_only=True)
class Problem:
    """One precise complaint about an input document.

    ``pointer`` is a JSON pointer (RFC 6901) into the document (empty for a file as a
    whole, or for sources such as CSV and XML that have no pointers); ``line`` and
    ``column`` are 1-based and known when the source text was available; ``field``
    names the field, column or element at fault.

    >>> p = Problem(source="district.json", pointer="/units/2/kind", field="kind",
    ...             expected="one of 'district', 'school'", received="'schol'", line=14, column=15)
    >>> str(p)
    "district.json:14:15: /units/2/kind: expected one of 'district', 'school', got 'schol'"
    """

    source: str
    pointer: str
    message: str = ""
    field: str | None = None
    expected: str | None = None
    received: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.source
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        text = self.message
        if self.expected is not None:
            text = f"expected {self.expected}"
            if self.received is not None:
                text += f", got {self.received}"
            if self.message:
                text = f"{self.message}: {text}"
        where = self.pointer or self.field
        return f"{place}: {where}: {text}" if where else f"{place}: {text}"


class DocumentError(MtssError, ValueError):
    """A document could not be loaded; ``problems`` lists every problem found.

    Nothing is built when a document has problems: a load either returns a whole
    graph or raises this error.
    """

    def __init__(self, problems: Sequence[Problem], *, truncated: bool = False,
                 total: int | None = None) -> None:
        self.problems = tuple(problems)
        self.truncated = truncated
        #: How many problems were found in all (``None``: not counted past the list).
        self.total = total if total is not None else (
            None if truncated else len(self.problems))
        lines = [str(p) for p in self.problems]
        if truncated:
            lines.append(self.more())
        head = f"{self.total or len(self.problems)} problem(s) in the document"
        super().__init__(head + ":\n" + "\n".join(lines) if lines else head)

    def more(self) -> str:
        """The line that says the list is cut: with the total, when it is known."""
        if self.total is not None and self.total > len(self.problems):
            return (f"({self.total:,} problems in all; only the first {len(self.problems)} "
                    "are listed)")
        return "(more problems were found; only the first ones are listed)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_document_error, (type(self), self.problems, self.truncated,
                                          self.total))

    @classmethod
    def single(cls, source: str, message: str, **fields: Any) -> DocumentError:
        """An error with one problem about ``source`` as a whole (or at ``line=...``)."""
        return cls([Problem(source=source, pointer="", message=message, **fields)])


def _rebuild_document_error(cls: type[DocumentError], problems: tuple[Problem, ...],
                            truncated: bool, total: int | None = None) -> DocumentError:
    return cls(problems, truncated=truncated, total=total)
