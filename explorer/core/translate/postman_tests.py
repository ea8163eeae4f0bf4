"""Postman test scripts as assertions and captures.

The forms real collections use are converted: `pm.test(name, fn)` around
`pm.response.to.have.status/header/jsonBody/body/jsonSchema`, `pm.response.to.be.ok`
(and `success`, `notFound`, `json`, …), `pm.expect(<part of the response>)` with a chai
chain (`eql`, `equal`, `include`, `a("string")`, `lengthOf`, `above`, `below`, `match`,
`property`, `exist`, `not`, …), the legacy `tests["name"] = responseCode.code === 200`
and `responseBody.has("x")`, and variables set from the response
(`pm.environment/collectionVariables/globals/variables.set`,
`postman.setEnvironmentVariable/setGlobalVariable`). The body is named as
`pm.response.json()`, `JSON.parse(responseBody)` or a variable holding either; a member
path (`jsonData.items[0].id`) becomes JSONPath (`$.items[0].id`).

Everything else stays in the kept script, verbatim, never run (see `statements`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from explorer.core.model import Assertion, Capture, Operator, Scripts, Subject
from explorer.core.translate import Translation
from explorer.core.translate.expressions import (
    JSON_ROOT,
    LANGUAGE_CHAINS,
    Reader,
    Ref,
    encode_expected,
)
from explorer.core.translate.javascript import (
    Link,
    Unconvertible,
    chain,
    literal,
    names,
    string_value,
    text,
)
from explorer.core.translate.paths import lodash_segments
from explorer.core.translate.statements import translate

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["EventChecks", "checks_from_events", "conversion_note", "translate_tests"]

# Variable scopes a script reads with `.get(name)` and writes with `.set(name, value)`.
_READ_SCOPES = ("environment", "collectionVariables", "globals", "variables", "iterationData")
_WRITE_SCOPES = {
    "environment": True,
    "collectionVariables": False,
    "globals": False,
    "variables": False,
}
_LEGACY_SETTERS = {"setEnvironmentVariable": True, "setGlobalVariable": False}
_LEGACY_GETTERS = ("getEnvironmentVariable", "getGlobalVariable")
_LEGACY_SCOPES = ("environment", "globals", "data")

# chai-postman's status properties: one code, or a class of codes [low, high).
_STATUS_CODES = {
    "ok": 200,
    "accepted": 202,
    "badRequest": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "notFound": 404,
    "rateLimited": 429,
}
_STATUS_CLASSES = {
    "info": (100, 200),
    "success": (200, 300),
    "redirection": (300, 400),
    "clientError": (400, 500),
    "serverError": (500, 600),
    "error": (400, 600),
}
_FUNCTIONS = ("function_expression", "function", "arrow_function")


def translate_tests(source: str) -> Translation:
    """A Postman test script as rows plus the statements kept as they were."""
    return translate(source, _Postman())


@dataclass
class _PostmanReader(Reader):
    def root(self, name: str, links: list[Link]) -> tuple[Ref, int]:
        words = names(links)
        if name == "pm":
            if words[:2] == ["response", "code"]:
                return Ref(Subject.STATUS), 2
            if words[:2] == ["response", "responseTime"]:
                return Ref(Subject.DURATION), 2
            if words[:2] == ["response", "responseSize"]:
                return Ref(Subject.SIZE), 2
            if words[:3] == ["response", "text", "()"] and not links[2].args:
                return Ref(Subject.BODY), 3
            if words[:3] == ["response", "json", "()"] and not links[2].args:
                return JSON_ROOT, 3
            if words[:4] == ["response", "headers", "get", "()"]:
                return Ref(Subject.HEADER, _one_string(links[3])), 4
            if words[:3] == ["cookies", "get", "()"]:
                return Ref(Subject.COOKIE, _one_string(links[2])), 3
        if name == "responseCode" and words[:1] == ["code"]:
            return Ref(Subject.STATUS), 1
        if name == "responseTime":
            return Ref(Subject.DURATION), 0
        if name == "responseBody":
            return Ref(Subject.BODY), 0
        if name == "JSON" and words[:2] == ["parse", "()"] and len(links[1].args) == 1:
            if self.resolve(links[1].args[0]).subject == Subject.BODY:
                return JSON_ROOT, 2
        if name == "postman" and words[:2] == ["getResponseHeader", "()"]:
            return Ref(Subject.HEADER, _one_string(links[1])), 2
        if name == "postman" and words[:3] == ["getResponseCookie", "()", "value"]:
            return Ref(Subject.COOKIE, _one_string(links[1])), 3
        if name == "responseHeaders" and links and links[0].kind in ("prop", "index"):
            header = links[0].name if links[0].kind == "prop" else links[0].index
            if isinstance(header, str):
                return Ref(Subject.HEADER, header), 1
        raise Unconvertible(name)

    def variable(self, name: str, links: list[Link]) -> str:
        words = names(links)
        if (
            name == "pm"
            and len(words) == 3
            and words[0] in _READ_SCOPES
            and words[1:] == ["get", "()"]
        ):
            return "{{" + _one_string(links[2]) + "}}"
        if name == "pm" and words == ["variables", "replaceIn", "()"]:
            return _one_string(links[2])
        if (
            name == "postman"
            and len(words) == 2
            and words[0] in _LEGACY_GETTERS
            and words[1] == "()"
        ):
            return "{{" + _one_string(links[1]) + "}}"
        if name in _LEGACY_SCOPES and len(links) == 1 and links[0].kind in ("prop", "index"):
            key = links[0].name if links[0].kind == "prop" else links[0].index
            if isinstance(key, str):
                return "{{" + key + "}}"
        raise Unconvertible(name)


def _one_string(link: Link) -> str:
    if len(link.args) != 1:
        raise Unconvertible("arguments")
    return string_value(link.args[0])


class _Postman:
    """The Postman dialect for `statements.translate`."""

    def reader(self) -> Reader:
        return _PostmanReader()

    def container(self, statement: Node) -> tuple[str, list[Node]] | None:
        expression = _expression(statement)
        if expression is None or expression.type != "call_expression":
            return None
        root, links = chain(expression)
        if text(root) != "pm" or names(links) != ["test", "()"] or len(links[1].args) != 2:
            return None
        title, function = links[1].args
        if function.type not in _FUNCTIONS:
            return None
        try:
            name = string_value(title)
        except Unconvertible:
            name = text(title)
        body = function.child_by_field_name("body")
        if body is None:
            return None
        return name, (list(body.named_children) if body.type == "statement_block" else [body])

    def statement(self, statement: Node, reader: Reader) -> tuple[list[Assertion], list[Capture]]:
        expression = _expression(statement)
        if expression is None:
            raise Unconvertible(statement.type)
        if expression.type == "assignment_expression":
            return _legacy_test(expression, reader), []
        root, links = chain(expression)
        if root.type != "identifier":
            raise Unconvertible(root.type)
        name, words = text(root), names(links)
        if name == "pm" and words[:2] == ["expect", "()"] and 1 <= len(links[1].args) <= 2:
            return _expect(links[1].args[0], links[2:], reader), []
        if name == "pm" and words[:2] == ["response", "to"]:
            return _response(links[2:], reader), []
        if (
            name == "pm"
            and len(words) == 3
            and words[0] in _WRITE_SCOPES
            and words[1:] == ["set", "()"]
        ):
            return [], [_capture(links[2], reader, _WRITE_SCOPES[words[0]])]
        if (
            name == "postman"
            and len(words) == 2
            and words[0] in _LEGACY_SETTERS
            and words[1] == "()"
        ):
            return [], [_capture(links[1], reader, _LEGACY_SETTERS[words[0]])]
        raise Unconvertible(name)


def _expression(statement: Node) -> Node | None:
    """The expression of an expression statement (or an arrow function's body)."""
    if statement.type == "expression_statement":
        inner = [node for node in statement.named_children if node.type != "comment"]
        return inner[0] if len(inner) == 1 else None
    if statement.type.endswith("_expression") or statement.type in (
        "identifier",
        "call_expression",
    ):
        return statement
    return None


def _expect(subject: Node, links: list[Link], reader: Reader) -> list[Assertion]:
    try:
        ref = reader.resolve(subject)
    except Unconvertible:
        # `pm.expect(<boolean expression>).to.be.true` (or `.ok`, `.false`)
        words = [word for word in names(links) if word not in LANGUAGE_CHAINS]
        negate = words.count("not") % 2 == 1
        words = [word for word in words if word != "not"]
        if words not in (["true"], ["ok"], ["false"]):
            raise
        return reader.boolean(subject, negate != (words == ["false"]))
    return reader.chai(ref, links)


def _capture(call: Link, reader: Reader, to_environment: bool) -> Capture:
    if len(call.args) != 2:
        raise Unconvertible("set arguments")
    name = string_value(call.args[0])
    if not name.strip():
        raise Unconvertible("variable name")
    return reader.resolve(call.args[1]).capture(name, to_environment)


def _legacy_test(expression: Node, reader: Reader) -> list[Assertion]:
    """`tests["name"] = <boolean expression>;`"""
    left = expression.child_by_field_name("left")
    right = expression.child_by_field_name("right")
    operator = expression.child_by_field_name("operator")
    if left is None or right is None or (operator is not None and text(operator) != "="):
        raise Unconvertible("assignment")
    root, links = chain(left)
    if text(root) != "tests" or len(links) != 1:
        raise Unconvertible("not a test")
    name = links[0].name if links[0].kind == "prop" else links[0].index
    if not isinstance(name, str):
        raise Unconvertible("test name")
    return [replace(row, name=name) for row in reader.boolean(right)]


def _response(links: list[Link], reader: Reader) -> list[Assertion]:
    """The chain after `pm.response.to`: `.have.status(200)`, `.be.ok`, `.not.have.header("X")`…"""
    out: list[Assertion] = []
    negate = False
    index = 0
    while index < len(links):
        link = links[index]
        if link.kind != "prop":
            raise Unconvertible("chain")
        call = (
            links[index + 1] if index + 1 < len(links) and links[index + 1].kind == "call" else None
        )
        index += 2 if call is not None else 1
        word = link.name
        if call is None:
            if word in LANGUAGE_CHAINS:
                continue
            if word == "not":
                negate = not negate
            else:
                out += _response_flag(word, negate)
            continue
        out += _response_call(word, list(call.args), negate, reader)
    if not out:
        raise Unconvertible("no assertion")
    return out


def _response_flag(word: str, negate: bool) -> list[Assertion]:
    status = Ref(Subject.STATUS)
    if word in _STATUS_CODES:
        return [status.assertion(Operator.EQ, str(_STATUS_CODES[word]), negate)]
    if word in _STATUS_CLASSES and not negate:
        low, high = _STATUS_CLASSES[word]
        return [status.assertion(Operator.GE, str(low)), status.assertion(Operator.LT, str(high))]
    if word == "json":
        return [JSON_ROOT.assertion(Operator.EXISTS, negate=negate)]
    if word == "withBody":
        return [Ref(Subject.SIZE).assertion(Operator.GT, "0", negate)]
    raise Unconvertible(word)


def _response_call(word: str, args: list[Node], negate: bool, reader: Reader) -> list[Assertion]:
    if word == "status" and len(args) == 1:
        code = literal(args[0])
        if not isinstance(code, int) or isinstance(code, bool):
            raise Unconvertible("status text")
        return [Ref(Subject.STATUS).assertion(Operator.EQ, str(code), negate)]
    if word == "header" and len(args) in (1, 2):
        header = Ref(Subject.HEADER, string_value(args[0]))
        if len(args) == 1:
            return [header.assertion(Operator.EXISTS, negate=negate)]
        return [header.assertion(Operator.EQ, reader.expected(args[1]), negate)]
    if word == "jsonBody" and len(args) <= 2:
        if not args:
            return [JSON_ROOT.assertion(Operator.EXISTS, negate=negate)]
        value = literal(args[0])
        if isinstance(value, (dict, list)) and len(args) == 1:
            return [JSON_ROOT.assertion(Operator.EQ, json.dumps(value, ensure_ascii=False), negate)]
        if not isinstance(value, str):
            raise Unconvertible("jsonBody path")
        segments = lodash_segments(value)
        if segments is None:
            raise Unconvertible("jsonBody path")
        ref = Ref(Subject.JSONPATH, segments=segments)
        if len(args) == 1:
            return [ref.assertion(Operator.EXISTS, negate=negate)]
        return [ref.assertion(Operator.EQ, reader.expected(args[1]), negate)]
    if word == "body" and len(args) <= 1:
        if not args:
            return [Ref(Subject.SIZE).assertion(Operator.GT, "0", negate)]
        if args[0].type == "regex":
            return [Ref(Subject.BODY).assertion(Operator.MATCHES, reader.pattern(args[0]), negate)]
        return [Ref(Subject.BODY).assertion(Operator.EQ, _plain(args[0]), negate)]
    if word == "jsonSchema" and len(args) == 1:
        schema = literal(args[0])
        if not isinstance(schema, dict):
            raise Unconvertible("schema")
        argument = json.dumps(schema, ensure_ascii=False)
        return [Assertion(Subject.JSON_SCHEMA, Operator.VALID, "", argument, negate=negate)]
    raise Unconvertible(word)


def _plain(node: Node) -> str:
    """A body compared as text: the string itself, quoted when it would read as JSON."""
    return encode_expected(string_value(node))


@dataclass(frozen=True)
class EventChecks:
    """What the `event` list of one Postman item (collection, folder or request) became."""

    assertions: tuple[Assertion, ...] = ()
    captures: tuple[Capture, ...] = ()
    scripts: Scripts = field(default_factory=Scripts)
    converted: int = 0
    total: int = 0
    notes: tuple[str, ...] = ()


def checks_from_events(events: list[object], owner: str) -> EventChecks:
    """Translate the test scripts of `events` and keep the rest; `owner` ("the request
    'Login'") names the item in the notes for the import report."""
    assertions: list[Assertion] = []
    captures: list[Capture] = []
    kept_tests: list[str] = []
    kept_before: list[str] = []
    converted = total = 0
    notes: list[str] = []
    for event in events:
        if not isinstance(event, dict):
            continue
        listen = event.get("listen")
        source = _exec_text(event.get("script"))
        if not source.strip():
            continue
        if event.get("disabled") is True:
            notes.append(f"The disabled {listen or 'event'} script of {owner} was not imported.")
        elif listen == "test":
            translation = translate_tests(source)
            assertions += translation.assertions
            captures += translation.captures
            converted += translation.converted
            total += translation.total
            if translation.kept:
                kept_tests.append(translation.kept)
                notes.append(
                    f"The test script of {owner}: {translation.unconverted} of "
                    f"{translation.total} statements kept as Postman script (not run)."
                )
        elif listen == "prerequest":
            kept_before.append(source)
            notes.append(f"The prerequest script of {owner} was kept as Postman script (not run).")
        else:
            notes.append(f"The {listen or 'unknown'} script of {owner} was not imported.")
    scripts = Scripts(
        kept_pre_request="\n".join(kept_before), kept_post_response="\n".join(kept_tests)
    )
    return EventChecks(tuple(assertions), tuple(captures), scripts, converted, total, tuple(notes))


def _exec_text(script: object) -> str:
    """The source of a Postman `script` object: `exec` is a list of lines or one text."""
    if not isinstance(script, dict):
        return ""
    lines = script.get("exec")
    if isinstance(lines, str):
        return lines
    if isinstance(lines, list):
        return "\n".join(line for line in lines if isinstance(line, str))
    return ""


def conversion_note(converted: int, total: int) -> str:
    """The import report's line on test scripts: "converted 41 of 48 test statements"."""
    rest = total - converted
    tail = f"; the other {rest} are kept as Postman script (shown, not run)" if rest else ""
    return (
        f"Postman tests: converted {converted} of {total} test statements "
        f"into assertions and captures{tail}."
    )
