"""The words a page shows for an audit row's action code (``proposal.file``,
``member.update``): never the code itself.

Where the words come from, first match wins:

1. labels registered for the codes services write: core's below, each app's in
   ``<app>/audit_labels.py`` as ``LABELS = {code: label}`` (found like ``refdata.py``);
2. the steps of every workflow lifecycle: ``<audit_prefix>.<step>`` reads "提案：立案";
3. the codes the Django admin and the reference-data pages build from a model or a kind
   (``admin.term.change``, ``sectors.create``);
4. otherwise a change to the row's object ("提案变更"), or "其他操作" when there is none.

The code stays available to administrators only as a filter's value and a cell's title.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

Label = str | Promise

# Core's own codes (the other apps list theirs in their ``audit_labels.py``).
LABELS: dict[str, Label] = {
    "auth.login": pgettext_lazy("core", "Signed in"),
    "auth.logout": gettext_lazy("Signed out"),
    "auth.login_failed": gettext_lazy("Failed login"),
    "auth.sms_code_requested": pgettext_lazy("audit", "Asked for a login code by SMS"),
    "auth.mfa_failed": gettext_lazy("Wrong second-factor code"),
    "auth.mfa_recovery_code_used": gettext_lazy("Signed in with a recovery code"),
    "auth.session_superseded": gettext_lazy("Session ended by a newer login"),
    "committee.create": gettext_lazy("Created a committee"),
    "committee.update": pgettext_lazy("audit", "Changed the committee's address and telephone"),
    "term.create": gettext_lazy("Created a term"),
    "term.update": gettext_lazy("Changed a term"),
    "session.create": gettext_lazy("Created a session"),
    "session.update": gettext_lazy("Changed a session"),
    "user.create": gettext_lazy("Created an account"),
    "user.update": gettext_lazy("Changed an account"),
    "user.set_password": gettext_lazy("Reset a password"),
    "user.unlock": gettext_lazy("Unlocked an account"),
    "user.end_sessions": gettext_lazy("Logged a user out everywhere"),
    "user.logout_everywhere": gettext_lazy("Logged out on all devices"),
    "user.superuser": pgettext_lazy("audit", "Made an account a superuser of the site"),
    "user.mfa_enrol": gettext_lazy("Turned on the second factor"),
    "user.mfa_disable": gettext_lazy("Turned off the second factor"),
    "user.mfa_reset": gettext_lazy("Reset a user's second factor"),
    "user.mfa_recovery_codes": gettext_lazy("Issued new recovery codes"),
    "user.password_change": gettext_lazy("Changed own password"),
    "role.grant": gettext_lazy("Granted a role"),
    "role.revoke": gettext_lazy("Revoked a role"),
    "api_token.issue": pgettext_lazy("audit", "Issued an API token"),
    "api_token.revoke": pgettext_lazy("audit", "Revoked an API token"),
    "api_token.revoke_all": pgettext_lazy("audit", "Revoked all API tokens of an account"),
    "calendar.local_add": gettext_lazy("Added a local calendar day"),
    "calendar.local_remove": gettext_lazy("Removed a local calendar day"),
    "calendar.national_import": gettext_lazy("Entered the national holidays"),
    "policy.set": gettext_lazy("Changed a setting"),
    "policy.clear": gettext_lazy("Cleared a setting"),
    "audit.export": gettext_lazy("Exported the audit log"),
}

ADMIN_VERBS: dict[str, Label] = {
    "add": pgettext_lazy("audit", "Added %(thing)s in the back office"),
    "change": pgettext_lazy("audit", "Changed %(thing)s in the back office"),
    "delete": pgettext_lazy("audit", "Deleted %(thing)s in the back office"),
}
REFDATA_VERBS: dict[str, Label] = {
    "create": pgettext_lazy("audit", "Added to %(kind)s"),
    "update": pgettext_lazy("audit", "Changed in %(kind)s"),
}


@cache
def registered() -> Mapping[str, Label]:
    """Every label registered for a code: core's and each app's ``audit_labels.LABELS``."""
    found: dict[str, Label] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.audit_labels"
        if config.name.startswith("xieshang.") and config.label != "core" and find_spec(name):
            found.update(getattr(import_module(name), "LABELS", {}))
    return {**found, **LABELS}


@cache
def steps() -> Mapping[str, tuple[Label, Label]]:
    """``<audit_prefix>.<step>`` → (the lifecycle's record, the step's label)."""
    from xieshang.core.workflow import lifecycles

    return {f"{lc.audit_prefix}.{step.name}": (lc.model._meta.verbose_name, step.label)
            for lc in lifecycles() for step in lc.steps.values()}


def _model(object_type: str, model_name: str = "") -> type[models.Model] | None:
    if object_type:
        try:
            return apps.get_model(object_type)
        except (LookupError, ValueError):
            pass
    if model_name:
        return next((m for m in apps.get_models() if m._meta.model_name == model_name), None)
    return None


def _derived(code: str, object_type: str) -> str:
    """The label of a code built from a model or a reference kind, or ""."""
    head, _dot, verb = code.rpartition(".")
    if head.startswith("admin.") and verb in ADMIN_VERBS:
        model = _model(object_type, head.removeprefix("admin."))
        if model is not None:
            return str(ADMIN_VERBS[verb]) % {"thing": model._meta.verbose_name}
    if verb in REFDATA_VERBS:
        from xieshang.core import refdata

        kind = refdata.kind(head)
        if kind is not None:
            return str(REFDATA_VERBS[verb]) % {"kind": kind.label}
    return ""


def is_known(code: str, object_type: str = "") -> bool:
    """Whether ``code`` has words of its own (not the fallback)."""
    return code in registered() or code in steps() or bool(_derived(code, object_type))


def label(code: str, object_type: str = "") -> str:
    """What was done, in words (``object_type``: the row's ``app.model``, for the fallback)."""
    known = registered().get(code)
    if known is not None:
        return str(known)
    step = steps().get(code)
    if step is not None:
        return pgettext("audit", "%(record)s: %(step)s") % {"record": step[0], "step": step[1]}
    derived = _derived(code, object_type)
    if derived:
        return derived
    model = _model(object_type)
    if model is not None:
        return pgettext("audit", "Change to %(thing)s") % {"thing": model._meta.verbose_name}
    return pgettext("audit", "Other operation")


# --- the rest of a row: who, and the names of the keys in its before/after ----------------------

# Keys many models share, for a field that has no words of its own (its verbose name is only
# its name) and for keys that are not fields (a service's own notes in before/after).
KEY_WORDS: dict[str, Label] = {
    "version": pgettext_lazy("audit", "version"),
    "created_at": pgettext_lazy("audit", "created at"),
    "updated_at": pgettext_lazy("audit", "updated at"),
    "edited_by": pgettext_lazy("audit", "edited by"),
    "author": pgettext_lazy("audit", "author"),
    "article": pgettext_lazy("audit", "website article"),
    "seconds": pgettext_lazy("audit", "seconds"),
    "filters": pgettext_lazy("audit", "filters"),
    "rows": pgettext_lazy("audit", "rows"),
    "marked_read": pgettext_lazy("audit", "marked as read"),
    "opened_at": pgettext_lazy("audit", "opened at"),
    "title": pgettext_lazy("audit", "title"),
    "name": pgettext_lazy("audit", "name"),
    "reason": pgettext_lazy("audit", "reason"),
    "note": pgettext_lazy("audit", "note"),
    "notes": pgettext_lazy("audit", "notes"),
    "kind": pgettext_lazy("audit", "kind"),
    "closed": pgettext_lazy("audit", "closed"),
    "recipients": pgettext_lazy("audit", "recipients"),
    "attachment": pgettext_lazy("audit", "attachment"),
    "published_at": pgettext_lazy("audit", "published at"),
}


def key_label(key: str, field: object | None) -> str:
    """A before/after key as the page names it: the field's own words, else the shared ones,
    else the key (a key the code writes and nobody named yet)."""
    words = getattr(field, "verbose_name", None)
    if words is not None and str(words) != key.replace("_", " "):
        return str(words)
    return str(KEY_WORDS.get(key, words or key))


def actor_name(stored: str, actor_id: int | None) -> str:
    """Who did it: the name stored with the row; the platform's own work reads 系统 (the row
    keeps "system", which its signature covers)."""
    if stored == "system" and actor_id is None:
        return pgettext("audit", "the system")
    return stored
