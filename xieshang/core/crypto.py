"""Field-level encryption (等保: 数据保密性) for personal data such as resident ID numbers.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under the
keys in ``XIESHANG_FIELD_KEY`` (comma-separated; the first encrypts, every key decrypts, so a key
is rotated by putting a new one first and running ``xieshang reencrypt_fields``). Because Fernet
tokens differ on every write, equality lookups use a *blind index*: an HMAC-SHA256 of the
normalised value under a key derived from the field key, stored beside the token.

Without ``XIESHANG_FIELD_KEY`` a key is derived from ``SECRET_KEY`` for a demo or development
install (DEBUG on, or ``XIESHANG_DEMO``); any other install without a field key fails with
``ImproperlyConfigured`` at the first use, and ``manage.py check`` reports it.

The audit log's chains are keyed the same way by ``XIESHANG_AUDIT_KEY`` (:func:`audit_keys`):
an HMAC needs a secret that is not in the database, or whoever can edit the rows can also
recompute the chain.
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


AUDIT_LABEL = b"xieshang audit chain v2"


def is_demo_install() -> bool:
    """A demo or development install: DEBUG on, or ``XIESHANG_DEMO`` (``make demo``). Only such
    an install may run with the public demo secret key and derive its other keys from it."""
    return bool(settings.DEBUG) or bool(getattr(settings, "XIESHANG_DEMO", False))


def uses_demo_secret_key() -> bool:
    return str(settings.SECRET_KEY).startswith(DEMO_SECRET_PREFIX)


def demo_key_refusal() -> str:
    """Why this install must not start ("" when it may): the public demo secret key on an
    install that is not a demo would let anyone forge sessions and read the ID numbers."""
    if uses_demo_secret_key() and not is_demo_install():
        return ("XIESHANG_SECRET_KEY is not set, and the public demo key may only be used by a "
                "demo install (XIESHANG_DEMO=1, as `make demo` sets): set XIESHANG_SECRET_KEY "
                "and XIESHANG_FIELD_KEY (docs/configuration.md).")
    return ""


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


def encrypt_bytes(data: bytes) -> bytes:
    """A file's bytes as a Fernet token under the field key (uploads kept while waiting)."""
    return _fernet(tuple(configured_keys())).encrypt(data)


def decrypt_bytes(token: bytes, *, max_age: int | None = None) -> bytes | None:
    """The bytes of :func:`encrypt_bytes`; None when the token is not ours or is older than
    ``max_age`` seconds (Fernet tokens carry their time)."""
    try:
        return _fernet(tuple(configured_keys())).decrypt(token, ttl=max_age)
    except InvalidToken:
        return None


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


def audit_keys() -> list[bytes]:
    """The audit chain's HMAC keys, newest first (the first signs new rows, every key is
    accepted when checking, so a key can be rotated). Raises ImproperlyConfigured when an
    install that is not a demo has none."""
    raw = [k.strip() for k in str(getattr(settings, "XIESHANG_AUDIT_KEY", "")).split(",")
           if k.strip()]
    if not raw:
        if is_demo_install():
            return [hashlib.sha256(b"xieshang audit key:"
                                   + str(settings.SECRET_KEY).encode()).digest()]
        raise ImproperlyConfigured(
            "XIESHANG_AUDIT_KEY is not set. The audit log is chained with an HMAC under a key "
            "kept outside the database: generate one with `xieshang generate_field_key`, put it "
            "in the environment and keep a copy apart from the backups.")
    keys = []
    for item in raw:
        if len(item) < 32:
            raise ImproperlyConfigured("XIESHANG_AUDIT_KEY must be at least 32 characters long "
                                       "(generate one with `xieshang generate_field_key`).")
        keys.append(hmac.new(item.encode(), AUDIT_LABEL, hashlib.sha256).digest())
    return keys


def audit_mac(payload: bytes, key: bytes | None = None) -> str:
    """HMAC-SHA256 of ``payload`` under the newest audit key (or ``key``), as hex."""
    return hmac.new(key if key is not None else audit_keys()[0], payload,
                    hashlib.sha256).hexdigest()


def audit_mac_matches(payload: bytes, mac: str) -> bool:
    """The MAC was made under one of the configured audit keys (compared in constant time)."""
    return any(hmac.compare_digest(audit_mac(payload, key), mac) for key in audit_keys())


def generate_key() -> str:
    return Fernet.generate_key().decode()
