import pytest

from tests.proposals.factories import build_world


@pytest.fixture
def world(county):
    return build_world(county)
