"""Sending notifications: in-app at once, email/SMS copies by a background task after commit."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction

from xieshang.core.models import Committee, Notification, User


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
    from xieshang.core.tasks import deliver_notification

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
