"""Evaluating one assertion, or taking one capture, on the facts of a response.

Nothing escapes as an exception: a bad expression, a body that is not JSON, a schema
file outside the collection, a body too large to have been read whole, each gives a
failed result (or an empty capture) whose `message` says why in one line.

Bounds: the body is what `facts_from_response` read (CHECK_BODY_LIMIT); JSON nesting
is orjson's (1024 levels); schema files are MAX_SCHEMA_BYTES at most. Python's `re`
has no timeout, so a regular expression's time is bounded only through the size of
the text it runs over (the body limit); a pathological pattern on a large body is the
writer's to avoid, as in every tool built on backtracking regular expressions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from explorer.core.checks.compare import Expected, compare, read_expected
from explorer.core.checks.queries import NodeSet, body_json
from explorer.core.checks.results import AssertionResult, CapturedValue, ResponseFacts
from explorer.core.checks.schemas import (
    MAX_ERRORS,
    MAX_ERRORS_SHOWN,
    json_schema_argument,
    openapi_errors,
    validate,
)
from explorer.core.checks.subjects import HeaderValues, subject_value
from explorer.core.checks.values import MISSING, CheckProblem, Value, as_text, short, shown
from explorer.core.model import Assertion, Capture, Operator, Subject

MAX_CAPTURE_CHARS = 1024 * 1024  # as a variable's expanded value (resolve.variables)
SCHEMA_SUBJECTS = frozenset({Subject.JSON_SCHEMA, Subject.OPENAPI})
# Operators that take no expected value.
NO_EXPECTED = frozenset({Operator.EXISTS, Operator.VALID})


@dataclass(frozen=True)
class CheckContext:
    """What a check needs besides the response.

    `resolve` expands `{{variables}}` in a text (arguments, expected values);
    `variable` gives one variable's current value (None: not set), for the `variable`
    subject; `root` is the collection folder, the only place schema and OpenAPI files
    are read from (None: a request in no collection, so no files are read).
    """

    resolve: Callable[[str], str]
    variable: Callable[[str], str | None]
    root: Path | None = None


def describe(assertion: Assertion) -> str:
    """One line saying what `assertion` checks, e.g. `jsonpath $.id > 0`, as a default
    label and in the window's lists."""
    parts = [assertion.subject.value]
    if assertion.argument:
        parts.append(_one_line(assertion.argument))
    parts += [_one_line(text) for text in assertion.filters]
    if assertion.negate:
        parts.append("not")
    if assertion.operator is Operator.COUNT:
        parts += ["count", "==", _one_line(assertion.expected)]
    elif assertion.operator is Operator.VALID or assertion.subject in SCHEMA_SUBJECTS:
        parts.append("valid")
    else:
        parts.append(assertion.operator.value)
        if assertion.operator not in NO_EXPECTED:
            parts.append(_one_line(assertion.expected) or '""')
    return " ".join(part for part in parts if part)


def _one_line(text: str) -> str:
    return short(" ".join(text.split()) if "\n" in text else text)


def evaluate(
    assertion: Assertion, facts: ResponseFacts, context: CheckContext, source: str = "request"
) -> AssertionResult:
    """The result of `assertion` on `facts`: passed or not, with the actual and
    expected values as short text, and a message when it could not be judged."""
    label = assertion.name or describe(assertion)
    try:
        return _Evaluation(assertion, facts, context, label, source).run()
    except CheckProblem as problem:
        return AssertionResult(
            label,
            False,
            expected=_expected_shown(assertion, context),
            message=problem.message,
            source=source,
            assertion=assertion,
        )
    except Exception as error:  # noqa: BLE001 - a check must never break a run or a send
        return AssertionResult(
            label,
            False,
            message=f"The check failed unexpectedly: {type(error).__name__}: {error}"[:300],
            source=source,
            assertion=assertion,
        )


