"""Import a Hurl file as a collection: each entry a request, in order, with its checks.

The request: method and URL (its query and [QueryStringParams] as parameters), headers
([Cookies] as one Cookie header), [BasicAuth] as basic auth, [FormParams] and
[MultipartFormData] as the body, or the body itself (JSON, XML, multiline and oneline
strings, base64/hex text, file). [Options] that the model has become request options
(Hurl follows no redirect unless `location: true`, and then at most 50); `variable:`
options become collection variables. The response: `HTTP 200` is a status assertion
(`HTTP *` none), `HTTP/1.1` a version assertion, header lines header assertions, [Asserts]
assertions, [Captures] captures and a response body a body (or sha256) assertion.
Whatever has no place in the model is named, with its line, in the import report.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from dataclasses import replace
from pathlib import Path

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.formats.common import FormatError, ImportResult, path_param_names, split_url
from explorer.core.hurl.checks_map import NotCarried, assertion_of, capture_of
from explorer.core.hurl.parser import parse_hurl
from explorer.core.hurl.syntax import (
    AssertLine,
    CaptureLine,
    Entry,
    HurlRequest,
    HurlResponse,
    KeyValue,
    MultipartItem,
)
from explorer.core.hurl.syntax import Body as HurlBody
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
    Part,
    Request,
    Subject,
)

HURL_MAX_REDIRECTS = 50  # Hurl's default for --max-redirs
_MAX_NAME = 200
_CONTENT_TYPES = {"json": "application/json", "xml": "application/xml"}
_TRUE = ("true", "1")
_IGNORED_OPTIONS = frozenset(("verbose", "very-verbose", "compressed", "output", "color"))


def import_hurl(text: str, name: str = "Hurl file", base_dir: Path | None = None) -> ImportResult:
    """Import every entry of a Hurl file, in order."""
    parsed = parse_hurl(text)
    if not parsed.entries:
        raise FormatError("No request found in the Hurl file", "line 1, column 1")
    report: list[str] = []
    variables: dict[str, Variable] = {}
    items = []
    for number, entry in enumerate(parsed.entries, start=1):
        items.append(RequestItem(_request(entry, number, variables, report, base_dir)))
    collection = Collection(name, items=tuple(items), variables=tuple(variables.values()))
    return ImportResult(collection, (), tuple(dict.fromkeys(report)))


def _request(
    entry: Entry,
    number: int,
    variables: dict[str, Variable],
    report: list[str],
    base_dir: Path | None,
) -> Request:
    hurl = entry.request
    where = f"entry {number} (line {hurl.line})"
    bare, params = split_url(hurl.url)
    query = hurl.section("QueryStringParams")
    if query is not None:
        params = (*params, *(_pair(item) for item in query.items))
    headers = [Pair(h.key, h.value) for h in hurl.headers]
    cookies = hurl.section("Cookies")
    if cookies is not None and cookies.items:
        cookie = "; ".join(f"{c.key}={c.value}" for c in _key_values(cookies.items))
        headers.append(Pair("Cookie", cookie))
    body, headers = _body(hurl, headers, where, report, base_dir)
    name, description = _name(hurl, bare)
    request = Request(
        method=hurl.method,
        url=bare,
        params=params,
        path_params=tuple(Pair(n) for n in path_param_names(bare)),
        headers=tuple(headers),
        body=body,
        auth=_auth(hurl, where, report),
        options=_options(hurl, variables, where, report),
        name=name,
        description=description,
    )
    if entry.response is None:
        return request
    assertions, captures = _checks(entry.response, where, report)
    return request.with_changes(assertions=assertions, captures=captures)


def _pair(item: object) -> Pair:
    assert isinstance(item, KeyValue)
    return Pair(item.key, item.value)


def _key_values(items: tuple[object, ...]) -> list[KeyValue]:
    return [item for item in items if isinstance(item, KeyValue)]


def _name(hurl: HurlRequest, url: str) -> tuple[str, str]:
    """The name from the comment just above the request (its last line; the lines
    before it are the description), else `METHOD path`."""
    lines = [line for line in hurl.comments]
    while lines and not lines[-1]:
        lines.pop()
    if lines:
        return lines[-1][:_MAX_NAME], "\n".join(lines[:-1]).strip("\n")
    path = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]*", "", url) or "/"
    return f"{hurl.method} {path}"[:_MAX_NAME], ""


def _auth(hurl: HurlRequest, where: str, report: list[str]) -> Auth:
    section = hurl.section("BasicAuth")
    user = next((o for o in _options_of(hurl) if o.key == "user"), None)
    if section is not None and section.items:
        credentials = _key_values(section.items)
        if len(credentials) > 1:
            report.append(f"Only the first [BasicAuth] line of {where} was kept.")
        return Auth(AuthKind.BASIC, username=credentials[0].key, password=credentials[0].value)
    if user is not None:
        username, _, password = user.value.partition(":")
        return Auth(AuthKind.BASIC, username=username, password=password)
    return Auth()


def _options_of(hurl: HurlRequest) -> list[KeyValue]:
    section = hurl.section("Options")
    return [] if section is None else _key_values(section.items)


def _options(
    hurl: HurlRequest, variables: dict[str, Variable], where: str, report: list[str]
) -> Options:
    # Hurl follows no redirect unless told to, and then at most 50.
    options = Options(follow_redirects=False, max_redirects=HURL_MAX_REDIRECTS)
    for option in _options_of(hurl):
        key, value = option.key, option.value.strip()
        if key in ("location", "location-trusted"):
            options = replace(options, follow_redirects=value.lower() in _TRUE)
            if key == "location-trusted":
                options = replace(options, trust_redirects=value.lower() in _TRUE)
        elif key == "max-redirs" and re.fullmatch(r"-?\d{1,6}", value):
            # -1 is Hurl's "no limit": a large bound stands for it.
            options = replace(options, max_redirects=int(value) if int(value) >= 0 else 1000)
        elif key == "insecure":
            options = replace(options, verify_tls=value.lower() not in _TRUE)
        elif key == "proxy":
            options = replace(options, proxy=value)  # an explicit proxy wins anyway
        elif key == "cacert":
            options = replace(options, ca_bundle=value)
        elif key == "cert":
            options = replace(options, client_cert=value)
        elif key == "key":
            options = replace(options, client_key=value)
        elif key == "variable":
            _variable(option, variables, where, report)
        elif key == "user" or key in _IGNORED_OPTIONS:
            continue  # user is the basic auth; the others change nothing that is checked
        else:
            report.append(f"The option {key}: {value} (line {option.line}) was not imported.")
    return options


def _variable(
    option: KeyValue, variables: dict[str, Variable], where: str, report: list[str]
) -> None:
    name, equals, value = option.value.partition("=")  # the value is final (parser)
    name = name.strip()
    if not equals or not name:
        report.append(f"The option variable: {option.value} of {where} names no variable.")
        return
    known = variables.get(name)
    if known is None:
        variables[name] = Variable(name, value)
    elif known.value != value:
        report.append(
            f"The variable {name} is set to different values; the collection keeps {known.value!r}"
            f" (line {option.line})."
        )


def _body(
    hurl: HurlRequest,
    headers: list[Pair],
    where: str,
    report: list[str],
    base_dir: Path | None,
) -> tuple[Body, list[Pair]]:
    form = hurl.section("FormParams")
    multipart = hurl.section("MultipartFormData")
    if hurl.body is not None:
        if form is not None or multipart is not None:
            report.append(f"Hurl sends the body of {where}, not its form section; so does this.")
        return _raw_body(hurl.body, headers, where, report, base_dir)
    if form is not None:
        return Body(BodyKind.FORM, form=tuple(_pair(i) for i in form.items)), headers
    if multipart is not None:
        parts = []
        for item in multipart.items:
            assert isinstance(item, MultipartItem)
            if item.file:
                # Without a type, curl (so Hurl) sends the one its file name suggests.
                kind = item.content_type or _guessed_type(item.file)
                parts.append(Part(item.name, file=_path(item.file, base_dir), content_type=kind))
            else:
                parts.append(Part(item.name, item.value))
        return Body(BodyKind.MULTIPART, parts=tuple(parts)), headers
    return Body(), headers


def _raw_body(
    body: HurlBody, headers: list[Pair], where: str, report: list[str], base_dir: Path | None
) -> tuple[Body, list[Pair]]:
    content_type = ""
    for pair in headers:
        if pair.name.lower() == "content-type":
            content_type = pair.value
            headers = [other for other in headers if other is not pair]
            break
    if body.kind == "file":
        return Body(BodyKind.BINARY, file=_path(body.text, base_dir), content_type=content_type), (
            headers
        )
    if body.kind == "bytes":
        try:
            text = body.data.decode("utf-8")
        except UnicodeDecodeError:
            report.append(f"The binary body of {where} is not text and was not imported.")
            return Body(), headers
        return Body(BodyKind.RAW, text=text, content_type=content_type), headers
    if body.kind == "graphql":
        text = json.dumps({"query": body.text}, ensure_ascii=False)
        return Body(BodyKind.RAW, text=text, content_type=content_type or "application/json"), (
            headers
        )
    if body.lang == "raw" and "{{" in body.text:
        report.append(f"The {{{{templates}}}} in the raw body of {where} will be replaced.")
    implied = _CONTENT_TYPES.get(body.lang or body.kind, "")
    return Body(BodyKind.RAW, text=body.text, content_type=content_type or implied), headers


def _guessed_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _path(path: str, base_dir: Path | None) -> str:
    if base_dir is not None and not Path(path).is_absolute():
        return str(base_dir / path)
    return path


def _checks(
    response: HurlResponse, where: str, report: list[str]
) -> tuple[tuple[Assertion, ...], tuple[Capture, ...]]:
    assertions: list[Assertion] = []
    if response.status != "*":
        assertions.append(Assertion(Subject.STATUS, Operator.EQ, str(int(response.status))))
    if response.version not in ("HTTP", "HTTP/*"):
        version = json.dumps(response.version.removeprefix("HTTP/"))
        assertions.append(Assertion(Subject.VERSION, Operator.EQ, version))
        if response.version in ("HTTP/2", "HTTP/3"):
            report.append(
                f"{where.capitalize()} expects {response.version}: this app speaks "
                "HTTP/1.1, so that version assertion fails unless it is removed."
            )
    for header in response.headers:
        expected = json.dumps(header.value, ensure_ascii=False)
        assertions.append(Assertion(Subject.HEADER, Operator.EQ, expected, header.key))
    captures: list[Capture] = []
    section = response.section("Captures")
    for line in section.items if section is not None else ():
        assert isinstance(line, CaptureLine)
        try:
            captures.append(capture_of(line))
        except NotCarried as reason:
            report.append(f"The capture on line {line.line} was not imported: {reason}.")
    section = response.section("Asserts")
    for item in section.items if section is not None else ():
        assert isinstance(item, AssertLine)
        try:
            assertions.append(assertion_of(item))
        except NotCarried as reason:
            report.append(f"The assert on line {item.line} was not imported: {reason}.")
    if response.body is not None:
        body = _body_assertion(response.body)
        if body is None:
            report.append(f"The expected body file of {where} was not imported.")
        else:
            assertions.append(body)
    return tuple(assertions), tuple(captures)


def _body_assertion(body: HurlBody) -> Assertion | None:
    """The response body as an assertion: text equality, or the bytes' sha256."""
    if body.kind == "file":
        return None
    if body.kind == "bytes":
        digest = json.dumps(hashlib.sha256(body.data).hexdigest())
        return Assertion(Subject.SHA256, Operator.EQ, digest)
    text = json.dumps({"query": body.text}) if body.kind == "graphql" else body.text
    return Assertion(Subject.BODY, Operator.EQ, json.dumps(text, ensure_ascii=False))
