"""A virtual user's `Run` that prepares each request once per distinct variable values.

A load test sends the same requests thousands of times with, mostly, the same values;
preparing one (inheritance, then resolving variables through every string of the
request) was the largest cost per request after the send itself (bench_load). The
preparation is a function of the request as written and the scopes, so it is reused
while the data row, the captured values and the secret names are the same: never when
the collection or a variable's value holds a dynamic variable (`{{$uuid}}`: a new value
per send) or names another variable (which might be one), and never when a pre-request
script rewrote the request.

What a turn's result says before the send (the URL as shown, masked, and the mask of
the send's secrets: `Run._head`) is a function of the preparation, and is kept with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from explorer.application.running import Run, RunPlan, RunResult
from explorer.application.sending import PreparedSend

if TYPE_CHECKING:
    from explorer.core.collection import RequestItem
    from explorer.core.http.transport import Transport
    from explorer.core.model import Request
    from explorer.core.resolve.secret_forms import SecretMask
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
        # `_head` of each kept preparation, by its id (the preparation is kept with it:
        # the id cannot be another's while the entry lives).
        self._heads: dict[int, tuple[PreparedSend, RunResult, SecretMask]] = {}

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
                self._heads.clear()
            self._prepared[key] = found
        return found

    def _head(
        self,
        index: int,
        folder: tuple[str, ...],
        item: RequestItem,
        prepared: PreparedSend,
        scopes: list[Scope],
    ) -> tuple[RunResult, SecretMask]:
        kept = self._heads.get(id(prepared))
        if kept is not None and kept[0] is prepared:
            return kept[1], kept[2]
        head, mask = super()._head(index, folder, item, prepared, scopes)
        if any(found is prepared for found in self._prepared.values()):
            self._heads[id(prepared)] = (prepared, head, mask)
        return head, mask
