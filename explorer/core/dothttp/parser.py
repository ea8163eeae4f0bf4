"""Import `.http`/`.rest` files (VS Code REST Client, JetBrains HTTP Client, httpyac).

Requests are separated by `###` lines (text after `###` names the request); `# @name x`
names it too; `@var = value` lines are file variables (they become collection variables);
`#` and `//` start comments; a body follows the first blank line after the headers
(`bodies`). `Authorization: Basic user password` (or `user:password`) becomes Basic auth,
as every tool encodes it. Response handlers (`> {% … %}`) and references to named
responses become assertions and captures (core/translate); the rest is kept. With
`base_dir`, the JetBrains environment files beside the file come too (`environments`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.dothttp.bodies import parse_body
from explorer.core.dothttp.environments import read_environments
from explorer.core.dothttp.syntax import (
    API_KEY_COMMENT,
    BASIC_COLON,
    BASIC_SPACED,
    DIGEST_SPACED,
    NEWLINES_COMMENT,
    split_request_line,
)
from explorer.core.dothttp.websocket import websocket_from_http
from explorer.core.formats.common import (
    FormatError,
    ImportResult,
    path_param_names,
    split_url,
)
from explorer.core.graphql.dothttp import graphql_from_http
from explorer.core.model import Auth, AuthKind, Options, Pair, Request, Scripts
from explorer.core.translate.http_references import HttpLinks
from explorer.core.urls import encode_query

__all__ = ["import_http"]

# Matched against stripped lines. No lazy group before `\s*`: on a line with a long run
# of spaces that retried the run at every character (quadratic: 20,000 spaces took 2 s).
_VARIABLE_LINE = re.compile(r"^@([A-Za-z_][\w.-]*)\s*=\s*(.*)")
_NAME_COMMENT = re.compile(r"^(?:#|//)\s*@name\s*=?\s*(\S.*)")
_META_COMMENT = re.compile(r"^(?:#|//)\s*@([\w-]+)")
_HEADER = re.compile(r"^([^:\s][^:]*):\s?(.*)")
_PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}")
# Directives that change nothing API Explorer sends, and its own comments' forms.
_HARMLESS = ("name", "no-log", "title", "description", "ref", "forceRef")


@dataclass
class _Block:
    """The lines of one request, with where they start in the file."""

    title: str
    first_line: int
    lines: list[str] = field(default_factory=list)


@dataclass
class _Preamble:
    """What the comments before a request line say about it."""

    name: str
    options: Options = field(default_factory=Options)
    api_key: tuple[str, str] | None = None  # (name, "query" or "header")
    newlines: int = 0
    pre_request: list[str] = field(default_factory=list)  # JetBrains `< {% … %}`, kept


def import_http(text: str, name: str = "HTTP file", base_dir: Path | None = None) -> ImportResult:
    """Import every request of an .http/.rest file, and with `base_dir` the JetBrains
    environments beside it (`http-client.env.json`, `http-client.private.env.json`)."""
    report: list[str] = []
    variables: dict[str, Variable] = {}
    items: list[RequestItem] = []
    # Named requests, references to their responses and JetBrains handlers (core/translate).
    links = HttpLinks()
    for block in _blocks(text):
        request = _request(block, variables, report, base_dir)
        if request is not None:
            request = websocket_from_http(request)  # httpyac's `WS url`: body = message
            items.append(RequestItem(links.add(request, block.lines, len(items))))
    if not items and not variables:
        raise FormatError("No request found in the .http file", "line 1, column 1")
    items = links.finish(items, variables)
    report += links.notes
    environments = read_environments(base_dir, report) if base_dir is not None else ()
    in_both = sorted({v.name for env in environments for v in env.variables} & set(variables))
    if in_both:
        report.append(
            f"{', '.join(in_both)} set both in the file and in an environment: JetBrains and "
            "httpyac use the file's @value, API Explorer the chosen environment's."
        )
    collection = Collection(
        name,
        items=tuple(items),
        variables=tuple(variables.values()),
        environments=environments,
    )
    return ImportResult(collection, (), tuple(dict.fromkeys(report)))


def _blocks(text: str) -> list[_Block]:
    blocks = [_Block("", 1)]
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.startswith("###"):
            blocks.append(_Block(line[3:].strip(), number + 1))
        else:
            blocks[-1].lines.append(line)
    return blocks


def _request(
    block: _Block, variables: dict[str, Variable], report: list[str], base_dir: Path | None
) -> Request | None:
    preamble = _Preamble(block.title)
    index = 0
    lines = block.lines
    # Before the request line: comments, metadata and file variables.
    while index < len(lines):
        line = lines[index].strip()
        named = _NAME_COMMENT.match(line)
        variable = _VARIABLE_LINE.match(line)
        if line.startswith(("< {%", "<{%")):
            index = _pre_request(lines, index, preamble)
        elif named:
            preamble.name = preamble.name or named.group(1)
        elif line.startswith(("#", "//")):
            _comment(line, block.first_line + index, preamble, report)
        elif variable:
            variables[variable.group(1)] = Variable(variable.group(1), variable.group(2))
        elif line:
            break
        index += 1
    if index >= len(lines):
        return None
    return _parse_request(block, index, preamble, report, base_dir)


def _pre_request(lines: list[str], index: int, preamble: _Preamble) -> int:
    """Keep a JetBrains pre-request script (`< {% … %}`, never run); the index of its
    last line."""
    first = lines[index].strip()
    rest = first[first.index("{%") + 2 :]
    if "%}" in rest:
        preamble.pre_request.append(rest[: rest.index("%}")].strip())
        return index
    script = [rest] if rest.strip() else []
    index += 1
    while index < len(lines) and "%}" not in lines[index]:
        script.append(lines[index])
        index += 1
    if index < len(lines):
        script.append(lines[index][: lines[index].index("%}")])
    preamble.pre_request.append("\n".join(script).strip("\n"))
    return index


def _comment(line: str, number: int, preamble: _Preamble, report: list[str]) -> None:
    api_key = API_KEY_COMMENT.match(line)
    newlines = NEWLINES_COMMENT.match(line)
    meta = _META_COMMENT.match(line)
    if api_key:
        preamble.api_key = (api_key.group(1), api_key.group(2))
    elif newlines:
        preamble.newlines = min(int(newlines.group(1)[:4]), 1000)
    elif meta and meta.group(1) == "no-redirect":
        preamble.options = replace(preamble.options, follow_redirects=False)
    elif meta and meta.group(1) == "no-cookie-jar":
        preamble.options = replace(preamble.options, send_cookies=False)
    elif meta and meta.group(1) not in _HARMLESS:
        report.append(f"The directive @{meta.group(1)} (line {number}) was ignored.")


def _parse_request(
    block: _Block, index: int, preamble: _Preamble, report: list[str], base_dir: Path | None
) -> Request:
    lines = block.lines
    line_number = block.first_line + index
    given, url = split_request_line(lines[index].strip())
    method = given or "GET"
    if not url:
        raise FormatError(
            f"Not a request line: {lines[index].strip()!r}", f"line {line_number}, column 1"
        )
    index += 1
    # Continuation lines of a long query: `?a=1` / `&b=2` on their own lines.
    while index < len(lines) and lines[index].strip().startswith(("?", "&")):
        url += lines[index].strip()
        index += 1
    headers: list[Pair] = []
    while index < len(lines) and lines[index].strip():
        stripped = lines[index].strip()
        if not stripped.startswith(("#", "//")):
            header = _HEADER.match(stripped)
            if header is None:
                raise FormatError(
                    f"Not a header: {stripped!r}", f"line {block.first_line + index}, column 1"
                )
            headers.append(Pair(header.group(1).rstrip(), header.group(2).strip()))
        index += 1
    name = preamble.name
    url = _absolute(url, headers, report)
    bare, params = split_url(url)
    path_url = bare
    bare, params, key = _query(url, bare, params, preamble.api_key)
    body, headers = parse_body(
        lines[index + 1 :], headers, name, report, base_dir, preamble.newlines
    )
    method, headers, body = graphql_from_http(method, headers, body)
    auth, headers = _auth(headers, preamble.api_key)
    if key is not None:
        auth = Auth(AuthKind.API_KEY, key_name=key.name, key_value=key.value, key_in="query")
    scripts = Scripts()
    if preamble.pre_request:
        scripts = Scripts(kept_pre_request="\n".join(preamble.pre_request) + "\n")
        report.append(
            f"The pre-request script of {name or 'a request'} was kept as JavaScript (not run)."
        )
    return Request(
        method=method,
        url=bare,
        params=params,
        path_params=tuple(Pair(n) for n in path_param_names(path_url)),
        headers=tuple(headers),
        body=body,
        auth=auth,
        options=preamble.options,
        name=name or f"{method} {bare}",
        scripts=scripts,
    )


def _absolute(url: str, headers: list[Pair], report: list[str]) -> str:
    if url.startswith("/"):
        for pair in headers:
            if pair.name.lower() == "host":
                headers.remove(pair)
                report.append(f"The request to {url} took its host from the Host header (http).")
                return f"http://{pair.value}{url}"
    return url


def _query(
    url: str, bare: str, params: tuple[Pair, ...], api_key: tuple[str, str] | None
) -> tuple[str, tuple[Pair, ...], Pair | None]:
    """(URL, params, the API-key parameter our comment marks): the query as params when
    API Explorer sends them as the very bytes the tools send (they send the query as
    written), else the URL keeps its query as written and there are no params (`a+b`,
    `%7E`, `key=` would be re-encoded)."""
    query = url[len(bare) :].removeprefix("?")
    cut = _masked(query).find("#")
    pieces = [piece for piece in (query if cut < 0 else query[:cut]).split("&") if piece]
    key = None
    if api_key is not None and api_key[1] == "query":
        found = [i for i, pair in enumerate(params) if pair.name == api_key[0]]
        if found and len(pieces) == len(params):
            key = params[found[-1]]
            params = params[: found[-1]] + params[found[-1] + 1 :]
            del pieces[found[-1]]
    written = "&".join(pieces)
    if not written or _masked(encode_query(params)) == _masked(written):
        return bare, params, key
    return f"{bare}?{written}", (), key


def _masked(text: str) -> str:
    # A {{variable}} is filled in before encoding: it must not make text look inexact.
    return _PLACEHOLDER.sub("v", text)


def _auth(headers: list[Pair], api_key: tuple[str, str] | None) -> tuple[Auth, list[Pair]]:
    """The request's auth out of its headers: `Authorization: Basic u p` as every tool
    encodes it, and an API-key header that our own comment marks."""
    for pair in headers:
        if pair.name.lower() != "authorization":
            continue
        basic = BASIC_COLON.match(pair.value) or BASIC_SPACED.match(pair.value)
        digest = DIGEST_SPACED.match(pair.value)
        if basic or digest:
            kind = AuthKind.BASIC if basic else AuthKind.DIGEST
            found = basic or digest
            assert found is not None
            rest = [other for other in headers if other is not pair]
            return Auth(kind, found.group(1), found.group(2)), rest
    if api_key is not None and api_key[1] == "header":
        for pair in headers:
            if pair.name.lower() == api_key[0].lower():
                rest = [other for other in headers if other is not pair]
                return Auth(AuthKind.API_KEY, key_name=pair.name, key_value=pair.value), rest
    return Auth(), headers
