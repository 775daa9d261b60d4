"""Log in with a username or a mobile number; lock the account after repeated failures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from xieshang.core import clock
from xieshang.core.models import User
from xieshang.core.validators import normalise_phone


def find_user(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    phone = normalise_phone(identifier)
    query = Q(username=identifier)
    if len(phone) == 11:
        query |= Q(phone=phone)
    return User.objects.filter(query).first()


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None,
        password: str | None = None, **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            User().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.is_locked():
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins:
                user.failed_logins = 0
                user.locked_until = None
                user.save(update_fields=["failed_logins", "locked_until"])
            return user
        user.failed_logins += 1
        fields = ["failed_logins"]
        if user.failed_logins >= settings.LOCKOUT_THRESHOLD:
            user.locked_until = clock.now() + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
            user.failed_logins = 0
            fields.append("locked_until")
        user.save(update_fields=fields)
        return None
