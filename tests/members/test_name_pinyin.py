"""Members are found by the pinyin of their names (issue #17: "pinyin initials" in pickers)."""

import datetime as dt

import pytest

from tests.factories import SectorFactory
from xieshang.core.permissions import actor_for
from xieshang.members import services
from xieshang.members.forms import MemberChoices
from xieshang.members.models import Member
from xieshang.textmining.pinyin import name_keys

pytestmark = pytest.mark.django_db


def test_a_name_is_keyed_by_its_initials_and_its_syllables():
    assert name_keys("张伟").split() == ["zw", "zhangwei"]


def test_every_reading_of_a_surname_with_several_finds_the_name():
    keys = name_keys("单雄信").split()
    assert "sxx" in keys and "dxx" in keys and "shanxiongxin" in keys
    assert {"zzw", "czw"} <= set(name_keys("曾志伟").split())


def test_a_name_without_chinese_characters_has_no_keys_and_a_dot_is_skipped():
    assert name_keys("Tom") == ""
    assert name_keys("阿依古丽·买买提").split()[0] == "ayglmmt"


def test_the_keys_follow_the_name_through_create_update_and_bulk_create(county, staff):
    actor = actor_for(staff, county)
    member = services.member_create(actor=actor, committee=county, name="李秀英", gender="female",
                                    joined_on=dt.date(2022, 1, 1))
    assert Member.objects.get(pk=member.pk).name_pinyin.split()[:1] == ["lxy"]
    services.member_update(actor=actor, member=member, name="王芳")
    keys = Member.objects.get(pk=member.pk).name_pinyin
    assert keys.startswith("wf ") and "wangfang" in keys.split()
    services.member_update(actor=actor, member=member, workplace="县一中")  # name untouched
    assert Member.objects.get(pk=member.pk).name_pinyin == keys
    made = services.members_bulk_create(actor=actor, committee=county, new=[
        services.NewMember(fields={"name": "赵敏", "gender": "female",
                                   "joined_on": dt.date(2022, 1, 1)})])
    assert {"zm", "zhaomin"} <= set(Member.objects.get(pk=made[0].pk).name_pinyin.split())


def test_the_picker_finds_a_member_by_pinyin(county, staff):
    sector = SectorFactory(committee=county, name="教育界")
    member = services.member_create(actor=actor_for(staff, county), committee=county,
                                    name="张伟", gender="male", sector=sector,
                                    joined_on=dt.date(2022, 1, 1))
    field = MemberChoices(queryset=Member.objects.filter(pk=member.pk))
    html = field.widget.render("m", [], {"id": "id_m"})
    assert 'data-search="zw zhangwei 教育界' in html, html


def test_keys_cut_to_a_column_keep_whole_keys():
    full = name_keys("单雄信").split()
    cut = name_keys("单雄信", limit=20)
    assert len(cut) <= 20 and cut.split() == full[:len(cut.split())]
