"""Import a curl command line into a `Request` (and re-export `to_curl`).

The semantics follow curl itself: `-d` implies POST and form encoding, several `-d` are
joined with `&`, `-G` moves the data into the query, `-F` makes a multipart body, `-I`
is HEAD and `-T` is PUT; without `-L` curl does not follow redirects, so neither does the
imported request. Anything without an equivalent is listed in the report.

What curl sends is kept byte for byte where the model allows: a query or a form body
whose pairs the app would encode differently (`a+b`, `a%20b` beside each other, `key=`)
stays as written (the query in the URL, the form as a raw body of curl's form type).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_plus, unquote, urlencode

from explorer.core.formats import curl_options as opts
from explorer.core.formats.common import FormatError, line_column, path_param_names, split_url
from explorer.core.formats.curl_export import to_curl
from explorer.core.formats.shellwords import Word, split_command
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Options, Pair, Part, Request
from explorer.core.urls import encode_query

__all__ = ["ParsedCurl", "is_curl_command", "parse_curl", "to_curl"]

FORM_TYPE = "application/x-www-form-urlencoded"
_FORM_KEYWORDS = ("type=", "filename=", "headers=", "encoder=")
# What --compressed becomes: the header the app sends anyway, and which it (and urllib3)
# always decodes; the curl export turns an Accept-Encoding header back into --compressed.
COMPRESSED = "gzip, deflate"
_VARIABLE = re.compile(r"\{\{[^{}\n]*\}\}")
# `http:/host` and `http:///host`: curl reads any number of slashes but two as two.
_ODD_SLASHES = re.compile(r"^(https?):(/+)", re.IGNORECASE)
# scheme://user:password@ — the user-info of the authority, which curl sends as Basic.
_USER_INFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://)([^/?#@]*)@")


@dataclass(frozen=True)
class ParsedCurl:
    """The request a curl command sends, and what of the command could not be kept."""

    request: Request
    report: tuple[str, ...] = ()


@dataclass(frozen=True)
class _FileRef:
    """Data that curl reads from a file (`@file`); `exact` is False for -d (strips newlines)."""

    path: str
    exact: bool


@dataclass
class _Command:
    """What the options of one command line said, before it becomes a request."""

    method: str = ""
    urls: list[str] = field(default_factory=list)
    headers: list[Pair] = field(default_factory=list)
    content_type: str | None = None  # None: not given; "": removed with -H 'Content-Type:'
    data: list[str | _FileRef] = field(default_factory=list)
    query: list[str] = field(default_factory=list)
    json: bool = False
    parts: list[Part] = field(default_factory=list)
    user: str | None = None
    bearer: str = ""
    digest: bool = False
    cookies: list[str] = field(default_factory=list)
    extra_headers: list[Pair] = field(default_factory=list)
    get: bool = False
    head: bool = False
    upload: str = ""
    byte_range: str = ""
    compressed: bool = False
    options: dict[str, object] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


def is_curl_command(text: str) -> bool:
    """Whether `text` looks like a curl command line (cheap check for format detection).

    Comment lines before the command (as API documentation often has) are skipped.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    while lines and lines[0].lstrip().startswith("#"):
        lines.pop(0)
    first = "\n".join(lines).lstrip().removeprefix("$ ").split(None, 1)
    return bool(first) and os.path.basename(first[0].strip("\"'^")).lower() in ("curl", "curl.exe")


def parse_curl(command: str) -> ParsedCurl:
    """Parse a curl command line. Raises FormatError (with a location) when it is not one."""
    split = split_command(command)
    words = split.words
    if words and words[0].text == "$":
        words = words[1:]
    if not words:
        raise FormatError("The command is empty", line_column(command, 0))
    program = os.path.basename(words[0].text).lower()
    if program not in ("curl", "curl.exe"):
        raise FormatError(
            f"Not a curl command: it starts with {words[0].text!r}",
            line_column(command, words[0].offset),
        )
    state = _Command(report=list(split.notes))
    _read_options(command, words[1:], state)
    return ParsedCurl(_build_request(command, state), tuple(dict.fromkeys(state.report)))


