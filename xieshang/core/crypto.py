"""Field-level encryption (等保: 数据保密性) for personal data such as resident ID numbers.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under the
keys in ``XIESHANG_FIELD_KEY`` (comma-separated; the first encrypts, every key decrypts, so a key
is rotated by putting a new one first and running ``xieshang reencrypt_fields``). Because Fernet
tokens differ on every write, equality lookups use a *blind index*: an HMAC-SHA256 of the
normalised value under a key derived from the field key, stored beside the token.

Without ``XIESHANG_FIELD_KEY`` a key is derived from ``SECRET_KEY`` for a demo or development
install (DEBUG on, or the demo secret key); a deployment with a real secret key and no field key
fails with ``ImproperlyConfigured`` at the first use, and ``manage.py check`` reports it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_PREFIX = "gAAAAA"  # every Fernet token (version byte 0x80 + timestamp) starts with this
DEMO_SECRET_PREFIX = "insecure-demo-key"
INDEX_LABEL = b"xieshang blind index v1"


def is_demo_install() -> bool:
    return bool(settings.DEBUG) or str(settings.SECRET_KEY).startswith(DEMO_SECRET_PREFIX)


def _dev_key() -> bytes:
    digest = hashlib.sha256(b"xieshang field key:" + str(settings.SECRET_KEY).encode()).digest()
    return base64.urlsafe_b64encode(digest)


def configured_keys() -> list[bytes]:
    """The field keys, newest first; raises ImproperlyConfigured when a deployment has none."""
    raw = [k.strip() for k in str(getattr(settings, "XIESHANG_FIELD_KEY", "")).split(",")
           if k.strip()]
    if not raw:
        if is_demo_install():
            return [_dev_key()]
        raise ImproperlyConfigured(
            "XIESHANG_FIELD_KEY is not set. ID numbers are stored encrypted: generate a key with "
            "`xieshang generate_field_key`, put it in the environment and keep a copy with the "
            "backups (without it the encrypted values cannot be read).")
    keys: list[bytes] = []
    for item in raw:
        try:
            Fernet(item.encode())
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                "XIESHANG_FIELD_KEY holds a value that is not a Fernet key (32 bytes, url-safe "
                "base64): generate one with `xieshang generate_field_key`.") from exc
        keys.append(item.encode())
    return keys


@cache
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def _index_keys(keys: tuple[bytes, ...]) -> list[bytes]:
    return [hmac.new(base64.urlsafe_b64decode(k), INDEX_LABEL, hashlib.sha256).digest()
            for k in keys]


def encrypt(value: str) -> str:
    if not value:
        return value
    return _fernet(tuple(configured_keys())).encrypt(value.encode()).decode()


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def decrypt(value: str) -> str:
    """Decrypt a token; a value that is not a token (written before encryption) is returned."""
    if not value or not is_token(value):
        return value
    try:
        return _fernet(tuple(configured_keys())).decrypt(value.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted field cannot be decrypted with the keys in XIESHANG_FIELD_KEY: the key "
            "it was written with is missing.") from None


def rotate(value: str) -> str:
    """Re-encrypt a token (or a plain legacy value) under the first key."""
    return encrypt(decrypt(value))


def normalise_identifier(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str) -> str:
    """The HMAC written with a value (under the newest key); empty for an empty value."""
    if not value:
        return ""
    key = _index_keys(tuple(configured_keys()))[0]
    return hmac.new(key, normalise_identifier(value).encode(), hashlib.sha256).hexdigest()


def blind_index_candidates(value: str) -> list[str]:
    """The HMACs of a value under every configured key, for lookups during a key rotation."""
    if not value:
        return []
    text = normalise_identifier(value).encode()
    return [hmac.new(k, text, hashlib.sha256).hexdigest()
            for k in _index_keys(tuple(configured_keys()))]


def generate_key() -> str:
    return Fernet.generate_key().decode()
