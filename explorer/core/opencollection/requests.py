"""One OpenCollection request (`info` + `http` or `graphql` + `runtime` + `settings`) as
a Request, with what it could not carry counted in `Notes`.

The fields follow the OpenCollection 1.0.0 schema and Bruno's reader of it
(@usebruno/filestore, formats/yml): a request without `auth` sends none, `inherit`
takes the folder's; `runtime.assertions` and `runtime.actions` (post-response
variables) map onto assertion and capture rows as Bruno's `assert` and
`vars:post-response` do (`core/bruno/checks`); scripts are kept verbatim, never run.
The URL is sent as written (Bruno keeps the enabled query parameters in it), so only the
switched-off query parameters are added, switched off.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from explorer.core.bruno.checks import assertions_of, capture_of
from explorer.core.bruno.signing import PROFILE_NOTE, aws_auth
from explorer.core.formats.document import as_dict, as_list, as_text, child
from explorer.core.graphql.bruno import graphql_from_bruno
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Options,
    Pair,
    Part,
    Request,
    Scripts,
)

ASSERT_MARK = "// OpenCollection assertion, not converted: "
ACTION_MARK = "// OpenCollection action, not converted: "
TESTS_MARK = "// ---- tests ----"
_RAW_TYPES = {
    "json": "application/json",
    "text": "text/plain",
    "xml": "application/xml",
    "sparql": "application/sparql-query",
}
_UNSUPPORTED_AUTH = {
    "oauth1": "OAuth 1.0",
    "oauth2": "OAuth 2.0",
    "ntlm": "NTLM",
    "wsse": "WSSE",
}


@dataclass
class Notes:
    """What an import counts and says, for its report."""

    counts: Counter[str] = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)


def description(value: Any, path: str) -> str:
    """A `Description`: text, or `{content, type}`."""
    if isinstance(value, dict):
        return as_text(value.get("content"), child(path, "content"))
    return as_text(value, path)


def pairs(value: Any, path: str, notes: Notes) -> tuple[Pair, ...]:
    """Headers, form fields or parameters: `name`, `value`, `disabled`."""
    found = []
    for index, item in enumerate(as_list(value, path)):
        where = child(path, index)
        entry = as_dict(item, where)
        if entry.get("description"):
            notes.counts["descriptions"] += 1
        found.append(
            Pair(
                as_text(entry.get("name"), child(where, "name")),
                _value(entry.get("value"), child(where, "value")),
                enabled=entry.get("disabled") is not True,
            )
        )
    return tuple(found)


def _value(value: Any, path: str) -> str:
    """A value: text, or a typed `{type, data}` value."""
    if isinstance(value, dict):
        return as_text(value.get("data"), child(path, "data"))
    return as_text(value, path)


def variable_value(value: Any, path: str, notes: Notes) -> str:
    """A variable's value: text, typed, or a list of variants (the selected one)."""
    if isinstance(value, list):
        variants = [as_dict(item, child(path, i)) for i, item in enumerate(value)]
        if not variants:
            return ""
        chosen = next((v for v in variants if v.get("selected") is True), variants[0])
        notes.counts["variants"] += len(variants) - 1
        return _value(chosen.get("value"), child(path, "value"))
    return _value(value, path)


def auth(value: Any, path: str, default: Auth, name: str, notes: Notes) -> Auth:
    """An `Auth`: missing is `default`, `inherit` the folder's."""
    if value is None:
        return default
    if value == "inherit":
        return Auth(AuthKind.INHERIT)
    entry = as_dict(value, path)
    kind = as_text(entry.get("type"), child(path, "type"))

    def text(key: str) -> str:
        return as_text(entry.get(key), child(path, key))

    if kind in ("basic", "digest"):
        return Auth(AuthKind(kind), username=text("username"), password=text("password"))
    if kind == "bearer":
        return Auth(AuthKind.BEARER, token=text("token"))
    if kind == "apikey":
        key_in = "query" if entry.get("placement") == "query" else "header"
        return Auth(AuthKind.API_KEY, key_name=text("key"), key_value=text("value"), key_in=key_in)
    if kind == "awsv4":  # Bruno's fields, as in a .bru file's auth:awsv4 block
        signed, profile = aws_auth(text)
        if profile:
            notes.lines.append(f"{name}: {PROFILE_NOTE.format(1)}.")
        return signed
    if kind in ("none", ""):
        return Auth()
    label = _UNSUPPORTED_AUTH.get(kind, kind)
    notes.lines.append(f"{name}: {label} authentication is not supported here; it sends none.")
    return Auth()


