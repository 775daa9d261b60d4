"""Background tasks of the core app (run by ``xieshang db_worker``)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task

from xieshang.core import clock
from xieshang.core.models import Notification
from xieshang.core.sms import get_backend


@task()
def deliver_notification(notification_id: int) -> str:
    """Send the email and SMS copies of a notification, each at most once.

    Each copy is claimed (its ``*_sent_at`` set and committed) *before* it is handed to the
    gateway, so a worker killed in the middle, whose task is re-queued by ``tasks_recover``,
    never sends a copy twice: at most once, never twice. A copy whose sending raises is
    un-claimed, so a later run may try it again.
    """
    done = []
    for channel in ("email", "sms"):
        note = _claim(notification_id, channel)
        if note is None:
            continue
        user = note.recipient
        try:
            if channel == "email":
                send_mail(
                    f"[{note.committee.short_name or note.committee.name}] {note.title}",
                    note.body, settings.DEFAULT_FROM_EMAIL, [user.email],
                )
            else:
                get_backend().send(user.phone or "", f"{note.title}。{note.body}"[:300])
        except Exception:
            Notification.objects.filter(pk=note.pk).update(**{f"{channel}_sent_at": None})
            raise
        done.append(channel)
    return ",".join(done) or "nothing to send"


def _claim(notification_id: int, channel: str) -> Notification | None:
    """Mark one copy as handed over, in its own committed transaction; None if not due."""
    field = f"{channel}_sent_at"
    with transaction.atomic():
        note = (
            # of=self: lock the notification only, not its recipient and committee rows.
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "committee")
            .filter(pk=notification_id)
            .first()
        )
        if note is None or getattr(note, field) is not None:
            return None
        user = note.recipient
        if channel == "email" and not (note.want_email and user.email):
            return None
        if channel == "sms" and not (note.want_sms and user.phone):
            return None
        setattr(note, field, clock.now())
        note.save(update_fields=[field])
    return note


@task()
def send_login_code(code_id: int, sealed_code: str) -> str:
    """Send an SMS login code (``core.smslogin``): only to a number that belongs to an active
    account, and only while the code is still unused and unexpired. The code travels sealed
    (``core.crypto``), never in clear in the task queue."""
    from django.utils.translation import gettext as _

    from xieshang.core import crypto
    from xieshang.core.models import SmsLoginCode

    row = SmsLoginCode.objects.select_related("user").filter(
        pk=code_id, used_at__isnull=True, expires_at__gt=clock.now()).first()
    if row is None or row.user is None or not row.user.is_active or not row.user.phone:
        return "skipped"
    code = crypto.decrypt(sealed_code)
    minutes = max(1, settings.SMS_LOGIN_CODE_SECONDS // 60)
    get_backend().send(row.user.phone, _(
        "Your login code is %(code)s, valid for %(minutes)s minutes. If you did not ask for "
        "it, ignore this message; never tell it to anyone.") % {"code": code,
                                                                "minutes": minutes})
    return "sent"
