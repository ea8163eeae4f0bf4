"""A collection as a Hurl file, and the list of what Hurl cannot carry.

Each request becomes an entry, in collection order (folders flattened), named by a
comment line above it (its description in the comment lines before that). What the
importer reads back unchanged: method, URL, parameters, headers, basic auth, form,
multipart, text and file bodies with their content type, redirect/TLS/proxy/certificate
options, collection variables (as `variable:` options of the first entry), assertions
and captures that Hurl can say. The rest is listed in `HurlExport.losses` and, so that
the reader of the file knows too, in a comment block at its top.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from explorer.core.collection import Collection, RequestItem, walk_requests
from explorer.core.formats.common import substitute_path_params
from explorer.core.hurl.checks_map import NotCarried, assert_text, capture_text
from explorer.core.hurl.importer import HURL_MAX_REDIRECTS
from explorer.core.hurl.parser import quote
from explorer.core.model import (
    Assertion,
    AuthKind,
    Body,
    BodyKind,
    Operator,
    Options,
    Pair,
    Request,
    Subject,
)
from explorer.core.resolve.inheritance import effective_request, inherited_checks
from explorer.core.urls import with_default_scheme

_TEMPLATE = re.compile(r"\{\{[^{}\n]*\}\}")
_STATUS = re.compile(r"[1-9]\d{2}")
_VERSIONS = ('"1.0"', '"1.1"', '"2"', '"3"')
_DEFAULTS = Options()


@dataclass(frozen=True)
class HurlExport:
    """The Hurl text and one sentence per thing it could not carry."""

    text: str
    losses: tuple[str, ...] = ()


def export_hurl(collection: Collection) -> str:
    """The collection as Hurl text (see `hurl_export` for what is lost)."""
    return hurl_export(collection).text


def hurl_export(collection: Collection) -> HurlExport:
    from explorer.core.graphql.interchange import graphql_for_export

    # A GraphQL request as the JSON body (or GET parameters) it sends.
    collection, graphql_notes = graphql_for_export(collection, native=False)
    losses: list[str] = list(graphql_notes)
    entries: list[list[str]] = []
    variables = _variable_options(collection, losses)
    if collection.environments:
        losses.append("Environments are not written (Hurl takes variables on its command line).")
    if collection.description:
        losses.append("The collection's description is not written.")
    per_request: dict[str, list[str]] = {}  # a loss with "…" for the request -> requests
    for path, item in walk_requests(collection):
        title = " / ".join((*path, item.name)) if item.name else ""
        label = title or f"{item.request.method} {item.request.url}"
        found: list[str] = []
        entries.append(_entry(collection, path, item, variables, title, found))
        for sentence in dict.fromkeys(found):
            per_request.setdefault(sentence.replace(label, "…"), []).append(label)
        variables = []
    losses += [_grouped(sentence, labels) for sentence, labels in per_request.items()]
    if any(path for path, _ in walk_requests(collection)):
        losses.append("Folders are flattened: their requests are named 'Folder / Request'.")
    if collection.headers or collection.auth.kind not in (AuthKind.NONE, AuthKind.INHERIT):
        losses.append("The collection's headers and auth are written into each request.")
    unique = tuple(dict.fromkeys(losses))
    head = [f"# Not carried over to Hurl: {loss}" for loss in unique]
    blocks = ["\n".join(head)] if head else []
    blocks += ["\n".join(lines) for lines in entries]
    return HurlExport("\n\n".join(blocks) + "\n" if blocks else "", unique)


def _grouped(sentence: str, labels: list[str]) -> str:
    """One sentence for a loss of several requests: "… of each of 3 requests (A; B; C)"."""
    unique = list(dict.fromkeys(labels))
    if len(unique) == 1:
        return sentence.replace("…", unique[0])
    shown = "; ".join(unique[:3]) + (f" and {len(unique) - 3} more" if len(unique) > 3 else "")
    return sentence.replace("…", f"each of {len(unique)} requests ({shown})")


def _entry(
    collection: Collection,
    path: tuple[str, ...],
    item: RequestItem,
    variables: list[str],
    title: str,
    losses: list[str],
) -> list[str]:
    own = item.request
    request = effective_request(collection, path, item)
    label = title or f"{own.method} {own.url}"
    lines = _comments(own, title, label, losses)
    url = with_default_scheme(request.url)  # the app sends http:// then; Hurl needs it
    if any(p.value for p in request.path_params if p.enabled):
        url = substitute_path_params(url, request.path_params)
        losses.append(f"The path parameters of {label} are written into its URL.")
    lines.append(f"{request.method} {_value(url)}")
    headers = [p for p in request.headers if p.enabled and p.name]
    if any(not p.enabled for p in request.headers):
        losses.append(f"Disabled headers of {label} are not written.")
    auth_lines = _auth(request, headers, label, losses)
    body = request.body
    if body.kind in (BodyKind.RAW, BodyKind.BINARY) and body.content_type:
        typed = [p.value.strip() for p in headers if p.name.lower() == "content-type"]
        if typed and body.content_type.strip() not in typed:
            losses.append(f"{label} has a Content-Type header and a body type: the body's is lost.")
        elif not typed:
            headers.append(Pair("Content-Type", body.content_type))
    lines += [f"{_key(p.name)}: {_value(p.value)}" for p in headers]
    options = _options(request.options, label, losses) + variables
    if options:
        lines += ["[Options]", *options]
    params = [p for p in request.params if p.enabled]
    if any(not p.enabled for p in request.params):
        losses.append(f"Disabled parameters of {label} are not written.")
    if request.auth.kind == AuthKind.API_KEY and request.auth.key_in == "query":
        params.append(Pair(request.auth.key_name, request.auth.key_value))
    if params:
        lines += ["[QueryStringParams]", *(f"{_key(p.name)}: {_value(p.value)}" for p in params)]
    lines += auth_lines
    lines += _body(body, label, losses)
    lines += _response(collection, path, own, label, losses)
    return lines


def _comments(request: Request, title: str, label: str, losses: list[str]) -> list[str]:
    lines = []
    if request.description:
        for line in request.description.split("\n"):
            if line != line.strip():
                losses.append(f"The description of {label} loses its indentation.")
            lines.append(f"# {line.strip()}" if line.strip() else "#")
    if title:
        shown = " ".join(title.split())
        if shown != title:
            losses.append(f"The name of {label} is written on one line.")
        lines.append(f"# {shown}")
    return lines


def _auth(request: Request, headers: list[Pair], label: str, losses: list[str]) -> list[str]:
    auth = request.auth
    if auth.kind == AuthKind.BASIC:
        return ["[BasicAuth]", f"{_key(auth.username)}: {_value(auth.password)}"]
    if auth.kind == AuthKind.BEARER:
        headers.append(Pair("Authorization", f"Bearer {auth.token}"))
        losses.append(f"The bearer auth of {label} is written as an Authorization header.")
    elif auth.kind == AuthKind.API_KEY and auth.key_in == "header":
        headers.append(Pair(auth.key_name, auth.key_value))
        losses.append(f"The API key of {label} is written as a header.")
    elif auth.kind == AuthKind.API_KEY:
        losses.append(f"The API key of {label} is written as a query parameter.")
    elif auth.kind == AuthKind.DIGEST:
        losses.append(f"The digest auth of {label} is not written (Hurl has none per request).")
    return []


def _options(options: Options, label: str, losses: list[str]) -> list[str]:
    lines = []
    if options.follow_redirects:
        lines.append("location-trusted: true" if options.trust_redirects else "location: true")
    elif options.trust_redirects:
        losses.append(f"{label} trusts redirects but follows none: the trust is not written.")
    if options.max_redirects != HURL_MAX_REDIRECTS:
        lines.append(f"max-redirs: {options.max_redirects}")
    if not options.verify_tls:
        lines.append("insecure: true")
    if options.proxy:
        lines.append(f"proxy: {_value(options.proxy)}")
    elif not options.use_system_proxy:
        losses.append(f"{label} uses no proxy: Hurl takes that on its command line (--noproxy).")
    if options.ca_bundle:
        lines.append(f"cacert: {_filename(options.ca_bundle)}")
    if options.client_cert:
        lines.append(f"cert: {_filename(options.client_cert)}")
    if options.client_key:
        lines.append(f"key: {_value(options.client_key)}")
    if options.timeout != _DEFAULTS.timeout or options.total_timeout != _DEFAULTS.total_timeout:
        losses.append(f"The timeouts of {label} are not written (Hurl: --max-time).")
    if options.max_body_size != _DEFAULTS.max_body_size:
        losses.append(f"The body size limit of {label} is not written.")
    if not options.send_cookies:
        losses.append(
            f"{label} leaves the cookie jar out; Hurl keeps one for the whole file, so it "
            "sends and keeps its cookies."
        )
    return lines


def _variable_options(collection: Collection, losses: list[str]) -> list[str]:
    lines = []
    for variable in collection.variables:
        if not variable.enabled:
            losses.append(f"The disabled variable {variable.name} is not written.")
        elif variable.secret:
            losses.append(
                f"The secret variable {variable.name} is not written (Hurl: --secret on the "
                "command line)."
            )
        elif not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", variable.name):
            losses.append(f"The variable {variable.name!r} has a name Hurl does not accept.")
        else:
            lines.append(f"variable: {variable.name}={quote(variable.value)}")
    return lines


def _body(body: Body, label: str, losses: list[str]) -> list[str]:
    if body.kind == BodyKind.RAW:
        return _text_body(body)
    if body.kind == BodyKind.BINARY:
        return [f"file,{_filename(body.file)};"] if body.file else []
    if body.kind == BodyKind.FORM:
        if any(not p.enabled for p in body.form):
            losses.append(f"Disabled form fields of {label} are not written.")
        fields = [f"{_key(p.name)}: {_value(p.value)}" for p in body.form if p.enabled]
        return ["[FormParams]", *fields]
    if body.kind == BodyKind.MULTIPART:
        lines = ["[MultipartFormData]"]
        for part in body.parts:
            if not part.enabled:
                losses.append(f"Disabled multipart fields of {label} are not written.")
            elif part.is_file:
                if not part.content_type:
                    losses.append(
                        f"A file field of {label} without a type gets the one Hurl guesses."
                    )
                kind = f" {part.content_type}" if part.content_type else ""
                lines.append(f"{_key(part.name)}: file,{_filename(part.file)};{kind}")
            else:
                if part.content_type:
                    losses.append(f"The content type of a multipart text field of {label} is lost.")
                lines.append(f"{_key(part.name)}: {_value(part.value)}")
        return lines
    return []


def _text_body(body: Body) -> list[str]:
    text = body.text
    # Hurl's ``` string ends at the first ```, and the file's \r\n are read as \n.
    if "```" in text or text.endswith("`") or "\r" in text:
        return [f"base64,{base64.b64encode(text.encode()).decode()};"]
    kind = body.content_type.split(";")[0].strip().lower()
    lang = "json" if kind.endswith("json") else "xml" if kind.endswith("xml") else ""
    return [f"```{lang}\n{text}```"]


def _response(
    collection: Collection, path: tuple[str, ...], request: Request, label: str, losses: list[str]
) -> list[str]:
    checks = inherited_checks(collection, path, request)
    if any(not a.enabled for a in request.assertions) or any(
        not c.enabled for c in request.captures
    ):
        losses.append(f"Disabled assertions and captures of {label} are not written.")
    if any(source.kind != "request" for _, source in (*checks.assertions, *checks.captures)):
        losses.append(f"Folder and collection checks are written into {label}.")
    if request.scripts:
        losses.append(f"The scripts of {label} are not written (Hurl runs no scripts).")
    assertions = [a for a, _ in checks.assertions]
    status = "*"
    version = ""
    if (
        assertions
        and _is_plain(assertions[0], Subject.STATUS)
        and _STATUS.fullmatch(assertions[0].expected)
    ):
        status = assertions.pop(0).expected
        if (
            assertions
            and _is_plain(assertions[0], Subject.VERSION)
            and (assertions[0].expected in _VERSIONS)
        ):
            version = "/" + assertions.pop(0).expected.strip('"')
    captures = []
    for capture, _ in checks.captures:
        try:
            captures.append(capture_text(capture))
        except NotCarried as reason:
            losses.append(f"A capture of {label} is not written: {reason}.")
        if capture.to_environment:
            losses.append(f"Captures of {label} are not written to an environment in Hurl.")
    asserts = []
    for assertion in assertions:
        if assertion.name:
            losses.append(f"Assertion names of {label} are not written.")
        try:
            asserts.append(assert_text(assertion))
        except NotCarried as reason:
            losses.append(f"An assertion of {label} is not written: {reason}.")
    if status == "*" and not captures and not asserts:
        return []
    lines = [f"HTTP{version} {status}"]
    if captures:
        lines += ["[Captures]", *captures]
    if asserts:
        lines += ["[Asserts]", *asserts]
    return lines


def _is_plain(assertion: Assertion, subject: Subject) -> bool:
    return (
        assertion.subject == subject
        and assertion.operator == Operator.EQ
        and not assertion.negate
        and not assertion.filters
        and not assertion.name
    )


# -- escaping ------------------------------------------------------------------------


def _key(text: str) -> str:
    """A Hurl key-string that reads back as `text` ({{templates}} kept). A leading `[`
    is escaped: the line would read as a section or a JSON body."""
    if text.startswith("["):
        return "\\u{5b}" + _key(text[1:])
    out = []
    last = 0
    for match in _TEMPLATE.finditer(text):
        out.append(_key_chars(text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_key_chars(text[last:]))
    return "".join(out)


def _key_chars(text: str) -> str:
    return "".join(
        char if char.isalnum() or char in "_-.[]@$" else f"\\u{{{ord(char):x}}}" for char in text
    )


def _value(text: str) -> str:
    """A Hurl value-string (to the end of the line) that reads back as `text`."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace("#", "\\#")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    # Hurl drops spaces around a value: the outer ones are written as escapes.
    stripped = escaped.lstrip(" ")
    escaped = "\\u{20}" * (len(escaped) - len(stripped)) + stripped
    stripped = escaped.rstrip(" ")
    return stripped + "\\u{20}" * (len(escaped) - len(stripped))


def _filename(text: str) -> str:
    out = []
    for char in text:
        if char in "\\#; ":
            out.append("\\" + char)
        elif char in _CONTROL_ESCAPES:
            out.append(_CONTROL_ESCAPES[char])
        else:
            out.append(char)
    return "".join(out)


_CONTROL_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
