from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.portal.models import Article, Column, Site


class ArticleForm(forms.Form):
    column = forms.ModelChoiceField(label=_("Column"), queryset=Column.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}),
                           max_length=200_000,
                           help_text=_("Paragraphs, headings, lists, links, tables and images "
                                       "are kept; anything else is removed."))
    audience = forms.ChoiceField(label=_("Audience"), choices=Article.Audience.choices)
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text=_("Leave empty to publish when approved."))
    attachment = forms.FileField(label=_("Attachment"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, committee: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(committee=committee)  # type: ignore[attr-defined]


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["title", "banner_text", "host_name", "contact", "icp_number", "is_public"]
