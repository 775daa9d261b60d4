"""``{% picker_attrs %}``: the attributes that make a hand-written select a searchable picker
(``core.widgets.picker_words``), so its words are the same as every picker's."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from xieshang.core.widgets import picker_words

register = template.Library()


@register.simple_tag
def picker_attrs() -> SafeString:
    return format_html_join(" ", '{}="{}"', picker_words().items())
