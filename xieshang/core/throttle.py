"""Login throttling (等保 8.1.4.1 b) that an attacker cannot turn against a user, and that does
not tell which accounts exist.

- Per address: more than ``XIESHANG_LOGIN_IP_THRESHOLD`` failed logins from one address in
  15 minutes make that address wait before its next try, a minute at first and twice as long
  each time it happens again within a day.
- Per account: ``LOCKOUT_THRESHOLD`` failures in a row lock the account for ``LOCKOUT_MINUTES``,
  twice as long at each new lock within a day (at most a day). A name or number that belongs to
  no account is counted and locked exactly the same way (in ``core.counters``), so the answers
  are the same for accounts that exist and for those that do not.
- The real user still gets in from a device they logged in from before: a successful login
  leaves a signed cookie naming the account, which lets that browser past the account's lock
  (not past the address's wait), until that device itself has failed ``LOCKOUT_THRESHOLD``
  times.

Counts live in the database (``core.Counter``, the user's ``failed_logins`` and
``locked_until``), shared by every worker process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import get_random_string

from xieshang.core import clock, counters
from xieshang.core.models import User

DEVICE_COOKIE = "xs_device"
DEVICE_SALT = "xieshang.core.device"
DEVICE_DAYS = 180
IP_WINDOW = 15 * 60
DAY = 24 * 3600


@dataclass(frozen=True)
class Subject:
    """Whom a login attempt is for: an account, or a name that belongs to none."""

    key: str
    user: User | None


def subject_for(user: User | None, identifier: str) -> Subject:
    if user is not None:
        return Subject(f"user:{user.pk}", user)
    name = "".join((identifier or "").split()).lower()
    return Subject("name:" + hashlib.sha256(name.encode()).hexdigest()[:32], None)


def _ip_key(ip: str | None) -> str:
    return f"login:ip:{ip or 'unknown'}"


def ip_wait(ip: str | None) -> dt.datetime | None:
    """Until when this address must wait before trying again (None: it may try)."""
    return counters.ends_at(_ip_key(ip) + ":wait")


def locked_until(subject: Subject) -> dt.datetime | None:
    if subject.user is not None:
        return subject.user.locked_until if subject.user.is_locked() else None
    return counters.ends_at(f"login:{subject.key}:wait")


def _device_id(request: HttpRequest | None, user: User | None) -> str | None:
    """The id of this browser's known-device cookie for ``user`` (None: not a known device)."""
    if request is None or user is None:
        return None
    try:
        data = signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT,
                             max_age=DEVICE_DAYS * DAY)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    return str(data.get("d", ""))


def known_device(request: HttpRequest | None, user: User | None) -> bool:
    device = _device_id(request, user)
    if device is None:
        return False
    return counters.get(f"login:device:{device}") < settings.LOCKOUT_THRESHOLD


def may_try(subject: Subject, request: HttpRequest | None) -> bool:
    """The account's lock does not stop this attempt (not locked, or a known device)."""
    return locked_until(subject) is None or known_device(request, subject.user)


def _growing(key: str, base_seconds: int) -> int:
    """base, 2×base, 4×base… for each new wait on ``key`` within a day, at most a day."""
    n = counters.add(key + ":count", seconds=DAY)
    return min(base_seconds << max(n - 1, 0), DAY)


def failed(subject: Subject, request: HttpRequest | None, ip: str | None) -> None:
    """Count a failed login against the address, the device and the account (or name)."""
    if counters.add(_ip_key(ip), seconds=IP_WINDOW) >= settings.XIESHANG_LOGIN_IP_THRESHOLD:
        counters.hold(_ip_key(ip) + ":wait", _growing(_ip_key(ip), 60))
        counters.clear(_ip_key(ip))
    device = _device_id(request, subject.user)
    if device is not None:
        counters.add(f"login:device:{device}", seconds=DAY)
    threshold = settings.LOCKOUT_THRESHOLD
    lock_seconds = _growing(f"login:{subject.key}:locks", settings.LOCKOUT_MINUTES * 60) \
        if _reaches(subject, threshold) else 0
    if subject.user is not None:
        user = subject.user
        fields = ["failed_logins"]
        user.failed_logins += 1
        if lock_seconds:
            user.locked_until = clock.now() + dt.timedelta(seconds=lock_seconds)
            user.failed_logins = 0
            fields.append("locked_until")
        user.save(update_fields=fields)
    elif lock_seconds:
        counters.hold(f"login:{subject.key}:wait", lock_seconds)
        counters.clear(f"login:{subject.key}")


def _reaches(subject: Subject, threshold: int) -> bool:
    """This failure is the ``threshold``-th in a row (and so locks)."""
    if subject.user is not None:
        return subject.user.failed_logins + 1 >= threshold
    return counters.add(f"login:{subject.key}", seconds=DAY) >= threshold


def succeeded(user: User, response: HttpResponse) -> None:
    """After a complete login: the account's failures end, and this browser becomes one of the
    user's known devices."""
    if user.failed_logins or user.locked_until:
        user.failed_logins, user.locked_until = 0, None
        user.save(update_fields=["failed_logins", "locked_until"])
    value = signing.dumps({"u": user.pk, "d": get_random_string(16)}, salt=DEVICE_SALT)
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * DAY, httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
