"""Import HAR 1.2 archives (browser and proxy recordings) and export history as HAR.

An archive holds exchanges: the requests become a collection, and each exchange is also
returned as a plain `HarEntry` so the history can store the responses. `export_har`
takes the same plain records, built from the history or a selection.

Reading is strict about the archive and forgiving about its entries: a document without
`log.entries` is refused with what was seen, while an entry that has no request (its
fields nested in the wrong place) or an empty URL is skipped and counted in the report,
never imported as an empty request. Bodies and cookies are in `core/har`.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

from explorer.core.collection import Collection, RequestItem
from explorer.core.formats.common import FormatError, ImportResult, split_url
from explorer.core.formats.document import as_dict, as_list, as_text, child, load_json
from explorer.core.har.cookies import request_cookies, response_cookies
from explorer.core.har.post_data import post_data, read_post_data
from explorer.core.model import Body, BodyKind, Options, Pair, Request

Headers = tuple[tuple[str, str], ...]

# Recomputed by the client for every request; importing them would send stale values.
_RECOMPUTED = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}
# Fields of a request that a malformed writer put directly under the entry.
_REQUEST_FIELDS = ("url", "method", "headers", "postData", "queryString")


@dataclass(frozen=True)
class HarEntry:
    """One exchange as it happened on the wire: what was sent and what came back.

    `status` is 0 when no response was recorded. `started` is ISO 8601. `redirects`
    are the hops before this response, oldest first (each one exchange of its own, with
    its `Location` among its response headers); `comment` says what the record lacks.
    """

    method: str
    url: str
    request_headers: Headers = ()
    request_body: bytes = b""
    status: int = 0
    reason: str = ""
    http_version: str = "HTTP/1.1"
    response_headers: Headers = ()
    response_body: bytes = b""
    started: str = ""
    time_ms: float = 0.0
    redirects: tuple[HarEntry, ...] = ()
    comment: str = ""
    response_size: int = -1  # the whole body's size when `response_body` is its start


@dataclass(frozen=True)
class HarImport:
    """A HAR import: the requests as a collection, and every exchange as a record."""

    result: ImportResult
    entries: tuple[HarEntry, ...]


def import_har(text: str, name: str = "HAR import") -> HarImport:
    """Import a HAR 1.2 archive."""
    document = load_json(text)
    log = _log(document)
    values = as_list(log.get("entries"), "$.log.entries")
    report: list[str] = []
    files: list[tuple[str, bytes]] = []
    items = []
    entries = []
    skipped: dict[str, list[int]] = {}
    used: set[str] = set()  # names of the files written beside the collection
    for index, value in enumerate(values):
        path = child("$.log.entries", index)
        problem = _malformed(value)
        if problem:
            skipped.setdefault(problem, []).append(index + 1)
            continue
        entry = as_dict(value, path)
        request_row = as_dict(entry.get("request"), child(path, "request"))
        read = read_post_data(
            request_row.get("postData"), child(child(path, "request"), "postData"), index, used
        )
        request = _request(request_row, child(path, "request"), read.body)
        report += read.notes
        files += read.files
        items.append(RequestItem(request))
        entries.append(_record(entry, request_row, path, read.sent))
    report += [_skipped(problem, numbers) for problem, numbers in skipped.items()]
    if values and not items:
        raise FormatError(f"None of the {len(values)} HAR entries could be read: {report[-1]}")
    collection = Collection(name, items=tuple(items))
    result = ImportResult(collection, (), tuple(dict.fromkeys(report)), tuple(files))
    return HarImport(result, tuple(entries))


def _log(document: Any) -> dict[str, Any]:
    """The archive's log, or a FormatError that says what was there instead."""
    if not isinstance(document, dict) or "log" not in document:
        keys = ", ".join(list(document)[:8]) if isinstance(document, dict) else ""
        seen = f"a JSON object with keys {keys}" if keys else "no log object"
        raise FormatError(f"Not a HAR archive: {seen} (expected log.entries)", "$")
    log = as_dict(document["log"], "$.log")
    if "entries" not in log:
        raise FormatError("Not a HAR archive: a HAR log without entries", "$.log")
    return log


