"""Sending notifications: in-app at once, email/SMS copies by a background task after commit."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from xieshang.core import clock
from xieshang.core.models import Committee, Notification, User
from xieshang.core.tasks import deliver_notification


def notify(
    *,
    recipients: Iterable[User],
    committee: Committee,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    sms: bool = False,
) -> list[Notification]:
    notes = [
        Notification.objects.create(
            committee=committee, recipient=user, title=title[:200], body=body, url=url,
            want_email=email and bool(user.email), want_sms=sms and bool(user.phone),
        )
        for user in {u.pk: u for u in recipients}.values()
    ]
    for note in notes:
        if note.want_email or note.want_sms:
            transaction.on_commit(partial(deliver_notification.enqueue, note.pk))
    return notes


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# Reading one's own notification is not audited: it changes nothing anyone else sees, and a
# row per click would bury the events the audit log is for.

def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark the user's own notification read (someone else's is left alone)."""
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; return how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=clock.now())
