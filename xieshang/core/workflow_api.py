"""The API side of the workflow engine: one POST operation per step, generated from the table.

``step_routes(router, LIFECYCLE, path="/{int:pk}/actions", fetch=..., out=..., response=...)``
adds ``POST {path}/<step>`` for every step, each with the step's own input schema as its body
(so the OpenAPI document shows exactly what each action needs), and a hidden
``POST {path}/{action}`` that answers 404 for any other name once the record is found. The
operation fetches the record with access (``fetch``: 404 for another committee's id), takes the
step (403 for a rule, 400 for a guard or an input, 409 for a stale version) and returns
``out(request, record)``. With ``fetch_locked`` (the same rows as ``fetch``, read
``select_for_update``) the operation opens the transaction itself and fetches the record
locked: one read instead of a fetch for the 404 and the engine's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from xieshang.core.apiutils import ERRORS, ApiError, actor
from xieshang.core.permissions import Actor
from xieshang.core.workflow import Lifecycle, Step

Fetch = Callable[[HttpRequest, int], Any]
Render = Callable[[HttpRequest, Any], Any]


def step_routes(router: Router, lifecycle: Lifecycle[Any], *, path: str, fetch: Fetch,
                out: Render, response: Any, acting: Callable[[HttpRequest], Actor] = actor,
                tags: list[str] | None = None, fetch_locked: Fetch | None = None) -> None:
    for step in lifecycle.steps.values():
        if step.only_via:
            continue
        router.post(f"{path}/{step.name}", response={200: response, **ERRORS},
                    operation_id=f"{lifecycle.name}_{step.name}",
                    summary=f"{lifecycle.name}: {step.name}",
                    description=_describe(lifecycle, step), tags=tags,
                    )(_operation(lifecycle, step, fetch, out, acting, fetch_locked))

    def unknown_action(request: HttpRequest, pk: int, action: str) -> Any:
        fetch(request, pk)
        raise ApiError("not_found", _("Unknown action."), 404)

    unknown_action.__name__ = f"{lifecycle.name}_unknown_action"
    router.post(f"{path}/{{action}}", response={404: ERRORS[404]}, include_in_schema=False,
                operation_id=f"{lifecycle.name}_unknown_action")(unknown_action)


def _operation(lifecycle: Lifecycle[Any], step: Step, fetch: Fetch, out: Render,
               acting: Callable[[HttpRequest], Actor],
               fetch_locked: Fetch | None = None) -> Callable[..., Any]:
    def operation(request: HttpRequest, pk: int, data: Any) -> Any:
        if fetch_locked is None or step.only_via:
            obj = fetch(request, pk)
            result = lifecycle.take(actor=acting(request), obj=obj, step=step.name, data=data)
        else:
            who = acting(request)  # resolved before the transaction: it only reads
            with transaction.atomic():
                obj = fetch_locked(request, pk)
                result = lifecycle.take(actor=who, obj=obj, step=step.name, data=data,
                                        prelocked=True)
        return out(request, result)

    operation.__name__ = f"{lifecycle.name}_{step.name}"
    operation.__annotations__ = {"request": HttpRequest, "pk": int, "data": step.input,
                                 "return": Any}
    return operation


def _describe(lifecycle: Lifecycle[Any], step: Step) -> str:
    moves = "; ".join(f"{source} → {'/'.join(sorted(step.targets(source)))}"
                      for source in step.sources)
    return (f"{moves}. Who: `{getattr(step.rule, '__name__', step.rule)}`. "
            "A stale `version` answers 409 (code `conflict`).")
