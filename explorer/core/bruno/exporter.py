"""A collection as a Bruno collection folder, which `bru run` runs as it is.

The files: `bruno.json`, `collection.bru` (headers, auth, variables, post-response
variables, scripts, docs), a `folder.bru` per folder (name, seq, headers, auth), a
`.bru` file per request (seq in collection order) and `environments/NAME.bru` (secret
variables as `vars:secret [ names ]`, never a value). Assertions and captures become
`assert` and `vars:post-response` rows where Bruno can say them (`checks`); Bruno has no
`assert` block for a collection or folder, so theirs are written into every request
below. Everything else that Bruno cannot carry is said in the report, one sentence per
kind of loss.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field

from explorer.core.bruno import checks
from explorer.core.bruno.importer import ASSERT_MARK, CAPTURE_MARK, TESTS_MARK
from explorer.core.bruno.lang import (
    dict_block,
    list_block,
    text_block,
    unwritable,
    unwritable_key,
)
from explorer.core.bruno.oauth2 import OAUTH2_BLOCK, oauth2_rows
from explorer.core.bruno.signing import AWS_BLOCK, aws_rows
from explorer.core.collection import Collection, Environment, Folder, RequestItem
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Operator,
    Options,
    Pair,
    Request,
    Scripts,
)
from explorer.core.urls import join_url

_METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "CONNECT", "TRACE"}
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_MAX_NAME = 100  # characters of a file or folder name
_RESERVED = frozenset({"folder", "collection"})  # folder.bru and collection.bru are settings


@dataclass
class _Losses:
    counts: Counter[str] = field(default_factory=Counter)
    names: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, what: str = "") -> None:
        self.counts[kind] += 1
        if what:
            self.names.setdefault(kind, []).append(what)

    def report(self) -> tuple[str, ...]:
        sentences = {
            "assertion": "assertion(s) have no Bruno `assert` form and were not exported",
            "capture": "capture(s) have no Bruno `vars:post-response` form and were not exported",
            "to_environment": "capture(s) also wrote to the active environment; in Bruno they "
            "are runtime variables only",
            "pushed": "collection or folder assertion(s) were written into every request below: "
            "Bruno has no `assert` block for collections and folders",
            "python": "Python script(s) were not exported: Bruno runs JavaScript",
            "kept_scripts": "kept JavaScript script(s) were written back as Bruno scripts "
            "(Bruno runs them as they are)",
            "files": "request(s) name files (multipart parts or a file body): copy those "
            "files into the exported folder, where Bruno resolves relative paths",
            "inherit_headers": "request(s) that do not take their folders' headers will in "
            "Bruno, which always merges them",
            "secret_collection": "secret collection variable(s) were written without their value "
            "(Bruno's collection variables cannot be secret); set them in an environment",
            "tls": "request(s) skip TLS verification: run them with `bru run --insecure`",
            "proxy": "request(s) with their own proxy or client certificate: Bruno sets these "
            "per collection, not exported",
            "limits": "request(s) with a body size limit or total deadline, which Bruno has not",
            "trust": "request(s) send credentials on to another host after a redirect "
            "(--location-trusted), which Bruno's settings cannot say",
            "cookies": "request(s) leave the cookie jar out, which Bruno's settings cannot "
            "say: Bruno sends and keeps their cookies",
            "secret_capture": "secret capture(s) become ordinary Bruno runtime variables, "
            "shown in Bruno's timeline",
            "method": "request(s) with a method Bruno's file format cannot name were written "
            "with `http { method: ... }`",
            "unwritable": "row(s) hold what Bruno's format cannot (a value with a line "
            "starting with three single quotes, a name with a new line, a leading ~ or "
            "space, or a backslash in a quoted name) and were left out",
            "trimmed": "value(s) lose the spaces at their start or end: Bruno trims every value",
            "apikey_query": "folder or collection API key(s) sent in the query: Bruno's runner "
            "leaves them out when the URL starts with a {{variable}}",
            "oauth1": "OAuth 1.0 auth setting(s) were exported as no auth: Bruno's files have "
            "no OAuth 1.0",
            "graphql_operation": "GraphQL request(s) name an operation, which Bruno does not "
            "send: the server runs the document's only operation, or refuses several",
        }
        out = []
        for kind, count in self.counts.items():
            if not count:
                continue
            named = Counter(self.names.get(kind, []))
            shown = ", ".join(
                f"{name} ×{times}" if times > 1 else name for name, times in named.most_common(5)
            )
            more = ", …" if len(named) > 5 else ""
            out.append(f"{count} {sentences[kind]}" + (f" ({shown}{more})" if shown else ""))
        return tuple(out)


# The losses of the export being written, for the rows every block goes through.
_LOSSES: ContextVar[_Losses] = ContextVar("bruno_export_losses")


def _dict_block(name: str, rows: list[tuple[str, str, bool]]) -> str:
    """`lang.dict_block`, leaving out (and counting) what Bruno's format cannot hold."""
    losses = _LOSSES.get(None)
    kept = []
    for key, value, enabled in rows:
        reason = unwritable(value)
        if reason.startswith("a line") or (name != "assert" and unwritable_key(key)):
            if losses is not None:
                losses.add("unwritable", f"{name} {key.strip()}")
            continue
        if reason and losses is not None:
            losses.add("trimmed", f"{name} {key}")
        kept.append((key, value, enabled))
    return dict_block(name, kept)


