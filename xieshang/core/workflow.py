"""The one workflow engine: a lifecycle is a table of steps; one ``transition()`` takes a step.

A ``Lifecycle`` names a model that has a ``status`` and a ``version``, its event model (a subclass
of ``core.models.WorkflowEvent``) and its ``Step``s. A step says

- ``source`` / ``target``: from which statuses it may be taken and where it leads (``STAY``: the
  status stays; ``also``: other statuses ``run`` may choose, e.g. the last of several units
  signing moves the proposal on, the others leave it where it is);
- ``rule``: who may take it, a function of the app's ``permissions.py`` (actor, record) → bool;
- ``guard``: why not now although the table allows it, (actor, record) → reason or None;
- ``input``: what it needs, a django-ninja ``Schema`` (subclass of ``StepIn``, which carries the
  version the user saw); the page's form and the API body are both read with it;
- ``run``: what it does besides changing the status: it may write related rows (inside the same
  transaction) and returns the ``Changes`` (fields of the record to save, the status chosen
  among the targets, the event's note, whom to tell) instead of changing the record itself;
- ``label``, ``confirm``, ``done``, ``choices``: what a page shows (the form itself is the template
  ``<app>/actions/_<prefix><step>.html``).

``transition()`` always runs in the same order: lock the row → check the version the user saw →
the table → the rule → the guard → run → save with ``update_fields`` → append one event →
write the audit row → queue the notifications (and other ``after_commit`` work) for the commit.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from ninja import Schema
from pydantic import Field

from xieshang.core import audit
from xieshang.core.inputs import parse, parse_form
from xieshang.core.models import Committee, User, WorkflowEvent
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped

Label = str | Promise

STAY = "="
"""A step's target (or one of its ``also``): the record keeps the status it had."""


class StaleVersion(ValidationError):
    """The record changed since the user loaded it (optimistic locking); the API answers 409."""

    def __init__(self, message: Label | None = None) -> None:
        super().__init__(
            str(message or _("Someone else has changed this; please refresh and try again.")),
            code="stale")


def actor_label(actor: Actor) -> str:
    """The name an event or a version keeps for who acted (the platform acts as "system")."""
    if actor.user is not None:
        return str(actor.user)
    return _("system") if actor.system else ""


class StepIn(Schema):
    """Every step's input: the version of the record the user saw (pages send it hidden)."""

    version: int = Field(ge=0, le=2**31 - 1,
                         description="The record's version as last read (optimistic locking).")


def step_input[I: StepIn](schema: type[I], **values: Any) -> I:
    """An input built by code that already holds typed values (a service, a task, the demo).

    Nothing is parsed: the version is passed to ``transition`` on its own (None for the
    platform's own steps, which no user saw).
    """
    return schema.model_construct(**values)


@dataclass(frozen=True)
class Notice:
    """Whom to tell after the commit. ``body`` None: the record's name and the event's note;
    ``url`` None: the record's page."""

    recipients: Iterable[User | None]
    title: Label
    body: str | None = None
    url: str | None = None
    email: bool = True
    sms: bool = False
    committee: Committee | None = None  # None: the record's committee


@dataclass
class Changes:
    """What a step's ``run`` did, for the engine to save, record and announce."""

    fields: dict[str, Any] = field(default_factory=dict)
    status: str | None = None
    note: str | None = None  # None: the input's ``note`` (if it has one)
    notices: list[Notice] = field(default_factory=list)
    after_save: list[Callable[[], None]] = field(default_factory=list)  # in the transaction
    after_commit: list[Callable[[], None]] = field(default_factory=list)


Rule = Callable[[Actor, Any], bool]
Guard = Callable[[Actor, Any], str | None]
Run = Callable[[Actor, Any, Any], Changes | None]


