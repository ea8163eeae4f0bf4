"""A virtual user's `Run` that prepares each request once per distinct variable values.

A load test sends the same requests thousands of times with, mostly, the same values;
preparing one (inheritance, then resolving variables through every string of the
request) was the largest cost per request after the send itself (bench_load). The
preparation is a function of the request as written and the scopes, so it is reused
while the data row, the captured values and the secret names are the same: never when
the collection or a variable's value holds a dynamic variable (`{{$uuid}}`: a new value
per send) or names another variable (which might be one), and never when a pre-request
script rewrote the request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from explorer.application.running import Run, RunPlan
from explorer.application.sending import PreparedSend

if TYPE_CHECKING:
    from explorer.core.collection import RequestItem
    from explorer.core.http.transport import Transport
    from explorer.core.model import Request
    from explorer.core.resolve.variables import Scope

MAX_KEPT = 256  # preparations kept per user (captured values vary per iteration)
_DYNAMIC = re.compile(r"\{\{\s*\$")


def reusable(plan: RunPlan) -> bool:
    """Whether a preparation of `plan`'s requests may be reused: no dynamic variable
    anywhere in the collection, no variable value that names a variable."""
    if _DYNAMIC.search(repr(plan.collection)):
        return False
    scopes = [*plan.scopes, *([plan.overrides] if plan.overrides else [])]
    values = [value for scope in scopes for value in scope.values.values()]
    values += [value for row in plan.data for value in row.values()]
    return not any("{{" in value for value in values)


class ReusingRun(Run):
    def __init__(self, plan: RunPlan, transport: Transport) -> None:
        super().__init__(plan, transport=transport)
        self._reusable = reusable(plan)
        self._prepared: dict[object, PreparedSend] = {}

    def _prepare(
        self,
        written: Request,
        folder: tuple[str, ...],
        item: RequestItem,
        index: int,
        row: Mapping[str, str],
        scopes: list[Scope],
    ) -> PreparedSend:
        if not self._reusable or written is not item.request:
            return super()._prepare(written, folder, item, index, row, scopes)
        values = self._values
        key = (index, tuple(row.items()), tuple(values.items()), frozenset(self._secret_names))
        found = self._prepared.get(key)
        if found is None:
            found = super()._prepare(written, folder, item, index, row, scopes)
            if any("{{" in value for value in values.values()):
                return found  # a captured value naming a variable: prepare it every time
            if len(self._prepared) >= MAX_KEPT:
                self._prepared.clear()
            self._prepared[key] = found
        return found
