"""``/openapi.json`` and ``/openapi.yaml``: the hand-written description of every route.

The document is a YAML data file in the package (``data/openapi.yaml``), read once.
The same data feeds the endpoint list on ``/``, so the index and the spec agree.
"""

from __future__ import annotations

import copy
import functools
from importlib import resources
from typing import Any

import yaml
from flask import Blueprint, Response, jsonify, request

bp = Blueprint("openapi", __name__)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@functools.cache
def document() -> dict[str, Any]:
    """The parsed document (cached: it is package data and never changes at run time)."""
    text = resources.files(__package__).joinpath("data", "openapi.yaml").read_text("utf-8")
    parsed: dict[str, Any] = yaml.safe_load(text)
    return parsed


def _with_server() -> dict[str, Any]:
    """The document with ``servers`` pointing at wherever this server runs."""
    doc = copy.deepcopy(document())
    doc["servers"] = [{"url": request.host_url.rstrip("/"), "description": "this server"}]
    return doc


def operations() -> list[dict[str, Any]]:
    """Every operation as ``{method, path, summary, tags}``, in document order.

    ``summary`` here is the operation's sentence (its ``description``, when it has one):
    the document's own ``summary`` is the short name a client lists it under."""
    found = []
    for path, item in document()["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                op = item[method]
                found.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("description") or op.get("summary", ""),
                        "tags": op.get("tags", []),
                    }
                )
    return found


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The document as JSON."""
    return _revalidated(jsonify(_with_server()))


@bp.get("/openapi.yaml")
def openapi_yaml() -> Response:
    """The document as YAML (key order kept, so it reads like the source file)."""
    text = yaml.safe_dump(_with_server(), sort_keys=False, allow_unicode=True)
    return _revalidated(Response(text, mimetype="application/yaml"))


def _revalidated(response: Response) -> Response:
    """ "no-cache" asks a client to check before reusing its copy; an ETag makes that
    check cheap (304, no body) instead of sending the whole ~150 KB document again."""
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    response.make_conditional(request)  # turns it into the 304 in place when it matches
    return response
