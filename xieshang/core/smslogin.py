"""SMS-code login (手机验证码登录).

A member types a mobile number, gets a six-digit code by SMS (``settings.SMS_BACKEND``) and logs
in with it. The rules:

- a code lasts ``SMS_LOGIN_CODE_SECONDS`` (five minutes), is accepted once, and a new code
  replaces the number's earlier ones; only an HMAC of it is stored (``core.SmsLoginCode``);
- asking for a code is limited per number (one a minute, five an hour) and per address;
- a wrong code counts exactly like a wrong password (``core.throttle``: the same account lock,
  the same address wait, the same audit row ``auth.login_failed``);
- the answer, and the work done, are the same whether the number belongs to an account or not:
  a row is written either way, and the message is handed to a background task that sends it only
  when the number belongs to an active account (so the gateway's delay does not tell either);
- after the code, an account with a second factor still enters its authenticator code
  (``core.views.login_verify``).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from xieshang.core import audit, clock, counters, crypto, throttle
from xieshang.core.models import SmsLoginCode, User
from xieshang.core.permissions import Actor
from xieshang.core.validators import mask_phone, normalise_phone

HOUR = 3600


class Asked(StrEnum):
    SENT = "sent"  # also the answer for a number that belongs to no account
    WAIT = "wait"  # this number asked less than a minute ago
    TOO_MANY = "too_many"  # this number or this address asked too often


class Checked(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    THROTTLED = "throttled"


def phone_key(phone: str) -> str:
    return salted_hmac("xieshang.smslogin.phone", normalise_phone(phone),
                       algorithm="sha256").hexdigest()[:64]


def _code_hash(key: str, code: str) -> str:
    return salted_hmac("xieshang.smslogin.code", f"{key}:{code}",
                       algorithm="sha256").hexdigest()[:64]


def user_for_phone(phone: str) -> User | None:
    digits = normalise_phone(phone)
    if len(digits) != 11:
        return None
    return User.objects.filter(phone=digits).first()


def _anonymous(ip: str | None) -> Actor:
    return Actor(user=None, committee=None, ip=ip)


def code_request(*, phone: str, ip: str | None) -> Asked:
    """Make and send a code for ``phone`` (an 11-digit mobile number)."""
    key = phone_key(phone)
    if counters.get(f"smslogin:phone:{key}:gap"):
        return Asked.WAIT
    if (counters.add(f"smslogin:ip:{ip or 'unknown'}", seconds=HOUR)
            > settings.SMS_LOGIN_IP_PER_HOUR
            or counters.add(f"smslogin:phone:{key}", seconds=HOUR)
            > settings.SMS_LOGIN_PHONE_PER_HOUR):
        return Asked.TOO_MANY
    counters.hold(f"smslogin:phone:{key}:gap", settings.SMS_LOGIN_PHONE_GAP_SECONDS)
    user = user_for_phone(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    with transaction.atomic():
        SmsLoginCode.objects.filter(phone_key=key, used_at__isnull=True).update(used_at=now)
        row = SmsLoginCode.objects.create(
            user=user if user is not None and user.is_active else None, phone_key=key,
            code_hash=_code_hash(key, code), created_at=now,
            expires_at=now + dt.timedelta(seconds=settings.SMS_LOGIN_CODE_SECONDS))
        audit.record(_anonymous(ip), "auth.sms_code_requested", user,
                     after={"phone": mask_phone(normalise_phone(phone))})
        from xieshang.core.tasks import send_login_code

        transaction.on_commit(partial(send_login_code.enqueue, row.pk, crypto.encrypt(code)))
    return Asked.SENT


def code_check(*, phone: str, code: str, request: HttpRequest | None,
               ip: str | None) -> tuple[Checked, User | None]:
    """Check a code; on success the code is spent and the account returned (not yet logged in)."""
    if throttle.ip_wait(ip) is not None:
        return Checked.THROTTLED, None
    user = user_for_phone(phone)
    digits = normalise_phone(phone)
    subject = throttle.subject_for(user, digits)
    if not throttle.may_try(subject, request):
        return Checked.LOCKED, None
    key = phone_key(phone)
    code = "".join((code or "").split())
    with transaction.atomic():
        row = (SmsLoginCode.objects.select_for_update()
               .filter(phone_key=key, used_at__isnull=True, expires_at__gt=clock.now())
               .order_by("-created_at").first())
        good = (row is not None and code.isdigit() and len(code) == 6
                and hmac.compare_digest(row.code_hash, _code_hash(key, code)))
        if good and row is not None and row.user is not None and row.user.is_active \
                and user is not None and row.user.pk == user.pk:
            row.used_at = clock.now()
            row.save(update_fields=["used_at"])
            return Checked.OK, user
    throttle.failed(subject, request, ip)
    audit.record(_anonymous(ip), "auth.login_failed", user,
                 after={"identifier": mask_phone(digits), "method": "sms",
                        "locked": bool(user and User.objects.get(pk=user.pk).is_locked())})
    if not throttle.may_try(throttle.subject_for(
            User.objects.filter(pk=user.pk).first() if user else None, digits), request):
        return Checked.LOCKED, None
    return Checked.WRONG, None
