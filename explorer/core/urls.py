"""URLs as the editor sees them: scheme defaulting, query <-> params, `:path` parameters.

The editor keeps the URL field and the Params table in step. These functions are the
two directions of that sync, and they keep percent-encoding exact both ways: a value
typed in the table is encoded once when it goes into the URL, and decoded once when it
comes back out.
"""

from __future__ import annotations

import importlib.util
import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from explorer.core.model import Pair

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
# `:name` at the start of a path segment; not a port (`host:8080`) because we only look
# at the path part of the URL.
_PATH_PARAM = re.compile(r"(?<=/):([A-Za-z_][A-Za-z0-9_\-]*)")
# Characters left as they are in query names and values: what browsers and curl keep,
# plus `{}` so that `{{variables}}` survive a round trip through the table. `+`, `&`, `=`
# and `#` are always encoded: in a query they would change its meaning.
QUERY_SAFE = "-._~!$'()*,;:@/?{}"


def with_default_scheme(url: str) -> str:
    """`example.com/x` -> `http://example.com/x`; URLs that have a scheme are unchanged."""
    stripped = url.strip()
    if not stripped or _SCHEME.match(stripped) or stripped.startswith("{{"):
        return stripped
    return "http://" + stripped


def split_url(url: str) -> tuple[str, tuple[Pair, ...]]:
    """Split a URL typed in the URL field into the URL without its query, and the params.

    The fragment is kept on the URL. Names and values are percent-decoded; `+` is kept
    as a literal plus (it only means space in form bodies).
    """
    head, sep, rest = url.partition("?")
    if not sep:
        return url, ()
    query, hash_sep, fragment = rest.partition("#")
    base = head + (hash_sep + fragment if hash_sep else "")
    return base, parse_query(query)


def parse_query(query: str) -> tuple[Pair, ...]:
    """`a=1&b=&c` -> pairs, decoded, in order, duplicates kept."""
    pairs = []
    for chunk in query.split("&"):
        if not chunk:
            continue
        name, _, value = chunk.partition("=")
        pairs.append(Pair(unquote(name), unquote(value)))
    return tuple(pairs)


def encode_query(params: tuple[Pair, ...] | list[Pair]) -> str:
    """The query string of the enabled params, each part encoded exactly once."""
    parts = []
    for pair in params:
        if not pair.enabled or (not pair.name and not pair.value):
            continue
        name = quote(pair.name, safe=QUERY_SAFE)
        value = quote(pair.value, safe=QUERY_SAFE)
        parts.append(f"{name}={value}" if pair.value or "=" in pair.name else name)
    return "&".join(parts)


def join_url(base: str, params: tuple[Pair, ...] | list[Pair]) -> str:
    """The URL shown in the URL field: `base` with the enabled params as its query.

    When `base` already has a query (a hand-written URL) the params are appended to it;
    a fragment stays at the end.
    """
    query = encode_query(params)
    if not query:
        return base
    head, hash_sep, fragment = base.partition("#")
    joiner = "&" if "?" in head else "?"
    return head + joiner + query + (hash_sep + fragment if hash_sep else "")


def path_param_names(url: str) -> list[str]:
    """Names of the `:name` path parameters in a URL, in order, without duplicates."""
    path = _path_of(url)
    names: list[str] = []
    for match in _PATH_PARAM.finditer(path):
        if match.group(1) not in names:
            names.append(match.group(1))
    return names


def substitute_path_params(url: str, path_params: tuple[Pair, ...] | list[Pair]) -> str:
    """Replace each `:name` in the path with its value, percent-encoded as a segment."""
    values = {p.name: p.value for p in path_params if p.enabled and p.name}
    if not values:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return quote(values[name], safe="-._~!$'()*+,;=@{}")

    path = _PATH_PARAM.sub(replace, parts.path)
    return urlunsplit(parts._replace(path=path))


def _path_of(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def merge_params(table: tuple[Pair, ...], typed: tuple[Pair, ...]) -> tuple[Pair, ...]:
    """The Params table after the user typed a new query into the URL field.

    The typed query only holds the enabled rows, so those are replaced in order by the
    typed pairs; disabled rows stay where they were; extra typed pairs are appended.
    """
    result: list[Pair] = []
    pending = list(typed)
    for row in table:
        if not row.enabled:
            result.append(row)
        elif pending:
            result.append(pending.pop(0))
    result.extend(pending)
    return tuple(result)


def merge_path_params(url: str, current: tuple[Pair, ...]) -> tuple[Pair, ...]:
    """The path-parameter rows for `url`: one per `:name`, keeping values already typed."""
    values = {pair.name: pair for pair in current}
    return tuple(values.get(name, Pair(name, "")) for name in path_param_names(url))


PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def proxy_problem(url: str) -> str:
    """Why `url` is not a usable proxy URL, or "" (a {{variable}} is checked on send)."""
    url = url.strip()
    if not url:
        return "Type the proxy URL, e.g. http://127.0.0.1:8080"
    if "{{" in url:
        return ""
    if "://" not in url:
        return "The proxy URL needs a scheme: http://, https:// or socks5://"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in PROXY_SCHEMES:
        return f"Unsupported proxy scheme {scheme!r}: use http, https or socks5"
    if not parts.hostname:
        return "The proxy URL has no host"
    try:
        parts.port  # noqa: B018 (reading it validates it)
    except ValueError:
        return "The proxy port must be a number from 1 to 65535"
    if scheme.startswith("socks") and importlib.util.find_spec("socks") is None:
        return "SOCKS proxies need the PySocks package, which is not installed"
    return ""
