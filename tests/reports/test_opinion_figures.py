"""Public-opinion figures and duty facts follow a report up the committee tree."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import user_with_role
from tests.opinions.factories import act, editor, published, submit
from xieshang.core.figures import Scope, compute
from xieshang.core.models import Role
from xieshang.duties.facts import collect
from xieshang.opinions.models import OpinionReport

pytestmark = pytest.mark.django_db


def test_reports_sent_up_and_adopted_upstairs_count_for_the_county_and_its_author(county):
    author = user_with_role(county, Role.MEMBER)
    member_id = author.roles.get().member_id
    first = published(county, user=author)
    published(county, title="关于规范校外培训的建议")
    submit(county, title="还在编辑的一篇")
    act(editor(county), first, "report_up")
    city_copy = OpinionReport.objects.get(origin=first)
    city_editor = editor(county.parent)
    act(city_editor, city_copy, "start_edit")
    act(city_editor, city_copy, "sign_off")
    from xieshang.opinions import services

    bulletin = services.bulletin_create(actor=city_editor, kind="single", reports=[city_copy])
    services.bulletin_publish(actor=city_editor, bulletin=bulletin)

    today = dt.date.today()
    figures = compute(Scope(county, today.replace(month=1, day=1), today))
    values = {k: f.value for k, f in figures.items() if k.startswith("opinions.")}
    assert values["opinions.submitted"] == 3
    assert values["opinions.used"] == 2
    assert values["opinions.reported_up"] == 1
    assert values["opinions.adopted"] == 2  # both county bulletins
    assert values["opinions.adopted_upper"] == 1  # the city adopted the one sent up

    # Each number opens the list of the reports it counts, narrowed and saying so.
    client = Client()
    client.force_login(editor(county).user)
    for key, figure in figures.items():
        if not key.startswith("opinions."):
            continue
        response = client.get(figure.link)
        assert response.status_code == 200, key
        listed = response.context["page"].paginator.count
        if key == "opinions.instructions":  # instructions, shown by their reports
            assert (listed > 0) == (figure.value > 0), key
        else:
            assert listed == figure.value, (key, listed, figure.value)
        assert response.context["narrowed"], key

    kinds = sorted(f.kind for f in collect(county.id, today.replace(month=1, day=1), today)
                   if f.member_id == member_id)
    assert kinds == ["opinion.adopted", "opinion.adopted", "opinion.adopted_city_plus",
                     "opinion.submitted"]
