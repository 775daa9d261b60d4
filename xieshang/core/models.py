"""Committees, terms and sessions, accounts and roles, audit log, calendar, notifications."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core import clock
from xieshang.core.fields import EncryptedTextField
from xieshang.core.numerals import chinese_number
from xieshang.core.owned import CommitteeOwned, CommitteeQuerySet
from xieshang.core.validators import mask_phone


class Committee(models.Model):
    """One CPPCC committee. Every domain row belongs to exactly one."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent committee"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # Materialised path of codes ("/prov/city/county/") so that a subtree is one indexed LIKE.
    path = models.CharField(max_length=400, db_index=True, editable=False)
    # Per-committee policy numbers (deadlines, quotas, points); see core.policy.
    policy = models.JSONField(_("policy overrides"), default=dict, blank=True)
    contact_address = models.CharField(_("address"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_active = models.BooleanField(pgettext_lazy("core", "active"), default=True)

    LEVEL_ORDER: ClassVar[list[str]] = ["national", "province", "city", "county"]

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.parent_id is None:
            return
        parent = self.parent
        assert parent is not None
        if self.LEVEL_ORDER.index(parent.level) >= self.LEVEL_ORDER.index(self.level):
            raise ValidationError({"parent": _("The parent must be of a higher level.")})
        if self.pk and parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A committee cannot be placed under itself.")})

    def ancestors(self) -> models.QuerySet[Committee]:
        codes = [c for c in self.path.strip("/").split("/")[:-1] if c]
        return Committee.objects.filter(code__in=codes).order_by("path")

    def subtree(self) -> models.QuerySet[Committee]:
        return Committee.objects.filter(path__startswith=self.path)


class Term(CommitteeOwned):
    """A term (届) of a committee, normally five years."""

    number = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("core", "term")
        verbose_name_plural = _("terms")
        ordering = ["committee", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="term_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Term %(n)s") % {"n": self.label}

    @property
    def label(self) -> str:
        """The Chinese ordinal used in documents, e.g. "十四" for the 14th term."""
        return chinese_number(self.number)

    def is_current(self, on: Any = None) -> bool:
        on = on or clock.today()
        return self.start_date <= on and (self.end_date is None or on <= self.end_date)


class Session(CommitteeOwned):
    """A yearly plenary session (次会议) of a term, e.g. 十四届二次会议."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions",
                             verbose_name=pgettext_lazy("core", "term"))
    number = models.PositiveSmallIntegerField(_("session number"))
    start_date = models.DateField(_("opening date"))
    end_date = models.DateField(_("closing date"))
    # Proposals submitted from this date up to the end date count as plenary (大会) proposals.
    proposal_window_start = models.DateField(_("plenary proposals accepted from"),
                                             null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("core", "session")
        verbose_name_plural = _("sessions")
        ordering = ["committee", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.term.label}届{chinese_number(self.number)}次会议"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The closing date is before the opening date.")})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. What the user may do comes from RoleAssignment rows, per committee."""

    username = models.CharField(_("username"), max_length=64, unique=True)
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(pgettext_lazy("core", "active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Rotating this salt invalidates every session of the user ("log out everywhere").
    session_salt = models.CharField(max_length=32, default="", editable=False)
    preferred_language = models.CharField(_("language"), max_length=10, blank=True,
                                          choices=settings.LANGUAGES)
    # Encoded hashes of the previous passwords, newest first (等保: no reuse of the last N).
    password_history = models.JSONField(default=list, blank=True, editable=False)
    # TOTP second factor (RFC 6238): the secret is encrypted at rest; the last accepted time
    # step stops a code from being used twice; recovery codes are kept as SHA-256 hashes.
    totp_secret = EncryptedTextField(blank=True, default="", editable=False)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)
    totp_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    totp_recovery_hashes = models.JSONField(default=list, blank=True, editable=False)
    # The session of the latest login ("single active session": older sessions end).
    current_session_key = models.CharField(max_length=64, blank=True, default="",
                                           editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and "password" in fields:
            kwargs["update_fields"] = list(
                dict.fromkeys([*fields, "password_changed_at", "password_history"]))
        super().save(*args, **kwargs)

    def get_session_auth_hash(self) -> str:
        return hashlib.sha256(
            (super().get_session_auth_hash() + self.session_salt).encode()
        ).hexdigest()

    def set_password(self, raw_password: str | None) -> None:
        if self.password and self.has_usable_password():
            keep = max(int(getattr(settings, "PASSWORD_HISTORY_COUNT", 0)), 0)
            self.password_history = [self.password, *self.password_history][:keep]
        super().set_password(raw_password)
        self.password_changed_at = clock.now()

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def has_totp(self) -> bool:
        return self.totp_confirmed_at is not None and bool(self.totp_secret)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.now()


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COLLECTIVE = "collective", _("Collective proposer")
    STAFF_PROPOSAL = "staff_proposal", _("Proposal office staff")
    STAFF_OPINION = "staff_opinion", _("Public-opinion editor")
    STAFF_COMMITTEE = "staff_committee", _("Special committee staff")
    STAFF_OFFICE = "staff_office", _("General office staff")
    UNIT_CLERK = "unit_clerk", _("Handling unit clerk")
    UNIT_LEADER = "unit_leader", _("Handling unit leader")
    LEADER = "leader", pgettext_lazy("core", "Leader")
    ADMIN = "admin", _("Administrator")
    # 特邀信息员: an outsider (a journalist, a township cadre) invited to submit public-opinion
    # reports. The role lets them log in to the committee and reach their own reports, nothing
    # of the inside (``Actor.insider`` is False for it alone).
    CORRESPONDENT = "correspondent", _("Invited correspondent")


STAFF_ROLES = frozenset(
    {Role.STAFF_PROPOSAL, Role.STAFF_OPINION, Role.STAFF_COMMITTEE, Role.STAFF_OFFICE}
)
UNIT_ROLES = frozenset({Role.UNIT_CLERK, Role.UNIT_LEADER})


class RoleAssignment(CommitteeOwned):
    """A user holds a role in a committee (optionally for a handling unit or a member record)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey("members.HandlingUnit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="role_assignments",
                             verbose_name=_("handling unit"))
    member = models.ForeignKey("members.Member", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="role_assignments",
                               verbose_name=_("member"))
    body = models.ForeignKey("members.CollectiveBody", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="role_assignments",
                             verbose_name=pgettext_lazy("core", "collective body"))
    is_active = models.BooleanField(pgettext_lazy("core", "active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["committee", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "committee", "role", "unit", "member", "body"],
                name="role_assignment_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.committee} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("A unit role needs a handling unit.")})
        if self.role == Role.MEMBER and self.member_id is None:
            raise ValidationError({"member": _("A member role needs a member record.")})
        if self.role == Role.COLLECTIVE and self.body_id is None:
            raise ValidationError({"body": _("A collective proposer needs a collective body.")})


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash of the key is stored.

    A token ends at ``expires_at`` (``XIESHANG_API_TOKEN_DAYS`` after it is issued, 90 by
    default), when its user or an administrator revokes it, and when a security action ends
    the user's sessions (password changed or reset, log out everywhere, second factor reset):
    ``revoked_reason`` says which. It does not work while the account is locked or disabled.
    """

    class Revoked(models.TextChoices):
        USER = "user", _("Revoked by its user")
        ADMIN = "admin", _("Revoked by an administrator")
        PASSWORD = "password", _("The password was changed")
        SESSIONS = "sessions", _("Logged out on every device")
        MFA_RESET = "mfa_reset", _("The second factor was reset")
        DISABLED = "disabled", _("The account was disabled")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=16, blank=True, choices=Revoked.choices)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= clock.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
        days = days or int(getattr(settings, "XIESHANG_API_TOKEN_DAYS", 90))
        key = "xs_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8],
                                   key_hash=cls.hash_key(key),
                                   expires_at=clock.now() + dt.timedelta(days=days))
        return token, key


class AuditLog(models.Model):
    """Append-only record of every write: who, where, what, before/after, when, from which IP.

    Tamper evidence (等保 level 3, ``xieshang.core.audit``): each committee has one chain
    (``chain`` = the committee's id, 0 for the platform), numbered without gaps (``seq``); each
    row's ``hash`` is an HMAC, under a key kept outside the database (``XIESHANG_AUDIT_KEY``),
    of its content, its place in the chain and the previous row's hash (rows written before
    were re-sealed this way by migration 0007, after their old chain was checked). Signed
    checkpoints of each chain's head, written outside the database, catch rows removed from
    the end or a chain removed whole. ``xieshang audit_verify`` checks it all.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_name = models.CharField(max_length=64, blank=True)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    chain = models.BigIntegerField(default=0, editable=False)
    seq = models.BigIntegerField(default=0, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["committee", "-created_at"]),
                   models.Index(fields=["committee", "-id"], name="audit_chain_idx")]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def _content(self) -> list[Any]:
        return [self.created_at.isoformat(), self.actor_id, self.actor_name, self.committee_id,
                self.action, self.object_type, self.object_id, self.object_repr, self.before,
                self.after, self.ip]

    @staticmethod
    def _canonical(value: Any) -> bytes:

        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          default=str).encode()

    def mac_payload(self, prev_hash: str) -> bytes:
        """What the HMAC of scheme 2 covers: the chain, the place in it, the previous hash and
        the content (the committee as the chain, which a deleted committee cannot change)."""
        content = self._content()
        content[3] = None  # committee_id: covered as ``chain`` (SET_NULL may clear it)
        return self._canonical(["xs-audit-2", self.chain, self.seq, prev_hash, *content])

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("The audit log is append-only.")


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week.

    National rows (committee empty) come from the State Council's yearly notice; a
    committee may add local days off (or make-up working days) of its own.
    """

    date = models.DateField(_("date"))
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="calendar_days", verbose_name=_("committee"))
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Checked for a make-up working day on a weekend."))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], condition=models.Q(committee__isnull=True),
                                    name="calendar_day_unique_national"),
            models.UniqueConstraint(fields=["date", "committee"], name="calendar_day_unique_local"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class CalendarYear(models.Model):
    """Marks a year whose national holidays have been entered (published by the State Council)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Notification(CommitteeOwned):
    """An in-app message; email and SMS copies are sent by a background task."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(pgettext_lazy("core", "title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    want_email = models.BooleanField(default=False)
    want_sms = models.BooleanField(default=False)
    # Set once the copy is handed to the gateway, so that a retried task sends nothing twice.
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ScheduledRun(models.Model):
    """One firing of a scheduled job (core.schedule) for one committee, or the whole install.

    The unique constraint is the claim: whichever scheduler inserts the row first does the work,
    so no reminder goes out twice for one firing however many schedulers run.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("core", "Done")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=64)
    # The committee's id as text, "" for an install-wide job (a NULL would not be unique).
    scope = models.CharField(max_length=20, blank=True)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    fired_at = models.DateTimeField(_("due at"))
    claimed_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # A run's bookkeeping in the timetable (like a task's state in the queue), not a workflow.
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-fired_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["job", "scope", "fired_at"],
                                               name="core_scheduledrun_once")]
        indexes = [models.Index(fields=["job", "committee", "-fired_at"])]

    def __str__(self) -> str:
        return f"{self.job} {self.fired_at:%Y-%m-%d %H:%M}"


class AppendOnlyQuerySet(CommitteeQuerySet[Any]):
    """Rows are added, never changed or removed through the ORM's bulk paths either."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError("This record is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("This record is append-only.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ValidationError("This record is append-only.")


class WorkflowEvent(CommitteeOwned):
    """One step of a record's lifecycle: who, when, from which status to which, and a note.

    Every lifecycle's event model subclasses this (adding the foreign key to its record);
    ``core.workflow.transition`` appends exactly one per step. Append-only: saving an existing
    row, deleting one and the queryset's ``update``/``delete`` are refused (deleting the record
    itself still removes its events, through the database's cascade).
    """

    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[Any] = AppendOnlyQuerySet.as_manager()

    # Filled by the record's Lifecycle: the words a page shows for an action and a status.
    action_labels: ClassVar[dict[str, Any]] = {}
    status_labels: ClassVar[dict[str, Any]] = {}

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("This record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("This record is append-only.")

    @property
    def action_label(self) -> str:
        """The words for what was done; never the step's code (an event written under an
        older table says where it led, or that it was recorded)."""
        label = self.action_labels.get(self.action)
        if label is not None:
            return str(label)
        if self.to_status and self.to_status != self.from_status:
            return self.to_status_label
        return str(pgettext_lazy("workflow", "Recorded"))

    @property
    def done_label(self) -> str:
        """What a timeline shows: what was done, and the status it led to where that says
        more (提交 rather than 提交（已提交）)."""
        action = self.action_label
        if not self.to_status or self.to_status == self.from_status:
            return action
        status = self.to_status_label
        if action in status or status in action:
            return action
        return str(pgettext_lazy("workflow", "%(action)s (now %(status)s)")
                   % {"action": action, "status": status})

    @property
    def to_status_label(self) -> str:
        return str(self.status_labels.get(self.to_status, "")) if self.to_status else ""

    @property
    def from_status_label(self) -> str:
        return str(self.status_labels.get(self.from_status, "")) if self.from_status else ""


class Counter(models.Model):
    """A count that every worker process shares, with an end (rate limits, login throttles,
    replay guards). Kept in the database, not in a process's memory: four gunicorn workers
    count one limit (``xieshang.core.counters``)."""

    key = models.CharField(max_length=200, unique=True)
    value = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class SmsLoginCode(models.Model):
    """A six-digit login code sent by SMS (``core.smslogin``). Only an HMAC of the code is kept;
    a row is also written for a number that belongs to no account (``user`` empty), so that
    asking for a code does the same work whether the number exists or not."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    phone_key = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS login code")
        verbose_name_plural = _("SMS login codes")

    def __str__(self) -> str:
        return f"sms-code:{self.pk}"
