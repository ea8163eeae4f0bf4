"""Write a `Request` as a curl command line that `parse_curl` reads back unchanged.

The query is encoded as the app encodes it when sending (`core.urls`), so that curl
sends the same bytes: a value-less `?pretty` stays value-less.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from urllib.parse import quote_plus

from explorer.core.formats.common import substitute_path_params
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Options, Pair, Part, Request
from explorer.core.urls import join_url

# Accept-Encoding values that --compressed stands for: curl then asks for these (and
# more) and decodes the answer, where `-H 'Accept-Encoding: gzip'` prints gzip bytes.
_PLACEHOLDER = re.compile(r"(\{\{[^{}\n]*\}\})")
_DECODED = frozenset({"gzip", "deflate", "br", "zstd", "identity"})

Quote = Callable[[str], str]


def to_curl(
    request: Request,
    quote: Quote = shlex.quote,
    encode_later: Callable[[Pair], bool] = lambda pair: False,
) -> str:
    """The request as a bash curl command, one option per continued line.

    `quote` turns each argument into shell text; code generation passes one that turns
    secret `{{name}}` placeholders into environment-variable expansions, and an
    `encode_later` that sends those query parameters with `--url-query`, which encodes
    the value when the command runs.
    """
    groups = curl_arguments(request, encode_later)
    lines = [" ".join(quote(arg) for arg in group) for group in groups]
    return " \\\n  ".join(lines)


def curl_arguments(
    request: Request, encode_later: Callable[[Pair], bool] = lambda pair: False
) -> list[tuple[str, ...]]:
    """The curl arguments for `request`, grouped one option (with its value) per tuple."""
    params = tuple(pair for pair in request.params if pair.enabled)
    if request.auth.kind == AuthKind.API_KEY and request.auth.key_in == "query":
        params = (*params, Pair(request.auth.key_name, request.auth.key_value))
    late = tuple(pair for pair in params if encode_later(pair))
    params = tuple(pair for pair in params if not encode_later(pair))
    url = join_url(substitute_path_params(request.url, request.path_params), params)
    method = [arg for group in _method(request) for arg in group]
    # `curl METHOD URL` on the first line, as documentation usually shows it.
    groups: list[tuple[str, ...]] = [("curl", *method, url)]
    groups.extend(("--url-query", f"{pair.name}={pair.value}") for pair in late)
    headers = tuple(pair for pair in request.headers if pair.enabled)
    groups.extend(("-H", _header_line(pair)) for pair in headers if not _is_compressed(pair))
    if any(_is_compressed(pair) for pair in headers):
        groups.append(("--compressed",))
    groups.extend(_auth(request.auth))
    groups.extend(_body(request.body, request.headers))
    groups.extend(_options(request.options))
    return groups


def _method(request: Request) -> list[tuple[str, ...]]:
    method = request.method.upper()
    if method == "HEAD":
        return [("--head",)]
    implied = "GET" if request.body.kind == BodyKind.NONE else "POST"
    return [] if method == implied else [("-X", request.method)]


def _header_line(pair: Pair) -> str:
    if not pair.value and pair.name.lower() == "content-type":
        return "Content-Type:"  # none, in the app as in curl (not an empty header)
    return f"{pair.name}: {pair.value}" if pair.value else f"{pair.name};"


def _is_compressed(pair: Pair) -> bool:
    if pair.name.lower() != "accept-encoding":
        return False
    codings = {piece.split(";")[0].strip().lower() for piece in pair.value.split(",")}
    return bool(codings) and codings <= _DECODED and codings != {"identity"}


def _auth(auth: Auth) -> list[tuple[str, ...]]:
    if auth.kind == AuthKind.BASIC:
        return [("-u", f"{auth.username}:{auth.password}")]
    if auth.kind == AuthKind.DIGEST:
        return [("--digest",), ("-u", f"{auth.username}:{auth.password}")]
    if auth.kind == AuthKind.BEARER:
        return [("--oauth2-bearer", auth.token)]
    if auth.kind == AuthKind.API_KEY and auth.key_in != "query":
        return [("-H", _header_line(Pair(auth.key_name, auth.key_value)))]
    return []


def _content_type(body: Body, headers: tuple[Pair, ...]) -> list[tuple[str, ...]]:
    if any(pair.enabled and pair.name.lower() == "content-type" for pair in headers):
        return []
    # An empty content type must remove the one curl adds to -d data by itself.
    return [("-H", f"Content-Type: {body.content_type}" if body.content_type else "Content-Type:")]


def _body(body: Body, headers: tuple[Pair, ...]) -> list[tuple[str, ...]]:
    if body.kind == BodyKind.RAW:
        return [*_content_type(body, headers), ("--data-raw", body.text)]
    if body.kind == BodyKind.BINARY:
        return [*_content_type(body, headers), ("--data-binary", "@" + body.file)]
    if body.kind == BodyKind.FORM:
        return [_form_pair(pair) for pair in body.form if pair.enabled]
    if body.kind == BodyKind.MULTIPART:
        return [_part(part) for part in body.parts if part.enabled]
    return []


def _form_pair(pair: Pair) -> tuple[str, ...]:
    if quote_plus(pair.name, safe="") != pair.name or not pair.name:
        # --data-urlencode leaves the name as it is: a name that needs encoding is
        # encoded here, as the app's form encoding does (a space is `+`), placeholders kept.
        return ("-d", f"{_form_encoded(pair.name)}={_form_encoded(pair.value)}")
    return ("--data-urlencode", f"{pair.name}={pair.value}")


def _form_encoded(text: str) -> str:
    pieces = _PLACEHOLDER.split(text)  # odd indexes are the {{placeholders}}
    return "".join(
        piece if index % 2 else quote_plus(piece, safe="") for index, piece in enumerate(pieces)
    )


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _part(part: Part) -> tuple[str, ...]:
    if part.is_file:
        spec = f"{part.name}=@{_quoted(part.file)}"
    elif not part.content_type:
        return ("--form-string", f"{part.name}={part.value}")
    else:
        spec = f"{part.name}={_quoted(part.value)}"
    if part.content_type:
        spec += f";type={part.content_type}"
    return ("-F", spec)


def _options(options: Options) -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = []
    if options.follow_redirects:
        # --location-trusted is -L that also sends credentials on to other hosts.
        groups.append(("--location-trusted",) if options.trust_redirects else ("-L",))
    if options.max_redirects != Options.max_redirects:
        groups.append(("--max-redirs", str(options.max_redirects)))
    if options.timeout != Options.timeout:
        groups.append(("-m", f"{options.timeout:g}"))
    if not options.verify_tls:
        groups.append(("-k",))
    if options.proxy:
        groups.append(("-x", options.proxy))
    elif not options.use_system_proxy:
        groups.append(("--noproxy", "*"))
    for flag, value in (
        ("--cacert", options.ca_bundle),
        ("--cert", options.client_cert),
        ("--key", options.client_key),
    ):
        if value:
            groups.append((flag, value))
    return groups