def _expected_shown(assertion: Assertion, context: CheckContext) -> str:
    if assertion.subject in SCHEMA_SUBJECTS:
        return "not valid" if assertion.negate else "valid"
    if assertion.operator in NO_EXPECTED:
        return ""
    try:
        return short(_resolved(assertion.expected, context))
    except Exception:  # noqa: BLE001 - only for display; the message already says why
        return short(assertion.expected)


def _filtered(value: Value, filters: tuple[str, ...], resolve: Callable[[str], str]) -> Value:
    from explorer.core.checks.filters import apply_filters  # only rows with filters need it

    return apply_filters(value, filters, resolve)  # `nth {{index}}`: variables in arguments


def _resolved(text: str, context: CheckContext) -> str:
    return context.resolve(text) if "{{" in text else text


# Comparisons of one value: a one-node result of a non-singular query is compared as
# that node (`count`, `contains`, `isType` still see the list).
ONE_NODE = frozenset(
    (
        Operator.EQ,
        Operator.NE,
        Operator.LT,
        Operator.LE,
        Operator.GT,
        Operator.GE,
        Operator.STARTS_WITH,
        Operator.ENDS_WITH,
        Operator.MATCHES,
    )
)


class _Evaluation:
    """One assertion on one response."""

    def __init__(
        self,
        assertion: Assertion,
        facts: ResponseFacts,
        context: CheckContext,
        label: str,
        source: str,
    ) -> None:
        self.assertion = assertion
        self.facts = facts
        self.context = context
        self.label = label
        self.source = source

    def result(
        self, passed: bool, actual: str, expected: str, message: str = ""
    ) -> AssertionResult:
        message = " ".join(message.split())  # one line, whatever the argument held
        return AssertionResult(
            self.label, passed, actual, expected, message, self.source, self.assertion
        )

    def run(self) -> AssertionResult:
        assertion = self.assertion
        argument = _resolved(assertion.argument, self.context)
        if assertion.subject in SCHEMA_SUBJECTS:
            return self.schema(argument)
        if assertion.operator is Operator.VALID:
            raise CheckProblem("valid applies to the jsonschema and openapi subjects")
        value = subject_value(assertion.subject, argument, self.facts, self.context.variable)
        if assertion.filters:
            value = _filtered(value, assertion.filters, self.context.resolve)
        if assertion.operator is Operator.EXISTS:
            present = value is not MISSING and not (isinstance(value, NodeSet) and not value)
            if assertion.subject is Subject.JMESPATH and value is None:
                present = False  # JMESPath cannot tell a missing key from a null one
            passed = present != assertion.negate
            return self.result(passed, shown(value), "")
        expected = read_expected(_resolved(assertion.expected, self.context))
        if value is MISSING:
            return self.result(False, shown(value), short(expected.text), self.nothing(argument))
        if isinstance(value, HeaderValues) and not assertion.filters and self.any_of_several:
            matched = any(compare(assertion.operator, one, expected) for one in value)
        elif isinstance(value, NodeSet) and len(value) == 1 and assertion.operator in ONE_NODE:
            matched = self.one_node(value, expected)
        else:
            matched = compare(assertion.operator, value, expected)
        return self.result(matched != assertion.negate, shown(value), short(expected.text))

    def one_node(self, value: NodeSet, expected: Expected) -> bool:
        """A query that may select several things (a filter, a wildcard) selected one:
        `$[?(@.id == 1)].name == "Bob"` compares that one value, as Hurl does. Equality
        also holds when the list itself is what was expected (`== ["Bob"]`)."""
        operator = self.assertion.operator
        if operator in (Operator.EQ, Operator.NE):
            equal = compare(Operator.EQ, value[0], expected) or compare(
                Operator.EQ, value, expected
            )
            return equal if operator is Operator.EQ else not equal
        return compare(operator, value[0], expected)

    @property
    def any_of_several(self) -> bool:
        return self.assertion.operator not in (Operator.COUNT, Operator.IS_TYPE)

    def nothing(self, argument: str) -> str:
        subject = self.assertion.subject
        if subject is Subject.HEADER:
            return f"The response has no {argument.strip()} header"
        if subject is Subject.COOKIE:
            return f"The response set no cookie {argument.strip()}"
        if subject is Subject.VARIABLE:
            return f"The variable {argument.strip()} is not set"
        if self.assertion.filters:
            return "No value after the filters"
        return f"{subject.value} {short(argument)} matched nothing"

    def schema(self, argument: str) -> AssertionResult:
        if self.assertion.operator not in (Operator.VALID, Operator.EQ, Operator.EXISTS):
            raise CheckProblem(f"{self.assertion.subject.value} is checked with `valid`")
        root = self.context.root
        if self.assertion.subject is Subject.JSON_SCHEMA:
            schema, base = json_schema_argument(argument, root)
            errors = validate(body_json(self.facts), schema, base, root)
        else:
            errors = self.openapi(argument, root)
        valid = not errors
        passed = valid != self.assertion.negate
        expected = "not valid" if self.assertion.negate else "valid"
        if valid:
            return self.result(passed, "valid", expected)
        more = "+" if len(errors) >= MAX_ERRORS else ""  # collecting stopped there
        count = f"{len(errors)} or more" if more else str(len(errors))
        actual = f"{count} error" + "s" * (len(errors) > 1)
        message = "; ".join(errors[:MAX_ERRORS_SHOWN])
        if len(errors) > MAX_ERRORS_SHOWN:
            message += f" (and {len(errors) - MAX_ERRORS_SHOWN}{more} more)"
        return self.result(passed, actual, expected, message)

    def openapi(self, argument: str, root: Path | None) -> list[str]:
        """Errors of the response against the operation. After redirects the request's
        own answer was the first redirect: its status is judged, and the body (the
        target's) is not."""
        facts = self.facts
        if facts.redirect_statuses:
            status = facts.redirect_statuses[0]
            return openapi_errors(argument, status, "", None, root, body_checked=False)
        try:
            body: Value | CheckProblem = body_json(facts)
        except CheckProblem as problem:
            body = problem
        return openapi_errors(argument, facts.status, facts.content_type, body, root)