@dataclass(frozen=True)
class Step:
    name: str
    source: str | tuple[str, ...]
    target: str | Mapping[str, str]  # a status, STAY, or {source: status} where they differ
    rule: Rule
    label: Label
    guard: Guard | None = None
    input: type[StepIn] = StepIn
    run: Run | None = None
    also: frozenset[str] = frozenset()
    confirm: Label = ""  # a question the page asks before the step is taken
    done: Label = ""  # the page's message after it ("Done." when empty)
    choices: Callable[[Actor, Any], dict[str, Any]] | None = None  # its template's options
    only_via: Label = ""  # taken by another service only: pages and API refuse it with this

    def __post_init__(self) -> None:
        if isinstance(self.source, str):
            object.__setattr__(self, "source", (self.source,))

    @property
    def sources(self) -> tuple[str, ...]:
        return self.source if isinstance(self.source, tuple) else (self.source,)

    def targets(self, status: str) -> frozenset[str]:
        """Where the step may lead from ``status``."""
        also = (status if t == STAY else t for t in self.also)
        return frozenset({self.default_target(status), *also})

    def default_target(self, status: str) -> str:
        target = self.target if isinstance(self.target, str) else self.target[status]
        return status if target == STAY else target

    @property
    def all_targets(self) -> set[str]:
        named = {self.target} if isinstance(self.target, str) else set(self.target.values())
        return {*named, *self.also}


@dataclass(frozen=True)
class Move:
    """One row of the table as a reader wants it: (from, step) → to, and who decides."""

    source: str
    action: str
    to: str
    also: frozenset[str]
    who: str
    step: Step

    @property
    def targets(self) -> frozenset[str]:
        return frozenset({self.to, *self.also})


@dataclass(frozen=True)
class Offer:
    """A step a page offers the actor now, with what its form needs."""

    step: Step
    template: str
    url: str
    context: dict[str, Any]

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def label(self) -> str:
        return str(self.step.label)

    @property
    def confirm(self) -> str:
        """The question asked before the step is taken: the step's own, else, for a step that
        cannot be undone (不予立案, 并案, 退回, 撤回, 删除, 发布), a plain one."""
        if self.step.confirm:
            return str(self.step.confirm)
        if self.step.name in IRREVERSIBLE_STEPS:
            return str(pgettext_lazy("workflow", "%(action)s: this cannot be undone. Go ahead?")
                       % {"action": self.label})
        return ""


# Steps whose effect cannot be taken back by another step: each asks before it is taken.
IRREVERSIBLE_STEPS = frozenset({
    "not_file", "merge", "return", "withdraw", "delete", "publish", "decline", "send_back",
    "convert", "not_use", "close_feedback", "publish_result",
})


_LIFECYCLES: list[Lifecycle[Any]] = []


def lifecycles() -> list[Lifecycle[Any]]:
    """Every lifecycle of the installed apps (each app's ``workflow`` module declares its own)."""
    autodiscover_modules("workflow")
    return list(_LIFECYCLES)


