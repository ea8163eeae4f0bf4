"""``/cookies`` family: see what the client's cookie jar sends, set and delete cookies."""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request

from ..links import json_redirect
from ..problems import Problem

bp = Blueprint("cookies", __name__, url_prefix="/cookies")

# RFC 6265 cookie-name is an HTTP token.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def _check_name(name: str) -> None:
    if not _TOKEN.match(name):
        raise Problem(400, f"{name!r} is not a valid cookie name.", kind="invalid-parameter")


def _back_to_list() -> Response:
    # 302 to /cookies, so the client shows the jar after the change (like httpbin).
    return json_redirect("/cookies", 302)


@bp.get("")
def list_cookies() -> Response:
    """The cookies this request carried."""
    response = jsonify(cookies=dict(request.cookies.items()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/set")
def set_from_query() -> Response:
    """``/cookies/set?name=value&other=2``: set each, then redirect to /cookies."""
    response = _back_to_list()
    for name, value in request.args.items():
        _check_name(name)
        response.set_cookie(name, value, path="/", samesite="Lax")
    return response


@bp.get("/set/<name>/<value>")
def set_one(name: str, value: str) -> Response:
    """Set one cookie from the path, then redirect to /cookies."""
    _check_name(name)
    response = _back_to_list()
    response.set_cookie(name, value, path="/", samesite="Lax")
    return response


@bp.get("/delete")
def delete() -> Response:
    """``/cookies/delete?name``: expire each named cookie, then redirect to /cookies."""
    response = _back_to_list()
    for name in request.args:
        _check_name(name)
        response.delete_cookie(name, path="/", samesite="Lax")
    return response
