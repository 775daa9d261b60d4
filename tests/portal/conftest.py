from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from xieshang.core.permissions import Actor
from xieshang.portal import services, workflow
from xieshang.portal.models import Column


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded pictures go to a temporary folder, not the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site(county):
    return services.site_ensure(actor=Actor.for_system(county), committee=county)


def publish(committee, title, body="<p>正文</p>", audience="public", column="news", when=None,
            **extra):
    actor = Actor.for_system(committee)
    col = Column.objects.get(committee=committee, slug=column)
    article = services.article_save(actor=actor, committee=committee, column=col, title=title,
                                    body=body, audience=audience, publish_at=when, **extra)
    article = workflow.ARTICLE.take(actor=actor, obj=article, step="submit",
                                    data={"version": article.version})
    return workflow.ARTICLE.take(actor=actor, obj=article, step="publish",
                                 data={"version": article.version})


def picture(width=800, height=600, fmt="JPEG", mode="RGB", name=None, **save):
    buf = io.BytesIO()
    PILImage.new(mode, (width, height), color=(200, 30, 30) if mode == "RGB" else None).save(
        buf, format=fmt, **save)
    ext = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}[fmt]
    return SimpleUploadedFile(name or f"p.{ext}", buf.getvalue(), content_type=f"image/{ext}")