class Lifecycle[M: models.Model]:
    """The steps of one kind of record, and what the engine needs to know about it."""

    def __init__(
        self,
        *,
        name: str,
        model: type[M],
        event_model: type[WorkflowEvent],
        event_field: str,
        audit_prefix: str,
        steps: Sequence[Step],
        schema_prefix: str,
        url_name: str,
        template_prefix: str = "",
        stale_message: Label | None = None,
        describe: Callable[[M], str] = str,  # the first line of a notice's text
        event_labels: Mapping[str, Label] | None = None,
        after_commit: Callable[[M], None] | None = None,
        register: bool = True,  # False: a lifecycle built by a test, known to nothing else
    ) -> None:
        self.name = name
        self.model = model
        self.event_model = event_model
        self.event_field = event_field
        self.audit_prefix = audit_prefix
        self.schema_prefix = schema_prefix
        self.url_name = url_name
        self.template_prefix = template_prefix
        self.stale_message = stale_message
        self.describe = describe
        self.after_commit = after_commit
        self.steps: dict[str, Step] = {}
        for step in steps:
            if step.name in self.steps:
                raise ValueError(f"{name}: two steps named {step.name}")
            self.steps[step.name] = step
        choices = getattr(model._meta.get_field("status"), "choices", None) or []
        self.statuses = {str(v): label for v, label in choices}
        for step in steps:
            unknown = {*step.sources, *step.all_targets} - {*self.statuses, STAY}
            if unknown:
                raise ValueError(f"{name}.{step.name}: unknown statuses {sorted(unknown)}")
        # The action names as an enum, for the API's documentation ("ProposalAction", ...).
        self.Action = enum.StrEnum(f"{schema_prefix}Action",  # type: ignore[misc]
                                   {s.name.upper(): s.name for s in steps})
        if register:
            event_model.action_labels = {**(event_labels or {}),
                                         **{s.name: s.label for s in steps}}
            event_model.status_labels = dict(self.statuses)
            _LIFECYCLES.append(self)

    def __repr__(self) -> str:
        return f"<Lifecycle {self.name}>"

    # --- the table --------------------------------------------------------------------------

    @property
    def table(self) -> dict[tuple[str, str], Move]:
        """(from status, step) → Move, for documentation and tests."""
        return {(source, s.name): Move(source, s.name, s.default_target(source),
                                       s.targets(source) - {s.default_target(source)},
                                       getattr(s.rule, "__name__", repr(s.rule)), s)
                for s in self.steps.values() for source in s.sources}

    def step(self, name: str) -> Step:
        try:
            return self.steps[name]
        except KeyError:
            raise Http404(_("Unknown action.")) from None

    def template(self, step: Step) -> str:
        return f"{self.model._meta.app_label}/actions/_{self.template_prefix}{step.name}.html"

    def may(self, actor: Actor, obj: M, name: str) -> bool:
        """Whether ``actor`` may take step ``name`` on ``obj`` now (what transition accepts)."""
        step = self.steps.get(name)
        if step is None or getattr(obj, "status") not in step.sources:  # noqa: B009
            return False
        if not step.rule(actor, obj):
            return False
        return step.guard is None or step.guard(actor, obj) is None

    def allowed(self, actor: Actor, obj: M) -> list[Step]:
        """The steps pages and the API offer ``actor`` on ``obj`` now, in the table's order."""
        return [s for s in self.steps.values()
                if not s.only_via and self.may(actor, obj, s.name)]

    def allowed_names(self, actor: Actor, obj: M) -> list[str]:
        return [s.name for s in self.allowed(actor, obj)]

    def offers(self, actor: Actor, obj: M) -> list[Offer]:
        """The forms a page shows: one per allowed step, with its template and options."""
        return [Offer(s, self.template(s), reverse(self.url_name, args=[obj.pk, s.name]),
                      s.choices(actor, obj) if s.choices else {})
                for s in self.allowed(actor, obj)]

    # --- taking a step ----------------------------------------------------------------------

    def take(self, *, actor: Actor, obj: M, step: str,
             data: StepIn | Mapping[str, Any], prelocked: bool = False) -> M:
        """Take ``step`` with the input a user sent (a page's form or an API body).

        ``prelocked``: ``obj`` was read ``select_for_update`` in the transaction that is open
        (the API's operation fetches it so: one read instead of a fetch and a lock)."""
        s = self.step(step)
        if s.only_via:
            if not s.rule(actor, obj):
                raise PermissionDenied(_("You are not allowed to do this."))
            raise ValidationError(str(s.only_via), code="only_via")
        if not isinstance(data, StepIn):
            data = parse(s.input, data)
        return transition(self, actor=actor, obj=obj, step=step, version=data.version,
                          data=data, prelocked=prelocked)

    def take_form(self, *, actor: Actor, obj: M, step: str, post: Any) -> M:
        s = self.step(step)
        return self.take(actor=actor, obj=obj, step=step, data=parse_form(s.input, post))

    def lock(self, obj: M) -> M:
        # of=self: lock the record only. Locking its committee row too would serialise every
        # step of the committee and deadlock (PostgreSQL) against the foreign-key checks of
        # concurrent inserts and the audit chain's lock.
        rows = self.model._default_manager.select_for_update(of=("self",))
        field = self.model._meta.get_field("committee")
        committee = field.get_cached_value(obj, None)  # type: ignore[union-attr]
        if committee is None:
            return rows.select_related("committee").get(pk=obj.pk)
        # The record as fetched already holds its committee (the actor's, with the policy
        # parents it has read): joining and parsing the committee row again was wasted.
        locked = rows.get(pk=obj.pk)
        if getattr(locked, "committee_id", None) == committee.pk:
            field.set_cached_value(locked, committee)  # type: ignore[union-attr]
        return locked


