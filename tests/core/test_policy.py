import pytest

from xieshang.core import policy

pytestmark = pytest.mark.django_db


def test_default_applies_without_override(county):
    assert policy.get(county, "term_years") == 5


def test_parent_override_is_inherited_and_own_wins(county):
    city = county.parent
    city.policy = {"term_years": 6}
    city.save()
    county.refresh_from_db()
    assert policy.get(county, "term_years") == 6
    county.policy = {"term_years": 4}
    county.save()
    assert policy.get(county, "term_years") == 4


def test_unknown_key_is_an_error(county):
    with pytest.raises(KeyError):
        policy.get(county, "no_such_key")
