"""The value objects: validation, conversion, normalisation."""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum
import pytest

from mtss_core import Membership, NonNegotiables, OrgUnit, Person, Team, Vision
from mtss_core.model import ProductKind, Role, TeamKind, UnitKind
from mtss_core.model.fields import to_ids


class TestOrgUnit:
    def test_kind_is_converted_from_its_value(self):
        """A kind given as a string becomes the enum member."""
        assert OrgUnit(id="d", kind="district").kind is UnitKind.DISTRICT

    def test_unknown_kind_names_the_choices(self):
        """A wrong kind says what was expected and what arrived."""
        with pytest.raises(ValueError, match=r"expected one of 'state', .*; got 'schol'"):
            OrgUnit(id="s", kind="schol")

    @pytest.mark.parametrize("bad", ["", " x", "x ", None, 3])
    def test_bad_ids_are_refused(self, bad):
        """Ids are non-empty strings without surrounding spaces."""
        with pytest.raises((TypeError, ValueError), match="id"):
            OrgUnit(id=bad, kind="district")

    def test_frozen_and_keyword_only(self):
        """Objects cannot be changed, and take keywords only."""
        unit = OrgUnit(id="d", kind="district")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            unit.name = "x"  # type: ignore[misc]
        with pytest.raises(TypeError):
            OrgUnit("d", "district")  # type: ignore[misc]

    def test_equal_values_are_equal_and_hash_alike(self):
        """Value semantics: same fields, same object."""
        a = OrgUnit(id="d", kind="district", name="Maple")
        b = OrgUnit(id="d", kind=UnitKind.DISTRICT, name="Maple")
        assert a == b and hash(a) == hash(b)

    def test_rank_orders_levels_top_down(self):
        """Ranks grow from the state down to a course."""
        ranks = [k.rank for k in (UnitKind.STATE, UnitKind.ISD, UnitKind.DISTRICT,
                                  UnitKind.SCHOOL, UnitKind.GRADE, UnitKind.COURSE)]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


class TestMembership:
    def test_roles_are_normalised_and_deduplicated(self):
        """Known roles become Role members whatever their spelling; others are kept."""
        m = Membership(team="t", person="p",
                       roles=["MTSS Lead", "mtss_lead", "Teacher Leader", "Bus Captain"])
        assert m.roles == (Role.MTSS_LEAD, Role.TEACHER_LEADER, "Bus Captain")
        assert m.has_role("mtss-lead") and m.has_role(Role.TEACHER_LEADER)
        assert not m.has_role(Role.PARENT)

    def test_single_role_string(self):
        """A single role may be given as a string."""
        assert Membership(team="t", person="p", roles="coach").roles == (Role.COACH,)

    def test_empty_role_refused(self):
        """An empty role is an error, not silently dropped."""
        with pytest.raises(ValueError, match="role"):
            Membership(team="t", person="p", roles=["coach", " "])


class TestFastPaths:
    """The shortcuts for values already in the model's own types (a tuple of roles, an
    empty tuple) give what the field-by-field path gives, and refuse what it refuses."""

    @pytest.mark.parametrize("roles", [("MTSS Lead", "mtss_lead"), ["MTSS Lead", "mtss_lead"]])
    def test_tuples_and_lists_alike(self, roles):
        assert Membership(team="t", person="p", roles=roles).roles == (Role.MTSS_LEAD,)

    @pytest.mark.parametrize(("roles", "error"), [
        (("coach", " "), ValueError), (("coach", 3), ValueError),
        (("coach", {"a": 1}), ValueError), (("coach", "\x00"), ValueError),
        ({"coach": 1}, TypeError), (3, TypeError)])
    def test_bad_tuples_still_refused(self, roles, error):
        with pytest.raises(error, match=r"role|list"):
            Membership(team="t", person="p", roles=roles)
        with pytest.raises(error):  # and again, once the good ones are cached
            Membership(team="t", person="p", roles=roles)

    def test_empty_values(self):
        p = Person(id="p", name="P", departments=[], domains="", coaching_skills=(),
                   positions=(), assignments=())
        assert (p.departments, p.domains, p.coaching_skills, p.positions,
                p.assignments) == ((), (), (), (), ())
        assert to_ids(()) == to_ids([]) == ()
        with pytest.raises(ValueError, match="ids"):
            to_ids("")  # an empty id, not an empty list


class TestDates:
    def test_iso_string_becomes_pendulum_date(self):
        """Dates are pendulum values."""
        v = Vision(id="v", owner="o", adopted_on="2024-08-15")
        assert isinstance(v.adopted_on, pendulum.Date)
        assert v.adopted_on == pendulum.date(2024, 8, 15)

    def test_stdlib_date_becomes_pendulum_date(self):
        """A datetime.date is accepted and converted."""
        v = Vision(id="v", owner="o", adopted_on=dt.date(2024, 8, 15))
        assert type(v.adopted_on) is pendulum.Date

    @pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "2024-08-15T10:00:00",
                                     dt.datetime(2024, 8, 15, 10, 0)])
    def test_not_a_date_is_refused(self, bad):
        """Date-times and junk are refused with the value in the message."""
        with pytest.raises((TypeError, ValueError), match="date"):
            Vision(id="v", owner="o", adopted_on=bad)


class TestProducts:
    def test_kinds(self):
        """Each product class knows its kind."""
        assert Vision(id="v", owner="o").kind is ProductKind.VISION
        assert NonNegotiables(id="n", owner="o").kind is ProductKind.NON_NEGOTIABLES

    def test_practices_must_be_strings(self):
        """Lists of practices hold strings only."""
        with pytest.raises(TypeError, match="strings"):
            NonNegotiables(id="n", owner="o", practices=["ok", 3])


def test_team_kind_labels_and_instructional_flag():
    """Team kinds read well and know which are grade/department/course teams."""
    assert TeamKind.EXECUTIVE_LEADERSHIP.label == "executive leadership team"
    assert [k for k in TeamKind if k.is_instructional] == [
        TeamKind.GRADE_TEAM, TeamKind.DEPARTMENT_TEAM, TeamKind.COURSE_TEAM]
    assert Team(id="t", kind="course-team", unit="c").kind.is_instructional


def test_person_optional_unit():
    """A person need not be based at a unit."""
    assert Person(id="p").unit is None


@pytest.mark.parametrize(("make", "field"), [
    (lambda: OrgUnit(id="d", name="D", kind="distrct"), "kind"),
    (lambda: OrgUnit(id="s", name="S", kind="school", parent=3), "parent"),
    (lambda: Team(id="t", name="T", kind="dtl", unit="d"), "kind"),
    (lambda: Person(id="p", name="P", unit=["d"]), "unit"),
    (lambda: Membership(person="p", team="t", since="2024-13-01"), "since"),
    (lambda: Membership(person="p", team="t", since="2024-09-01", until="2023-06-30"),
     "until"),
    (lambda: Vision(id="v", owner="d", statement="x", adopted_on="soon"), "adopted_on"),
])
def test_model_error_names_its_field(make, field):
    """A bad enum value, date, id or type, or a cross-field rule, always names its field,
    in the message and as .field; it pickles with both."""
    import pickle

    from mtss_core.errors import ModelError
    with pytest.raises(ModelError) as info:
        make()
    err = info.value
    assert err.field == field and field in str(err)
    again = pickle.loads(pickle.dumps(err))
    assert (again.field, str(again)) == (err.field, str(err))