def scripts(value: Any, path: str, notes: Notes, kept_after: list[str]) -> Scripts:
    """`Scripts` (a list of `{type, code}`) kept verbatim; `kept_after` holds lines that
    go after the after-response script (unconverted assertions and actions)."""
    before: list[str] = []
    after: list[str] = []
    tests: list[str] = []
    for index, item in enumerate(as_list(value, path)):
        where = child(path, index)
        entry = as_dict(item, where)
        kind = as_text(entry.get("type"), child(where, "type"))
        code = as_text(entry.get("code"), child(where, "code"))
        if not code.strip():
            continue
        notes.counts["scripts"] += 1
        if kind == "before-request":
            before.append(code)
        elif kind == "tests":
            tests.append(code)
        elif kind == "hooks":
            notes.counts["hooks"] += 1
            before.append(code)
        else:
            after.append(code)
    if tests:
        after += [TESTS_MARK, *tests]
    after += kept_after
    return Scripts(kept_pre_request="\n".join(before), kept_post_response="\n".join(after))


def checks(
    runtime: dict[str, Any], path: str, notes: Notes
) -> tuple[tuple[Assertion, ...], tuple[Capture, ...], list[str]]:
    """`runtime.assertions` and `runtime.actions` as rows; the lines of those that do
    not map (kept with the scripts)."""
    rows: list[Assertion] = []
    captures: list[Capture] = []
    kept: list[str] = []
    where = child(path, "assertions")
    for index, item in enumerate(as_list(runtime.get("assertions"), where)):
        entry = as_dict(item, child(where, index))
        expression = as_text(entry.get("expression"), child(child(where, index), "expression"))
        operator = as_text(entry.get("operator"), child(child(where, index), "operator"))
        value = as_text(entry.get("value"), child(child(where, index), "value"))
        enabled = entry.get("disabled") is not True
        found = assertions_of(expression, f"{operator} {value}".strip(), enabled)
        if found is None:
            kept.append(f"{ASSERT_MARK}{expression}: {operator} {value}".rstrip())
            notes.counts["assertions_kept"] += 1
        else:
            rows.extend(found)
    where = child(path, "actions")
    for index, item in enumerate(as_list(runtime.get("actions"), where)):
        capture = _action(as_dict(item, child(where, index)), child(where, index))
        if capture is None:
            kept.append(ACTION_MARK + json.dumps(item, ensure_ascii=False, default=str))
            notes.counts["actions_kept"] += 1
        else:
            captures.append(capture)
    return tuple(rows), tuple(captures), kept


def _action(entry: dict[str, Any], path: str) -> Capture | None:
    """A `set-variable` action after the response as a capture, or None."""
    if entry.get("type") != "set-variable" or entry.get("phase", "after-response") != (
        "after-response"
    ):
        return None
    selector = as_dict(entry.get("selector"), child(path, "selector"))
    variable = as_dict(entry.get("variable"), child(path, "variable"))
    name = as_text(variable.get("name"), child(path, "variable.name"))
    expression = as_text(selector.get("expression"), child(path, "selector.expression"))
    capture = capture_of(name, expression, entry.get("disabled") is not True)
    if capture is None or not capture.variable:
        return None
    return replace(capture, to_environment=variable.get("scope") == "environment")


def request(item: dict[str, Any], path: str, kind: str, notes: Notes) -> Request:
    """The request of an `http` or `graphql` item."""
    info = as_dict(item.get("info"), child(path, "info"))
    details_path = child(path, kind)
    details = as_dict(item.get(kind), details_path)
    name = as_text(info.get("name"), child(path, "info.name")) or "Request"
    params = as_list(details.get("params"), child(details_path, "params"))
    query: list[Pair] = []
    path_params: list[Pair] = []
    for index, pair in enumerate(pairs(params, child(details_path, "params"), notes)):
        entry = as_dict(params[index], child(child(details_path, "params"), index))
        if entry.get("type") == "path":
            path_params.append(pair)
        elif not pair.enabled:
            query.append(pair)  # an enabled one is in the URL already
    if info.get("tags"):
        notes.counts["tags"] += 1
    runtime_path = child(path, "runtime")
    runtime = as_dict(item.get("runtime"), runtime_path)
    assertions, captures, kept = checks(runtime, runtime_path, notes)
    body = (
        _graphql(details, details_path, notes)
        if kind == "graphql"
        else _body(details.get("body"), child(details_path, "body"), name, notes)
    )
    texts = [description(info.get("description"), child(path, "info.description"))]
    texts.append(description(item.get("docs"), child(path, "docs")))
    return Request(
        method=(
            as_text(details.get("method"), child(details_path, "method"))
            or ("POST" if kind == "graphql" else "GET")
        ).upper(),
        url=as_text(details.get("url"), child(details_path, "url")),
        params=tuple(query),
        path_params=tuple(path_params),
        headers=pairs(details.get("headers"), child(details_path, "headers"), notes),
        body=body,
        auth=auth(details.get("auth"), child(details_path, "auth"), Auth(), name, notes),
        options=_options(item.get("settings"), child(path, "settings"), notes),
        name=name,
        description="\n\n".join(text for text in texts if text),
        assertions=assertions,
        captures=captures,
        scripts=scripts(runtime.get("scripts"), child(runtime_path, "scripts"), notes, kept),
    )


