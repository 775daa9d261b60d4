from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.portal.models import Article, Column, Site


class ArticleForm(forms.Form):
    column = forms.ModelChoiceField(label=pgettext_lazy("website", "Column"),
                                    queryset=Column.objects.none())
    title = forms.CharField(label=pgettext_lazy("website", "Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(label=_("Text"),
                           widget=forms.Textarea(attrs={"rows": 14, "data-editor": "html"}),
                           max_length=200_000,
                           help_text=_("Paragraphs, headings, lists, links, tables and images "
                                       "are kept; anything else is removed."))
    audience = forms.ChoiceField(label=pgettext_lazy("website", "Audience"),
                                 choices=Article.Audience.choices)
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text=_("Leave empty to publish when approved."))
    attachment = forms.FileField(label=_("Attachment"), required=False)
    cover = forms.FileField(label=_("Cover image"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                            help_text=_("JPEG, PNG, GIF or WebP; shown on the home page and "
                                        "above the text; wider than 1600 px is made smaller."))
    cover_alt = forms.CharField(label=_("Cover image description"), max_length=200,
                                required=False,
                                help_text=_("What the picture shows (alt text), required with "
                                            "a picture."))
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, committee: Any = None, has_cover: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(committee=committee)  # type: ignore[attr-defined]
        if not has_cover:
            del self.fields["remove_cover"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cover") and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Describe the picture (alt text) for readers who "
                                          "cannot see it."))
        return data


class ImageForm(forms.Form):
    file = forms.FileField(label=_("Picture"),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    alt = forms.CharField(label=_("Description (alt text)"), max_length=200,
                          help_text=_("What the picture shows, for readers who cannot see it."))


class SiteForm(forms.ModelForm[Site]):
    """A committee's site settings, as its editors keep them. The host name a site answers at
    is set by a platform administrator only (Django admin → 网站), never here."""

    class Meta:
        model = Site
        fields = ["title", "banner_text", "contact", "icp_number", "is_public"]
