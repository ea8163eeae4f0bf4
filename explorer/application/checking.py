"""Checking one response: its captures and assertions, the one way for every front end.

The window's Send and the run engine (`explorer.application.running`) both call
`check_response`, so an assertion passes or fails alike wherever it runs. The rows come
from `explorer.core.resolve.inheritance.inherited_checks` (the collection's, each
folder's, then the request's own); the work on the response is
`explorer.core.checks`' (facts, evaluate, capture).

Captures are taken first and are visible to the assertions of the same response, as in
Hurl (`jsonpath $.id == {{id}}` right after capturing `id`). `{{variables}}` in expected
values resolve with the request's scopes (lowest first) and those captures on top.

What comes back is raw: a captured secret is needed as it is by the next request.
`CheckReport.masked` is what a front end shows or reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.checks.evaluate import CheckContext, capture, evaluate
from explorer.core.checks.facts import facts_from_response
from explorer.core.checks.results import (
    SHOWN_VALUE_CHARS,
    AssertionResult,
    CapturedValue,
    ResponseFacts,
)
from explorer.core.resolve.variables import Scope, lookup, resolve_text

if TYPE_CHECKING:
    from explorer.core.http.exchange import Response
    from explorer.core.model import Stream
    from explorer.core.resolve.inheritance import InheritedChecks
    from explorer.core.resolve.secret_forms import SecretMask

CAPTURED_SCOPE = "captured"


@dataclass(frozen=True)
class CheckReport:
    """What checking one response found: each assertion's result and each captured
    value, in the order they are written (outermost first)."""

    results: tuple[AssertionResult, ...] = ()
    captured: tuple[CapturedValue, ...] = ()

    @property
    def passed(self) -> bool:
        """True when no assertion failed (also when there was none)."""
        return all(result.passed for result in self.results)

    @property
    def failed(self) -> tuple[AssertionResult, ...]:
        return tuple(result for result in self.results if not result.passed)

    def masked(self, mask: SecretMask) -> CheckReport:
        """This report as it may be shown: every secret value masked in actual and
        expected values and messages, and a secret capture's value hidden whole."""
        return CheckReport(
            tuple(mask_result(result, mask) for result in self.results),
            tuple(mask_captured(value, mask) for value in self.captured),
        )


def mask_result(result: AssertionResult, mask: SecretMask) -> AssertionResult:
    """`result` with `mask` applied to every text that came from a response or a
    variable (the label is the row as written: `{{name}}`, never a value)."""
    if not mask:
        return result
    return replace(
        result,
        label=mask_text(result.label, mask),
        actual=mask_text(result.actual, mask),
        expected=mask_text(result.expected, mask),
        message=mask_text(result.message, mask),
    )


def mask_captured(value: CapturedValue, mask: SecretMask) -> CapturedValue:
    """`value` as it may be shown: a secret capture's value replaced by the mask's
    marker whatever it is (it might not be in the mask yet), others masked and cut to
    SHOWN_VALUE_CHARS (a run keeps one per request)."""
    message = mask_text(value.message, mask)
    if value.value is None:
        return replace(value, message=message)
    shown = mask.marker if value.secret else _cut(mask(value.value))
    return replace(value, value=shown, message=message)


# The shortest start of a secret that a cut text may end with and still be masked: a
# shorter one says next to nothing and is too often an ordinary ending.
MIN_CUT_SECRET = 3


def mask_text(text: str, mask: SecretMask) -> str:
    """`text` masked, including a secret that the checks' shortening cut in two (the
    text ends in "…" right after the secret's first characters)."""
    shown = mask(text)
    if not shown.endswith(_ELLIPSIS) or not mask:
        return shown
    body = shown[: -len(_ELLIPSIS)]
    for value in mask.values:
        for length in range(min(len(value), len(body)), MIN_CUT_SECRET - 1, -1):
            if body.endswith(value[:length]):
                return body[:-length] + mask.marker + _ELLIPSIS
    return shown


_ELLIPSIS = "…"


def _cut(text: str) -> str:
    if len(text) <= SHOWN_VALUE_CHARS:
        return text
    return text[: SHOWN_VALUE_CHARS - 1] + _ELLIPSIS


def check_response(
    checks: InheritedChecks,
    response: Response,
    scopes: Sequence[Scope],
    root: Path | None,
) -> CheckReport:
    """Capture and assert on `response` with `checks`; `scopes` resolve `{{names}}` in
    expected values, `root` is where schema files are looked for (the collection
    folder). A request without checks costs nothing: its body is not even read."""
    if not checks.assertions and not checks.captures:
        return CheckReport()
    return check_facts(checks, response_facts(response), scopes, root)


def response_facts(response: Response, stream: Stream | None = None) -> ResponseFacts:
    """What checks may look at in `response` (its body read up to the checker's bound,
    from memory or its spool file); of an event stream, its events as a JSON array (the
    first `stream.collect_messages` in a run: application/streams/sse_run)."""
    from explorer.application.streams.sse_run import event_facts

    return event_facts(facts_from_response(response), response, stream)


def check_facts(
    checks: InheritedChecks,
    facts: ResponseFacts,
    scopes: Sequence[Scope],
    root: Path | None,
) -> CheckReport:
    """`check_response` on facts already read (the run engine reads them once for the
    checks and the post-response scripts)."""
    layered = list(scopes)
    captured: list[CapturedValue] = []
    for row, source in checks.captures:
        value = capture(row, facts, _context(layered, root), source.label)
        captured.append(value)
        if value.value is not None:  # visible to the next captures and the assertions
            layered = _with_captured(layered, value)
    context = _context(layered, root)
    results = tuple(evaluate(row, facts, context, s.label) for row, s in checks.assertions)
    return CheckReport(results, tuple(captured))


def _context(scopes: list[Scope], root: Path | None) -> CheckContext:
    def variable(name: str) -> str | None:
        found = lookup(name, scopes)
        return None if found is None else found[0]

    return CheckContext(lambda text: resolve_text(text, scopes), variable, root)


def _with_captured(scopes: list[Scope], value: CapturedValue) -> list[Scope]:
    """`scopes` with `value` set in a top scope of this response's captures."""
    assert value.value is not None
    top = scopes[-1] if scopes and scopes[-1].name == CAPTURED_SCOPE else None
    values = {**(top.values if top else {}), value.variable: value.value}
    secret = (top.secret if top else frozenset()) | (
        {value.variable} if value.secret else frozenset()
    )
    base = scopes[:-1] if top else scopes
    return [*base, Scope(CAPTURED_SCOPE, values, frozenset(secret))]
