"""Committee settings: the effective value and its source; overrides checked against the type."""

import pytest
from django.urls import reverse

from xieshang.core import policy
from xieshang.core.admin_forms import parse_policy_value
from xieshang.core.models import AuditLog, Committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_keys():
    """Keys of other types, as later apps register them."""
    added = {"test_flag": (True, "测试开关"), "test_ratio": (0.5, "测试比例"),
             "test_grades": ([85, 60], "测试分档")}
    for key, (default, label) in added.items():
        policy.register(key, default, label)
    yield added
    for key in added:
        policy.DEFAULTS.pop(key, None)


def row_for(response, key):
    return next(r for r in response.context["rows"] if r["key"] == key)


def test_list_shows_default_inherited_and_own_values(client, county, admin_user):
    city = county.parent
    city.policy = {"term_years": 6}
    city.save()
    county.policy = {"activities.feedback_working_days": 3}
    county.save()
    client.force_login(admin_user)
    response = client.get(reverse("manage-policy"))
    term_years = row_for(response, "term_years")
    lockout = row_for(response, "activities.feedback_working_days")
    assert term_years["value"] == "6" and term_years["source"] == city and not term_years["own"]
    assert lockout["value"] == "3" and lockout["own"]
    body = response.content.decode()
    assert "继承自示范市政协" in body and "本政协设置" in body


def test_override_takes_effect_through_policy_get(client, county, other_county, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("manage-policy-edit", args=["term_years"]), {"value": "4"})
    assert response.status_code == 302
    assert policy.get(Committee.objects.get(pk=county.pk), "term_years") == 4
    assert policy.get(Committee.objects.get(pk=other_county.pk), "term_years") == 5
    row = AuditLog.objects.get(action="policy.set")
    assert row.committee == county and row.after == {"term_years": 4} and row.before == {}


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "请输入整数"),
    ("4.5", "请输入整数"),
    ("-1", "不能为负数"),
    ("", "必填"),
])
def test_wrong_type_is_refused_in_chinese(client, county, admin_user, value, message):
    client.force_login(admin_user)
    response = client.post(reverse("manage-policy-edit", args=["term_years"]), {"value": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    county.refresh_from_db()
    assert "term_years" not in county.policy


def test_clear_falls_back_to_the_parent(client, county, admin_user):
    county.parent.policy = {"term_years": 6}
    county.parent.save()
    county.policy = {"term_years": 4}
    county.save()
    client.force_login(admin_user)
    client.post(reverse("manage-policy-clear", args=["term_years"]))
    assert policy.get(Committee.objects.get(pk=county.pk), "term_years") == 6
    assert AuditLog.objects.get(action="policy.clear").before == {"term_years": 4}


def test_keys_registered_by_other_apps_are_listed_and_typed(client, county, admin_user,
                                                            extra_keys):
    client.force_login(admin_user)
    response = client.get(reverse("manage-policy"))
    keys = {r["key"] for r in response.context["rows"]}
    assert {"test_flag", "test_ratio", "test_grades"} <= keys
    client.post(reverse("manage-policy-edit", args=["test_flag"]), {"value": "false"})
    client.post(reverse("manage-policy-edit", args=["test_ratio"]), {"value": "0.75"})
    client.post(reverse("manage-policy-edit", args=["test_grades"]), {"value": "[90, 70]"})
    fresh = Committee.objects.get(pk=county.pk)
    assert policy.get(fresh, "test_flag") is False
    assert policy.get(fresh, "test_ratio") == 0.75
    assert policy.get(fresh, "test_grades") == [90, 70]
    response = client.post(reverse("manage-policy-edit", args=["test_grades"]),
                           {"value": '{"a": 1}'})
    assert "必须与默认值类型相同" in response.content.decode()


def test_parse_policy_value_keeps_bool_and_int_apart():
    from django.core.exceptions import ValidationError

    assert parse_policy_value(5, " 7 ") == 7
    assert parse_policy_value(True, "false") is False
    assert parse_policy_value(0.5, "1") == 1.0
    assert parse_policy_value("abc", "  新值 ") == "新值"
    with pytest.raises(ValidationError):
        parse_policy_value(True, "1")
    with pytest.raises(ValidationError):
        parse_policy_value(0.5, "nan")
    with pytest.raises(ValidationError):
        parse_policy_value([1], "not json")


def test_a_choice_setting_is_shown_and_offered_in_words_and_refuses_other_values(
        client, county, admin_user):
    from xieshang.core import services
    from xieshang.core.permissions import actor_for

    client.force_login(admin_user)
    row = row_for(client.get(reverse("manage-policy")), "proposal_feedback_default")
    assert row["value"] == "基本满意" and row["default"] == "基本满意"
    url = reverse("manage-policy-edit", args=["proposal_feedback_default"])
    page = client.get(url).content.decode()
    assert '<option value="satisfied">满意</option>' in page and ">basically<" not in page
    assert client.post(url, {"value": "satisfied"}).status_code == 302
    assert policy.get(Committee.objects.get(pk=county.pk), "proposal_feedback_default") == \
        "satisfied"
    response = client.post(url, {"value": "whatever"})
    assert response.status_code == 200 and "whatever" not in county.policy
    with pytest.raises(services.ValidationError):
        services.policy_set(actor=actor_for(admin_user, county), committee=county,
                            key="proposal_feedback_default", value="whatever")
