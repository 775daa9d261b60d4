"""Downloads are named as the office files them: 第247号提案答复函.docx (issue #17)."""

from xieshang.proposals.views import DOCUMENT_NAMES


def test_a_reply_letter_is_named_by_the_proposal_number():
    assert str(DOCUMENT_NAMES["reply"]) % {"number": "第247号"} == "第247号提案答复函"
    assert str(DOCUMENT_NAMES["notice"]) % {"number": "第247号"} == "第247号提案交办通知单"


def test_a_draft_without_a_number_is_still_named_in_chinese():
    assert str(DOCUMENT_NAMES["form"]) % {"number": ""} == "提案"
