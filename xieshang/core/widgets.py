"""Form widgets shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def picker_words() -> dict[str, str]:
    """The attributes that make a select a picker (``xieshang/app.js``), with the words it shows:
    the script holds none. A hand-written select uses them through ``{% picker_attrs %}``."""
    return {
        "data-picker": "",
        "data-none": str(_("Nothing found.")),
        "data-more": str(_("%(n)s more: type more to narrow the list.") % {"n": "{n}"}),
        "data-chosen": str(_("Chosen")),
        "data-remove": str(pgettext_lazy("picker", "Remove")),
    }


class Picker(forms.SelectMultiple):
    """A multiple choice among many (250 members) that a person can search.

    Without JavaScript it is the plain list. ``xieshang/app.js`` turns it into a search box, the
    chosen ones as removable tags, and the matching choices as check boxes; the select stays in
    the form and carries the value (offline drafts and autosave read it unchanged). Each option
    carries ``data-search``: the words it is found by (``search_text(instance)``), besides its
    label. Searching is done on the device: a committee's list is small, and it works offline.
    """

    def __init__(self, search_text: Callable[[Any], str] | None = None,
                 attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"size": 8, **(attrs or {})})
        self.search_text = search_text

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update({
            "data-placeholder": str(_("Type a name, its pinyin initials, a sector or workplace")),
            **picker_words(),
        })
        return context

    def create_option(self, name: str, value: Any, label: Any, selected: bool, index: int,
                      subindex: int | None = None, attrs: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and self.search_text is not None:
            option["attrs"]["data-search"] = self.search_text(instance)
        return option
