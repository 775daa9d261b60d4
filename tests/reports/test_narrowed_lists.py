"""A list a figure's link opened says which definition narrowed it, in one shared line
(``includes/narrowed.html``, fed by ``core.lists.narrowed``): "show all" drops the figure's
conditions and the page but keeps what the reader chose in the form."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory

from tests.factories import user_with_role
from xieshang.core.lists import narrowed
from xieshang.core.models import Role

pytestmark = pytest.mark.django_db

# Each list, a figure's narrowing parameters, and a filter of the list's own form.
LISTS = [
    ("/proposals/", {"fact": "filed", "submitted_from": "2025-01-01",
                     "submitted_to": "2025-12-31", "body_kind": "party"}, {"q": "停车"}),
    ("/opinions/reports/", {"fact": "reported_up"}, {"q": "停车", "from": "2025-01-01"}),
    ("/clues/", {"source": "public", "from": "2025-01-01", "to": "2025-12-31"},
     {"q": "停车", "status": "adopted"}),
    ("/activities/", {"status": "held"}, {"q": "调研", "from": "2025-01-01"}),
]


@pytest.mark.parametrize(("path", "narrowing", "kept"), LISTS, ids=[p for p, *_ in LISTS])
def test_each_narrowed_list_renders_the_one_line_and_show_all_keeps_the_form(
        client, county, path, narrowing, kept):
    client.force_login(user_with_role(county, Role.LEADER))
    response = client.get(path, {**narrowing, **kept, "page": "2"})
    assert response.status_code == 200
    assert "includes/narrowed.html" in [t.name for t in response.templates]
    line = response.context["narrowed"]
    assert line and all(line.conditions)
    url = urlsplit(line.show_all)
    assert url.path == path
    assert parse_qs(url.query) == {k: [v] for k, v in kept.items()}
    body = response.content.decode()
    assert body.count('data-testid="narrowed"') == 1
    assert f'href="{line.show_all.replace("&", "&amp;")}"' in body


@pytest.mark.parametrize("path", [p for p, *_ in LISTS])
def test_a_list_not_narrowed_shows_no_line(client, county, path):
    client.force_login(user_with_role(county, Role.LEADER))
    response = client.get(path, {"q": "停车"})
    assert response.status_code == 200
    assert response.context["narrowed"] is None
    assert 'data-testid="narrowed"' not in response.content.decode()


def test_show_all_is_the_bare_path_when_nothing_else_was_chosen():
    request = RequestFactory().get("/clues/", {"source": "public", "page": "3"})
    line = narrowed(request, ["群众来信"], ("source",))
    assert line is not None and line.show_all == "/clues/"
    assert narrowed(request, [], ("source",)) is None
