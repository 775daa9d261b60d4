"""The reply letter (答复函) greets the member once, whether or not the unit's text already does."""

import io

import pytest
from docx import Document

from tests.proposals.factories import reach
from xieshang.proposals import documents
from xieshang.proposals.models import Reply, Status

pytestmark = pytest.mark.django_db

INTRO = "收悉，现答复如下："
REST = "经研究，已将该事项列入明年重点工作计划。"


def _letter(world, body: str) -> list[str]:
    """The paragraphs of the letter between its title and its class line."""
    reply = Reply.objects.get(proposal=reach(world, Status.REPLIED))
    reply.body = body
    doc = Document(io.BytesIO(documents.reply_letter(reply)))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("关于十四届五次会议第001号提案的答复") + 1
    end = next(i for i, t in enumerate(texts) if t.startswith("（答复类别"))
    return texts[start:end]


def _greetings(paras: list[str]) -> int:
    return sum(1 for t in paras if "王建国" in t or "委员" in t or "尊敬的" in t)


@pytest.mark.parametrize("body", [
    f"王建国委员：\n{REST}",
    f"尊敬的王建国委员：\n您好！{REST}",
    f"　　王建国 委员:\n{REST}",          # full-width indent, spaces, half-width colon
    f"王建国委员：{REST}",                # greeting and text on one line
    f"尊敬的王委员：\n{REST}",
    f"王建国委员，您好！\n{REST}",
])
def test_a_reply_that_greets_the_member_is_not_greeted_again(world, body):
    paras = _letter(world, body)
    assert _greetings(paras) == 1, paras
    # The unit's own salutation opens the letter, before the acknowledgement and the text.
    assert "委员" in paras[0] and INTRO in paras[1] and REST in "".join(paras[2:])


def test_a_reply_without_a_greeting_gets_the_letters_own(world):
    paras = _letter(world, REST)
    assert paras[0] == "王建国委员：" and _greetings(paras) == 1
    assert INTRO in paras[1] and paras[2] == REST


def test_a_bare_courtesy_follows_the_letters_greeting(world):
    """"您好！" does not name the member: the letter still addresses them, once, above it."""
    paras = _letter(world, f"您好！\n{REST}")
    assert paras[:2] == ["王建国委员：", "您好！"] and INTRO in paras[2]


def test_a_reply_that_acknowledges_the_proposal_is_not_acknowledged_twice(world):
    paras = _letter(world, f"王建国委员：\n您提出的《关于加强农村饮水安全保障的建议》收悉。{REST}")
    assert _greetings(paras) == 1 and sum(INTRO[:2] in t for t in paras) == 1


def test_a_sentence_that_merely_names_the_member_is_not_a_greeting(world):
    body = f"王建国委员提出的建议很有针对性：{REST}"
    paras = _letter(world, body)
    assert paras[0] == "王建国委员：" and paras[-1] == body