def _malformed(entry: Any) -> str:
    """What is wrong with `entry` as an exchange ("" when nothing is)."""
    if not isinstance(entry, dict):
        return "not an object"
    request = entry.get("request")
    if request is None:
        misplaced = [key for key in _REQUEST_FIELDS if key in entry]
        if misplaced:
            return f"{', '.join(misplaced)} directly under the entry instead of under request"
        return "no request"
    if not isinstance(request, dict):
        return "a request that is not an object"
    url = request.get("url")
    if url is not None and not isinstance(url, str):
        return "a URL that is not text"
    if not url or not url.strip():
        return "an empty URL"
    return ""


def _skipped(problem: str, numbers: list[int]) -> str:
    count = len(numbers)
    shown = ", ".join(str(n) for n in numbers[:10]) + (", …" if count > 10 else "")
    which = f"entry {shown}" if count == 1 else f"entries {shown}"
    return f"{count} HAR {'entry' if count == 1 else 'entries'} skipped ({which}): {problem}."


def _headers(value: Any, path: str) -> list[tuple[str, str]]:
    out = []
    for index, item in enumerate(as_list(value, path)):
        row = as_dict(item, child(path, index))
        out.append((as_text(row.get("name"), path), as_text(row.get("value"), path)))
    return out


def _request(row: dict[str, Any], path: str, body: Body) -> Request:
    method = as_text(row.get("method"), child(path, "method")) or "GET"
    url, params = split_url(as_text(row.get("url"), child(path, "url")))
    query = _headers(row.get("queryString"), child(path, "queryString"))
    headers = [
        Pair(name, value)
        for name, value in _headers(row.get("headers"), child(path, "headers"))
        if not name.startswith(":") and name.lower() not in _RECOMPUTED
    ]
    if body.kind is not BodyKind.NONE:
        headers = [pair for pair in headers if pair.name.lower() != "content-type"]
    if not any(pair.name.lower() == "cookie" for pair in headers):
        # Some writers keep the cookies sent only in `cookies`, not as a header.
        cookies = _headers(row.get("cookies"), child(path, "cookies"))
        if cookies:
            headers.append(Pair("Cookie", "; ".join(f"{n}={v}" for n, v in cookies)))
    route = _route(url)
    return Request(
        method=method.upper(),
        url=url,
        params=_merged_query(params, query),
        headers=tuple(headers),
        body=body,
        options=Options(follow_redirects=False),  # a recording shows each redirect itself
        name=f"{method.upper()} {route}",
    )


def _merged_query(params: tuple[Pair, ...], query: list[tuple[str, str]]) -> tuple[Pair, ...]:
    """The URL's query with the `queryString` pairs it lacks: writers put the query in
    both (decoded or not), some only in `queryString`."""
    remaining = Counter((p.name, p.value) for p in params)
    extra = []
    for name, value in query:
        for key in ((name, value), (unquote_plus(name), unquote_plus(value))):
            if remaining[key]:
                remaining[key] -= 1
                break
        else:
            extra.append(Pair(_decoded(name), _decoded(value)))
    return (*params, *extra)


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def _decoded(text: str) -> str:
    """A `queryString` name or value as the params hold it (decoded): Chrome and
    httpsnippet write it percent-encoded as in the URL (`19%3A08`), and the params are
    encoded again when sent; text with no escape (`100% sure`) is taken as written."""
    return unquote(text) if _ESCAPE.search(text) else text


def _route(url: str) -> str:
    """The path of `url`, for the request's name; a malformed URL (`http://[::1/`) is
    imported as written and named by what follows its host."""
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "/" + url.partition("://")[2].partition("/")[2]