def _read_options(command: str, words: list[Word], state: _Command) -> None:
    index = 0
    only_urls = False
    while index < len(words):
        word = words[index]
        text = word.text
        index += 1
        if only_urls or not text.startswith("-") or text == "-":
            state.urls.append(text)
        elif text == "--":
            only_urls = True
        elif text.startswith("--"):
            name, has_value, value = text[2:].partition("=")
            if name in opts.TAKES_VALUE and not has_value:
                value, index = _next_value(command, words, index, word)
            elif name not in opts.TAKES_VALUE:
                name, value = text[2:], ""
            _apply(command, state, name, value, word)
        else:
            index = _read_short(command, words, index, word, state)


def _read_short(command: str, words: list[Word], index: int, word: Word, state: _Command) -> int:
    text = word.text
    for position in range(1, len(text)):
        letter = text[position]
        name = opts.SHORT_TO_LONG.get(letter)
        if name is None:
            state.report.append(f"Unknown curl option -{letter} was ignored.")
            continue
        if name in opts.TAKES_VALUE:
            value = text[position + 1 :]
            if not value:
                value, index = _next_value(command, words, index, word)
            _apply(command, state, name, value, word)
            return index
        _apply(command, state, name, "", word)
    return index


def _next_value(command: str, words: list[Word], index: int, word: Word) -> tuple[str, int]:
    if index >= len(words):
        raise FormatError(
            f"The option {word.text} needs a value", line_column(command, word.offset)
        )
    return words[index].text, index + 1


def _apply(command: str, state: _Command, name: str, value: str, word: Word) -> None:
    handler = _HANDLERS.get(name)
    if handler is not None:
        handler(state, value)
    elif name in opts.QUIET:
        return
    elif name in ("max-time", "connect-timeout", "max-redirs"):
        _number_option(command, state, name, value, word)
    elif name in opts.UNSUPPORTED_FLAGS or name in opts.TAKES_VALUE:
        shown = f"--{name} {value}" if name in opts.TAKES_VALUE else f"--{name}"
        state.report.append(f"The curl option {shown} has no equivalent and was ignored.")
    elif name.startswith("no-") and name[3:] in opts.QUIET:
        return
    else:
        state.report.append(f"Unknown curl option --{name} was ignored.")


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an integer too large for a float is no useful setting either
        return False


def _number_option(command: str, state: _Command, name: str, value: str, word: Word) -> None:
    try:
        number = float(value) if name != "max-redirs" else int(value)
    except ValueError:
        number = math.nan
    if not _finite(number) or (number < 0 and name != "max-redirs"):
        raise FormatError(
            f"--{name} needs a number, not {value[:40]!r}", line_column(command, word.offset)
        ) from None
    if name == "max-redirs" and number < 0:
        state.report.append("Unlimited redirects (--max-redirs -1) became the default limit.")
        return
    state.options[name] = number


def _header(state: _Command, value: str) -> None:
    if value.startswith("@"):
        state.report.append(f"Headers read from the file {value[1:]} were not imported.")
        return
    name, colon, rest = value.partition(":")
    if not colon:
        if value.endswith(";") and value[:-1].strip().lower() == "content-type":
            state.content_type = ""
        elif value.endswith(";") and value[:-1].strip():
            state.headers.append(Pair(value[:-1].strip(), ""))
        else:
            state.report.append(f"The header {value!r} has no colon and was ignored.")
        return
    name, rest = name.strip(), rest.strip()
    if name.lower() == "content-type":
        state.content_type = rest
    elif not rest:
        state.report.append(f"Removing curl's default {name} header has no equivalent.")
    else:
        state.headers.append(Pair(name, rest))


_Handler = Callable[["_Command", str], None]  # applies one option's value


