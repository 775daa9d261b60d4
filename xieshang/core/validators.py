from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Require letters and digits (等保: passwords combine at least two kinds of character)."""

    def validate(self, password: str, user: Any = None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        if not (has_letter and has_digit):
            raise ValidationError(
                _("The password must contain both letters and digits."), code="password_classes"
            )

    def get_help_text(self) -> str:
        return _("Your password must contain both letters and digits.")


class PasswordHistoryValidator:
    """Refuse the current password and the last PASSWORD_HISTORY_COUNT ones (等保 身份鉴别)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        keep = max(int(getattr(settings, "PASSWORD_HISTORY_COUNT", 0)), 0)
        if keep == 0:
            return
        earlier = [user.password, *getattr(user, "password_history", [])][:keep]
        if any(encoded and check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                _("You used this password recently: choose one you have not used for your "
                  "last %(n)s passwords.") % {"n": keep}, code="password_reused")

    def get_help_text(self) -> str:
        return _("It may not be one of your last %(n)s passwords.") % {
            "n": getattr(settings, "PASSWORD_HISTORY_COUNT", 0)}


def normalise_phone(value: str) -> str:
    """Keep digits only, dropping a +86/86 country prefix: '+86 138-0000-0000' → '13800000000'."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def validate_mobile(value: str) -> str:
    digits = normalise_phone(value)
    if len(digits) != 11 or not digits.startswith("1"):
        raise ValidationError(_("Enter an 11-digit mobile phone number."), code="phone")
    return digits


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def validate_id_number(value: str) -> str:
    """A mainland resident ID number (18 characters with its GB 11643 check digit)."""
    v = value.strip().upper()
    if len(v) != 18 or not v[:17].isdigit() or v[17] not in "0123456789X":
        raise ValidationError(_("Enter an 18-character resident ID number."), code="id_number")
    total = sum(int(d) * w for d, w in zip(v[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != v[17]:
        raise ValidationError(_("The ID number's check digit is wrong."), code="id_number")
    return v


def mask_id_number(value: str) -> str:
    return value[:4] + "*" * 10 + value[-4:] if len(value) == 18 else ("*" * len(value))


def mask_phone(value: str) -> str:
    return value[:3] + "****" + value[-4:] if len(value) == 11 else value
