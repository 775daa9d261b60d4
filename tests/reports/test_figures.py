"""The figures of the seed county report come out of our reports."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from tests.reports import seed
from xieshang.core.figures import Scope, compute
from xieshang.core.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(county):
    seed.build(county)
    return county


def test_seed_figures_by_command_period_scope_draft_and_page(seeded, capsys, tmp_path, client,
                                                             staff):
    """One build of the seed data set (it is large) checks the command, a period and a scope."""
    import datetime as dt

    call_command("report", "figures", "--committee", seeded.code, "--from", "2022-01-01",
                 "--to", "2025-12-31", "--format", "json")
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert {k: figures[k] for k in seed.EXPECTED} == seed.EXPECTED

    one_year = compute(Scope(seeded, dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
    assert 0 < one_year["activities.party_group_meetings"].value < 56

    city = seeded.parent
    alone = compute(Scope(city, dt.date(2022, 1, 1), dt.date(2025, 12, 31)))
    with_sub = compute(Scope(city, dt.date(2022, 1, 1), dt.date(2025, 12, 31), include_sub=True))
    assert alone["activities.party_group_meetings"].value == 0
    assert with_sub["activities.party_group_meetings"].value == 56

    # The draft written from the same figures.
    out = tmp_path / "draft.docx"
    call_command("report", "draft", "--committee", seeded.code, "--from", "2022-01-01",
                 "--to", "2025-12-31", "--out", str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    for sentence in ("共召开党组会议56次",
                     "开展学习研讨活动52次，举办学习专题培训班25期，对政协委员的覆盖面达100%",
                     "与27个相关部门开展对口协商63次", "开展专题调研26个方面",
                     "开展界别调研活动52次",
                     "重点视察21项工作，提出意见建议107条",
                     "召开政协委员座谈会38次，组织专题交流研讨活动23次，提出意见和建议142条",
                     "举办13项文化活动"):
        assert sentence in text

    # The page and its draft button.
    client.force_login(staff)
    page = client.get(reverse("reports-figures"), {"from": "2022-01-01", "to": "2025-12-31"})
    assert 'data-testid="activities.party_group_meetings">' in page.content.decode()
    draft = client.get(reverse("reports-draft"), {"from": "2022-01-01", "to": "2025-12-31"})
    doc = Document(io.BytesIO(draft.content))
    assert any("党组会议56次" in p.text for p in doc.paragraphs)


def test_members_and_units_cannot_see_statistics(client, county, make_user):
    for role in (Role.MEMBER, Role.UNIT_CLERK, Role.COLLECTIVE):
        client.force_login(make_user(county, role))
        assert client.get(reverse("reports-figures")).status_code == 403
        assert client.get(reverse("reports-draft")).status_code == 403


def test_bad_dates_are_clear_errors(county):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("report", "figures", "--committee", county.code, "--from", "2022-13-01",
                     "--to", "2025-12-31")
    with pytest.raises(CommandError, match="no committee"):
        call_command("report", "figures", "--committee", "nope", "--from", "2022-01-01",
                     "--to", "2025-12-31")