def _data(mode: str) -> _Handler:
    def handle(state: _Command, value: str) -> None:
        if mode == "urlencode":
            state.data.append(_urlencode_piece(state, value))
        elif mode in ("data", "binary", "json") and value.startswith("@"):
            state.data.append(_FileRef(value[1:], exact=mode != "data"))
        else:
            state.data.append(value)
        if mode == "json":
            state.json = True

    return handle


def _urlencode_piece(state: _Command, value: str) -> str | _FileRef:
    equals, at = value.find("="), value.find("@")
    if equals >= 0 and (at < 0 or equals < at):
        name, content = value[:equals], value[equals + 1 :]
        encoded = quote_plus(content, safe="")  # curl 7.88: a space is '+', as in forms
        return f"{name}={encoded}" if name else encoded
    if at >= 0:
        state.report.append(f"--data-urlencode {value} reads a file; its name was kept as data.")
        return value
    return quote_plus(value, safe="")


def _url_query(state: _Command, value: str) -> None:
    if value.startswith("+"):  # curl: a leading '+' sends the rest as it is
        state.query.append(value[1:])
        return
    piece = _urlencode_piece(state, value)
    if isinstance(piece, str):
        state.query.append(piece)


def _form(literal: bool) -> _Handler:
    def handle(state: _Command, value: str) -> None:
        state.parts.extend(_parse_form_part(state, value, literal))

    return handle


def _parse_form_part(state: _Command, value: str, literal: bool) -> list[Part]:
    name, equals, content = value.partition("=")
    if not equals:
        state.report.append(f"The form field {value!r} has no '=' and was ignored.")
        return []
    if literal:
        return [Part(name, content)]
    source = content[:1] if content[:1] in ("@", "<") else ""
    text, params = _form_value(content[len(source) :])
    extra = [key for key in params if key != "type"]
    for key in extra:
        state.report.append(f"The form field option {key}= of {name!r} could not be kept.")
    if source == "<":
        state.report.append(f"The field {name!r} is sent as the file {text}, not as its text.")
    content_type = params.get("type", "")
    if source == "@" and "," in text and not content[1:].startswith('"'):
        return _several_files(state, name, text, content_type)
    if source:
        return [Part(name, file=text, content_type=content_type)]
    return [Part(name, text, content_type=content_type)]


def _several_files(state: _Command, name: str, text: str, content_type: str) -> list[Part]:
    """`-F 'f=@a,b'`: curl sends one part `f` holding a multipart/mixed of the files (the
    old RFC 2388 way); browsers, and the app, send one part per file under the same
    name, which is what servers read as several files today."""
    files = [piece for piece in text.split(",") if piece]
    state.report.append(
        f"curl sends the {len(files)} files of the field {name!r} inside one multipart/mixed "
        f"part; they were imported as {len(files)} parts named {name!r}."
    )
    return [Part(name, file=path, content_type=content_type) for path in files]


def _form_value(content: str) -> tuple[str, dict[str, str]]:
    # curl allows name="quoted;value" and splits ;type=/;filename= parameters off.
    if content.startswith('"'):
        text, rest = _quoted_prefix(content)
    else:
        cut = len(content)
        for keyword in _FORM_KEYWORDS:
            found = content.find(";" + keyword)
            if 0 <= found < cut:
                cut = found
        text, rest = content[:cut], content[cut:]
    params: dict[str, str] = {}
    for piece in _split_params(rest):
        key, _, param = piece.partition("=")
        params[key.strip().lower()] = param.strip('"')
    return text, params


def _quoted_prefix(content: str) -> tuple[str, str]:
    out = []
    position = 1
    while position < len(content):
        char = content[position]
        if char == "\\" and position + 1 < len(content):
            out.append(content[position + 1])
            position += 2
            continue
        if char == '"':
            return "".join(out), content[position + 1 :]
        out.append(char)
        position += 1
    return "".join(out), ""


def _split_params(rest: str) -> list[str]:
    return [piece for piece in rest.split(";") if piece.strip()]


def _user(state: _Command, value: str) -> None:
    state.user = value


