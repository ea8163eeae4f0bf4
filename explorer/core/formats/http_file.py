"""Import and export `.http`/`.rest` files (VS Code REST Client and JetBrains HTTP Client).

Requests are separated by `###` lines (text after `###` names the request); `# @name x`
names it too; `@var = value` lines are file variables (they become collection variables);
`#` and `//` start comments; a body follows the first blank line after the headers and
may be a file reference `< ./file`. Response handlers (`> {% … %}`) and references to
named responses become assertions and captures (core/translate); the rest is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from explorer.core.collection import Collection, RequestItem, Variable, walk_requests
from explorer.core.formats.common import (
    FormatError,
    ImportResult,
    join_url,
    path_param_names,
    split_url,
    substitute_path_params,
)
from explorer.core.model import STANDARD_METHODS, AuthKind, Body, BodyKind, Options, Pair, Request
from explorer.core.translate.http_references import HttpLinks

_METHODS = (*STANDARD_METHODS, "TRACE", "CONNECT")
# Matched against stripped lines. No lazy group before `\s*`: on a line with a long run
# of spaces that retried the run at every character (quadratic: 20,000 spaces took 2 s).
_METHOD = re.compile(r"[A-Z]+")
_VERSION = re.compile(r"HTTP/[\d.]+")
_VARIABLE_LINE = re.compile(r"^@([A-Za-z_][\w.-]*)\s*=\s*(.*)")
_NAME_COMMENT = re.compile(r"^(?:#|//)\s*@name\s*=?\s*(\S.*)")
_META_COMMENT = re.compile(r"^(?:#|//)\s*@([\w-]+)")
_HEADER = re.compile(r"^([^:\s][^:]*):\s?(.*)")
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass
class _Block:
    """The lines of one request, with where they start in the file."""

    title: str
    first_line: int
    lines: list[str] = field(default_factory=list)


def import_http(text: str, name: str = "HTTP file", base_dir: Path | None = None) -> ImportResult:
    """Import every request of an .http/.rest file."""
    report: list[str] = []
    variables: dict[str, Variable] = {}
    items: list[RequestItem] = []
    # Named requests, references to their responses and JetBrains handlers (core/translate).
    links = HttpLinks()
    for block in _blocks(text):
        request = _request(block, variables, report, base_dir)
        if request is not None:
            items.append(RequestItem(links.add(request, block.lines, len(items))))
    if not items and not variables:
        raise FormatError("No request found in the .http file", "line 1, column 1")
    items = links.finish(items, variables)
    report += links.notes
    collection = Collection(name, items=tuple(items), variables=tuple(variables.values()))
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
    name = block.title
    options = Options()
    index = 0
    lines = block.lines
    # Before the request line: comments, metadata and file variables.
    while index < len(lines):
        line = lines[index].strip()
        named = _NAME_COMMENT.match(line)
        variable = _VARIABLE_LINE.match(line)
        if named:
            name = name or named.group(1)
        elif line.startswith(("#", "//")):
            meta = _META_COMMENT.match(line)
            if meta and meta.group(1) == "no-redirect":
                options = Options(follow_redirects=False)
            elif meta and meta.group(1) not in ("name", "no-cookie-jar", "no-log"):
                report.append(
                    f"The directive @{meta.group(1)} (line {block.first_line + index}) was ignored."
                )
        elif variable:
            variables[variable.group(1)] = Variable(variable.group(1), variable.group(2))
        elif line:
            break
        index += 1
    if index >= len(lines):
        return None
    return _parse_request(block, index, name, options, report, base_dir)


def _request_line(line: str) -> tuple[str, str]:
    """(method or "", URL) of a stripped request line `[METHOD] URL [HTTP/x.y]`."""
    method = ""
    words = line.split(None, 1)
    if len(words) == 2 and _METHOD.fullmatch(words[0]):
        method, line = words
    words = line.rsplit(None, 1)
    if len(words) == 2 and _VERSION.fullmatch(words[1]):
        line = words[0]
    return method, line


def _parse_request(
    block: _Block, index: int, name: str, options: Options, report: list[str], base_dir: Path | None
) -> Request:
    lines = block.lines
    line_number = block.first_line + index
    given, url = _request_line(lines[index].strip())
    method = given or "GET"
    if not url or (given and method not in _METHODS):
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
    body_lines = _body_lines(lines[index + 1 :], name, report)
    url = _absolute(url, headers, report)
    bare, params = split_url(url)
    body, headers = _body(body_lines, headers, name, report, base_dir)
    return Request(
        method=method,
        url=bare,
        params=params,
        path_params=tuple(Pair(n) for n in path_param_names(bare)),
        headers=tuple(headers),
        body=body,
        options=options,
        name=name or f"{method} {bare}",
    )


def _body_lines(lines: list[str], name: str, report: list[str]) -> list[str]:
    kept = []
    in_script = False
    for line in lines:
        stripped = line.strip()
        if in_script:
            in_script = "%}" not in stripped
            continue
        if stripped.startswith(("> {%", ">{%")):  # translated by HttpLinks
            in_script = "%}" not in stripped[3:]
            continue
        if stripped.startswith((">>", "<>")) or re.match(r"^>\s*\S+\.js$", stripped):
            report.append(
                f"The response handler or output of {name or 'a request'} was not imported."
            )
            continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def _absolute(url: str, headers: list[Pair], report: list[str]) -> str:
    if url.startswith("/"):
        for pair in headers:
            if pair.name.lower() == "host":
                headers.remove(pair)
                report.append(f"The request to {url} took its host from the Host header (http).")
                return f"http://{pair.value}{url}"
    return url


def _body(
    lines: list[str], headers: list[Pair], name: str, report: list[str], base_dir: Path | None
) -> tuple[Body, list[Pair]]:
    if not lines:
        return Body(), headers
    content_type = ""
    for pair in headers:
        if pair.name.lower() == "content-type":
            content_type = pair.value
            headers = [other for other in headers if other is not pair]
            break
    reference = re.match(r"^<@?\s*(\S.*?)\s*$", lines[0].strip())
    if reference and len(lines) == 1:
        path = reference.group(1)
        if base_dir is not None and not Path(path).is_absolute():
            path = str(base_dir / path)
        if lines[0].strip().startswith("<@"):
            report.append(f"Variables inside the file {reference.group(1)} will not be replaced.")
        return Body(BodyKind.BINARY, file=path, content_type=content_type), headers
    if any(line.strip().startswith("< ") for line in lines):
        report.append(
            f"File references inside the body of {name or 'a request'} were kept as text."
        )
    text = "\n".join(lines)
    if content_type.split(";")[0].strip().lower() == FORM_TYPE:
        joined = "".join(line.strip() for line in lines)
        _, pairs = split_url("?" + joined)
        return Body(BodyKind.FORM, form=pairs), headers
    return Body(BodyKind.RAW, text=text, content_type=content_type), headers


def export_http(collection: Collection) -> str:
    """The collection as an .http file (folders flattened into `Folder / Request` names)."""
    out = [
        f"@{variable.name} = {'' if variable.secret else variable.value}"
        for variable in collection.variables
        if variable.enabled
    ]
    for path, item in walk_requests(collection):
        out += ["", "###" + (" " + " / ".join((*path, item.name)) if item.name else "")]
        out += _export_request(item.request)
    return "\n".join(out).lstrip("\n") + "\n"


def _export_request(request: Request) -> list[str]:
    lines = []
    if not request.options.follow_redirects:
        lines.append("# @no-redirect")
    url = join_url(substitute_path_params(request.url, request.path_params), request.params)
    lines.append(f"{request.method} {url}")
    lines += [f"{p.name}: {p.value}" for p in request.headers if p.enabled]
    auth = request.auth
    if auth.kind == AuthKind.BASIC:
        lines.append(f"Authorization: Basic {auth.username}:{auth.password}")
    elif auth.kind == AuthKind.BEARER:
        lines.append(f"Authorization: Bearer {auth.token}")
    elif auth.kind == AuthKind.API_KEY and auth.key_in == "header":
        lines.append(f"{auth.key_name}: {auth.key_value}")
    body = request.body
    if body.kind in (BodyKind.RAW, BodyKind.BINARY) and body.content_type:
        lines.append(f"Content-Type: {body.content_type}")
    lines += _export_body(body)
    return lines


def _export_body(body: Body) -> list[str]:
    if body.kind == BodyKind.RAW:
        # A body line starting with ### would end the request: indent it by a space.
        text = re.sub(r"^###", " ###", body.text, flags=re.MULTILINE)
        return ["", text]
    if body.kind == BodyKind.BINARY:
        return ["", f"< {body.file}"]
    if body.kind == BodyKind.FORM:
        pairs = [p for p in body.form if p.enabled]
        return ["Content-Type: " + FORM_TYPE, "", join_url("", tuple(pairs)).lstrip("?")]
    if body.kind == BodyKind.MULTIPART:
        boundary = "ApiExplorerBoundary"
        lines = [f"Content-Type: multipart/form-data; boundary={boundary}", ""]
        for part in body.parts:
            if not part.enabled:
                continue
            lines.append(f"--{boundary}")
            if part.is_file:
                filename = Path(part.file).name
                lines.append(
                    f'Content-Disposition: form-data; name="{part.name}"; filename="{filename}"'
                )
                lines.append(f"Content-Type: {part.content_type or 'application/octet-stream'}")
                lines += ["", f"< {part.file}"]
            else:
                lines.append(f'Content-Disposition: form-data; name="{part.name}"')
                if part.content_type:
                    lines.append(f"Content-Type: {part.content_type}")
                lines += ["", part.value]
        lines.append(f"--{boundary}--")
        return lines
    return []


__all__ = ["export_http", "import_http"]
