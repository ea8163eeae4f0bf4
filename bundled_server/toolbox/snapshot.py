"""How a request looked when it arrived: the shared core of the echo endpoints."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage, MultiDict

from ..payload import lone_surrogate_at, parse_json


def flat(multi: MultiDict[str, Any]) -> dict[str, Any]:
    """One value per key, or a list when the key repeats (``?a=1&a=2``)."""
    return {key: values[0] if len(values) == 1 else values for key, values in multi.lists()}


def describe_file(field: str, storage: FileStorage) -> dict[str, Any]:
    """Name, size and SHA-256 of one uploaded file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    storage.stream.seek(0)
    while chunk := storage.stream.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    return {
        "name": field,
        "filename": storage.filename,
        "content_type": storage.mimetype or storage.content_type,
        "size": size,
        "sha256": digest.hexdigest(),
    }


def files_list() -> list[dict[str, Any]]:
    """Every uploaded file, in the order they were sent."""
    return [describe_file(field, f) for field, f in request.files.items(multi=True)]


def _json_or_none(data: bytes) -> Any:
    if not data or request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return None
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):  # not JSON (or not UTF-8): the raw text is in "data"
        return None
    if lone_surrogate_at(value) is not None:
        # Valid JSON syntax that is not valid Unicode: say so (400) rather than echo it.
        return parse_json(data)
    return value


def request_snapshot() -> dict[str, Any]:
    """Everything the client sent, as JSON (the ``/anything`` shape)."""
    # Read the raw body first: werkzeug then parses the form from the cached bytes.
    data = request.get_data(cache=True)
    return {
        "method": request.method,
        "url": request.url,
        "path": request.path,
        "query_string": request.query_string.decode("latin-1"),
        "args": flat(request.args),
        "headers": dict(request.headers.items()),
        "data": data.decode("utf-8", errors="replace"),
        "data_base64": base64.b64encode(data).decode("ascii"),
        "data_sha256": hashlib.sha256(data).hexdigest(),
        "data_size": len(data),
        "json": _json_or_none(data),
        "form": flat(request.form),
        "files": files_list(),
        "origin": request.remote_addr,
    }
