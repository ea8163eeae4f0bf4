"""Model objects to plain data (dicts, lists, strings) and back.

The plain data is what goes into YAML and JSON files. Writing omits values equal to their
defaults so files stay short; reading accepts missing keys (defaults), keys in any order
and unknown keys (ignored), and raises `ShapeError` for values of the wrong type.
Key order on writing is fixed, so the same model always gives the same text.
"""

from __future__ import annotations

from dataclasses import fields, replace
from enum import StrEnum
from typing import Any, TypeVar

from explorer.core.collection import Environment, Variable
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    AwsSigV4,
    Body,
    BodyKind,
    Capture,
    GraphQL,
    OAuth1,
    OAuth2,
    Operator,
    Options,
    Pair,
    Part,
    Request,
    SavedMessage,
    Scripts,
    Stream,
    Subject,
)
from explorer.core.urls import split_url

_Kind = TypeVar("_Kind", bound=StrEnum)

SCHEMA_VERSION = 1


class ShapeError(ValueError):
    """A value in a file has the wrong type or an unknown enum value."""


# ---- reading helpers -------------------------------------------------------------------


def field_value(data: dict[str, Any], key: str, kind: type, default: Any, where: str) -> Any:
    """The value of `key` in `data` checked against `kind`; `default` when missing."""
    value = data.get(key, default)
    if value is None:
        return default
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # hand-written `value: 8080` means the text "8080"
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ShapeError(f"{where}{key}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ShapeError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def check_schema_version(data: dict[str, Any]) -> None:
    """Refuse files written by a newer, incompatible version of the app."""
    version = field_value(data, "schema_version", int, SCHEMA_VERSION, "")
    if version > SCHEMA_VERSION:
        raise ShapeError(
            f"schema_version {version} is newer than this app understands ({SCHEMA_VERSION})"
        )


# ---- pairs, parts, variables -----------------------------------------------------------


def pair_to_data(pair: Pair) -> dict[str, Any]:
    """A Pair as a mapping; `enabled` only when false."""
    data: dict[str, Any] = {"name": pair.name, "value": pair.value}
    if not pair.enabled:
        data["enabled"] = False
    return data


def pair_from_data(data: Any, where: str) -> Pair:
    """A Pair from a mapping (`name`, `value`, `enabled`)."""
    data = _mapping(data, where)
    return Pair(
        name=field_value(data, "name", str, "", where),
        value=field_value(data, "value", str, "", where),
        enabled=field_value(data, "enabled", bool, True, where),
    )


def pairs_from_data(value: Any, where: str) -> tuple[Pair, ...]:
    """A tuple of Pairs from a list of mappings."""
    return tuple(
        pair_from_data(item, f"{where}[{i}].") for i, item in enumerate(_list(value, where))
    )


def part_to_data(part: Part) -> dict[str, Any]:
    """A multipart Part as a mapping, empty fields omitted."""
    data: dict[str, Any] = {"name": part.name}
    for key in ("value", "file", "content_type"):
        if getattr(part, key):
            data[key] = getattr(part, key)
    if not part.enabled:
        data["enabled"] = False
    return data


def part_from_data(data: Any, where: str) -> Part:
    """A multipart Part from a mapping."""
    data = _mapping(data, where)
    return Part(
        name=field_value(data, "name", str, "", where),
        value=field_value(data, "value", str, "", where),
        file=field_value(data, "file", str, "", where),
        content_type=field_value(data, "content_type", str, "", where),
        enabled=field_value(data, "enabled", bool, True, where),
    )


def variable_to_data(variable: Variable) -> dict[str, Any]:
    """A Variable as a mapping. A secret one is written with its name only, never its value."""
    data: dict[str, Any] = {"name": variable.name}
    if variable.secret:
        data["secret"] = True
    else:
        data["value"] = variable.value
    if not variable.enabled:
        data["enabled"] = False
    return data


def variable_from_data(data: Any, where: str) -> Variable:
    """A Variable from a mapping; a secret one loads with an empty value."""
    data = _mapping(data, where)
    secret = field_value(data, "secret", bool, False, where)
    return Variable(
        name=field_value(data, "name", str, "", where),
        value="" if secret else field_value(data, "value", str, "", where),
        secret=secret,
        enabled=field_value(data, "enabled", bool, True, where),
    )


def variables_from_data(value: Any, where: str) -> tuple[Variable, ...]:
    """A tuple of Variables from a list of mappings."""
    return tuple(
        variable_from_data(item, f"{where}[{i}].") for i, item in enumerate(_list(value, where))
    )


# ---- small records: every field a str, bool, int, float, enum or tuple of str ---------

_Record = TypeVar("_Record", GraphQL, OAuth2, OAuth1, AwsSigV4, SavedMessage)


def record_to_data(record: object) -> dict[str, Any]:
    """The fields of a small record that differ from their defaults, in field order
    (enums as their values, tuples as lists)."""
    defaults = type(record)()
    data: dict[str, Any] = {}
    for f in fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if value == getattr(defaults, f.name):
            continue
        if isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        data[f.name] = value
    return data


def record_from_data(kind: type[_Record], value: Any, where: str) -> _Record:
    """A small record from a mapping; missing keys keep their defaults."""
    data = _mapping(value, where)
    defaults = kind()
    values: dict[str, Any] = {}
    for f in fields(kind):
        default = getattr(defaults, f.name)
        if isinstance(default, StrEnum):
            raw = data.get(f.name)
            values[f.name] = default if raw is None else _enum(type(default), raw, where)
        elif isinstance(default, tuple):
            values[f.name] = _strings(data.get(f.name), f"{where}{f.name}")
        else:
            values[f.name] = field_value(data, f.name, type(default), default, where)
    return kind(**values)


# ---- body, auth, options ---------------------------------------------------------------


def body_to_data(body: Body) -> dict[str, Any]:
    """A Body as a mapping: `kind` first, then every non-empty field (all kinds are kept,
    so switching the kind in the editor and saving loses nothing)."""
    data: dict[str, Any] = {"kind": body.kind.value}
    if body.content_type:
        data["content_type"] = body.content_type
    if body.text:
        data["text"] = body.text
    if body.form:
        data["form"] = [pair_to_data(p) for p in body.form]
    if body.parts:
        data["parts"] = [part_to_data(p) for p in body.parts]
    if body.file:
        data["file"] = body.file
    if body.graphql != GraphQL():
        data["graphql"] = record_to_data(body.graphql)
    return data


def _enum(enum_type: type[_Kind], value: object, where: str) -> _Kind:
    # Matched without regard to case: hand-written files say "RAW"; and values are not
    # all lower case ("isType", "startsWith"), so lowering the text alone is not enough.
    lowered = str(value).lower()
    for member in enum_type:
        if member.value.lower() == lowered:
            return member
    allowed = ", ".join(member.value for member in enum_type)
    raise ShapeError(f"{where}kind: {value!r} is not one of {allowed}")


def body_from_data(value: Any, where: str = "body.") -> Body:
    """A Body from a mapping."""
    data = _mapping(value, where)
    return Body(
        kind=_enum(BodyKind, data.get("kind", "none"), where),
        text=field_value(data, "text", str, "", where),
        content_type=field_value(data, "content_type", str, "", where),
        form=pairs_from_data(data.get("form"), f"{where}form"),
        parts=tuple(
            part_from_data(item, f"{where}parts[{i}].")
            for i, item in enumerate(_list(data.get("parts"), f"{where}parts"))
        ),
        file=field_value(data, "file", str, "", where),
        graphql=record_from_data(GraphQL, data.get("graphql"), f"{where}graphql."),
    )


_AUTH_TEXT_FIELDS = ("username", "password", "token", "key_name", "key_value")
_AUTH_PARTS = ("oauth2", "oauth1", "aws")


def auth_to_data(auth: Auth) -> dict[str, Any]:
    """An Auth as a mapping: `kind` first, then every non-default field."""
    data: dict[str, Any] = {"kind": auth.kind.value}
    for key in _AUTH_TEXT_FIELDS:
        if getattr(auth, key):
            data[key] = getattr(auth, key)
    if auth.key_in != Auth().key_in:
        data["key_in"] = auth.key_in
    for part in _AUTH_PARTS:
        record = getattr(auth, part)
        if record != getattr(Auth(), part):
            data[part] = record_to_data(record)
    return data


def auth_from_data(value: Any, default_kind: AuthKind, where: str = "auth.") -> Auth:
    """An Auth from a mapping; a missing `kind` means `default_kind`."""
    data = _mapping(value, where)
    kind = _enum(AuthKind, data["kind"], where) if data.get("kind") else default_kind
    texts = {key: field_value(data, key, str, "", where) for key in _AUTH_TEXT_FIELDS}
    key_in = field_value(data, "key_in", str, "header", where)
    if key_in not in ("header", "query"):
        raise ShapeError(f"{where}key_in: expected 'header' or 'query', got {key_in!r}")
    return Auth(
        kind=kind,
        key_in=key_in,
        oauth2=record_from_data(OAuth2, data.get("oauth2"), f"{where}oauth2."),
        oauth1=record_from_data(OAuth1, data.get("oauth1"), f"{where}oauth1."),
        aws=record_from_data(AwsSigV4, data.get("aws"), f"{where}aws."),
        **texts,
    )


def stream_to_data(stream: Stream) -> dict[str, Any]:
    """A Stream's non-default fields; saved messages as a list of mappings."""
    defaults = Stream()
    data: dict[str, Any] = {}
    if stream.subprotocols:
        data["subprotocols"] = list(stream.subprotocols)
    if stream.messages:
        data["messages"] = [
            {"name": m.name, "kind": m.kind.value, "text": m.text} for m in stream.messages
        ]
    for key in ("collect_messages", "collect_seconds"):
        if getattr(stream, key) != getattr(defaults, key):
            data[key] = getattr(stream, key)
    return data


def stream_from_data(value: Any, where: str = "stream.") -> Stream:
    """A Stream from a mapping; missing keys keep their defaults."""
    data = _mapping(value, where)
    defaults = Stream()
    messages = tuple(
        record_from_data(SavedMessage, item, f"{where}messages[{i}].")
        for i, item in enumerate(_list(data.get("messages"), f"{where}messages"))
    )
    return Stream(
        subprotocols=_strings(data.get("subprotocols"), f"{where}subprotocols"),
        messages=messages,
        collect_messages=field_value(data, "collect_messages", int, 0, where),
        collect_seconds=field_value(
            data, "collect_seconds", float, defaults.collect_seconds, where
        ),
    )


def options_to_data(options: Options) -> dict[str, Any]:
    """The Options that differ from the defaults, in field order."""
    defaults = Options()
    return {
        f.name: getattr(options, f.name)
        for f in fields(Options)
        if getattr(options, f.name) != getattr(defaults, f.name)
    }


def options_from_data(value: Any, where: str = "options.") -> Options:
    """Options from a mapping; missing keys keep their defaults."""
    data = _mapping(value, where)
    defaults = Options()
    values = {}
    for f in fields(Options):
        default = getattr(defaults, f.name)
        values[f.name] = field_value(data, f.name, type(default), default, where)
    return Options(**values)


# ---- assertions, captures, scripts -----------------------------------------------------


def assertion_to_data(assertion: Assertion) -> dict[str, Any]:
    """An Assertion as a mapping; empty and default fields omitted."""
    data: dict[str, Any] = {"subject": assertion.subject.value}
    if assertion.argument:
        data["argument"] = assertion.argument
    if assertion.filters:
        data["filters"] = list(assertion.filters)
    data["operator"] = assertion.operator.value
    if assertion.expected:
        data["expected"] = assertion.expected
    if assertion.negate:
        data["negate"] = True
    if not assertion.enabled:
        data["enabled"] = False
    if assertion.name:
        data["name"] = assertion.name
    return data


def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = _list(value, where)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise ShapeError(f"{where}[{i}]: expected str, got {type(item).__name__}")
    return tuple(items)


def assertion_from_data(data: Any, where: str) -> Assertion:
    """An Assertion from a mapping."""
    data = _mapping(data, where)
    return Assertion(
        subject=_enum(Subject, data.get("subject", ""), f"{where}subject"),
        operator=_enum(Operator, data.get("operator", Operator.EQ.value), f"{where}operator"),
        expected=field_value(data, "expected", str, "", where),
        argument=field_value(data, "argument", str, "", where),
        filters=_strings(data.get("filters"), f"{where}filters"),
        negate=field_value(data, "negate", bool, False, where),
        enabled=field_value(data, "enabled", bool, True, where),
        name=field_value(data, "name", str, "", where),
    )


def capture_to_data(capture: Capture) -> dict[str, Any]:
    """A Capture as a mapping; empty and default fields omitted."""
    data: dict[str, Any] = {"variable": capture.variable, "subject": capture.subject.value}
    if capture.argument:
        data["argument"] = capture.argument
    if capture.filters:
        data["filters"] = list(capture.filters)
    for key in ("secret", "to_environment"):
        if getattr(capture, key):
            data[key] = True
    if not capture.enabled:
        data["enabled"] = False
    return data


def capture_from_data(data: Any, where: str) -> Capture:
    """A Capture from a mapping."""
    data = _mapping(data, where)
    return Capture(
        variable=field_value(data, "variable", str, "", where),
        subject=_enum(Subject, data.get("subject", Subject.JSONPATH.value), f"{where}subject"),
        argument=field_value(data, "argument", str, "", where),
        filters=_strings(data.get("filters"), f"{where}filters"),
        secret=field_value(data, "secret", bool, False, where),
        to_environment=field_value(data, "to_environment", bool, False, where),
        enabled=field_value(data, "enabled", bool, True, where),
    )


def scripts_to_data(scripts: Scripts) -> dict[str, Any]:
    """Scripts as a mapping of the non-empty ones."""
    return {f.name: getattr(scripts, f.name) for f in fields(scripts) if getattr(scripts, f.name)}


def scripts_from_data(value: Any, where: str = "scripts.") -> Scripts:
    """Scripts from a mapping."""
    data = _mapping(value, where)
    return Scripts(**{f.name: field_value(data, f.name, str, "", where) for f in fields(Scripts)})


def checks_to_data(
    assertions: tuple[Assertion, ...], captures: tuple[Capture, ...], scripts: Scripts
) -> dict[str, Any]:
    """The `assertions`, `captures` and `scripts` keys of a request, folder or collection
    file, each only when there is something to write."""
    data: dict[str, Any] = {}
    if assertions:
        data["assertions"] = [assertion_to_data(a) for a in assertions]
    if captures:
        data["captures"] = [capture_to_data(c) for c in captures]
    if scripts:
        data["scripts"] = scripts_to_data(scripts)
    return data


def checks_from_data(
    data: dict[str, Any],
) -> tuple[tuple[Assertion, ...], tuple[Capture, ...], Scripts]:
    """The assertions, captures and scripts of a request, folder or collection file."""
    assertions = tuple(
        assertion_from_data(item, f"assertions[{i}].")
        for i, item in enumerate(_list(data.get("assertions"), "assertions"))
    )
    captures = tuple(
        capture_from_data(item, f"captures[{i}].")
        for i, item in enumerate(_list(data.get("captures"), "captures"))
    )
    return assertions, captures, scripts_from_data(data.get("scripts"))


# ---- request and environment -----------------------------------------------------------


def query_in_params(url: str, params: tuple[Pair, ...]) -> tuple[str, tuple[Pair, ...]]:
    """`url` without its query, and the params with that query's pairs first.

    The editor shows the URL field and the Params table as one: a query left in the URL
    of a file besides the params would be merged with them and sent twice, so the file's
    one place for the query is `params`.
    """
    base, query = split_url(url)
    return (base, (*query, *params)) if query else (url, params)


def request_to_data(request: Request, inherit_headers: bool = True) -> dict[str, Any]:
    """A Request as the mapping of one request file, keys in a fixed order; a query
    written in the URL is written as params (see `query_in_params`)."""
    url, params = query_in_params(request.url, request.params)
    request = replace(request, url=url, params=params)
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "name": request.name}
    if request.description:
        data["description"] = request.description
    data["method"] = request.method
    data["url"] = request.url
    for key in ("params", "path_params", "headers"):
        pairs = getattr(request, key)
        if pairs:
            data[key] = [pair_to_data(p) for p in pairs]
    if not inherit_headers:
        data["inherit_headers"] = False
    if request.body != Body():
        data["body"] = body_to_data(request.body)
    data["auth"] = auth_to_data(request.auth)
    options = options_to_data(request.options)
    if options:
        data["options"] = options
    if request.stream != Stream():
        data["stream"] = stream_to_data(request.stream)
    data.update(checks_to_data(request.assertions, request.captures, request.scripts))
    return data


