"""Import HAR 1.2 archives (browser and proxy recordings) and export history as HAR.

An archive holds exchanges: the requests become a collection, and each exchange is also
returned as a plain `HarEntry` so the history can store the responses. `export_har`
takes the same plain records, built from the history or a selection.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit

from explorer.core.collection import Collection, RequestItem
from explorer.core.formats.common import ImportResult, split_url
from explorer.core.formats.document import as_dict, as_list, as_text, child, load_json
from explorer.core.model import Body, BodyKind, Options, Pair, Part, Request

Headers = tuple[tuple[str, str], ...]

# Recomputed by the client for every request; importing them would send stale values.
_RECOMPUTED = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}


@dataclass(frozen=True)
class HarEntry:
    """One exchange as it happened on the wire: what was sent and what came back.

    `status` is 0 when no response was recorded. `started` is ISO 8601.
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


@dataclass(frozen=True)
class HarImport:
    """A HAR import: the requests as a collection, and every exchange as a record."""

    result: ImportResult
    entries: tuple[HarEntry, ...]


def import_har(text: str, name: str = "HAR import") -> HarImport:
    """Import a HAR 1.2 archive."""
    log = as_dict(as_dict(load_json(text), "$").get("log"), "$.log")
    report: list[str] = []
    items = []
    entries = []
    for index, value in enumerate(as_list(log.get("entries"), "$.log.entries")):
        path = child("$.log.entries", index)
        entry = as_dict(value, path)
        request_row = as_dict(entry.get("request"), child(path, "request"))
        request = _request(request_row, child(path, "request"), report)
        items.append(RequestItem(request))
        entries.append(_record(entry, request_row, path))
    collection = Collection(name, items=tuple(items))
    return HarImport(ImportResult(collection, (), tuple(dict.fromkeys(report))), tuple(entries))


def _headers(value: Any, path: str) -> list[tuple[str, str]]:
    out = []
    for index, item in enumerate(as_list(value, path)):
        row = as_dict(item, child(path, index))
        out.append((as_text(row.get("name"), path), as_text(row.get("value"), path)))
    return out


def _request(row: dict[str, Any], path: str, report: list[str]) -> Request:
    method = as_text(row.get("method"), child(path, "method")) or "GET"
    url, params = split_url(as_text(row.get("url"), child(path, "url")))
    headers = [
        Pair(name, value)
        for name, value in _headers(row.get("headers"), child(path, "headers"))
        if not name.startswith(":") and name.lower() not in _RECOMPUTED
    ]
    body, headers = _body(
        as_dict(row.get("postData"), child(path, "postData")), headers, path, report
    )
    route = _route(url)
    return Request(
        method=method.upper(),
        url=url,
        params=params,
        headers=tuple(headers),
        body=body,
        options=Options(follow_redirects=False),  # a recording shows each redirect itself
        name=f"{method.upper()} {route}",
    )


def _route(url: str) -> str:
    """The path of `url`, for the request's name; a malformed URL (`http://[::1/`) is
    imported as written and named by what follows its host."""
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "/" + url.partition("://")[2].partition("/")[2]


def _body(
    post: dict[str, Any], headers: list[Pair], path: str, report: list[str]
) -> tuple[Body, list[Pair]]:
    if not post:
        return Body(), headers
    mime = as_text(post.get("mimeType"), child(path, "postData"))
    base = mime.split(";")[0].strip().lower()
    rest = [pair for pair in headers if pair.name.lower() != "content-type"]
    params = as_list(post.get("params"), child(path, "postData.params"))
    if base == "application/x-www-form-urlencoded":
        if params:
            pairs = tuple(Pair(name, value) for name, value in _headers(params, path))
        else:
            _, pairs = split_url("?" + as_text(post.get("text"), path))
        return Body(BodyKind.FORM, form=pairs), rest
    if base == "multipart/form-data" and params:
        parts = []
        for index, item in enumerate(params):
            row = as_dict(item, child(child(path, "postData.params"), index))
            name = as_text(row.get("name"), path)
            if row.get("fileName"):
                report.append(
                    f"The file {row['fileName']} of the form field {name!r} was not recorded."
                )
                parts.append(
                    Part(
                        name,
                        file=as_text(row.get("fileName"), path),
                        content_type=as_text(row.get("contentType"), path),
                    )
                )
            else:
                parts.append(Part(name, as_text(row.get("value"), path)))
        return Body(BodyKind.MULTIPART, parts=tuple(parts)), rest
    return Body(BodyKind.RAW, text=as_text(post.get("text"), path), content_type=mime), rest


def _record(entry: dict[str, Any], request: dict[str, Any], path: str) -> HarEntry:
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
    post = as_dict(request.get("postData"), path)
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
        request_body=as_text(post.get("text"), path).encode("utf-8"),
        status=status if isinstance(status, int) and status > 0 else 0,
        reason=as_text(response.get("statusText"), path),
        http_version=as_text(response.get("httpVersion"), path) or "HTTP/1.1",
        response_headers=tuple(_headers(response.get("headers"), child(path, "response.headers"))),
        response_body=body,
        started=as_text(entry.get("startedDateTime"), path),
        time_ms=time_ms,
    )


def export_har(entries: Iterable[HarEntry]) -> str:
    """The exchanges as HAR 1.2 JSON text."""
    log = {
        "version": "1.2",
        "creator": {"name": "API Explorer", "version": _version()},
        "entries": [_entry(entry) for entry in entries],
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


def _entry(entry: HarEntry) -> dict[str, Any]:
    _, params = split_url(entry.url)
    request: dict[str, Any] = {
        "method": entry.method,
        "url": entry.url,
        "httpVersion": entry.http_version,
        "cookies": [],
        "headers": _pairs(entry.request_headers),
        "queryString": [{"name": p.name, "value": p.value} for p in params],
        "headersSize": -1,
        "bodySize": len(entry.request_body),
    }
    if entry.request_body:
        mime = _header(entry.request_headers, "content-type")
        post = _content(entry.request_body, mime)
        request["postData"] = {"mimeType": mime, "text": post["text"], "params": []}
        if "encoding" in post:
            request["postData"]["comment"] = "base64-encoded binary body"
    response = {
        "status": entry.status,
        "statusText": entry.reason,
        "httpVersion": entry.http_version,
        "cookies": [],
        "headers": _pairs(entry.response_headers),
        "content": _content(entry.response_body, _header(entry.response_headers, "content-type")),
        "redirectURL": _header(entry.response_headers, "location"),
        "headersSize": -1,
        "bodySize": len(entry.response_body),
    }
    return {
        "startedDateTime": entry.started or "1970-01-01T00:00:00.000Z",
        "time": entry.time_ms,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": entry.time_ms, "receive": 0},
    }
