"""A collection as an .http file that JetBrains' HTTP Client, httpyac and (without its
handlers) VS Code's REST Client run, and that `parser` reads back into the same requests.

Folders are flattened into `### Folder / Request` titles, each request with the headers
and auth it inherits. Basic auth is written `Authorization: Basic user password` (the
form all three tools encode), an API key as the header or query parameter it is, marked
by a comment our importer reads. Assertions and captures become a JetBrains handler
(`> {% client.test(…) %}`). Environments go beside the file (`environments`); secret
variables never appear with a value, and never as an `@name =` line, which would hide
the value the tools read from `http-client.private.env.json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

from explorer.core.collection import Collection, Folder, walk_requests
from explorer.core.dothttp.environments import PRIVATE_FILE, environment_files
from explorer.core.dothttp.syntax import FORM_TYPE, api_key_comment, newlines_comment
from explorer.core.dothttp.websocket import websocket_for_http
from explorer.core.formats.common import substitute_path_params
from explorer.core.graphql.dothttp import graphql_for_http
from explorer.core.http.prepare import file_part_type
from explorer.core.model import WEBSOCKET_METHOD, AuthKind, Body, BodyKind, Options, Pair, Request
from explorer.core.resolve.inheritance import effective_request, inherited_checks
from explorer.core.translate.jetbrains_handlers_export import jetbrains_handler
from explorer.core.urls import join_url, with_default_scheme

__all__ = ["HttpExport", "export_http", "export_http_files"]

BOUNDARY = "ApiExplorerBoundary"
# The request methods httpyac's parser knows; any other line is a URL to it.
HTTPYAC_METHODS = frozenset(
    [
        "GET",
        "POST",
        "PUT",
        "DELETE",
        "PATCH",
        "HEAD",
        "OPTIONS",
        "CONNECT",
        "TRACE",
        "PROPFIND",
        "PROPPATCH",
        "MKCOL",
        "COPY",
        "MOVE",
        "LOCK",
        "UNLOCK",
        "CHECKOUT",
        "CHECKIN",
        "REPORT",
        "MERGE",
        "MKACTIVITY",
        "MKWORKSPACE",
        "VERSION-CONTROL",
        "BASELINE-CONTROL",
        "MKCALENDAR",
        "ACL",
        "SEARCH",
    ]
)


@dataclass(frozen=True)
class HttpExport:
    """The .http text, the environment files beside it ((name, text)), and what the
    export could not carry, one sentence each."""

    text: str
    files: tuple[tuple[str, str], ...] = ()
    losses: tuple[str, ...] = ()


def export_http(collection: Collection) -> str:
    """The collection as the text of an .http file."""
    return export_http_files(collection).text


def export_http_files(collection: Collection) -> HttpExport:
    """The collection as an .http file with its environment files and losses."""
    losses: list[str] = []
    out = _variables(collection, losses)
    newline_bodies = 0
    handlers = 0
    for path, item in walk_requests(collection):
        owner = f"the request {' / '.join((*path, item.name))!r}"
        request = effective_request(collection, path, item)
        lines, trailing = _request(request, owner, losses)
        newline_bodies += trailing > 0
        handler = _handler(collection, path, request, owner, losses)
        handlers += bool(handler)
        title = " / ".join((*path, item.name))
        out += ["", "###" + (" " + title if title else ""), *lines, *handler]
    graphql = sum(
        1 for _path, item in walk_requests(collection) if item.request.body.kind == BodyKind.GRAPHQL
    )
    if graphql:
        losses.append(
            f"{graphql} GraphQL request(s) are written in REST Client's form (an "
            "`X-REQUEST-TYPE: GraphQL` header, the query, a blank line, the variables), "
            "which httpyac reads too but sends that header along."
        )
    if newline_bodies:
        losses.append(
            f"{newline_bodies} bod(ies) end with a line break, which .http tools drop: a "
            "`# body: ends with…` comment keeps it for API Explorer only."
        )
    if handlers:
        losses.append(
            f"{handlers} request(s) have a JetBrains response handler (`> {{% … %}}`): "
            "JetBrains and httpyac run it; VS Code's REST Client does not support handlers."
        )
    # httpyac opens a WebSocket for `WS url` (the form written here): not an unknown method.
    unknown = sorted(
        {item.request.method for _, item in walk_requests(collection)}
        - HTTPYAC_METHODS
        - {WEBSOCKET_METHOD}
    )
    if unknown:
        losses.append(
            f"httpyac (6.16) sends only the methods it knows: not {', '.join(unknown)} "
            "(JetBrains and VS Code's REST Client send any method)."
        )
    losses += _scripts(collection)
    files = environment_files(collection)
    return HttpExport("\n".join(out).lstrip("\n") + "\n", files, tuple(losses))


def _variables(collection: Collection, losses: list[str]) -> list[str]:
    out = []
    for variable in collection.variables:
        if not variable.enabled:
            losses.append(f"The disabled variable {variable.name!r} was not exported.")
        elif variable.secret:
            out.append(f"# {{{{{variable.name}}}}} is secret: set it in {PRIVATE_FILE}")
        elif "\n" in variable.value or "\r" in variable.value:
            first = variable.value.splitlines()[0] if variable.value.strip() else ""
            out.append(f"@{variable.name} = {first}")
            losses.append(
                f"The variable {variable.name!r} has several lines; .http keeps the first."
            )
        else:
            out.append(f"@{variable.name} = {variable.value}")
    return out


def _request(request: Request, owner: str, losses: list[str]) -> tuple[list[str], int]:
    """The lines of one request (without its title) and how many line breaks end its
    body (kept in a comment)."""
    # A GraphQL body as REST Client (and httpyac) write one, or the JSON it sends.
    request, note = graphql_for_http(request)
    if note:
        losses.append(note)
    request, note = websocket_for_http(request)  # httpyac's `WS url` with its message
    if note:
        losses.append(note)
    comments: list[str] = []
    if not request.options.follow_redirects:
        comments.append("# @no-redirect")
    if not request.options.send_cookies:
        comments.append("# @no-cookie-jar")
    params = request.params
    headers = [f"{p.name}: {p.value}" for p in request.headers if p.enabled]
    auth = request.auth
    if auth.kind == AuthKind.BASIC:
        headers.append(f"Authorization: {_basic(auth.username, auth.password)}")
    elif auth.kind == AuthKind.DIGEST:
        headers.append(f"Authorization: Digest {auth.username} {auth.password}")
    elif auth.kind == AuthKind.BEARER:
        headers.append(f"Authorization: Bearer {auth.token}")
    elif auth.kind == AuthKind.API_KEY and auth.key_name:
        comments.append(api_key_comment(auth.key_name, auth.key_in))
        if auth.key_in == "query":
            params = (*params, Pair(auth.key_name, auth.key_value))
        else:
            headers.append(f"{auth.key_name}: {auth.key_value}")
    body_text, trailing = _body_text(request.body)
    if trailing:
        comments.append(newlines_comment(trailing))
    body = request.body
    written = any(p.enabled and p.name.strip().lower() == "content-type" for p in request.headers)
    if body.kind in (BodyKind.RAW, BodyKind.BINARY) and body.content_type and not written:
        headers.append(f"Content-Type: {body.content_type}")  # as sent: a header wins
    # Without a scheme the app sends http://; httpyac fails on such a URL.
    url = with_default_scheme(substitute_path_params(request.url, request.path_params))
    url = join_url(url, params)
    kept = request.scripts.kept_pre_request
    if kept.strip() and _jetbrains_script(kept):  # a JetBrains pre-request script, as it came
        comments += ["< {%", *kept.rstrip("\n").split("\n"), "%}"]
    lines = [*comments, f"{request.method} {url}", *headers, *_export_body(body, body_text)]
    losses += _unwritten(request, owner)
    return lines, trailing


def _unwritten(request: Request, owner: str) -> list[str]:
    """What of one request the .http file does not carry, one sentence per kind."""
    out = []
    options, default = request.options, Options()
    changed = [
        label
        for label, differs in (
            ("timeout", options.timeout != default.timeout),
            ("redirect limit", options.max_redirects != default.max_redirects),
            ("TLS verification", options.verify_tls != default.verify_tls),
            ("proxy", bool(options.proxy) or not options.use_system_proxy),
            ("certificates", bool(options.ca_bundle or options.client_cert)),
        )
        if differs
    ]
    if changed:
        out.append(f"The {', '.join(changed)} setting(s) of {owner} were not exported.")
    body = request.body
    off = sum(not row.enabled for row in (*request.params, *request.headers))
    off += sum(not row.enabled for row in body.form) if body.kind == BodyKind.FORM else 0
    off += sum(not part.enabled for part in body.parts) if body.kind == BodyKind.MULTIPART else 0
    if off:
        out.append(f"{off} switched-off row(s) of {owner} were not exported (.http has none).")
    if request.description.strip():
        out.append(f"The description of {owner} was not exported.")
    return out


def _basic(username: str, password: str) -> str:
    """`Basic user password` where that reads back unambiguously (JetBrains knows only
    this form), else `Basic user:password` (REST Client and httpyac)."""
    if username and password and not re.search(r"[\s:]", username) and ":" not in password:
        return f"Basic {username} {password}"
    return f"Basic {username}:{password}"


_PLACEHOLDER = re.compile(r"(\{\{[^{}\n]*\}\})")


def _form(text: str) -> str:
    """`text` form-encoded as API Explorer sends a form (a space is `+`, as `requests`
    writes it), with `{{variables}}` left for the tool to fill in."""
    pieces = _PLACEHOLDER.split(text)
    return "".join(
        piece if index % 2 else quote_plus(piece, safe="") for index, piece in enumerate(pieces)
    )


def _body_text(body: Body) -> tuple[str, int]:
    """A text body without its final line breaks, and how many there were."""
    if body.kind != BodyKind.RAW:
        return "", 0
    text = body.text.replace("\r\n", "\n")
    stripped = text.rstrip("\n")
    if not stripped.strip():
        return "", 0
    return stripped, len(text) - len(stripped)


def _export_body(body: Body, text: str) -> list[str]:
    if body.kind == BodyKind.RAW and text:
        # A body line starting with ### would end the request: indent it by a space.
        return ["", re.sub(r"^###", " ###", text, flags=re.MULTILINE)]
    if body.kind == BodyKind.BINARY and body.file:
        return ["", f"< {body.file}"]
    if body.kind == BodyKind.FORM:
        pairs = [p for p in body.form if p.enabled]
        text = "&".join(f"{_form(p.name)}={_form(p.value)}" for p in pairs)
        return ["Content-Type: " + FORM_TYPE, "", text]
    if body.kind == BodyKind.MULTIPART:
        lines = [f"Content-Type: multipart/form-data; boundary={BOUNDARY}", ""]
        for part in body.parts:
            if not part.enabled:
                continue
            lines.append(f"--{BOUNDARY}")
            if part.is_file:
                filename = Path(part.file).name
                lines.append(
                    f'Content-Disposition: form-data; name="{part.name}"; filename="{filename}"'
                )
                # The type API Explorer sends, written out: the tools send none by default.
                lines.append(f"Content-Type: {part.content_type or file_part_type(filename)}")
                lines += ["", f"< {part.file}"]
            else:
                lines.append(f'Content-Disposition: form-data; name="{part.name}"')
                if part.content_type:
                    lines.append(f"Content-Type: {part.content_type}")
                lines += ["", part.value]
        lines.append(f"--{BOUNDARY}--")
        return lines
    return []


def _handler(
    collection: Collection,
    path: tuple[str, ...],
    request: Request,
    owner: str,
    losses: list[str],
) -> list[str]:
    """The `> {% … %}` handler of a request: its own and inherited rows, and a kept
    JetBrains handler script."""
    # The folders' and collection's enabled rows, then the request's own (a disabled
    # one is reported by the writer).
    outer = inherited_checks(collection, path, request.with_changes(assertions=(), captures=()))
    kept = request.scripts.kept_post_response if _is_jetbrains(request) else ""
    written = jetbrains_handler(
        (*(a for a, _ in outer.assertions), *request.assertions),
        (*(c for c, _ in outer.captures), *request.captures),
        kept,
        owner,
    )
    losses += written.losses
    if not written.lines:
        return []
    return ["", "> {%", *written.lines, "%}"]


def _is_jetbrains(request: Request) -> bool:
    """Whether the kept post-response script is a JetBrains handler (from an .http
    import), which JetBrains runs as it is."""
    return _jetbrains_script(request.scripts.kept_post_response)


def _jetbrains_script(kept: str) -> bool:
    return ("client." in kept or "request." in kept) and "pm." not in kept and "%}" not in kept


def _scripts(collection: Collection) -> list[str]:
    """One sentence per owner whose scripts the .http file cannot carry."""
    losses = []
    pending: list[tuple[str, Collection | Folder]] = [
        (f"the collection {collection.name!r}", collection)
    ]
    while pending:
        owner, node = pending.pop(0)
        scripts = node.scripts
        if scripts.pre_request or scripts.post_response or scripts.kept_pre_request:
            losses.append(f"The scripts of {owner} were not exported to .http.")
        for item in node.items:
            if isinstance(item, Folder):
                pending.append((f"the folder {item.name!r}", item))
                continue
            request = item.request
            own = request.scripts
            foreign_pre = own.kept_pre_request and not _jetbrains_script(own.kept_pre_request)
            if own.pre_request or own.post_response or foreign_pre:
                losses.append(f"The scripts of the request {item.name!r} were not exported.")
            if own.kept_post_response and not _is_jetbrains(request):
                losses.append(
                    f"The kept test script of the request {item.name!r} was not exported: "
                    "it is not a JetBrains handler."
                )
    return losses