def capture(
    capture: Capture, facts: ResponseFacts, context: CheckContext, source: str = "request"
) -> CapturedValue:
    """The value `capture` takes from `facts`, as text (JSON for lists and objects);
    None with a message when there is nothing to take."""

    def empty(message: str) -> CapturedValue:
        message = " ".join(message.split())  # one line, whatever the argument held
        return CapturedValue(
            capture.variable, None, capture.secret, capture.to_environment, message, source
        )

    try:
        if capture.subject in SCHEMA_SUBJECTS:
            return empty(f"{capture.subject.value} is a check, it has no value to capture")
        argument = _resolved(capture.argument, context)
        value = subject_value(capture.subject, argument, facts, context.variable)
        if capture.filters:
            value = _filtered(value, capture.filters, context.resolve)
    except CheckProblem as problem:
        return empty(problem.message)
    except Exception as error:  # noqa: BLE001 - a capture must never break a run or a send
        return empty(f"The capture failed unexpectedly: {type(error).__name__}: {error}"[:300])
    if value is MISSING or (isinstance(value, NodeSet) and not value):
        return empty(f"{capture.subject.value} {short(capture.argument)} matched nothing".strip())
    if capture.subject is Subject.BODY and not facts.body_complete:
        return empty("The body was not read whole")
    text = as_text(list(value) if isinstance(value, NodeSet) else value)
    if len(text) > MAX_CAPTURE_CHARS:
        return empty(f"The value is longer than {MAX_CAPTURE_CHARS:,} characters")
    return CapturedValue(capture.variable, text, capture.secret, capture.to_environment, "", source)


__all__ = ["CheckContext", "Expected", "capture", "describe", "evaluate"]
