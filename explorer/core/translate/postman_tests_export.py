"""Assertions and captures as a Postman test script that newman runs with the same meaning.

Each assertion becomes a `pm.expect(...)` (or `pm.response.to.have.status/header(...)`)
inside `pm.test(name, ...)`; consecutive assertions of the same name share one test, so an
imported `pm.test` with three expectations goes back out as one. Captures become
`pm.environment.set` (to the environment) or `pm.collectionVariables.set`. A JSONPath
or JMESPath becomes member access with optional chaining (`pm.response.json()?.items?.[0]`),
so a missing member is `undefined` as a JSONPath with no match is "no value".

What JavaScript cannot say the same way (XPath, OpenAPI, a schema in a file, filters
other than `count`, redirects, URL, HTTP version, SHA-256, disabled rows, date types) is
left out and listed in the `Script`'s losses. The kept Postman script is appended verbatim.
`postman_tests.translate_tests` reads every script written here back into the same rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.core.translate.check_blocks import RowLoss, Script, check_blocks
from explorer.core.translate.javascript import (
    MAX_WALK_NODES,
    identifiers,
    js_string,
    parse,
    text,
)
from explorer.core.translate.paths import (
    javascript_access,
    jmespath_segments,
    jsonpath,
    jsonpath_segments,
)

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["postman_test_script"]

_VARIABLE_ONLY = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*\}\}")
_TYPES = {
    "string": "string",
    "number": "number",
    "boolean": "boolean",
    "list": "array",
    "object": "object",
    "null": "null",
}
_CHAI = {
    Operator.EQ: "to.eql",
    Operator.NE: "to.not.eql",
    Operator.LT: "to.be.below",
    Operator.LE: "to.be.at.most",
    Operator.GT: "to.be.above",
    Operator.GE: "to.be.at.least",
    Operator.CONTAINS: "to.include",
    Operator.COUNT: "to.have.lengthOf",
}


def postman_test_script(
    assertions: tuple[Assertion, ...], captures: tuple[Capture, ...], kept: str, owner: str
) -> Script:
    """The Postman test script of one request, folder or collection (`owner` names it in
    the losses): the rows as JavaScript, then the kept script verbatim."""
    lines, losses = check_blocks(
        map(_canonical, assertions),
        captures,
        owner,
        "pm.test",
        lambda assertion, _name: _assertion(assertion),
        _capture,
    )
    dialect = foreign_dialect(kept) if kept.strip() else None
    if dialect is not None:
        losses.append(foreign_loss(dialect, "post-response", owner))
    elif kept.strip():
        lines += kept.rstrip("\n").split("\n")
    return Script(tuple(lines), tuple(losses))


_POSTMAN_NAMES = {"pm", "postman", "tests", "responseBody", "responseCode", "responseHeaders"}
# The globals another tool's scripts are written against, none of which Postman's sandbox
# has: such a script, kept from an import, would only fail in newman.
_FOREIGN_GLOBALS = {
    "client": "JetBrains handler",  # .http files (JetBrains, httpyac)
    "bru": "Bruno",
    "req": "Bruno",
    "res": "Bruno",
    "insomnia": "Insomnia",
}


def foreign_dialect(kept: str) -> str | None:
    """The tool a kept script was written for when it is not Postman ("JetBrains
    handler", "Bruno", "Insomnia"), by the globals it uses and none of Postman's;
    None for a Postman script, plain JavaScript or text that does not parse."""
    parsed = parse(kept)
    if parsed is None:
        return None
    # A script's own locals (`const responseBody = res.getBody()` in a Bruno test, `const
    # res = ...` in plain JavaScript) are not the globals of any tool.
    used = identifiers(parsed[1]) - _declared(parsed[1])
    if used & _POSTMAN_NAMES:
        return None
    return next((tool for name, tool in _FOREIGN_GLOBALS.items() if name in used), None)


_BINDING_FIELDS = {
    "variable_declarator": "name",
    "function_declaration": "name",
    "class_declaration": "name",
    "arrow_function": "parameter",
}


def _declared(node: Node) -> set[str]:
    """The plain identifiers `node` declares anywhere (variables, functions, classes,
    parameters), scopes ignored (bounded)."""
    found: set[str] = set()
    pending = [node]
    visited = 0
    while pending and visited < MAX_WALK_NODES:
        current = pending.pop()
        visited += 1
        bound = _BINDING_FIELDS.get(current.type)
        name = current.child_by_field_name(bound) if bound else None
        if name is not None and name.type == "identifier":
            found.add(text(name))
        if current.type == "formal_parameters":
            found.update(text(p) for p in current.named_children if p.type == "identifier")
        pending.extend(current.named_children)
    return found


def foreign_loss(dialect: str, phase: str, owner: str) -> str:
    """The export report's sentence for a kept `dialect` script left out."""
    return (
        f"The kept {dialect} {phase} script of {owner} was not exported: newman would fail "
        "on it (Postman's sandbox has only `pm`)."
    )


def _canonical(assertion: Assertion) -> Assertion:
    """A plain JMESPath as the JSONPath it becomes, so that its default name is the one
    the assertion has when the script is read back."""
    if assertion.subject != Subject.JMESPATH:
        return assertion
    segments = jmespath_segments(assertion.argument)
    if segments is None:
        return assertion
    return replace(assertion, subject=Subject.JSONPATH, argument=jsonpath(segments))


def _capture(capture: Capture) -> str:
    value = _value(capture.subject, capture.argument, capture.filters)
    scope = "environment" if capture.to_environment else "collectionVariables"
    return f"pm.{scope}.set({js_string(capture.variable)}, {value});"


def _assertion(assertion: Assertion) -> str:
    subject, operator, negate = assertion.subject, assertion.operator, assertion.negate
    expected = assertion.expected
    if subject == Subject.STATUS and operator == Operator.EQ and not assertion.filters:
        code = _json(expected)
        if isinstance(code, int) and not isinstance(code, bool):
            return f"pm.response.to{'.not' if negate else ''}.have.status({code});"
    if subject == Subject.HEADER and operator == Operator.EXISTS and not assertion.filters:
        name = js_string(assertion.argument)
        return f"pm.response.to{'.not' if negate else ''}.have.header({name});"
    if subject == Subject.JSON_SCHEMA and operator == Operator.VALID:
        return _schema(assertion.argument, negate)
    if subject in (Subject.OPENAPI, Subject.JSON_SCHEMA):
        raise RowLoss(f"{subject.value} is only checked with the operator valid")
    value = _value(subject, assertion.argument, assertion.filters)
    if operator in (Operator.STARTS_WITH, Operator.ENDS_WITH):
        method = "startsWith" if operator == Operator.STARTS_WITH else "endsWith"
        check = f"{value}.{method}({_expected(expected)})"
        return f"pm.expect({check}).to.be.{'false' if negate else 'true'};"
    flag = ".not" if negate else ""
    if operator == Operator.EXISTS:
        return f"pm.expect({value}).to{flag}.exist;"
    if operator == Operator.MATCHES:
        return f"pm.expect({value}).to{flag}.match({_regex(expected)});"
    if operator == Operator.IS_TYPE:
        return _type(value, expected, flag)
    if operator in _CHAI:
        chai = _CHAI[operator]
        if negate:
            chai = chai.replace("to.", "to.not.", 1)
        return f"pm.expect({value}).{chai}({_expected(expected)});"
    raise RowLoss(f"the operator {operator.value} has no Postman form")


def _type(value: str, expected: str, flag: str) -> str:
    kind = expected.strip().lower()
    if kind in _TYPES:
        return f"pm.expect({value}).to{flag}.be.a({js_string(_TYPES[kind])});"
    if kind == "empty":
        return f"pm.expect({value}).to{flag}.be.empty;"
    if kind == "integer":
        truth = "false" if flag else "true"
        return f"pm.expect(Number.isInteger({value})).to.be.{truth};"
    raise RowLoss(f"the type {expected!r} has no chai form")


def _schema(argument: str, negate: bool) -> str:
    try:
        schema = json.loads(argument)
    except ValueError:
        raise RowLoss("the schema is a file, not inline JSON") from None
    if not isinstance(schema, dict):
        raise RowLoss("the schema is not a JSON object")
    text = json.dumps(schema, ensure_ascii=False)
    return f"pm.response.to{'.not' if negate else ''}.have.jsonSchema({text});"


def _value(subject: Subject, argument: str, filters: tuple[str, ...]) -> str:
    """The JavaScript expression of a subject in newman's sandbox."""
    if filters and filters != ("count",):
        raise RowLoss(f"the filters {' | '.join(filters)} have no Postman form")
    if subject == Subject.STATUS:
        value = "pm.response.code"
    elif subject == Subject.HEADER:
        value = f"pm.response.headers.get({js_string(argument)})"
    elif subject == Subject.COOKIE:
        value = f"pm.cookies.get({js_string(argument)})"
    elif subject == Subject.BODY:
        value = "pm.response.text()"
    elif subject == Subject.DURATION:
        value = "pm.response.responseTime"
    elif subject == Subject.SIZE:
        value = "pm.response.responseSize"
    elif subject == Subject.VARIABLE:
        value = f"pm.variables.get({js_string(argument)})"
    elif subject in (Subject.JSONPATH, Subject.JMESPATH):
        segments = (
            jsonpath_segments(argument)
            if subject == Subject.JSONPATH
            else jmespath_segments(argument)
        )
        if segments is None:
            raise RowLoss(f"the {subject.value} {argument!r} is not a plain path")
        value = "pm.response.json()" + javascript_access(segments)
    else:
        raise RowLoss(f"the subject {subject.value} has no Postman form")
    if filters == ("count",):
        value += "?.length" if subject in (Subject.JSONPATH, Subject.JMESPATH) else ".length"
    return value


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _expected(expected: str) -> str:
    """An expected value as JavaScript: a variable lookup, a JSON literal or a string."""
    only = _VARIABLE_ONLY.fullmatch(expected.strip())
    if only:
        return f"pm.variables.get({js_string(only.group(1))})"
    if "{{" in expected:
        return f"pm.variables.replaceIn({js_string(expected)})"
    try:
        value = json.loads(expected)
    except ValueError:
        return js_string(expected)
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:  # 1e999 reads as infinity, which JSON cannot write
        return js_string(expected)


def _regex(pattern: str) -> str:
    flags = ""
    inline = re.match(r"\(\?([ims]+)\)", pattern)
    if inline:
        flags, pattern = inline.group(1), pattern[inline.end() :]
    if "{{" in pattern:
        source = f"pm.variables.replaceIn({js_string(pattern)})"
    else:
        source = js_string(pattern)
    return f"new RegExp({source}, {js_string(flags)})" if flags else f"new RegExp({source})"
