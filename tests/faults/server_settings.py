"""The real settings, plus request errors written to stderr (the gunicorn log of the test)."""

from xieshang.settings import *  # noqa: F403
from xieshang.settings import LOGGING

LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR"}
