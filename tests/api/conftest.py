import pytest

from xieshang.core.models import ApiToken


@pytest.fixture
def token_for():
    """token_for(user) → the key of a fresh API token of that user."""
    def _issue(user, name="脚本"):
        _token, key = ApiToken.issue(user, name)
        return key
    return _issue


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
