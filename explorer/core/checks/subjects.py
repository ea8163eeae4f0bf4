"""The value of each `Subject` in a response (what an assertion compares, what a capture
keeps). Schema subjects are not values: `evaluate` validates them itself."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from explorer.core.checks.queries import (
    NodeSet,
    body_json,
    body_text,
    body_xpath,
    jmespath_query,
    jsonpath_query,
    require_complete,
)
from explorer.core.checks.results import ResponseFacts
from explorer.core.checks.values import MISSING, CheckProblem, Value, user_regex
from explorer.core.model import Subject

NEEDS_ARGUMENT = frozenset(
    {
        Subject.HEADER,
        Subject.JSONPATH,
        Subject.JMESPATH,
        Subject.XPATH,
        Subject.REGEX,
        Subject.COOKIE,
        Subject.JSON_SCHEMA,
        Subject.OPENAPI,
        Subject.VARIABLE,
    }
)
ARGUMENT_NAMES = {
    Subject.HEADER: "a header name",
    Subject.JSONPATH: "a JSONPath expression",
    Subject.JMESPATH: "a JMESPath expression",
    Subject.XPATH: "an XPath expression",
    Subject.REGEX: "a regular expression",
    Subject.COOKIE: "a cookie name",
    Subject.JSON_SCHEMA: "a JSON Schema (inline JSON or a file in the collection)",
    Subject.OPENAPI: "an OpenAPI operation (FILE#METHOD /path)",
    Subject.VARIABLE: "a variable name",
}


class HeaderValues(NodeSet):
    """Several values of one header: a comparison passes when one of them does."""


def subject_value(
    subject: Subject,
    argument: str,
    facts: ResponseFacts,
    variable: Callable[[str], str | None],
) -> Value:
    """The value `subject` (with its resolved `argument`) has in `facts`; MISSING when
    there is none; CheckProblem when it cannot be read."""
    if subject in NEEDS_ARGUMENT and not argument.strip():
        raise CheckProblem(f"{subject.value} needs {ARGUMENT_NAMES[subject]}")
    reader = _READERS.get(subject)
    if reader is None:
        raise CheckProblem(f"{subject.value} is checked with `valid`, it has no value")
    return reader(argument, facts, variable)


def _status(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return facts.status


def _header(argument: str, facts: ResponseFacts, variable: object) -> Value:
    wanted = argument.strip().lower()
    values = [value for name, value in facts.headers if name.lower() == wanted]
    if not values:
        return MISSING
    return values[0] if len(values) == 1 else HeaderValues(values)


def _jsonpath(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return jsonpath_query(body_json(facts), argument)


def _jmespath(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return jmespath_query(body_json(facts), argument)


def _xpath(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return body_xpath(facts, argument)


def _body(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return body_text(facts)


def _regex(argument: str, facts: ResponseFacts, variable: object) -> Value:
    pattern = user_regex(argument)
    match = pattern.search(body_text(facts))
    if match is None:
        return MISSING
    return match.group(1) if pattern.groups else match.group(0)


def _duration(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return round(facts.elapsed_ms, 3)


def _size(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return facts.body_size


_ATTRIBUTE = re.compile(r"(?P<name>.+)\[(?P<attribute>[A-Za-z-]+)\]")
# Hurl's cookie attributes, by the name SimpleCookie's morsels know them under.
_ATTRIBUTES = {
    "value": "",
    "expires": "expires",
    "max-age": "max-age",
    "domain": "domain",
    "path": "path",
    "secure": "secure",
    "httponly": "httponly",
    "samesite": "samesite",
}


def _cookie(argument: str, facts: ResponseFacts, variable: object) -> Value:
    """A cookie's value, or with Hurl's `name[Attribute]` one of its attributes (from
    the final response's Set-Cookie); a flag (Secure, HttpOnly) is true or missing."""
    wanted = argument.strip()
    parts = _ATTRIBUTE.fullmatch(wanted)
    if parts is not None and parts.group("attribute").lower() in _ATTRIBUTES:
        return _cookie_attribute(facts, parts.group("name"), parts.group("attribute").lower())
    found = [value for name, value in facts.cookies if name == wanted]
    return found[-1] if found else MISSING  # the last one set wins, as in a browser


def _cookie_attribute(facts: ResponseFacts, wanted: str, attribute: str) -> Value:
    from http.cookies import CookieError, SimpleCookie

    key = _ATTRIBUTES[attribute]
    found: Value = MISSING
    for header, text in facts.headers:
        if header.lower() != "set-cookie":
            continue
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(text)
        except CookieError:
            continue
        morsel = jar.get(wanted)
        if morsel is None:
            continue
        if not key:
            found = morsel.value
        elif key in ("secure", "httponly"):
            found = True if morsel[key] else MISSING
        else:
            found = morsel[key] if morsel[key] != "" else MISSING
    return found


def _redirects(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return facts.redirects


def _url(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return facts.url


def _version(argument: str, facts: ResponseFacts, variable: object) -> Value:
    return facts.http_version


def _sha256(argument: str, facts: ResponseFacts, variable: object) -> Value:
    require_complete(facts)
    return hashlib.sha256(facts.body).hexdigest()


def _variable(argument: str, facts: ResponseFacts, variable: Callable[[str], str | None]) -> Value:
    value = variable(argument.strip())
    return MISSING if value is None else value


_Reader = Callable[[str, ResponseFacts, Callable[[str], str | None]], Value]
_READERS: dict[Subject, _Reader] = {
    Subject.STATUS: _status,
    Subject.HEADER: _header,
    Subject.JSONPATH: _jsonpath,
    Subject.JMESPATH: _jmespath,
    Subject.XPATH: _xpath,
    Subject.BODY: _body,
    Subject.REGEX: _regex,
    Subject.DURATION: _duration,
    Subject.SIZE: _size,
    Subject.COOKIE: _cookie,
    Subject.REDIRECTS: _redirects,
    Subject.URL: _url,
    Subject.VERSION: _version,
    Subject.SHA256: _sha256,
    Subject.VARIABLE: _variable,
}
