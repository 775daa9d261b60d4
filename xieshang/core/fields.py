"""Model fields that keep personal data encrypted at rest (see ``xieshang.core.crypto``)."""

from __future__ import annotations

from typing import Any

from django.core import validators
from django.core.exceptions import FieldError
from django.db import models

from xieshang.core import crypto


class EncryptedTextField(models.TextField[str, str]):
    """A short text stored as a Fernet token; Python code sees the plain value.

    ``max_length`` limits the plain value (validation and forms), not the column. Equality
    lookups cannot work on tokens, so only ``isnull`` is allowed: compare through the model's
    ``BlindIndexField`` instead. The empty string is stored as is, so "no value" stays queryable
    with the index field (empty index). Serialised output (``dumpdata``) holds the token too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return crypto.decrypt(value) if value else value

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return crypto.decrypt(value) if isinstance(value, str) else value

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisers (dumpdata, fixtures) write the token, never the plain value; loading reads
        # it back through to_python, which decrypts, and saving encrypts it again.
        value = self.value_from_object(obj)
        if isinstance(value, str) and value and not crypto.is_token(value):
            return crypto.encrypt(value)
        return "" if value is None else str(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if isinstance(value, str) and value and not crypto.is_token(value):
            return crypto.encrypt(value)
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: look values up through its "
                f"blind index, not with __{lookup_name}.")
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField[str, str]):
    """The HMAC of another field's plain value, recomputed on every save of the row."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("editable", False),
                             ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = crypto.blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value