def export_bruno(collection: Collection) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The files of `collection` as a Bruno folder (relative POSIX path, text) and the
    export report."""
    losses = _Losses()
    token = _LOSSES.set(losses)
    try:
        return _export(collection, losses)
    finally:
        _LOSSES.reset(token)


def _export(
    collection: Collection, losses: _Losses
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    files: list[tuple[str, str]] = [("bruno.json", _bruno_json(collection))]
    files.append(("collection.bru", _collection_bru(collection, losses)))
    pushed = collection.assertions
    losses.counts["pushed"] += len(collection.assertions) if collection.items else 0
    files.extend(_items(collection.items, "", pushed, losses))
    secret_names = [v.name for v in collection.variables if v.secret]
    used: set[str] = set()
    for environment in collection.environments:
        name = _unique(_file_name(environment.name) or "Environment", used)
        files.append((f"environments/{name}.bru", _environment(environment, secret_names)))
    return tuple(files), losses.report()


def _bruno_json(collection: Collection) -> str:
    config = {
        "version": "1",
        "name": collection.name,
        "type": "collection",
        "ignore": ["node_modules", ".git"],
    }
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def _collection_bru(collection: Collection, losses: _Losses) -> str:
    blocks: list[str] = []
    if collection.headers:
        blocks.append(_pairs_block("headers", collection.headers))
    blocks.extend(_container_auth(collection.auth, "none", losses))
    variables = []
    for variable in collection.variables:
        if variable.secret:
            losses.add("secret_collection", variable.name)
        variables.append(
            (variable.name, "" if variable.secret else variable.value, variable.enabled)
        )
    if variables:
        blocks.append(_dict_block("vars:pre-request", variables))
    kept_asserts, kept_vars, scripts = _script_blocks(collection.scripts, losses)
    blocks.extend(_captures_block(collection.captures, losses, kept_vars))
    blocks.extend(scripts)
    losses.counts["assertion"] += len(kept_asserts)
    if collection.description:
        blocks.append(text_block("docs", collection.description))
    return "\n".join(blocks)


def _items(
    items: tuple[Folder | RequestItem, ...],
    prefix: str,
    inherited: tuple[Assertion, ...],
    losses: _Losses,
) -> list[tuple[str, str]]:
    files: list[tuple[str, str]] = []
    used: set[str] = set()
    folder_seq = request_seq = 0
    for item in items:
        if isinstance(item, Folder):
            folder_seq += 1
            name = _unique(_file_name(item.name) or "Folder", used)
            path = f"{prefix}{name}"
            files.append((f"{path}/folder.bru", _folder_bru(item, folder_seq, losses)))
            losses.counts["pushed"] += len(item.assertions) if item.items else 0
            files.extend(_items(item.items, f"{path}/", (*inherited, *item.assertions), losses))
        else:
            request_seq += 1
            name = _unique(_file_name(item.name) or "Request", used, _RESERVED)
            text = _request_bru(item, request_seq, inherited, losses)
            files.append((f"{prefix}{name}.bru", text))
    return files


def _folder_bru(folder: Folder, seq: int, losses: _Losses) -> str:
    blocks = [
        _dict_block("meta", [("name", _one_line(folder.name), True), ("seq", str(seq), True)])
    ]
    if folder.headers:
        blocks.append(_pairs_block("headers", folder.headers))
    blocks.extend(_container_auth(folder.auth, "inherit", losses))
    kept_asserts, kept_vars, scripts = _script_blocks(folder.scripts, losses)
    blocks.extend(_captures_block(folder.captures, losses, kept_vars))
    blocks.extend(scripts)
    losses.counts["assertion"] += len(kept_asserts)
    if folder.description:
        blocks.append(text_block("docs", folder.description))
    return "\n".join(blocks)


def _container_auth(auth: Auth, default: str, losses: _Losses) -> list[str]:
    mode, blocks = _auth_blocks(auth)
    if auth.kind == AuthKind.API_KEY and auth.key_in == "query":
        losses.add("apikey_query")
    if mode == default and not blocks:
        return []
    return [_dict_block("auth", [("mode", mode, True)]), *blocks]


def _request_bru(
    item: RequestItem, seq: int, inherited: tuple[Assertion, ...], losses: _Losses
) -> str:
    request = item.request
    if not item.inherit_headers:
        losses.add("inherit_headers", request.name)
    params = list(request.params)
    auth = request.auth
    if auth.kind == AuthKind.API_KEY and auth.key_in == "query":
        # Written into the query: Bruno's runner drops a query API key when the URL
        # starts with a {{variable}} (it builds a URL object before replacing them).
        params.append(Pair(auth.key_name, auth.key_value))
        auth = Auth(AuthKind.NONE)
    url = join_url(request.url, params)
    mode, auth_blocks = _auth_blocks(auth)
    body_mode, body_blocks, headers = _body_blocks(request, losses)
    method = request.method.upper()
    http_rows = [("url", url, True), ("body", body_mode, True), ("auth", mode, True)]
    meta = [
        ("name", _one_line(request.name), True),
        ("type", "graphql" if request.body.kind == BodyKind.GRAPHQL else "http", True),
        ("seq", str(seq), True),
    ]
    blocks = [_dict_block("meta", meta)]
    if method in _METHODS:
        blocks.append(_dict_block(method.lower(), http_rows))
    else:
        losses.add("method", method)
        blocks.append(_dict_block("http", [("method", method, True), *http_rows]))
    query = _query_rows(url) + [(p.name, p.value, False) for p in params if not p.enabled]
    if query:
        blocks.append(_dict_block("params:query", query))
    if request.path_params:
        blocks.append(_pairs_block("params:path", request.path_params))
    if headers:
        blocks.append(_pairs_block("headers", headers))
    blocks.extend(auth_blocks)
    blocks.extend(body_blocks)
    kept_asserts, kept_vars, script_blocks = _script_blocks(request.scripts, losses)
    blocks.extend(_captures_block(request.captures, losses, kept_vars))
    asserts = _assert_rows((*inherited, *request.assertions), losses) + kept_asserts
    if asserts:
        blocks.append(_dict_block("assert", asserts))
    blocks.extend(script_blocks)
    settings = _settings(request.options, request.name, losses)
    if settings:
        blocks.append(_dict_block("settings", settings))
    if request.description:
        blocks.append(text_block("docs", request.description))
    return "\n".join(blocks)


def _query_rows(url: str) -> list[tuple[str, str, bool]]:
    """The query of `url` as Bruno's params:query rows (the text as written)."""
    query = url.partition("?")[2].partition("#")[0]
    rows = []
    for piece in query.split("&") if query else ():
        name, _, value = piece.partition("=")
        if name:
            rows.append((name, value, True))
    return rows