def _record(entry: dict[str, Any], request: dict[str, Any], path: str, sent: bytes) -> HarEntry:
    response = as_dict(entry.get("response"), child(path, "response"))
    content = as_dict(response.get("content"), child(path, "response.content"))
    text = as_text(content.get("text"), path)
    if content.get("encoding") == "base64":
        try:
            body = base64.b64decode(text, validate=False)
        except ValueError:
            body = text.encode("utf-8")
    else:
        body = text.encode("utf-8")
    try:
        time_ms = float(entry.get("time") or 0)
    except (TypeError, ValueError, OverflowError):
        time_ms = 0.0
    if not math.isfinite(time_ms) or time_ms < 0:
        time_ms = 0.0
    status = response.get("status", 0)
    return HarEntry(
        method=as_text(request.get("method"), path) or "GET",
        url=as_text(request.get("url"), path),
        request_headers=tuple(_headers(request.get("headers"), child(path, "request.headers"))),
        request_body=sent,
        status=status if isinstance(status, int) and status > 0 else 0,
        reason=as_text(response.get("statusText"), path),
        http_version=as_text(response.get("httpVersion"), path) or "HTTP/1.1",
        response_headers=tuple(_headers(response.get("headers"), child(path, "response.headers"))),
        response_body=body,
        started=as_text(entry.get("startedDateTime"), path),
        time_ms=time_ms,
    )


# ---- export ----------------------------------------------------------------------------------


def export_har(entries: Iterable[HarEntry]) -> str:
    """The exchanges as HAR 1.2 JSON text: a redirect chain is one entry per hop."""
    rows = []
    for entry in entries:
        rows += [_entry(hop) for hop in entry.redirects]
        rows.append(_entry(entry))
    log = {
        "version": "1.2",
        "creator": {"name": "API Explorer", "version": _version()},
        "entries": rows,
    }
    return json.dumps({"log": log}, indent=2, ensure_ascii=False) + "\n"


def _version() -> str:
    try:
        return metadata.version("api-explorer")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "dev"


def _pairs(headers: Headers) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers]


def _header(headers: Headers, wanted: str) -> str:
    return next((value for name, value in headers if name.lower() == wanted), "")


def _content(body: bytes, mime: str) -> dict[str, Any]:
    try:
        return {"size": len(body), "mimeType": mime, "text": body.decode("utf-8")}
    except UnicodeDecodeError:
        encoded = base64.b64encode(body).decode("ascii")
        return {"size": len(body), "mimeType": mime, "text": encoded, "encoding": "base64"}


def _sent_size(entry: HarEntry) -> int:
    """The size of the request body that went out: its Content-Length when the record
    holds only its start (a streamed file, a body the history cut)."""
    try:
        length = int(_header(entry.request_headers, "content-length") or -1)
    except ValueError:
        length = -1
    return max(length, len(entry.request_body))


def _entry(entry: HarEntry) -> dict[str, Any]:
    _, params = split_url(entry.url)
    request: dict[str, Any] = {
        "method": entry.method,
        "url": entry.url,
        "httpVersion": entry.http_version,
        "cookies": request_cookies(entry.request_headers),
        "headers": _pairs(entry.request_headers),
        "queryString": [{"name": p.name, "value": p.value} for p in params],
        "headersSize": -1,
        "bodySize": _sent_size(entry),
    }
    post = post_data(entry.request_body, _header(entry.request_headers, "content-type"))
    if post is not None:
        request["postData"] = post
    content = _content(entry.response_body, _header(entry.response_headers, "content-type"))
    content["size"] = max(entry.response_size, len(entry.response_body))
    response = {
        "status": entry.status,
        "statusText": entry.reason,
        "httpVersion": entry.http_version,
        "cookies": response_cookies(entry.response_headers),
        "headers": _pairs(entry.response_headers),
        "content": content,
        "redirectURL": _header(entry.response_headers, "location"),
        "headersSize": -1,
        "bodySize": content["size"],
    }
    row: dict[str, Any] = {
        "startedDateTime": entry.started or "1970-01-01T00:00:00.000Z",
        "time": entry.time_ms,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": entry.time_ms, "receive": 0},
    }
    if entry.comment:
        row["comment"] = entry.comment
    return row
