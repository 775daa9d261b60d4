"""Every schema in /api/openapi.json is the one its name says.

django-ninja files the schemas of the OpenAPI document by class name and keeps one per name, so
two different classes with the same name (three ``ActionIn`` once) silently become one: the
document then shows one operation's body for another's. This walks every documented operation's
input and output models (and the models and enums inside them) and fails on a name that two
different classes share.
"""

from __future__ import annotations

import enum
import types
import typing
from collections import defaultdict
from typing import Any

from ninja import NinjaAPI, Router, Schema
from pydantic import BaseModel

from xieshang.api import api


def _inner(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin is not None or isinstance(annotation, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _inner(a)]
    return [annotation]


def _walk(model: Any, seen: dict[str, set[type]], wrapper: bool) -> None:
    if isinstance(model, type) and issubclass(model, enum.Enum):
        seen[model.__name__].add(model)
        return
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return
    if not wrapper:  # ninja's own per-operation wrappers are flattened, never named
        if model in seen[model.__name__]:
            return
        seen[model.__name__].add(model)
    for info in model.model_fields.values():
        for inner in _inner(info.annotation):
            _walk(inner, seen, wrapper=False)


def schema_classes(target: NinjaAPI) -> dict[str, set[type]]:
    """Name → the classes documented under it, for every operation in the OpenAPI document."""
    seen: dict[str, set[type]] = defaultdict(set)
    for bound in target._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                if not operation.include_in_schema:
                    continue
                for model in operation.models:
                    _walk(model, seen, wrapper=True)
                for model in operation.response_models.values():
                    _walk(model, seen, wrapper=True)
    return seen


def _document(cls: type) -> str:
    if issubclass(cls, enum.Enum):
        return repr(sorted(str(m.value) for m in cls))
    return repr(cls.model_json_schema())


def shared_names(target: NinjaAPI) -> dict[str, set[type]]:
    """Names under which classes that document differently are filed (ninja makes one
    ``Paged<Item>`` class per paged operation: those of one item are the same document)."""
    return {name: classes for name, classes in schema_classes(target).items()
            if len({_document(c) for c in classes}) > 1}


def test_no_two_schema_classes_of_the_api_share_a_name():
    clashes = {name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
               for name, classes in shared_names(api).items()}
    assert not clashes, f"rename one of each: {clashes}"


def test_the_check_finds_two_classes_with_one_name():
    def body(name: str, field: str) -> type[Schema]:
        return type(name, (Schema,), {"__annotations__": {field: str}})

    router = Router()
    for path, schema in (("/a", body("ActionIn", "note")), ("/b", body("ActionIn", "version")),
                         ("/c", body("NoteIn", "note")), ("/d", body("NoteIn", "note"))):
        def operation(request: Any, data: Any) -> int:
            return 1

        operation.__name__ = f"op{path[1:]}"
        operation.__annotations__ = {"request": Any, "data": schema, "return": int}
        router.post(path)(operation)
    toy = NinjaAPI(urls_namespace="schema-names-test")
    toy.add_router("/", router)
    assert set(shared_names(toy)) == {"ActionIn"}  # two NoteIn, but one document


def test_the_actions_of_a_record_are_documented_as_an_enum(client):
    document = api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    assert "submit" in schemas["ProposalAction"]["enum"]
    detail = schemas["ProposalDetailOut"]["properties"]["actions"]
    assert detail["items"] == {"$ref": "#/components/schemas/ProposalAction"}
    body = document["paths"]["/api/v1/proposals/{pk}/actions/assign"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProposalAssignIn"}
