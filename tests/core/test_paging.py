"""Lists count at most COUNT_CAP rows (core.paging): under the cap a list is numbered as before;
past it the page says "more than N" and "page N" without a total, a page past the cap still
knows whether a next page exists, and the JSON lists say ``more``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import NotificationFactory
from xieshang.core import paging
from xieshang.core.models import Notification
from xieshang.core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(county, staff):
    NotificationFactory.create_batch(12, committee=county, recipient=staff)
    return Notification.objects.filter(recipient=staff).order_by("-id")


def test_under_the_cap_the_pages_are_numbered_as_before(notes):
    pages = CappedPaginator(notes, 5, cap=20)
    assert (pages.count, pages.capped, pages.num_pages) == (12, False, 3)
    last = pages.get_page(3)
    assert len(last) == 2 and not last.has_next() and last.end_index() == 12
    assert pages.get_page(9).number == 3  # past the end: the last page, as Paginator does


def test_past_the_cap_the_count_stops_and_next_pages_are_found_by_reading_one_more(notes):
    pages = CappedPaginator(notes, 3, cap=5)
    assert (pages.count, pages.capped, pages.num_pages) == (5, True, 2)
    ids = list(notes.values_list("pk", flat=True))
    seen = []
    number = 1
    while True:
        page = pages.get_page(number)
        seen += [n.pk for n in page]
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == ids and number == 4  # 3 + 3 + 3 + 3 rows, the last page found by reading
    assert pages.get_page(4).end_index() == 12
    assert pages.get_page(99).number == 2  # past the end: the last page known


def test_the_count_reads_at_most_cap_plus_one_rows(notes):
    with CaptureQueriesContext(connection) as ctx:
        assert CappedPaginator(notes, 3, cap=5).count == 5
    sql = ctx.captured_queries[0]["sql"].upper()
    assert "COUNT(" in sql and "LIMIT 6" in sql


def test_the_pager_past_the_cap_names_the_page_without_a_total(client, county, staff,
                                                                monkeypatch):
    NotificationFactory.create_batch(45, committee=county, recipient=staff)
    client.force_login(staff)
    text = client.get("/notifications/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "第 1 页，共 3 页" in text
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    text = client.get("/notifications/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "第 1 页" in text and "第 1 页，共" not in text and "下一页" in text
    text = client.get("/notifications/?page=3",
                      headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "第 3 页" in text and "下一页" not in text and "上一页" in text


def test_json_lists_say_more_past_the_cap(client, staff, notes, monkeypatch):
    client.force_login(staff)
    body = client.get("/api/v1/core/notifications?page_size=5").json()
    assert (body["count"], body["more"], body["pages"]) == (12, False, 3)
    monkeypatch.setattr(paging, "COUNT_CAP", 7)
    body = client.get("/api/v1/core/notifications?page_size=5").json()
    assert (body["count"], body["more"], body["pages"]) == (7, True, 2)
    third = client.get("/api/v1/core/notifications?page_size=5&page=3").json()
    assert len(third["items"]) == 2  # the rows past the count are still served
