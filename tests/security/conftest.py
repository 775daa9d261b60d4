import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The victim's files (and hostile uploads) go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
