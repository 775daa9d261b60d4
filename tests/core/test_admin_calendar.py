"""The working-day calendar page: local days, the national list for a new year, the warnings."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from xieshang.core import services
from xieshang.core.admin_forms import parse_holiday_lines
from xieshang.core.calendar import Deadline, WorkCalendar, add_working_days
from xieshang.core.models import AuditLog, CalendarDay, CalendarYear, Role

pytestmark = pytest.mark.django_db

LIST_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知
2027-01-01 元旦 休
2027-01-02 元旦 休
2027-01-03 元旦 休
2027-02-06 春节 休
2027-02-07 春节调休 班
2027-02-08 春节 休
"""


@pytest.fixture
def province_admin(county, make_user):
    return make_user(county.parent.parent, Role.ADMIN)


def test_year_without_data_shows_a_warning_banner(client, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("manage-calendar-year", args=[2027])).content.decode()
    assert 'data-testid="no-data"' in body and "2027 年没有官方节假日数据" in body
    body = client.get(reverse("manage-calendar-year", args=[2025])).content.decode()
    assert 'data-testid="no-data"' not in body


def test_current_year_warns_that_next_year_is_missing(client, admin_user, frozen_clock):
    client.force_login(admin_user)
    body = client.get(reverse("manage-calendar")).content.decode()
    assert "2027 年的节假日尚未录入" in body
    assert "国庆节" in body  # the 2026 national rows are listed


def test_local_day_off_changes_the_work_calendar(client, county, other_county, admin_user):
    tuesday = dt.date(2026, 12, 1)
    assert WorkCalendar(county).is_workday(tuesday)
    client.force_login(admin_user)
    response = client.post(reverse("manage-calendar-add", args=[2026]),
                           {"date": "2026-12-01", "is_workday": "0", "name": "县庆"})
    assert response.status_code == 302
    assert not WorkCalendar(county).is_workday(tuesday)
    assert WorkCalendar(other_county).is_workday(tuesday)
    # Monday 30 Nov + 1 working day skips the local day off.
    assert add_working_days(dt.date(2026, 11, 30), 1, county).date == dt.date(2026, 12, 2)
    assert AuditLog.objects.filter(action="calendar.local_add", committee=county).exists()


def test_local_make_up_working_day(client, county, admin_user):
    saturday = dt.date(2026, 12, 5)
    client.force_login(admin_user)
    client.post(reverse("manage-calendar-add", args=[2026]),
                {"date": "2026-12-05", "is_workday": "1", "name": "补班"})
    assert WorkCalendar(county).is_workday(saturday)


