"""Django's own interface strings that its zh_Hans catalogue lacks (Django 6 added them after
the last translation round): marked here so that our catalogue translates them, and no English
widget text ("- Select an option -") reaches a page."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),
)
