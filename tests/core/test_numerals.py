import pytest

from xieshang.core.numerals import chinese_number


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (14, "十四"), (20, "二十"),
                                          (35, "三十五"), (100, "一百"), (105, "一百零五"),
                                          (115, "一百一十五")])
def test_chinese_number(n, text):
    assert chinese_number(n) == text


def test_session_label(db):
    from tests.factories import SessionFactory

    session = SessionFactory(number=2)
    assert session.label == "十四届二次会议"
