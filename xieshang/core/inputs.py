"""Input read with a pydantic schema, for the API and the pages alike, with Chinese messages.

The API validates a JSON body with a django-ninja ``Schema`` before the operation runs; a page
form that posts the same inputs is read with ``parse_form`` against the same schema, so a step's
inputs are declared once. Errors become ``django.core.exceptions.ValidationError`` keyed by field
(what the services raise too), with the messages of ``pydantic_message``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

SOURCES = {"query", "path", "body", "header", "cookie", "form", "file"}


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """The field a pydantic error is about ("request" for the whole input)."""
    # ninja puts the source first ("query", "body", "path"); the body's parameter name follows.
    parts = [str(p) for p in loc]
    if parts and parts[0] in SOURCES:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "body"}:
            parts = parts[1:]
    return ".".join(parts) or "request"


def pydantic_message(error: Mapping[str, Any]) -> str:
    """A Chinese message for one pydantic error (its own messages are English only)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "nul_character":
        return _("Must not contain NUL characters.")
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("At least %(n)s characters.") % {"n": ctx.get("min_length")}
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"enum", "literal_error"}:
        choices = str(ctx.get("expected", "")).replace("' or '", "', '").replace("', '", "'、'")
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        return _("The request body is not a valid JSON object.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Enter a list.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("This value is not valid.")


def as_validation_error(exc: PydanticError) -> ValidationError:
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        name = field_name(tuple(error.get("loc", ())))
        errors.setdefault("__all__" if name == "request" else name, []).append(
            pydantic_message(error))
    return ValidationError(errors)


def refuse_nul(fields: Mapping[str, Any]) -> None:
    """A ValidationError by field for any text holding NUL: PostgreSQL cannot store it, so it
    is refused before anything is written (SQLite would store it silently)."""
    bad = [key for key, value in fields.items() if isinstance(value, str) and "\x00" in value]
    if bad:
        raise ValidationError({key: _("Must not contain NUL characters.") for key in bad})


def parse[S: BaseModel](schema: type[S], data: Mapping[str, Any]) -> S:
    """``data`` read with ``schema``; a ValidationError by field when it does not fit."""
    refuse_nul(data)
    try:
        return schema.model_validate(dict(data))
    except PydanticError as exc:
        raise as_validation_error(exc) from exc


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation))
    return False


def _is_text(annotation: Any) -> bool:
    if annotation is str:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_text(typing.get_args(annotation)[0])
    return False


def parse_form[S: BaseModel](schema: type[S], post: Any) -> S:
    """A posted form (a QueryDict) read with ``schema``.

    A form sends every field as text: an empty box of a field that is not text means "not given"
    (the schema's default), a list field takes every value of its name (and comma-separated
    ids), an unticked checkbox is simply absent.
    """
    data: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if name not in post:
            continue
        if _is_list(info.annotation):
            values = post.getlist(name) if hasattr(post, "getlist") else [post[name]]
            data[name] = [part.strip() for value in values for part in str(value).split(",")
                          if part.strip()]
            continue
        value = post.get(name)
        if value is None or (value == "" and not _is_text(info.annotation)):
            continue
        data[name] = value
    return parse(schema, data)
