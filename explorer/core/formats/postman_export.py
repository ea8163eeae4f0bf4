"""Write a collection as a Postman v2.1 collection.

What Postman has no place for (collection and folder headers, whether a request takes
its folders' headers) is kept under an `x-api-explorer` member, which Postman ignores and
the importer reads back, so an export imported again gives the same collection.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.formats.common import join_url
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Pair,
    Request,
    Scripts,
)
from explorer.core.translate.postman_tests_export import postman_test_script

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
EXTENSION = "x-api-explorer"

_TYPE_LANGUAGES = {"json": "json", "xml": "xml", "html": "html", "javascript": "javascript"}


def export_postman(collection: Collection) -> str:
    """The collection as Postman v2.1 JSON text."""
    return export_postman_report(collection)[0]


def export_postman_report(collection: Collection) -> tuple[str, tuple[str, ...]]:
    """The collection as Postman v2.1 JSON text, and what it could not carry (assertions
    and captures without a Postman form, Python scripts), one sentence each."""
    losses: list[str] = []
    document: dict[str, Any] = {
        "info": {
            "_postman_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "api-explorer:" + collection.name)),
            "name": collection.name,
            "description": collection.description,
            "schema": SCHEMA_V21,
        },
        "item": [_item(item, losses) for item in collection.items],
        "variable": [
            {
                "key": variable.name,
                "value": "" if variable.secret else variable.value,
                **({"type": "secret"} if variable.secret else {}),
                **({"disabled": True} if not variable.enabled else {}),
            }
            for variable in collection.variables
        ],
    }
    if collection.auth.kind not in (AuthKind.NONE, AuthKind.INHERIT):
        document["auth"] = _auth(collection.auth)
    if collection.headers:
        document[EXTENSION] = {"headers": _pairs(collection.headers)}
    owner = f"the collection {collection.name!r}"
    events = _events(collection.assertions, collection.captures, collection.scripts, owner, losses)
    if events:
        document["event"] = events
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text, tuple(dict.fromkeys(losses))


def _events(
    assertions: tuple[Assertion, ...],
    captures: tuple[Capture, ...],
    scripts: Scripts,
    owner: str,
    losses: list[str],
) -> list[dict[str, Any]]:
    """Postman events: assertions, captures and the kept test script as a test script
    (core/translate), the kept pre-request script as it was. Python scripts stay behind."""
    events = []
    if scripts.kept_pre_request.strip():
        lines = scripts.kept_pre_request.rstrip("\n").split("\n")
        events.append(
            {"listen": "prerequest", "script": {"type": "text/javascript", "exec": lines}}
        )
    exported = postman_test_script(assertions, captures, scripts.kept_post_response, owner)
    losses += exported.losses
    if exported.lines:
        events.append(
            {"listen": "test", "script": {"type": "text/javascript", "exec": list(exported.lines)}}
        )
    if scripts.pre_request.strip() or scripts.post_response.strip():
        losses.append(f"The Python scripts of {owner} were not exported: Postman runs JavaScript.")
    return events


def _item(item: Folder | RequestItem, losses: list[str]) -> dict[str, Any]:
    if isinstance(item, Folder):
        folder: dict[str, Any] = {
            "name": item.name,
            "description": item.description,
            "item": [_item(inner, losses) for inner in item.items],
        }
        owner = f"the folder {item.name!r}"
        events = _events(item.assertions, item.captures, item.scripts, owner, losses)
        if events:
            folder["event"] = events
        if item.auth.kind != AuthKind.INHERIT:
            folder["auth"] = _auth(item.auth)
        if item.headers:
            folder[EXTENSION] = {"headers": _pairs(item.headers)}
        return folder
    request = item.request
    out: dict[str, Any] = {
        "name": request.name,
        "request": _request(request),
        "response": [],
        "protocolProfileBehavior": {
            "followRedirects": request.options.follow_redirects,
            "maxRedirects": request.options.max_redirects,
            "strictSSL": request.options.verify_tls,
        },
    }
    if not item.inherit_headers:
        out[EXTENSION] = {"inherit_headers": False}
    owner = f"the request {request.name!r}"
    events = _events(request.assertions, request.captures, request.scripts, owner, losses)
    if events:
        out["event"] = events
    return out


def _request(request: Request) -> dict[str, Any]:
    headers = _pairs(request.headers)
    body = request.body
    if body.kind in (BodyKind.RAW, BodyKind.BINARY) and body.content_type:
        headers.append({"key": "Content-Type", "value": body.content_type})
    out: dict[str, Any] = {
        "method": request.method,
        "header": headers,
        "url": _url(request),
        "description": request.description,
    }
    if body.kind != BodyKind.NONE:
        out["body"] = _body(body)
    if request.auth.kind != AuthKind.INHERIT:
        out["auth"] = _auth(request.auth)
    return out


def _url(request: Request) -> dict[str, Any]:
    url = request.url
    protocol, _, rest = url.rpartition("://") if "://" in url else ("", "", url)
    host, _, route = rest.partition("/")
    out: dict[str, Any] = {
        "raw": join_url(url, request.params),
        "host": host.split(".") if protocol else [host],
        "path": route.split("/") if route else [],
    }
    if protocol:
        out["protocol"] = protocol
    if request.params:
        out["query"] = _pairs(request.params)
    if request.path_params:
        out["variable"] = [{"key": p.name, "value": p.value} for p in request.path_params]
    return out


def _pairs(pairs: tuple[Pair, ...]) -> list[dict[str, Any]]:
    return [
        {"key": pair.name, "value": pair.value, **({"disabled": True} if not pair.enabled else {})}
        for pair in pairs
    ]


def _body(body: Body) -> dict[str, Any]:
    if body.kind == BodyKind.RAW:
        subtype = body.content_type.split(";")[0].rsplit("/", 1)[-1].rsplit("+", 1)[-1]
        language = _TYPE_LANGUAGES.get(subtype, "text")
        return {"mode": "raw", "raw": body.text, "options": {"raw": {"language": language}}}
    if body.kind == BodyKind.FORM:
        return {"mode": "urlencoded", "urlencoded": _pairs(body.form)}
    if body.kind == BodyKind.BINARY:
        return {"mode": "file", "file": {"src": body.file}}
    parts = []
    for part in body.parts:
        row: dict[str, Any] = {"key": part.name}
        if part.is_file:
            row.update(type="file", src=part.file)
        else:
            row.update(type="text", value=part.value)
        if part.content_type:
            row["contentType"] = part.content_type
        if not part.enabled:
            row["disabled"] = True
        parts.append(row)
    return {"mode": "formdata", "formdata": parts}


def _auth(auth: Auth) -> dict[str, Any]:
    if auth.kind == AuthKind.NONE:
        return {"type": "noauth"}
    if auth.kind == AuthKind.INHERIT:
        return {"type": "inherit"}
    if auth.kind in (AuthKind.BASIC, AuthKind.DIGEST):
        values = {"username": auth.username, "password": auth.password}
    elif auth.kind == AuthKind.BEARER:
        values = {"token": auth.token}
    else:
        values = {"key": auth.key_name, "value": auth.key_value, "in": auth.key_in}
    kind = auth.kind.value
    return {
        "type": kind,
        kind: [{"key": key, "value": value, "type": "string"} for key, value in values.items()],
    }