def _body(value: Any, path: str, name: str, notes: Notes) -> Body:
    if value is None:
        return Body()
    if isinstance(value, list):  # variants: the selected one is sent
        variants = [as_dict(item, child(path, i)) for i, item in enumerate(value)]
        if not variants:
            return Body()
        chosen = next((v for v in variants if v.get("selected") is True), variants[0])
        notes.counts["variants"] += len(variants) - 1
        return _body(chosen.get("body"), child(path, str(variants.index(chosen))), name, notes)
    body = as_dict(value, path)
    kind = as_text(body.get("type"), child(path, "type"))
    data_path = child(path, "data")
    if kind in _RAW_TYPES:
        return Body(
            BodyKind.RAW,
            text=as_text(body.get("data"), data_path),
            content_type=_RAW_TYPES[kind],
        )
    if kind == "form-urlencoded":
        return Body(BodyKind.FORM, form=pairs(body.get("data"), data_path, notes))
    if kind == "multipart-form":
        return Body(BodyKind.MULTIPART, parts=_parts(body.get("data"), data_path, notes))
    if kind == "file":
        files = [
            as_dict(item, child(data_path, i))
            for i, item in enumerate(as_list(body.get("data"), data_path))
        ]
        selected: dict[str, Any] | None = next(
            (f for f in files if f.get("selected") is True), None
        )
        if selected is None:
            return Body()
        return Body(
            BodyKind.BINARY,
            file=as_text(selected.get("filePath"), child(data_path, "filePath")),
            content_type=as_text(selected.get("contentType"), child(data_path, "contentType")),
        )
    notes.lines.append(f"{name}: the body type {kind!r} is not known here; sent without a body.")
    return Body()


def _parts(value: Any, path: str, notes: Notes) -> tuple[Part, ...]:
    parts: list[Part] = []
    for index, item in enumerate(as_list(value, path)):
        where = child(path, index)
        entry = as_dict(item, where)
        name = as_text(entry.get("name"), child(where, "name"))
        content_type = as_text(entry.get("contentType"), child(where, "contentType"))
        enabled = entry.get("disabled") is not True
        if entry.get("description"):
            notes.counts["descriptions"] += 1
        if entry.get("type") == "file":
            raw = entry.get("value")
            files = as_list(raw, child(where, "value")) if isinstance(raw, list) else [raw]
            for number, file in enumerate(files):
                text = as_text(file, child(child(where, "value"), number))
                if text:
                    parts.append(Part(name, file=text, content_type=content_type, enabled=enabled))
        else:
            text = _value(entry.get("value"), child(where, "value"))
            parts.append(Part(name, text, content_type=content_type, enabled=enabled))
    return tuple(parts)


def _graphql(details: dict[str, Any], path: str, notes: Notes) -> Body:
    """A GraphQL body (explorer.core.graphql.bruno: Bruno's own, in YAML)."""
    value = details.get("body")
    if isinstance(value, list):
        variants = [as_dict(item, child(path, f"body[{i}]")) for i, item in enumerate(value)]
        chosen = next((v for v in variants if v.get("selected") is True), None)
        value = (chosen or (variants[0] if variants else {})).get("body")
        notes.counts["variants"] += max(len(variants) - 1, 0)
    body = as_dict(value, child(path, "body"))
    query = as_text(body.get("query"), child(path, "body.query"))
    variables = as_text(body.get("variables"), child(path, "body.variables"))
    return graphql_from_bruno(query, variables)


def _options(value: Any, path: str, notes: Notes) -> Options:
    settings = as_dict(value, path)
    options = Options()
    timeout = settings.get("timeout")
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
        options = replace(options, timeout=min(float(timeout), 86_400_000.0) / 1000)
    follow = settings.get("followRedirects")
    if isinstance(follow, bool):
        options = replace(options, follow_redirects=follow)
    most = settings.get("maxRedirects")
    if isinstance(most, int) and not isinstance(most, bool) and most >= 0:
        options = replace(options, max_redirects=min(most, 100))
    if settings.get("forwardAuthorizationHeader") is True and options.follow_redirects:
        notes.counts["forward"] += 1
    if settings.get("omitHeaders"):
        notes.counts["omit"] += 1
    return options
