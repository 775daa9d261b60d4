"""SMS senders. The default logs messages; a real gateway plugs in through settings.SMS_BACKEND."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("xieshang.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsBackend:
    """Writes each message to the log (demo, development, tests)."""

    sent: list[tuple[str, str]] = []  # noqa: RUF012 - shared outbox for tests

    def send(self, phone: str, text: str) -> None:
        LogSmsBackend.sent.append((phone, text))
        logger.info("SMS to %s: %s", phone, text)


class HttpJsonSmsBackend:
    """POSTs {"phone", "text", "sign"} as JSON to SMS_GATEWAY_URL with a bearer key.

    Most provincial government SMS platforms offer such an HTTP interface; write a class of
    your own with the same ``send`` method for any other.
    """

    def send(self, phone: str, text: str) -> None:
        body = json.dumps(
            {"phone": phone, "text": text, "sign": settings.SMS_SIGN_NAME}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - URL comes from the operator's settings
            settings.SMS_GATEWAY_URL, data=body, method="POST",
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 400:
                raise RuntimeError(f"SMS gateway answered {response.status}")


def get_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
