"""The home page: this year's figures from the reports area, the lead news item."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from tests.portal.conftest import picture, publish

pytestmark = pytest.mark.django_db


def test_home_shows_this_years_figures_and_leaves_out_zeros(client, county, site):
    MemberFactory.create_batch(3, committee=county)
    body = client.get(reverse("portal-home", args=[county.code])).content.decode()
    assert "本年度履职数据" in body
    assert '<span class="count">3</span><span class="label">在任委员</span>' in body
    assert "收到提案" not in body  # none this year


def test_the_latest_news_with_a_picture_leads_the_home_page(client, county, site):
    publish(county, "较早的新闻", cover=picture(), cover_alt="较早的图片")
    publish(county, "最新的新闻（无图）")
    body = client.get(reverse("portal-home", args=[county.code])).content.decode()
    lead = body[body.index('class="card lead"'):body.index('class="portal-grid"')]
    assert "较早的新闻" in lead and 'alt="较早的图片"' in lead
    assert "最新的新闻（无图）" in body[body.index('class="portal-grid"'):]