def transition[T: models.Model](lifecycle: Lifecycle[T], *, actor: Actor, obj: T, step: str,
                                version: int | None, data: StepIn | None = None,
                                prelocked: bool = False) -> T:
    """Take ``step`` on ``obj`` and return the saved row (a fresh copy, locked then saved;
    ``prelocked``: ``obj`` itself, already read under lock in the transaction that is open).

    ``version`` is the version the user saw (None only for the platform's own steps). Every
    refusal is an exception and leaves nothing behind: ``StaleVersion``, ``ValidationError``
    (the table, the guard, the input), ``PermissionDenied`` (the rule).
    """
    s = lifecycle.steps.get(step)
    if s is None:
        raise ValidationError(_("Unknown action."), code="unknown_action")
    data = data if data is not None else s.input.model_construct()
    if prelocked and not transaction.get_connection().in_atomic_block:
        raise AssertionError("prelocked=True needs the transaction the row was locked in")
    # A row locked by the caller is inside the caller's transaction: no savepoint of our own
    # (a refusal is an exception, which rolls the caller's transaction back too).
    with transaction.atomic(savepoint=not prelocked):
        locked = obj if prelocked else lifecycle.lock(obj)
        record: Any = locked
        if version is not None and record.version != version:
            raise StaleVersion(lifecycle.stale_message)
        from_status = str(record.status)
        if from_status not in s.sources:
            raise ValidationError(
                _("This cannot be done while the status is “%(s)s”.")
                % {"s": lifecycle.statuses.get(from_status, from_status)},
                code="invalid_state")
        if not s.rule(actor, locked):
            raise PermissionDenied(_("You are not allowed to do this."))
        reason = s.guard(actor, locked) if s.guard is not None else None
        if reason:
            raise ValidationError(reason, code="guard")
        whole = audit.snapshot(locked)
        changes = (s.run(actor, locked, data) if s.run is not None else None) or Changes()
        if audit.snapshot(locked) != whole:
            raise AssertionError(f"{lifecycle.name}.{step}: run changed the record; "
                                 "return the fields in Changes instead")
        target = changes.status or s.default_target(from_status)
        if target not in s.targets(from_status):
            raise AssertionError(f"{lifecycle.name}.{step} cannot end in {target}")
        keys = ["status", "version", *changes.fields]
        before = {k: whole[k] for k in keys if k in whole}
        for name, value in changes.fields.items():
            setattr(locked, name, value)
        record.status = target
        record.version += 1
        saved = [*keys, *(["updated_at"] if _has_field(lifecycle.model, "updated_at") else [])]
        locked.save(update_fields=saved)
        note = changes.note if changes.note is not None else str(getattr(data, "note", "") or "")
        lifecycle.event_model.objects.create(
            committee_id=record.committee_id, **{lifecycle.event_field: locked}, action=step,
            from_status=from_status, to_status=target, actor=actor.user,
            actor_name=actor_label(actor), note=note)
        audit.record(actor, f"{lifecycle.audit_prefix}.{step}", locked, before=before,
                     after=audit.snapshot(locked, list(before)))
        for fn in changes.after_save:  # related rows that depend on the new status
            fn()
        _announce(lifecycle, actor, locked, changes, note)
    return locked


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _announce[T: models.Model](lifecycle: Lifecycle[T], actor: Actor, obj: T,
                               changes: Changes, note: str) -> None:
    committee = getattr(obj, "committee")  # noqa: B009 - every lifecycle's record has one
    for notice in changes.notices:
        body = notice.body
        if body is None:
            body = "\n".join(part for part in (lifecycle.describe(obj).strip(), note) if part)
        url = notice.url if notice.url is not None else _url_of(obj)
        notify_on_commit(recipients=notice.recipients, committee=notice.committee or committee,
                         title=str(notice.title), body=body, url=url, email=notice.email,
                         sms=notice.sms, skip=actor.user)
    hooks = list(changes.after_commit)
    if lifecycle.after_commit is not None:
        hook = lifecycle.after_commit
        hooks.append(lambda: hook(obj))
    for fn in hooks:
        transaction.on_commit(fn)


def _url_of(obj: models.Model) -> str:
    get = getattr(obj, "get_absolute_url", None)
    return str(get()) if callable(get) else ""


def related[R: models.Model](actor: Actor, model_or_qs: type[R] | models.QuerySet[R],
                             pk: int | None, field_name: str, **filters: Any) -> R:
    """A row named by id in a step's input, of the actor's committee, or a field error."""
    row = scoped(actor, model_or_qs).filter(pk=pk, **filters).first() if pk else None
    if row is None:
        raise ValidationError({field_name: _("No such record in this committee.")})
    return row


def require_text(value: str, field_name: str, message: Label) -> str:
    """``value`` stripped, or a field error with ``message`` when it is empty."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field_name: str(message)})
    return text