def _auth_blocks(auth: Auth) -> tuple[str, list[str]]:
    if auth.kind == AuthKind.INHERIT:
        return "inherit", []
    if auth.kind == AuthKind.BASIC:
        rows = [("username", auth.username, True), ("password", auth.password, True)]
        return "basic", [_dict_block("auth:basic", rows)]
    if auth.kind == AuthKind.DIGEST:
        rows = [("username", auth.username, True), ("password", auth.password, True)]
        return "digest", [_dict_block("auth:digest", rows)]
    if auth.kind == AuthKind.BEARER:
        return "bearer", [_dict_block("auth:bearer", [("token", auth.token, True)])]
    if auth.kind == AuthKind.API_KEY:
        placement = "queryparams" if auth.key_in == "query" else "header"
        rows = [
            ("key", auth.key_name, True),
            ("value", auth.key_value, True),
            ("placement", placement, True),
        ]
        return "apikey", [_dict_block("auth:apikey", rows)]
    if auth.kind == AuthKind.AWS_SIGV4:
        return "awsv4", [_dict_block(AWS_BLOCK, [(n, v, True) for n, v in aws_rows(auth)])]
    if auth.kind == AuthKind.OAUTH2:
        rows = [(n, v, True) for n, v in oauth2_rows(auth)]
        return "oauth2", [_dict_block(OAUTH2_BLOCK, rows)]
    losses = _LOSSES.get(None)
    if auth.kind == AuthKind.OAUTH1 and losses is not None:
        losses.add("oauth1")
    return "none", []


