import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import NotificationFactory, UserFactory
from xieshang.core.models import Notification
from xieshang.core.notifications import notify, unread_count
from xieshang.core.sms import LogSmsBackend
from xieshang.core.tasks import deliver_notification

pytestmark = pytest.mark.django_db


def test_notify_sends_in_app_email_and_sms_once(county, settings,
                                                 django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "xieshang.core.sms.LogSmsBackend"
    LogSmsBackend.sent.clear()
    user = UserFactory(email="a@example.org", phone="13900000001")
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notify(recipients=[user, user], committee=county, title="请签收提案",
                        body="第001号提案待签收", sms=True)
    assert unread_count(user) == 1
    assert len(mail.outbox) == 1 and "请签收提案" in mail.outbox[0].subject
    assert LogSmsBackend.sent == [("13900000001", "请签收提案。第001号提案待签收")]
    # A retried task sends nothing twice.
    deliver_notification.call(note.pk)
    assert len(mail.outbox) == 1 and len(LogSmsBackend.sent) == 1
    note.refresh_from_db()
    assert note.email_sent_at and note.sms_sent_at


def test_user_without_email_gets_in_app_only(county):
    user = UserFactory(email="")
    notify(recipients=[user], committee=county, title="t")
    assert mail.outbox == [] and unread_count(user) == 1


def test_bell_shows_unread_count(client, county, staff):
    NotificationFactory(committee=county, recipient=staff, title="待办一")
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread">1<' in body


def test_reading_a_notification_marks_it_and_follows_its_link(client, county, staff):
    note = NotificationFactory(committee=county, recipient=staff, url="/members/")
    client.force_login(staff)
    response = client.post(reverse("notification-read", args=[note.pk]))
    assert response["Location"] == "/members/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_external_link_in_notification_is_not_followed(client, county, staff):
    note = NotificationFactory(committee=county, recipient=staff, url="https://evil.example/")
    client.force_login(staff)
    response = client.post(reverse("notification-read", args=[note.pk]))
    assert response["Location"] == reverse("notifications")


def test_cannot_read_someone_elses_notification(client, county, staff):
    other = NotificationFactory(committee=county)
    client.force_login(staff)
    client.post(reverse("notification-read", args=[other.pk]))
    other.refresh_from_db()
    assert other.read_at is None
    assert other.title not in client.get(reverse("notifications")).content.decode()


def test_mark_all_read(client, county, staff):
    NotificationFactory.create_batch(3, committee=county, recipient=staff)
    client.force_login(staff)
    client.post(reverse("notifications-read-all"))
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()
