"""The search index check of ``xieshang move_check``: is the engine's full-text index whole?"""

import pytest
from django.db import connection

from tests.search.test_search import add
from xieshang.search import integrity

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(county):
    return [add(county, title, days_ago=i) for i, title in enumerate(
        ["关于加强农村饮水安全保障的建议", "关于规范校车管理的建议", "关于发展乡村旅游的建议"])]


def test_a_whole_index_finds_every_sampled_entry_by_its_title(entries):
    figures = integrity.figures()
    assert figures == {"entries": 3, "indexed": 3, "probes": 3, "found": 3, "ok": True}


def test_an_entry_missing_from_the_index_fails_the_check(entries):
    gone = entries[1]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts, rowid, bi, uni, scope) "
                           "VALUES ('delete', %s, %s, %s, %s)",
                           [gone.pk, gone.bi, gone.uni, gone.scope])
        else:
            cursor.execute("DROP INDEX search_entry_bi_tsv")
    figures = integrity.figures()
    assert not figures["ok"]
    if connection.vendor == "sqlite":
        assert figures["indexed"] == 2 and figures["found"] == 2
