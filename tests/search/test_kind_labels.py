"""Search tabs name every kind in Chinese, never by its code (issue #17)."""

from xieshang.search.views import kind_label


def test_website_articles_have_a_chinese_tab():
    assert kind_label("article") == "网站文章"


def test_an_unknown_kind_is_not_shown_by_its_code():
    assert kind_label("no_such_kind") == "其他"
