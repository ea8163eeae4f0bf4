"""Turn a `Request` into a `requests.PreparedRequest`, checking what the user typed.

Everything a user can get wrong (method, URL, header names and values, body files) is
checked here and reported as a `SendError` with a plain-language message, before any
network activity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from urllib3._collections import HTTPHeaderDict

from explorer.core.auth import signing
from explorer.core.graphql.request import GraphQLBodyError, as_plain_request, sends_as_query
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.model import AuthKind, BodyKind, Pair, Request
from explorer.core.urls import join_url, substitute_path_params, with_default_scheme

# RFC 9110 §5.6.2: a token is one or more "tchar".
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\r\n\x00]")

RAW_CONTENT_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "text": "text/plain",
    "javascript": "application/javascript",
}

# The type curl gives a file part by its extension (lib/mime.c), octet-stream otherwise:
# a part sent by the app and by its curl export then carries the same Content-Type.
FILE_PART_TYPES = {
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    ".htm": "text/html",
    ".html": "text/html",
    ".pdf": "application/pdf",
    ".xml": "application/xml",
}


def is_token(text: str) -> bool:
    """True when `text` is a valid HTTP token (method or header name)."""
    return bool(_TOKEN.match(text))


def header_problem(name: str, value: str) -> str:
    """Why a header cannot be sent, or "" when it can."""
    if not name:
        return "a header has a value but no name"
    if not is_token(name):
        if any(ch.isspace() for ch in name):
            return f"header name {name!r} contains whitespace"
        return f"header name {name!r} contains characters not allowed in a name"
    if _BAD_VALUE.search(value):
        return f"header {name!r} has a line break or NUL in its value"
    return ""


NON_ASCII_NOTE = (
    "contains non-ASCII characters: sent as UTF-8 bytes (as curl does), which not every "
    "server accepts"
)


def header_note(name: str, value: str) -> str:
    """A warning about a header that can be sent but may not be understood, or ""."""
    if not value.isascii():
        return f"header {name!r} {NON_ASCII_NOTE}"
    return ""


def wire_value(value: str) -> str | bytes:
    """A header value as it goes out: non-ASCII text as UTF-8 bytes, as curl sends it.
    (http.client would encode text as latin-1, and fail on anything beyond it.)"""
    return value if value.isascii() else value.encode("utf-8")


def check_request(request: Request) -> None:
    """Raise SendError for a method, URL or header that cannot be sent."""
    if not is_token(request.method):
        raise SendError(
            ErrorKind.INVALID_METHOD,
            f"{request.method!r} is not a valid HTTP method",
            "A method is one word of letters, digits or !#$%&'*+-.^_`|~, like GET or PURGE.",
        )
    url = request.url.strip()
    if not url:
        raise SendError(ErrorKind.INVALID_URL, "The URL is empty", "Type an address to send to.")
    for header in request.headers:
        if header.enabled and (header.name or header.value):
            problem = header_problem(header.name.strip(), header.value)
            if problem:
                raise SendError(
                    ErrorKind.INVALID_HEADER,
                    f"Invalid header: {problem}",
                    "Fix or disable the header in the Headers tab.",
                )


def final_url(request: Request) -> str:
    """The URL that goes out: scheme defaulted, path params substituted, params appended."""
    url = with_default_scheme(request.url)
    url = substitute_path_params(url, request.path_params)
    params = list(request.params)
    if request.auth.kind == AuthKind.API_KEY and request.auth.key_in == "query":
        params.append(Pair(request.auth.key_name, request.auth.key_value))
    params += _oauth2_params(request)
    return join_url(url, params)


def prepare(
    session: requests.Session,
    request: Request,
    files: ExitStack,
    reuse: PreparedReuse | None = None,
) -> Any:
    """A PreparedRequest for `request`, merged with the session (cookies, defaults).

    Files opened for the body are registered on `files`, which the caller closes after
    sending. Duplicate header names are kept, in the order the user gave them. With
    `reuse`, a request object sent before may be prepared from its earlier preparation.
    """
    prepared = reuse.get(session, request) if reuse is not None else None
    if prepared is None:
        prepared = _unsigned(session, request, files)
        if reuse is not None:
            reuse.keep(session, request, prepared)
    # Last: a signature covers the request exactly as it goes out (core/auth/signing).
    signing.sign(prepared, request)
    return prepared


class PreparedReuse:
    """The unsigned preparations of the request objects a transport sent more than once,
    for a transport whose sends repeat the same objects: a load test's user's (its run
    hands the same prepared request while the variables' values stay the same,
    explorer/application/load/reuse). requests' preparation is most of what a small
    send costs besides the exchange itself.

    A preparation is a function of the request object and of the session, whose cookies
    it carries as a header: one is kept, and reused, only while the session's cookie
    jar is empty, and only for a request without body files (opened for each send) and
    without Basic or Digest auth (requests' auth objects; Digest's counts its sends).
    Each use is a copy; a request object is kept from its second send on (one sent once,
    such as one with a dynamic variable, costs nothing more).
    """

    MAX_KEPT = 64

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Request, Any]] = {}

    def get(self, session: requests.Session, request: Request) -> Any:
        found = self._kept.get(id(request))
        if found is None or found[0] is not request or found[1] is None:
            return None
        return found[1].copy() if _no_cookies(session) else None

    def keep(self, session: requests.Session, request: Request, prepared: Any) -> None:
        if not _reusable(request) or not _no_cookies(session):
            return
        found = self._kept.get(id(request))
        seen = found is not None and found[0] is request
        if len(self._kept) >= self.MAX_KEPT and not seen:
            self._kept.clear()
        # The id stays this object's while the entry holds it.
        self._kept[id(request)] = (request, prepared.copy() if seen else None)


def _reusable(request: Request) -> bool:
    return request.body.kind not in (BodyKind.BINARY, BodyKind.MULTIPART) and (
        request.auth.kind not in (AuthKind.BASIC, AuthKind.DIGEST)
    )


def _no_cookies(session: requests.Session) -> bool:
    return next(iter(session.cookies), None) is None


def _unsigned(session: requests.Session, request: Request, files: ExitStack) -> Any:
    """`prepare` before the signature."""
    check_request(request)
    request = _graphql_as_sent(request)
    user_headers = [
        (h.name.strip(), h.value) for h in request.headers if h.enabled and h.name.strip()
    ]
    headers: list[tuple[str, Any]] = _auth_headers(request) + user_headers
    if request.body.kind in (BodyKind.RAW, BodyKind.BINARY):
        # Raw bytes carry no type of their own; the body kind says what they are.
        if not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", default_content_type(request)))
        # An empty Content-Type means none, as curl's `-H 'Content-Type:'` (and its -T).
        headers = [(n, v) for n, v in headers if n.lower() != "content-type" or v.strip()]
    headers = [(name, wire_value(value)) for name, value in headers]
    kwargs: dict[str, Any] = {
        "method": request.method,
        "url": final_url(request),
        "headers": dict(headers),
        "auth": _requests_auth(request),
    }
    kwargs.update(_body_kwargs(request, files))
    try:
        prepared = session.prepare_request(requests.Request(**kwargs))
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as exc:
        raise SendError(ErrorKind.INVALID_URL, _url_message(request, exc), _URL_HINT) from exc
    except requests.exceptions.InvalidSchema as exc:
        raise SendError(ErrorKind.INVALID_URL, _url_message(request, exc), _URL_HINT) from exc
    except (ValueError, UnicodeError) as exc:
        raise SendError(ErrorKind.INVALID_URL, _url_message(request, exc), _URL_HINT) from exc
    # requests declares a CaseInsensitiveDict but sends any mapping of headers; the
    # HTTPHeaderDict keeps a name typed twice as two header lines. Without such a name
    # requests' own dict holds the same lines (and costs less to build and to send).
    names = {name.lower() for name, _ in headers}
    if len(names) < len(headers):
        prepared.headers = _with_duplicates(prepared.headers, headers)  # type: ignore[assignment]
    return prepared


_URL_HINT = "Check the address: it should look like http://host:port/path."


def _graphql_as_sent(request: Request) -> Request:
    """A GraphQL body as the JSON body or GET parameters it goes out as; variables
    that are not a JSON object stop the send with a line saying so."""
    try:
        return as_plain_request(request)
    except GraphQLBodyError as exc:
        raise SendError(
            ErrorKind.INVALID_BODY,
            str(exc),
            'Fix the variables on the Body tab: a JSON object such as {"id": 1}, or nothing.',
        ) from exc


def _url_message(request: Request, exc: Exception) -> str:
    url = final_url(request)
    if "No connection adapters" in str(exc) or isinstance(exc, requests.exceptions.InvalidSchema):
        scheme = url.split(":", 1)[0]
        return f"Unsupported URL scheme {scheme!r} in {url!r}: only http and https work"
    # requests words it "Invalid URL 'x': No host supplied"; say the URL once.
    detail = re.sub(r"^Invalid URL '.*?': ", "", str(exc))
    return f"Invalid URL {url!r}: {detail}"


def _auth_headers(request: Request) -> list[tuple[str, str]]:
    auth = request.auth
    if auth.kind == AuthKind.BEARER:
        return [("Authorization", f"Bearer {auth.token}")]
    if auth.kind == AuthKind.API_KEY and auth.key_in == "header" and auth.key_name:
        return [(auth.key_name, auth.key_value)]
    if auth.kind == AuthKind.OAUTH2 and auth.oauth2.token_in != "query" and auth.token:
        # The access token the application layer put in for this send (application/oauth).
        prefix = auth.oauth2.header_prefix.strip()
        return [("Authorization", f"{prefix} {auth.token}" if prefix else auth.token)]
    return []


def _oauth2_params(request: Request) -> list[Pair]:
    """The OAuth 2.0 access token as a query parameter, when it goes there."""
    auth = request.auth
    if auth.kind == AuthKind.OAUTH2 and auth.oauth2.token_in == "query" and auth.token:
        return [Pair(auth.oauth2.query_param.strip() or "access_token", auth.token)]
    return []


def _requests_auth(request: Request) -> Any:
    auth = request.auth
    if auth.kind == AuthKind.BASIC:
        # RFC 7617: user-id and password are UTF-8; requests would encode them latin-1.
        return HTTPBasicAuth(auth.username.encode("utf-8"), auth.password.encode("utf-8"))
    if auth.kind == AuthKind.DIGEST:
        return HTTPDigestAuth(auth.username, auth.password)
    return None


def default_content_type(request: Request) -> str:
    """The Content-Type the body kind implies (multipart's boundary is added on send)."""
    body = request.body
    if body.kind == BodyKind.RAW:
        return body.content_type or "text/plain"
    if body.kind == BodyKind.FORM:
        return "application/x-www-form-urlencoded"
    if body.kind == BodyKind.MULTIPART:
        return "multipart/form-data"
    if body.kind == BodyKind.BINARY:
        return body.content_type or "application/octet-stream"
    if body.kind == BodyKind.GRAPHQL and not sends_as_query(request):
        return "application/json"  # a GET sends the operation as query parameters
    return ""


def _body_kwargs(request: Request, files: ExitStack) -> dict[str, Any]:
    """`data`/`files` arguments for requests; requests itself sets the form types."""
    body = request.body
    if body.kind == BodyKind.RAW:
        # An empty body is no body: requests then sends Content-Length: 0 where due.
        return {"data": body.text.encode("utf-8")} if body.text else {}
    if body.kind == BodyKind.FORM:
        pairs = [(p.name, p.value) for p in body.form if p.enabled and p.name]
        return {"data": pairs} if pairs else {}
    if body.kind == BodyKind.MULTIPART:
        parts = [p for p in body.parts if p.enabled and p.name]
        return {"files": [_multipart_entry(p, files) for p in parts]} if parts else {}
    if body.kind == BodyKind.BINARY:
        return {"data": _open_body_file(body.file, files)}
    return {}


def _multipart_entry(part: Any, files: ExitStack) -> tuple[str, tuple[Any, ...]]:
    if part.is_file:
        handle = _open_body_file(part.file, files)
        filename = Path(part.file).name
        content_type = part.content_type or file_part_type(filename)
        return part.name, (filename, handle, content_type)
    return part.name, (None, part.value.encode("utf-8"), part.content_type or None)


def file_part_type(filename: str) -> str:
    """The Content-Type of a file part that sets none: curl's, by the extension."""
    return FILE_PART_TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")


def _open_body_file(path_text: str, files: ExitStack) -> Any:
    if not path_text:
        raise SendError(ErrorKind.INVALID_BODY, "No file chosen for the body", "Pick a file.")
    path = Path(path_text).expanduser()
    try:
        return files.enter_context(path.open("rb"))
    except OSError as exc:
        raise SendError(
            ErrorKind.INVALID_BODY,
            f"Cannot read body file {str(path)!r}: {exc.strerror or exc}",
            "Check that the file exists and is readable.",
        ) from exc


class WireHeaders(HTTPHeaderDict):
    """urllib3's header dict, able to look up a value that goes out as bytes.

    HTTPHeaderDict joins a header's values as text on every lookup, and requests looks
    headers up when it follows a redirect (the Cookie header, for one): a non-ASCII
    value, sent as UTF-8 bytes, would make that lookup fail.
    """

    def __getitem__(self, key: str | bytes) -> Any:
        # Stored values are text, or bytes for what goes out as UTF-8 (typed as text).
        values: Sequence[str | bytes] = self.getlist(
            key.decode("latin-1") if isinstance(key, bytes) else key
        )
        if not values:
            raise KeyError(key)
        texts = [value for value in values if isinstance(value, str)]
        if len(texts) == len(values):
            return ", ".join(texts)
        return b", ".join(v if isinstance(v, bytes) else v.encode("latin-1") for v in values)


def _with_duplicates(prepared_headers: Any, user_headers: list[tuple[str, Any]]) -> HTTPHeaderDict:
    """Prepared headers with every user header kept, duplicates included, in user order.

    requests keeps headers in a dict, so a name typed twice would lose all but the last
    value; urllib3's HTTPHeaderDict sends each value as its own header line.
    """
    counts: dict[str, int] = {}
    for name, _ in user_headers:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    repeated = {name for name, count in counts.items() if count > 1}
    result = WireHeaders()
    done: set[str] = set()
    for name, value in prepared_headers.items():
        lowered = name.lower()
        if lowered not in repeated:
            result[name] = value
        elif lowered not in done:
            done.add(lowered)
            for user_name, user_value in user_headers:
                if user_name.lower() == lowered:
                    result.add(user_name, user_value)
    return result


def automatic_headers(request: Request) -> list[tuple[str, str, str]]:
    """Headers that will be added to `request` without the user typing them.

    Each row is (name, value, where it comes from), for the read-only list in the
    editor, so that nothing sent is hidden. Headers the user set are left out.
    """
    from base64 import b64encode
    from urllib.parse import urlencode, urlsplit

    from requests.utils import DEFAULT_ACCEPT_ENCODING, default_user_agent

    # A GraphQL body shows as what it is sent as: JSON, or GET parameters and no body.
    request = as_plain_request(request, strict=False)
    typed = {h.name.strip().lower() for h in request.headers if h.enabled and h.name.strip()}
    rows: list[tuple[str, str, str]] = []

    def add(name: str, value: str, source: str) -> None:
        if name.lower() not in typed:
            rows.append((name, value, source))

    try:
        host = urlsplit(final_url(request)).netloc.rpartition("@")[2]
    except ValueError:
        host = ""
    add("Host", host or "(from the URL)", "the URL")
    add("User-Agent", default_user_agent(), "requests")
    add("Accept-Encoding", DEFAULT_ACCEPT_ENCODING, "requests")
    add("Accept", "*/*", "requests")
    add("Connection", "keep-alive", "requests")
    auth = request.auth
    if auth.kind == AuthKind.BASIC:
        token = b64encode(f"{auth.username}:{auth.password}".encode()).decode("ascii")
        add("Authorization", f"Basic {token}", "Auth tab")
    elif auth.kind == AuthKind.DIGEST:
        add("Authorization", "Digest … (answered after the server's 401 challenge)", "Auth tab")
    for name, value in _auth_headers(request):
        add(name, value, "Auth tab")
    for name, value in signing.added_headers(request):
        add(name, value, "Auth tab")
    body = request.body
    if body.kind != BodyKind.NONE:
        content_type = default_content_type(request)
        if body.kind == BodyKind.MULTIPART:
            content_type += "; boundary=… (generated on send)"
        add("Content-Type", content_type, "Body tab")
    length = _content_length(request, urlencode)
    if length is not None:
        add("Content-Length", length, "Body tab")
    return rows


def _content_length(request: Request, urlencode: Any) -> str | None:
    body = request.body
    if body.kind == BodyKind.RAW and body.text:
        return str(len(body.text.encode("utf-8")))
    if body.kind == BodyKind.FORM and any(p.enabled and p.name for p in body.form):
        pairs = [(p.name, p.value) for p in body.form if p.enabled and p.name]
        return str(len(urlencode(pairs)))
    if body.kind == BodyKind.BINARY:
        try:
            return str(Path(body.file).expanduser().stat().st_size)
        except OSError:
            return "(the file's size)"
    if body.kind == BodyKind.MULTIPART and any(p.enabled and p.name for p in body.parts):
        return "(computed on send)"
    # requests announces an empty body on every method but GET and HEAD.
    if request.method not in ("GET", "HEAD"):
        return "0"
    return None
