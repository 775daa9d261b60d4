"""A figure links to the records it counts only where that list opens for the reader: on the
statistics page and the dashboard every figure link a role is shown answers 200 for that role
(a proposal-office clerk was shown 社情民意 figures linking to a list that refused them)."""

import re

import pytest
from django.urls import reverse

from tests.factories import user_with_role
from xieshang.core.models import Role

pytestmark = pytest.mark.django_db

ROLES = [Role.STAFF_PROPOSAL, Role.STAFF_OPINION, Role.STAFF_OFFICE, Role.LEADER, Role.ADMIN]


def _figure_links(html: str) -> set[str]:
    cells = re.findall(r'<td data-testid="[a-z_.]+">(.*?)</td>', html, re.S)
    cards = re.findall(r'<a href="([^"]+)" class="card stat"', html)
    return ({m for c in cells for m in re.findall(r'href="([^"]+)"', c)} | set(cards))


@pytest.mark.parametrize("role", ROLES)
def test_every_figure_link_shown_opens_for_its_reader(client, county, role):
    client.force_login(user_with_role(county, role))
    shown: set[str] = set()
    for page in ("reports-figures", "reports-dashboard"):
        response = client.get(reverse(page), {"from": "2026-01-01", "to": "2026-12-31"})
        if response.status_code == 403:
            continue
        assert response.status_code == 200
        shown |= _figure_links(response.content.decode())
    assert shown or role == Role.STAFF_PROPOSAL  # (each role here sees figures with links)
    refused = {}
    for link in sorted(shown):
        status = client.get(link.replace("&amp;", "&")).status_code
        if status != 200:
            refused[link] = status
    assert not refused


def test_a_figure_whose_list_refuses_the_reader_is_shown_without_a_link(client, county):
    client.force_login(user_with_role(county, Role.STAFF_PROPOSAL))
    html = client.get(reverse("reports-figures")).content.decode()
    assert 'href="/opinions/reports/' not in html
    assert 'href="/proposals/' in html  # their own work's figures keep theirs