@pytest.mark.parametrize(("data", "message"), [
    ({"date": "2026-12-05", "is_workday": "0", "name": "周六"}, "本来就是休息日"),
    ({"date": "2026-12-01", "is_workday": "1", "name": "周二"}, "本来就是工作日"),
    ({"date": "2026-13-01", "is_workday": "0", "name": "坏日期"}, "有效的日期"),
    ({"date": "2026-12-01", "is_workday": "0", "name": ""}, "必填"),
])
def test_pointless_or_bad_local_days_are_refused(client, county, admin_user, data, message):
    client.force_login(admin_user)
    response = client.post(reverse("manage-calendar-add", args=[2026]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CalendarDay.objects.filter(committee=county).exists()


def test_same_local_date_twice_is_refused(client, county, admin_user):
    CalendarDay.objects.create(date=dt.date(2026, 12, 1), committee=county, is_workday=False,
                               name="县庆")
    client.force_login(admin_user)
    response = client.post(reverse("manage-calendar-add", args=[2026]),
                           {"date": "2026-12-01", "is_workday": "0", "name": "又一个"})
    assert response.status_code == 400
    assert "已有本地安排" in response.content.decode()


def test_remove_a_local_day(client, county, admin_user):
    day = CalendarDay.objects.create(date=dt.date(2026, 12, 1), committee=county,
                                     is_workday=False, name="县庆")
    client.force_login(admin_user)
    client.post(reverse("manage-calendar-remove", args=[day.pk]))
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert WorkCalendar(county).is_workday(dt.date(2026, 12, 1))
    assert AuditLog.objects.filter(action="calendar.local_remove").exists()


def test_national_rows_cannot_be_removed_as_local_days(client, admin_user):
    national = CalendarDay.objects.filter(committee__isnull=True).first()
    client.force_login(admin_user)
    assert client.post(reverse("manage-calendar-remove", args=[national.pk])).status_code == 404
    assert CalendarDay.objects.filter(pk=national.pk).exists()


def test_parent_local_days_are_shown_but_not_removable(client, county, admin_user):
    city_day = CalendarDay.objects.create(date=dt.date(2026, 6, 4), committee=county.parent,
                                          is_workday=False, name="市庆")
    client.force_login(admin_user)
    body = client.get(reverse("manage-calendar-year", args=[2026])).content.decode()
    assert "市庆" in body
    assert client.post(reverse("manage-calendar-remove", args=[city_day.pk])).status_code == 404


def test_province_admin_enters_the_new_years_list(client, county, province_admin):
    client.force_login(province_admin)
    response = client.post(reverse("manage-calendar-import"),
                           {"year": 2027, "text": LIST_2027, "source": "国办发明电〔2026〕9号"})
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assert CalendarDay.objects.filter(committee__isnull=True, date__year=2027).count() == 6
    calendar = WorkCalendar(county)
    assert calendar.has_data(2027)
    assert calendar.is_workday(dt.date(2027, 2, 7))  # Sunday make-up day
    assert not calendar.is_workday(dt.date(2027, 2, 8))
    deadline = add_working_days(dt.date(2026, 12, 31), 1, county)
    assert deadline.date == dt.date(2027, 1, 4) and not deadline.uncertain
    row = AuditLog.objects.get(action="calendar.national_import")
    assert len(row.after["days"]) == 6 and row.after["source"] == "国办发明电〔2026〕9号"
    body = client.get(reverse("manage-calendar-year", args=[2027])).content.decode()
    assert 'data-testid="no-data"' not in body


def test_one_bad_line_saves_nothing_and_names_the_line(client, province_admin):
    text = LIST_2027.replace("2027-02-08 春节 休", "2027-02-30 春节 休")
    client.force_login(province_admin)
    response = client.post(reverse("manage-calendar-import"), {"year": 2027, "text": text})
    assert response.status_code == 200
    body = response.content.decode()
    assert "第 7 行" in body and "2027-02-30" in body
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(("line", "message"), [
    ("2027-01-01 元旦", "第 1 行"),
    ("2027-01-01 元旦 玩", "不能是“玩”"),
    ("2028-01-01 元旦 休", "不在 2027 年"),
    ("2027-01-04 元旦调休 班", "是工作日"),
])
def test_each_kind_of_bad_line_is_explained(line, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        parse_holiday_lines(line, 2027)
    assert message in " ".join(info.value.messages)


def test_duplicate_dates_name_both_lines():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        parse_holiday_lines("2027-01-01 元旦 休\n2027-01-01 元旦 休", 2027)
    assert "第 2 行" in info.value.messages[0] and "第 1 行" in info.value.messages[0]


def test_pasted_list_accepts_chinese_dates_and_spaces():
    entries = parse_holiday_lines("2027年1月1日\u3000元旦\u3000休\n\n2027/2/7 春节 调休 补班", 2027)
    assert [(e.date.isoformat(), e.name, e.is_workday) for e in entries] == [
        ("2027-01-01", "元旦", False), ("2027-02-07", "春节 调休", True)]


def test_reentering_a_year_replaces_its_national_days(county, province_admin, actor_of):
    actor = actor_of(province_admin, county.parent.parent)
    services.calendar_year_import(actor=actor, year=2027, entries=parse_holiday_lines(
        LIST_2027, 2027))
    services.calendar_year_import(actor=actor, year=2027, entries=parse_holiday_lines(
        "2027-01-01 元旦 休", 2027))
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("name", flat=True)) == [
        "元旦"]


def test_county_and_city_admins_cannot_enter_national_days(client, county, make_user,
                                                           admin_user, actor_of):
    client.force_login(admin_user)
    assert client.get(reverse("manage-calendar-import")).status_code == 403
    response = client.post(reverse("manage-calendar-import"), {"year": 2027, "text": LIST_2027})
    assert response.status_code == 403
    body = client.get(reverse("manage-calendar-year", args=[2027])).content.decode()
    assert reverse("manage-calendar-import") not in body
    city_admin = make_user(county.parent, Role.ADMIN)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.calendar_year_import(actor=actor_of(city_admin, county.parent), year=2027,
                                      entries=parse_holiday_lines(LIST_2027, 2027))
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_deadline_checker_uses_the_snippet(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("manage-calendar-year", args=[2026]),
                          {"from": "2026-12-20", "days": "20"})
    body = response.content.decode()
    assert 'data-testid="deadline-check"' in body and "待确认" in body


def test_deadline_snippet_shows_the_date_and_its_warnings():
    sure = render_to_string("core/_deadline.html",
                            {"deadline": Deadline(dt.date(2026, 10, 9))})
    assert 'datetime="2026-10-09"' in sure and "2026年10月9日" in sure and "<mark>" not in sure
    unsure = render_to_string("core/_deadline.html", {
        "deadline": Deadline(dt.date(2027, 1, 20), ("2027 年没有数据",))})
    assert "<mark>" in unsure and "2027 年没有数据" in unsure
