"""Sending notifications: in-app rows after the writing transaction commits, email/SMS copies by a
background task.

Code that changes something calls ``notify_on_commit()``: the people are told only once the change
is saved (a refused or rolled-back write tells nobody), and ``tests/core/test_write_rules.py``
fails the build if anything but this module calls ``notify()``.
"""

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


def notify_on_commit(
    *,
    recipients: Iterable[User | None],
    committee: Committee,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    sms: bool = False,
    skip: User | None = None,
) -> None:
    """Tell ``recipients`` once the current transaction commits (at once outside one).

    ``None`` recipients (a member without an account) and ``skip`` (usually the person acting,
    who knows already) are left out; nothing is queued when nobody is left.
    """
    users = [u for u in recipients if u is not None and (skip is None or u.pk != skip.pk)]
    if not users:
        return
    title, body, url = str(title), str(body), str(url)
    transaction.on_commit(partial(notify, recipients=users, committee=committee, title=title,
                                  body=body, url=url, email=email, sms=sms))


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
