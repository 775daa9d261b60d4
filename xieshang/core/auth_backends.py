"""Log in with a username or a mobile number. Failures are counted and accounts locked by
``core.throttle`` (called from the login form); a locked account gets in only from a device
it logged in from before."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from xieshang.core import throttle
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
        if user.is_locked() and not throttle.known_device(request, user):
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
