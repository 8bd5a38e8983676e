"""Turnover: who joined and who left each team in a window, and the key seats left empty.

Turnover is the first threat to sustaining MTSS: when a principal, the MTSS lead or the
liaison leaves, the work they carried stops unless someone takes the seat.  Seats record
``since`` and ``until`` (:class:`~mtss_core.Membership`); a roster refresh
(:func:`mtss_core.analysis.refresh`) ends the seats of people who left.  This module
reads that history as of a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from .._extras import pandas
from ..errors import ModelError, UnknownIdError
from ..graph import AlignmentGraph
from ..model import OrgUnit, Role, Team, label, to_date, to_duration

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KEY_ROLES", "TeamTurnover", "Turnover", "turnover"]

#: The roles whose seat left empty stops the work it carries: the designated MTSS lead,
#: the liaison, the principal, the superintendent and the coach.
KEY_ROLES = (Role.MTSS_LEAD, Role.LIAISON, Role.PRINCIPAL, Role.SUPERINTENDENT, Role.COACH)


@attrs.frozen(kw_only=True)
class EmptySeat:
    """A key role a team had and has no longer: since when, and who held it."""

    role: str
    since: pendulum.Date
    was: tuple[str, ...]


@attrs.frozen(kw_only=True)
class TeamTurnover:
    """One team in the window ending on the as-of date."""

    team: str
    name: str
    unit: str
    kind: str
    #: Seats held on the as-of date.
    members: int
    #: People whose current seat began in the window.
    joined: tuple[str, ...]
    #: People whose seat ended in the window, with the date it ended.
    left: tuple[tuple[str, pendulum.Date], ...]
    #: Key roles held before and held by no one now.
    empty: tuple[EmptySeat, ...]

    @property
    def changed(self) -> int:
        """Seats that began or ended in the window."""
        return len(self.joined) + len(self.left)

    @property
    def share_new(self) -> float | None:
        """Of the seats held now, the share that began in the window (``None`` with no
        member)."""
        return None if not self.members else len(self.joined) / self.members


@attrs.frozen(kw_only=True)
class Turnover:
    """Turnover of every team below ``root`` (or everywhere) in ``window`` up to
    ``as_of``."""

    root: str | None
    as_of: pendulum.Date
    window: pendulum.Duration
    teams: tuple[TeamTurnover, ...]

    def __iter__(self) -> Iterator[TeamTurnover]:
        return iter(self.teams)

    def __len__(self) -> int:
        return len(self.teams)

    @property
    def empty_seats(self) -> tuple[tuple[str, EmptySeat], ...]:
        """Every key seat left empty, with its team."""
        return tuple((t.team, e) for t in self.teams for e in t.empty)

    def share_new(self, teams: set[str] | None = None) -> float | None:
        """Of the seats held now (on ``teams``, or every team), the share that began in
        the window (``None`` with no seat)."""
        chosen = [t for t in self.teams if teams is None or t.team in teams]
        members = sum(t.members for t in chosen)
        return None if not members else sum(len(t.joined) for t in chosen) / members

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        return {"root": self.root, "as_of": self.as_of.isoformat(),
                "window": self.window.in_words(),
                "teams": [{"team": t.team, "name": t.name, "unit": t.unit, "kind": t.kind,
                           "members": t.members, "joined": list(t.joined),
                           "left": [{"person": p, "until": d.isoformat()} for p, d in t.left],
                           "share_new": t.share_new,
                           "empty_key_seats": [{"role": e.role, "since": e.since.isoformat(),
                                                "was": list(e.was)} for e in t.empty]}
                          for t in self.teams]}

    def to_frame(self) -> pd.DataFrame:
        """One row per team (the ``dataframes`` extra): members, joined, left, the share
        new and the empty key seats."""
        pd = pandas()
        return pd.DataFrame(
            [{"team": t.team, "name": t.name, "unit": t.unit, "kind": t.kind,
              "members": t.members, "joined": len(t.joined), "left": len(t.left),
              "share_new": t.share_new,
              "empty_key_seats": ", ".join(f"{e.role} since {e.since}" for e in t.empty)}
             for t in self.teams],
            columns=["team", "name", "unit", "kind", "members", "joined", "left",
                     "share_new", "empty_key_seats"])

    def __str__(self) -> str:
        lines = [f"turnover{f' of {self.root}' if self.root else ''} in the "
                 f"{self.window.in_words()} to {self.as_of}"]
        for t in self.teams:
            if not t.changed and not t.empty:
                continue
            share = "n/a" if t.share_new is None else f"{t.share_new:.0%}"
            lines.append(f"  {t.team}: {len(t.joined)} joined, {len(t.left)} left "
                         f"({share} of {t.members} seats new)")
            lines += [f"    {e.role} empty since {e.since} (was {', '.join(e.was)})"
                      for e in t.empty]
        if len(lines) == 1:
            lines.append("  no seat changed")
        return "\n".join(lines)


def turnover(graph: AlignmentGraph, root: str | None = None,
             as_of: pendulum.Date | str | None = None,
             window: pendulum.Duration | str = "P1Y") -> Turnover:
    """Per team below ``root`` (or every team): the seats that began or ended in the
    ``window`` up to ``as_of`` (by default the graph's as-of date), the share of current
    members new to the team, and the key seats (:data:`KEY_ROLES`) it had and has no
    longer.

    >>> import attrs
    >>> from mtss_core import example
    >>> from mtss_core.analysis import turnover
    >>> g = example()
    >>> lead = next(m for m in g.members("t-lincoln-slt") if "mtss-lead" in m.roles)
    >>> g.replace(attrs.evolve(lead, until="2026-06-30"))
    >>> t = turnover(g, "sch-lincoln", as_of="2026-09-01")
    >>> [(team, e.role, str(e.since), e.was) for team, e in t.empty_seats]
    [('t-lincoln-slt', 'mtss-lead', '2026-06-30', ('p-fischer',)), \
('t-lincoln-slt', 'coach', '2026-06-30', ('p-fischer',))]
    >>> next(x for x in t if x.team == "t-lincoln-slt").left
    (('p-fischer', Date(2026, 6, 30)),)
    """
    day = to_date(as_of) if as_of is not None else graph.as_of
    if day is None:
        raise ModelError("turnover needs an as-of date (none given, none in the graph)")
    span = to_duration(window)
    start = day - span
    if root is None:
        units = {u.id for u in graph.units()}
    else:
        top = graph.get(root)
        if not isinstance(top, OrgUnit):
            raise UnknownIdError(root, "org unit")
        units = {root, *(u.id for u in graph.descendants(root))}
    out = []
    for team in graph.teams():
        if team.unit in units:
            out.append(_team(graph, team, day, start))
    return Turnover(root=root, as_of=day, window=span, teams=tuple(out))


def _team(graph: AlignmentGraph, team: Team, day: pendulum.Date, start: pendulum.Date
          ) -> TeamTurnover:
    seats = graph.members(team.id, history=True)
    current = [m for m in seats if m.current(day)]
    joined = tuple(m.person for m in current if m.since is not None and start < m.since <= day)
    left = tuple((m.person, m.until) for m in seats
                 if m.until is not None and start < m.until <= day)
    held = {r for m in current for r in m.roles}
    empty = []
    for role in KEY_ROLES:
        if role in held:
            continue
        ended = [m for m in seats if role in m.roles and m.until is not None
                 and m.until <= day]
        if ended:
            last = max(m.until for m in ended if m.until is not None)
            empty.append(EmptySeat(role=role.value, since=last, was=tuple(sorted(
                {m.person for m in ended if m.until == last}))))
    return TeamTurnover(team=team.id, name=label(team), unit=team.unit, kind=team.kind.value,
                        members=len(current), joined=joined,
                        left=tuple((p, d) for p, d in left if d is not None),
                        empty=tuple(empty))
