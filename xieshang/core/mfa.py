"""Second factor (等保 身份鉴别: two kinds of authentication for administrators and staff).

TOTP codes (RFC 6238, 30-second steps, 6 digits) from any authenticator app, computed with
``pyotp``; one step of clock drift either way is accepted, and a code (its time step) is accepted
only once. Ten single-use recovery codes are issued at enrolment and kept as SHA-256 hashes.
Wrong codes count towards the same lockout as wrong passwords (LOCKOUT_THRESHOLD); the count is
kept apart from the password count so that re-entering the password does not reset it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy

from xieshang.core import audit, clock, policy, tokens
from xieshang.core.models import STAFF_ROLES, ApiToken, Role, RoleAssignment, User
from xieshang.core.permissions import Actor, can_manage_account, require

STEP_SECONDS = 30
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PRIVILEGED_ROLES = frozenset({*STAFF_ROLES, Role.ADMIN})

policy.register("mfa_required", False,
                gettext_lazy("Second factor (TOTP) required of staff and administrators"))


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username,
                                                issuer_name=settings.MFA_ISSUER)


def qr_svg(uri: str) -> str:
    import segno  # loaded when a QR code is drawn, not by every web process

    return segno.make(uri, error="m").svg_inline(scale=4, border=2)


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().upper().encode()).hexdigest()


def _new_recovery_codes() -> list[str]:
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def matching_step(secret: str, code: str, at: dt.datetime | None = None) -> int | None:
    """The time step (within one step of now) whose code this is, or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = at or clock.now()
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def is_privileged(user: User) -> bool:
    """The account holds a staff or admin role somewhere (or is a site superuser)."""
    return user.is_superuser or RoleAssignment.objects.filter(
        user=user, is_active=True, role__in=PRIVILEGED_ROLES).exists()


def mfa_required_for(user: User) -> bool:
    """Required by the install (XIESHANG_MFA_REQUIRED) or by a committee where the user is staff."""
    rows = (RoleAssignment.objects.filter(user=user, is_active=True, role__in=PRIVILEGED_ROLES)
            .select_related("committee__parent__parent__parent"))
    if settings.MFA_REQUIRED and (user.is_superuser or rows.exists()):
        return True
    return any(policy.get(r.committee, "mfa_required") is True for r in rows)


def _actor(user: User, ip: str | None) -> Actor:
    return Actor(user=user, committee=None, ip=ip)


class Result:
    OK = "ok"
    RECOVERY = "recovery"
    WRONG = "wrong"
    REUSED = "reused"
    LOCKED = "locked"


@transaction.atomic
def totp_verify(*, user: User, code: str, ip: str | None = None) -> str:
    """Check a code (or a recovery code) at login; counts failures and locks the account."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked():
        return Result.LOCKED
    if not user.has_totp:
        return Result.WRONG
    step = matching_step(user.totp_secret, code)
    result = Result.WRONG
    if step is not None and step <= user.totp_last_step:
        result = Result.REUSED
    elif step is not None:
        user.totp_last_step = step
        result = Result.OK
    else:
        hashed = _hash_recovery(code)
        if code.strip() and hashed in user.totp_recovery_hashes:
            user.totp_recovery_hashes = [h for h in user.totp_recovery_hashes if h != hashed]
            result = Result.RECOVERY
    if result in (Result.OK, Result.RECOVERY):
        user.totp_failures = 0
        user.save(update_fields=["totp_last_step", "totp_failures", "totp_recovery_hashes"])
        if result == Result.RECOVERY:
            audit.record(_actor(user, ip), "auth.mfa_recovery_code_used", user,
                         after={"left": len(user.totp_recovery_hashes)})
        return result
    user.totp_failures += 1
    fields = ["totp_failures"]
    locked = user.totp_failures >= settings.LOCKOUT_THRESHOLD
    if locked:
        user.locked_until = clock.now() + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
        user.totp_failures = 0
        fields.append("locked_until")
    user.save(update_fields=fields)
    audit.record(Actor(user=None, committee=None, ip=ip), "auth.mfa_failed", user,
                 after={"reason": result, "locked": locked})
    return Result.LOCKED if locked else result


@transaction.atomic
def totp_enrol(*, user: User, secret: str, code: str, ip: str | None = None) -> list[str] | None:
    """Confirm a new secret with a code from the app; returns the recovery codes (shown once)."""
    step = matching_step(secret, code)
    if step is None:
        return None
    user = User.objects.select_for_update().get(pk=user.pk)
    codes = _new_recovery_codes()
    user.totp_secret = secret
    user.totp_confirmed_at = clock.now()
    user.totp_last_step = step
    user.totp_failures = 0
    user.totp_recovery_hashes = [_hash_recovery(c) for c in codes]
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step",
                             "totp_failures", "totp_recovery_hashes"])
    audit.record(_actor(user, ip), "user.mfa_enrol", user)
    return codes


@transaction.atomic
def totp_new_recovery_codes(*, user: User, ip: str | None = None) -> list[str]:
    user = User.objects.select_for_update().get(pk=user.pk)
    require(user.has_totp)
    codes = _new_recovery_codes()
    user.totp_recovery_hashes = [_hash_recovery(c) for c in codes]
    user.save(update_fields=["totp_recovery_hashes"])
    audit.record(_actor(user, ip), "user.mfa_recovery_codes", user)
    return codes


def _clear(user: User) -> None:
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = 0
    user.totp_failures = 0
    user.totp_recovery_hashes = []
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step",
                             "totp_failures", "totp_recovery_hashes"])


@transaction.atomic
def totp_disable(*, user: User, ip: str | None = None) -> None:
    """The user switches the second factor off (only where it is not required)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    require(not mfa_required_for(user))
    _clear(user)
    audit.record(_actor(user, ip), "user.mfa_disable", user)


@transaction.atomic
def totp_reset(*, actor: Actor, user: User) -> None:
    """An admin removes a lost authenticator: the user enrols again at the next login."""
    require(can_manage_account(actor, user))
    user = User.objects.select_for_update().get(pk=user.pk)
    _clear(user)
    user.session_salt = secrets.token_hex(16)
    user.save(update_fields=["session_salt"])
    audit.record(actor, "user.mfa_reset", user, after={"sessions_ended": True})
    tokens.revoke_all(actor=actor, user=user, reason=ApiToken.Revoked.MFA_RESET)