def request_from_data(data: dict[str, Any], default_auth: AuthKind) -> tuple[Request, bool]:
    """A Request and its `inherit_headers` flag from the mapping of a request file; a
    query written in the URL is read into the params (see `query_in_params`).

    `default_auth` is used when the file has no `auth` (AuthKind.INHERIT in collections).
    """
    check_schema_version(data)
    url, params = query_in_params(
        field_value(data, "url", str, "", ""), pairs_from_data(data.get("params"), "params")
    )
    assertions, captures, scripts = checks_from_data(data)
    request = Request(
        method=field_value(data, "method", str, "GET", "") or "GET",
        url=url,
        params=params,
        path_params=pairs_from_data(data.get("path_params"), "path_params"),
        headers=pairs_from_data(data.get("headers"), "headers"),
        body=body_from_data(data.get("body")),
        auth=auth_from_data(data.get("auth"), default_auth),
        options=options_from_data(data.get("options")),
        name=field_value(data, "name", str, "", ""),
        description=field_value(data, "description", str, "", ""),
        assertions=assertions,
        captures=captures,
        scripts=scripts,
        stream=stream_from_data(data.get("stream")),
    )
    return request, field_value(data, "inherit_headers", bool, True, "")


def environment_to_data(environment: Environment) -> dict[str, Any]:
    """An Environment as the mapping of its file; secret values are left out."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": environment.name,
        "variables": [variable_to_data(v) for v in environment.variables],
    }


def environment_from_data(data: dict[str, Any], fallback_name: str) -> Environment:
    """An Environment from the mapping of its file."""
    check_schema_version(data)
    return Environment(
        name=field_value(data, "name", str, "", "") or fallback_name,
        variables=variables_from_data(data.get("variables"), "variables"),
    )
