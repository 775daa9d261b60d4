"""Background tasks of the core app (run by ``xieshang db_worker``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from xieshang.core.models import Notification
from xieshang.core.sms import get_backend


@task()
def deliver_notification(notification_id: int) -> str:
    """Send the email and SMS copies of a notification, each at most once."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update()
            .select_related("recipient", "committee")
            .filter(pk=notification_id)
            .first()
        )
        if note is None:
            return "gone"
        user = note.recipient
        done = []
        if note.want_email and note.email_sent_at is None and user.email:
            send_mail(
                f"[{note.committee.short_name or note.committee.name}] {note.title}",
                note.body, settings.DEFAULT_FROM_EMAIL, [user.email],
            )
            note.email_sent_at = timezone.now()
            done.append("email")
        if note.want_sms and note.sms_sent_at is None and user.phone:
            get_backend().send(user.phone, f"{note.title}。{note.body}"[:300])
            note.sms_sent_at = timezone.now()
            done.append("sms")
        note.save(update_fields=["email_sent_at", "sms_sent_at"])
    return ",".join(done) or "nothing to send"