def _cookie(state: _Command, value: str) -> None:
    if "=" in value:
        state.cookies.append(value.strip().rstrip(";"))
    else:
        state.report.append(f"Cookies read from the file {value} were not imported.")


def _set(key: str, header: str = "") -> _Handler:
    def handle(state: _Command, value: str) -> None:
        if header:
            state.extra_headers.append(Pair(header, value.removesuffix(";auto")))
        else:
            state.options[key] = value

    return handle


def _flag(key: str, setting: object) -> _Handler:
    def handle(state: _Command, value: str) -> None:
        state.options[key] = setting

    return handle


def _location_trusted(state: _Command, value: str) -> None:
    # -L, and credentials follow redirects to other hosts (Options.trust_redirects).
    state.options["follow_redirects"] = True
    state.options["trust_redirects"] = True


def _request_method(state: _Command, value: str) -> None:
    state.method = value.upper()


def _bearer(state: _Command, value: str) -> None:
    state.bearer = value


def _digest(state: _Command, value: str) -> None:
    state.digest = True


def _get(state: _Command, value: str) -> None:
    state.get = True


def _head(state: _Command, value: str) -> None:
    state.head = True


def _upload(state: _Command, value: str) -> None:
    state.upload = value


def _url(state: _Command, value: str) -> None:
    state.urls.append(value)


def _range(state: _Command, value: str) -> None:
    state.byte_range = value


def _compressed(state: _Command, value: str) -> None:
    state.compressed = True


def _config(state: _Command, value: str) -> None:
    state.report.append(f"Options in the config file {value} were not read.")


_HANDLERS = {
    "request": _request_method,
    "header": _header,
    "data": _data("data"),
    "data-ascii": _data("data"),
    "data-raw": _data("raw"),
    "data-binary": _data("binary"),
    "data-urlencode": _data("urlencode"),
    "json": _data("json"),
    "url-query": _url_query,
    "form": _form(literal=False),
    "form-string": _form(literal=True),
    "user": _user,
    "cookie": _cookie,
    "user-agent": _set("", "User-Agent"),
    "referer": _set("", "Referer"),
    "oauth2-bearer": _bearer,
    "digest": _digest,
    "get": _get,
    "head": _head,
    "upload-file": _upload,
    "url": _url,
    "range": _range,
    "compressed": _compressed,
    "config": _config,
    "insecure": _flag("verify_tls", False),
    "no-insecure": _flag("verify_tls", True),
    "location": _flag("follow_redirects", True),
    "no-location": _flag("follow_redirects", False),
    "location-trusted": _location_trusted,
    "proxy": _set("proxy"),
    "noproxy": _set("noproxy"),
    "cacert": _set("ca_bundle"),
    "cert": _set("client_cert"),
    "key": _set("client_key"),
}


def _build_request(command: str, state: _Command) -> Request:
    if not state.urls:
        raise FormatError("The curl command has no URL", line_column(command, len(command)))
    if len(state.urls) > 1:
        state.report.append(f"Only the first URL was imported; {len(state.urls) - 1} ignored.")
    url, user_info = _take_user_info(_normalise_url(state, state.urls[0]))
    query = list(state.query)
    if state.get and state.data:
        query.extend(_data_text(state))
        state.data = []
    if query:
        url = f"{url}{'&' if '?' in url else '?'}{'&'.join(query)}"
    bare_url, params = _split_exact(url)
    body = _body(state)
    return Request(
        method=_method(state, body),
        url=bare_url,
        params=params,
        path_params=tuple(Pair(name) for name in path_param_names(bare_url)),
        headers=_headers(state, body),
        body=body,
        auth=_auth(state, user_info),
        options=_options(state),
    )


def _normalise_url(state: _Command, url: str) -> str:
    url = url.strip()
    odd = _ODD_SLASHES.match(url)
    if odd and len(odd.group(2)) != 2:
        # Docker's documentation writes `http:/v1.24/containers/json`; curl reads it
        # as http://v1.24/containers/json (and so does the app now).
        fixed = f"{odd.group(1)}://{url[odd.end() :]}"
        state.report.append(f"curl reads the URL {url} as {fixed}; it was imported so.")
        return fixed
    if "://" not in url and not url.startswith("{{"):
        return "http://" + url
    return url


