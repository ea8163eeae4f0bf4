"""Echo endpoints: ``/anything``, the per-method ``/get`` … ``/delete``, and small helpers."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, jsonify, request
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import Rule

from .snapshot import request_snapshot

bp = Blueprint("echo", __name__)


def _register_anything(state: BlueprintSetupState) -> None:
    """Add /anything with *no* method list: werkzeug then matches every method token,
    PURGE and PROPFIND included, which Flask's decorators cannot express."""
    for rule in ("/anything", "/anything/<path:rest>"):
        state.app.url_map.add(Rule(rule, endpoint="echo.anything"))
    state.app.view_functions["echo.anything"] = anything


bp.record_once(_register_anything)


def _echo() -> Response:
    response = jsonify(request_snapshot())
    response.headers["Cache-Control"] = "no-store"
    return response


def anything(rest: str | None = None) -> Response:
    """Echo any request with any method back as JSON (see the module docs for the shape)."""
    return _echo()


@bp.get("/get")
def get() -> Response:
    """Echo a GET."""
    return _echo()


@bp.post("/post")
def post() -> Response:
    """Echo a POST."""
    return _echo()


@bp.put("/put")
def put() -> Response:
    """Echo a PUT."""
    return _echo()


@bp.patch("/patch")
def patch() -> Response:
    """Echo a PATCH."""
    return _echo()


@bp.delete("/delete")
def delete() -> Response:
    """Echo a DELETE."""
    return _echo()


@bp.get("/headers")
def headers() -> Response:
    """The request headers as received."""
    return jsonify(headers=dict(request.headers.items()))


@bp.get("/ip")
def ip() -> Response:
    """The client address as this server sees it."""
    return jsonify(origin=request.remote_addr)


@bp.get("/user-agent")
def user_agent() -> Response:
    """The User-Agent header."""
    return jsonify({"user-agent": request.headers.get("User-Agent")})


@bp.get("/uuid")
def new_uuid() -> Response:
    """A fresh random UUID (version 4); never cached."""
    response = jsonify(uuid=str(uuid.uuid4()))
    response.headers["Cache-Control"] = "no-store"
    return response
