"""``{% step_form offer %}``: the form of one workflow step a page offers (see core.workflow)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from xieshang.core.workflow import Offer

register = template.Library()


@register.simple_tag(takes_context=True)
def step_form(context: template.Context, offer: Offer, obj: Any) -> SafeString:
    """Render ``offer.template`` with the page's context (so the CSRF token is there), the
    record as ``obj``, the offer and the options its step's ``choices`` gave."""
    engine = context.template.engine if context.template is not None else template.engines[
        "django"].engine  # type: ignore[attr-defined]
    form = engine.get_template(offer.template)
    with context.push(offer=offer, step=offer.step, obj=obj, **offer.context):
        return SafeString(form.render(context))