def _take_user_info(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without `user:password@`, and that user and password (decoded), which
    curl sends as Basic auth."""
    found = _USER_INFO.match(url)
    if found is None:
        return url, None
    user, _, password = found.group(2).partition(":")
    return found.group(1) + url[found.end() :], (unquote(user), unquote(password))


def _masked(text: str) -> str:
    # A {{variable}} is filled in before encoding: it must not make text look inexact.
    return _VARIABLE.sub("v", text)


def _split_exact(url: str) -> tuple[str, tuple[Pair, ...]]:
    """The URL and its query as params, when the app sends those params as the very
    bytes curl sends; otherwise the URL with its query as written (and no params)."""
    bare, params = split_url(url)
    query = url[len(bare) :].removeprefix("?")
    hash_at = _masked(query).find("#")
    query = query if hash_at < 0 else query[:hash_at]
    if not query or (params and _masked(encode_query(params)) == _masked(query)):
        return bare, params
    return f"{bare}?{query}", ()


def _method(state: _Command, body: Body) -> str:
    if state.method:
        return state.method
    if state.head:
        return "HEAD"
    if state.upload:
        return "PUT"
    if body.kind != BodyKind.NONE:
        return "POST"
    return "GET"


def _data_text(state: _Command) -> list[str]:
    pieces = []
    for piece in state.data:
        if isinstance(piece, _FileRef):
            state.report.append(
                f"The data file {piece.path} could not be inlined and was left out."
            )
        else:
            pieces.append(piece)
    return pieces


def _body(state: _Command) -> Body:
    if state.parts:
        if state.data:
            state.report.append("curl cannot mix -F with -d; the -d data was left out.")
        if state.content_type and not state.content_type.startswith("multipart/form-data"):
            return Body(BodyKind.MULTIPART, parts=tuple(state.parts))
        state.content_type = None
        return Body(BodyKind.MULTIPART, parts=tuple(state.parts))
    if state.upload:
        return _upload_body(state)
    if not state.data:
        return Body()
    content_type = _effective_content_type(state)
    if len(state.data) == 1 and isinstance(state.data[0], _FileRef):
        return _file_body(state, state.data[0], content_type)
    text = ("" if state.json else "&").join(_data_text(state))
    is_form_type = content_type.split(";")[0].strip().lower() == FORM_TYPE
    if is_form_type and text and _is_form(text) and _encodes_back(text):
        return Body(BodyKind.FORM, form=_form_pairs(text))
    if content_type == FORM_TYPE and _is_json(text):
        state.report.append(
            "The data looks like JSON but curl sends it as a form; add "
            "-H 'Content-Type: application/json' if the server expects JSON."
        )
    return Body(BodyKind.RAW, text=text, content_type=content_type)


def _effective_content_type(state: _Command) -> str:
    if state.content_type is not None:
        return state.content_type
    return "application/json" if state.json else FORM_TYPE


def _file_body(state: _Command, ref: _FileRef, content_type: str) -> Body:
    if ref.path == "-":
        state.report.append("Data read from standard input could not be imported.")
        return Body(BodyKind.RAW, content_type=content_type)
    if not ref.exact:
        state.report.append(f"curl -d strips newlines from {ref.path}; the file is sent as is.")
    return Body(BodyKind.BINARY, file=ref.path, content_type=content_type)


def _upload_body(state: _Command) -> Body:
    if state.upload in ("-", "."):
        state.report.append("An upload from standard input could not be imported.")
        return Body()
    if state.content_type is None:
        state.content_type = ""  # curl sends an upload without a Content-Type
    return Body(BodyKind.BINARY, file=state.upload, content_type=state.content_type)


def _is_form(text: str) -> bool:
    pieces = text.split("&")
    return all("=" in piece and " " not in piece.partition("=")[0] for piece in pieces if piece)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return text.lstrip()[:1] in ("{", "[")


def _encodes_back(text: str) -> bool:
    """Whether the app, sending `text` as a form table, sends these very bytes."""
    masked = _masked(text)
    pairs = [(pair.name, pair.value) for pair in _form_pairs(masked)]
    return urlencode(pairs) == masked


def _form_pairs(text: str) -> tuple[Pair, ...]:
    _, pairs = split_url("?" + text)
    return pairs


def _headers(state: _Command, body: Body) -> tuple[Pair, ...]:
    headers = list(state.headers)
    if state.content_type is not None and body.kind == BodyKind.NONE and state.content_type:
        headers.append(Pair("Content-Type", state.content_type))
    if state.content_type and body.kind == BodyKind.MULTIPART:
        headers.append(Pair("Content-Type", state.content_type))
    if state.content_type == "" and body.kind == BodyKind.BINARY:
        # An empty Content-Type header is "none", as curl's `-H 'Content-Type:'`: the
        # file goes out without one, where the app would otherwise add octet-stream.
        headers.append(Pair("Content-Type", ""))
    names = {pair.name.lower() for pair in headers}
    if state.byte_range and "range" not in names:
        if state.upload:
            state.report.append(
                f"-r {state.byte_range} with -T (an upload's Content-Range) was not kept."
            )
        else:
            headers.append(Pair("Range", f"bytes={state.byte_range}"))
    if state.compressed and "accept-encoding" not in names:
        headers.append(Pair("Accept-Encoding", COMPRESSED))
    for extra in state.extra_headers:
        if extra.name.lower() not in names:
            headers.append(extra)
    if state.cookies and "cookie" not in names:
        headers.append(Pair("Cookie", "; ".join(state.cookies)))
    if state.json and "accept" not in names:
        headers.append(Pair("Accept", "application/json"))
    return tuple(headers)


def _auth(state: _Command, user_info: tuple[str, str] | None) -> Auth:
    if user_info is not None:
        if state.user is not None:
            state.report.append("The user and password in the URL were dropped: -u wins.")
        else:
            kind = AuthKind.DIGEST if state.digest else AuthKind.BASIC
            if state.bearer:
                state.report.append("Both the URL's user and --oauth2-bearer: the user was kept.")
            return Auth(kind=kind, username=user_info[0], password=user_info[1])
    if state.user is not None:
        if state.bearer:
            state.report.append("Both -u and --oauth2-bearer were given; -u was kept.")
        user, colon, password = state.user.partition(":")
        if not colon:
            state.report.append(f"curl would prompt for the password of {user}; it is empty.")
        kind = AuthKind.DIGEST if state.digest else AuthKind.BASIC
        return Auth(kind=kind, username=user, password=password)
    if state.bearer:
        return Auth(kind=AuthKind.BEARER, token=state.bearer)
    return Auth()


def _options(state: _Command) -> Options:
    found = state.options
    timeout = found.get("max-time", found.get("connect-timeout", Options.timeout))
    if "max-time" in found and "connect-timeout" in found:
        state.report.append("--connect-timeout was folded into the single request timeout.")
    noproxy = found.get("noproxy", "")
    if noproxy and noproxy != "*":
        state.report.append(f"--noproxy {noproxy} was not kept: only '*' (no proxy) is.")
    return Options(
        timeout=float(timeout),  # type: ignore[arg-type]
        follow_redirects=bool(found.get("follow_redirects", False)),
        max_redirects=int(found.get("max-redirs", Options.max_redirects)),  # type: ignore[call-overload]
        trust_redirects=bool(found.get("trust_redirects", False)),
        verify_tls=bool(found.get("verify_tls", True)),
        proxy=str(found.get("proxy", "")),
        use_system_proxy=noproxy != "*",
        ca_bundle=str(found.get("ca_bundle", "")),
        client_cert=str(found.get("client_cert", "")),
        client_key=str(found.get("client_key", "")),
    )