def _body_blocks(request: Request, losses: _Losses) -> tuple[str, list[str], tuple[Pair, ...]]:
    """Bruno's body mode, its blocks, and the request's headers (with a Content-Type
    added where Bruno's default for the mode is not the body's)."""
    body, headers = request.body, request.headers
    has_type = any(h.enabled and h.name.lower() == "content-type" for h in headers)
    if body.kind == BodyKind.RAW:
        mode, default = _raw_mode(body)
        if body.content_type and body.content_type != default and not has_type:
            headers = (*headers, Pair("Content-Type", body.content_type))
        return mode, [text_block(f"body:{mode}", body.text)], headers
    if body.kind == BodyKind.FORM:
        return "formUrlEncoded", [_pairs_block("body:form-urlencoded", body.form)], headers
    if body.kind == BodyKind.MULTIPART:
        rows = []
        for part in body.parts:
            value = f"@file({part.file})" if part.is_file else part.value
            if part.content_type:
                value += f" @contentType({part.content_type})"
            rows.append((part.name, value, part.enabled))
        if any(part.is_file for part in body.parts):
            losses.add("files", request.name)
        return "multipartForm", [_dict_block("body:multipart-form", rows)], headers
    if body.kind == BodyKind.GRAPHQL:
        from explorer.core.graphql.bruno import bruno_graphql_blocks

        if body.graphql.operation_name.strip():
            losses.add("graphql_operation", request.name)
        return "graphql", bruno_graphql_blocks(body.graphql), headers
    if body.kind == BodyKind.BINARY:
        value = f"@file({body.file})"
        if body.content_type:
            value += f" @contentType({body.content_type})"
        losses.add("files", request.name)
        return "file", [_dict_block("body:file", [("file", value, True)])], headers
    return "none", [], headers


def _raw_mode(body: Body) -> tuple[str, str]:
    kind = body.content_type.split(";")[0].strip().lower()
    if kind.endswith("json"):
        return "json", "application/json"
    if kind.endswith("xml"):
        return "xml", "application/xml"
    if kind == "application/sparql-query":
        return "sparql", "application/sparql-query"
    return "text", "text/plain"


def _assert_rows(assertions: tuple[Assertion, ...], losses: _Losses) -> list[tuple[str, str, bool]]:
    rows = []
    for assertion in assertions:
        row = checks.bruno_assertion(assertion)
        if row is None:
            losses.add("assertion", _row_kind(assertion))
            continue
        rows.append((row[0], row[1], assertion.enabled))
    return rows


def _row_kind(assertion: Assertion) -> str:
    """What kind of row an assertion is, for the report: `openapi valid`, `xpath ==`,
    `jsonpath isType integer`, `jsonpath == with filters`."""
    words = [assertion.subject.value, "not" if assertion.negate else "", assertion.operator.value]
    if assertion.operator == Operator.IS_TYPE:
        words.append(assertion.expected.strip())
    kind = " ".join(word for word in words if word)
    return kind + (" with filters" if assertion.filters else "")


