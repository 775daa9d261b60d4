"""Reference data the office keeps (基础数据): sectors, special committees, activity groups,
collective bodies, leadership positions, proposal categories, activity types …

Each app lists its kinds in ``<app>/refdata.py`` as ``KINDS = [RefKind(...), …]`` (found like
``jobs.py``). One set of pages (``core/refdata_views.py``, 系统管理 → 基础数据) lists, adds and
edits every kind through ``refdata_save``: the row is validated by the kind's form and the
model, written in one transaction with an audit row (before → after), within the acting
committee only. Rows are retired (``is_active`` off, or a dissolution date), never deleted,
because proposals, activities and duty records point at them. A kind may give its own ``create``
or ``update`` service where a change means more than new field values (a special committee's
rename keeps its former name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor

Saver = Callable[..., models.Model]


@dataclass(frozen=True)
class RefKind:
    """One kind of reference row and how the office edits it."""

    slug: str
    model: type[models.Model]
    label: str | Promise  # plural, for the page title ("界别")
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    may_manage: Callable[[Actor], bool]
    order: int = 100
    ordering: tuple[str, ...] = ()
    retired: Callable[[Any], bool] = field(default=lambda row: not getattr(row, "is_active",
                                                                           True))
    # Optional services: create(actor=, committee=, **cleaned) and update(actor=, row=, **cleaned)
    create: Saver | None = None
    update: Saver | None = None
    help_text: str | Promise = ""


@cache
def kinds() -> tuple[RefKind, ...]:
    found: list[RefKind] = []
    for config in apps.get_app_configs():
        if config.name.startswith("xieshang.") and find_spec(
                f"{config.name}.refdata") is not None:
            # (core's own refdata is this registry: it lists no kinds)
            found.extend(getattr(import_module(f"{config.name}.refdata"), "KINDS", ()))
    return tuple(sorted(found, key=lambda k: k.order))


def kind(slug: str) -> RefKind | None:
    return next((k for k in kinds() if k.slug == slug), None)


def kinds_for(actor: Actor) -> list[RefKind]:
    return [k for k in kinds() if actor.committee is not None and k.may_manage(actor)]


def may_manage_any(actor: Actor) -> bool:
    return bool(kinds_for(actor))


def rows(actor: Actor, k: RefKind) -> models.QuerySet[Any]:
    """The kind's rows of the acting committee (the fetch is the tenancy check)."""
    qs = k.model._default_manager.filter(committee=actor.committee)
    return qs.order_by(*k.ordering) if k.ordering else qs


def form_class(actor: Actor, k: RefKind) -> type[forms.ModelForm[Any]]:
    """A ModelForm of the kind's fields whose choices of related rows are this committee's."""
    committee = actor.committee

    def limit(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
        formfield = db_field.formfield(**kwargs)
        if isinstance(formfield, forms.ModelChoiceField):
            related = db_field.related_model
            names = {f.name for f in related._meta.get_fields()}  # type: ignore[union-attr]
            if "committee" in names:
                formfield.queryset = related._default_manager.filter(  # type: ignore[union-attr]
                    committee=committee)
        return formfield

    return forms.modelform_factory(k.model, fields=list(k.fields), formfield_callback=limit)


@transaction.atomic
def refdata_save(*, actor: Actor, kind: RefKind, row: models.Model | None,
                 cleaned: Mapping[str, Any]) -> models.Model:
    """Create (``row`` None) or change one reference row of the actor's committee, audited."""
    committee = actor.committee
    if committee is None or not kind.may_manage(actor):
        raise PermissionDenied(_("You are not allowed to do this."))
    values = {name: cleaned[name] for name in kind.fields if name in cleaned}
    if row is None:
        if kind.create is not None:
            return kind.create(actor=actor, committee=committee, **values)
        new = kind.model(committee=committee, **values)
        new.full_clean()
        new.save()
        audit.record(actor, f"{kind.slug}.create", new, after=audit.snapshot(new))
        return new
    if getattr(row, "committee_id", None) != committee.pk:
        raise PermissionDenied(_("You are not allowed to do this."))
    # The row as stored (a bound ModelForm has already written the new values on its instance).
    row = kind.model._default_manager.get(pk=row.pk)
    if kind.update is not None:
        return kind.update(actor=actor, row=row, **values)
    return update_fields(actor=actor, kind=kind, row=row, values=values)


def update_fields(*, actor: Actor, kind: RefKind, row: models.Model,
                  values: Mapping[str, Any]) -> models.Model:
    """Write ``values`` (some of the kind's fields) on the locked row, audited with the diff.
    Called inside ``refdata_save``'s transaction, or by a kind's own ``update`` service."""
    locked = kind.model._default_manager.select_for_update().get(pk=row.pk)
    names = [n for n in kind.fields if n in values
             and not isinstance(kind.model._meta.get_field(n), models.ManyToManyField)]
    before = audit.snapshot(locked, names)
    for name in names:
        setattr(locked, name, values[name])
    locked.full_clean()
    locked.save(update_fields=names)
    for name in kind.fields:
        if name in values and name not in names:
            getattr(locked, name).set(values[name])
    changed_before, changed_after = audit.diff(before, audit.snapshot(locked, names))
    if changed_before or changed_after:
        audit.record(actor, f"{kind.slug}.update", locked, before=changed_before,
                     after=changed_after)
    return locked


def committee_of(actor: Actor) -> Committee:
    assert actor.committee is not None
    return actor.committee