def _captures_block(
    captures: tuple[Capture, ...], losses: _Losses, kept: list[tuple[str, str, bool]] | None = None
) -> list[str]:
    rows = []
    for capture in captures:
        row = checks.bruno_capture(capture)
        if row is None:
            losses.add("capture", capture.variable)
            continue
        if capture.to_environment:
            losses.add("to_environment", capture.variable)
        if capture.secret:
            losses.add("secret_capture", capture.variable)
        rows.append((row[0], row[1], capture.enabled))
    rows.extend(kept or ())
    return [_dict_block("vars:post-response", rows)] if rows else []


Rows = list[tuple[str, str, bool]]


def _script_blocks(scripts: Scripts, losses: _Losses) -> tuple[Rows, Rows, list[str]]:
    """The assert and post-response variable rows kept from a Bruno import, and the
    script and tests blocks."""
    if scripts.pre_request.strip() or scripts.post_response.strip():
        losses.add("python")
    kept_asserts: list[tuple[str, str, bool]] = []
    kept_vars: list[tuple[str, str, bool]] = []
    lines: list[str] = []
    for line in scripts.kept_post_response.split("\n"):
        for mark, into in ((ASSERT_MARK, kept_asserts), (CAPTURE_MARK, kept_vars)):
            if line.startswith(mark):
                row = line[len(mark) :]
                enabled = not row.startswith("~")
                name, _, value = row.lstrip("~").partition(": ")
                into.append((name, value, enabled))
                break
        else:
            lines.append(line)
    post, _, tests = "\n".join(lines).partition(TESTS_MARK)
    post, tests = post.strip("\n"), tests.strip("\n")
    blocks: list[str] = []
    if scripts.kept_pre_request.strip():
        losses.counts["kept_scripts"] += 1
        blocks.append(text_block("script:pre-request", scripts.kept_pre_request))
    if post.strip():
        losses.counts["kept_scripts"] += 1
        blocks.append(text_block("script:post-response", post))
    if tests.strip():
        blocks.append(text_block("tests", tests))
    return kept_asserts, kept_vars, blocks


def _settings(options: Options, name: str, losses: _Losses) -> list[tuple[str, str, bool]]:
    default = Options()
    rows = []
    if options.timeout != default.timeout:
        rows.append(("timeout", str(round(options.timeout * 1000)), True))
    if options.follow_redirects != default.follow_redirects:
        rows.append(("followRedirects", "true" if options.follow_redirects else "false", True))
    if options.max_redirects != default.max_redirects:
        rows.append(("maxRedirects", str(options.max_redirects), True))
    if not options.verify_tls:
        losses.add("tls", name)
    if options.proxy or options.client_cert or options.ca_bundle:
        losses.add("proxy", name)
    if options.max_body_size or options.total_timeout:
        losses.add("limits", name)
    if options.trust_redirects:
        losses.add("trust", name)
    if not options.send_cookies:
        losses.add("cookies", name)
    return rows


def _environment(environment: Environment, collection_secrets: list[str]) -> str:
    plain: list[tuple[str, str, bool]] = []
    secret: list[str] = []
    for variable in environment.variables:
        if variable.secret:
            secret.append(("" if variable.enabled else "~") + variable.name)
        else:
            plain.append((variable.name, variable.value, variable.enabled))
    names = {v.name for v in environment.variables}
    secret.extend(name for name in collection_secrets if name not in names)
    text = _dict_block("vars", plain) if plain or not secret else ""
    if secret:
        text += list_block("vars:secret", secret)
    return text


def _pairs_block(name: str, pairs: tuple[Pair, ...]) -> str:
    return _dict_block(name, [(p.name, p.value, p.enabled) for p in pairs if p.name])


def _file_name(name: str) -> str:
    cleaned = _UNSAFE_NAME.sub("-", name).strip(" .")
    return cleaned[:_MAX_NAME].strip(" .")


def _unique(name: str, used: set[str], reserved: frozenset[str] = frozenset()) -> str:
    candidate, number = name, 2
    while candidate.lower() in used or candidate.lower() in reserved:
        candidate = f"{name} ({number})"
        number += 1
    used.add(candidate.lower())
    return candidate


def _one_line(text: str) -> str:
    return " ".join(text.split())
