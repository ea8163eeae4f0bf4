"""``/api/users``: a read-only resource, and the nested ``/api/users/<id>/items``.

Read-only means the server says so: PUT or DELETE on a user is 405 with an
``Allow`` header listing what does work.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from .conditional import entity_tag, is_not_modified, not_modified
from .items import SCHEMA as ITEM_SCHEMA
from .items import create_item, items, list_response
from .links import href
from .listing import check_known
from .payload import json_object
from .problems import Problem
from .state import current_state
from .store import Collection, parse_iso
from .validation import validate

bp = Blueprint("users", __name__, url_prefix="/api/users")

PUBLIC_FIELDS = ("id", "username", "name", "email", "city", "created_at", "updated_at")


def _users() -> Collection:
    return current_state().store.users


def represent(user: dict[str, Any]) -> dict[str, Any]:
    """The public view of a user: the practice password never leaves the server."""
    public = {field: user[field] for field in PUBLIC_FIELDS}
    public["_links"] = {
        "self": href("users.get_user", user_id=user["id"]),
        "items": href("users.user_items", user_id=user["id"]),
    }
    return public


def _found(user_id: int) -> dict[str, Any]:
    user = _users().get(user_id)
    if user is None:
        raise Problem(404, f"There is no user with id {user_id}.")
    return user


@bp.get("")
def list_users() -> Response:
    """Every user (a short list, so no pagination)."""
    users = [represent(u) for u in _users().all()]
    return jsonify(data=users, total=len(users), _links={"self": href("users.list_users")})


@bp.get("/<int:user_id>")
def get_user(user_id: int) -> Response:
    """One user, with an ETag for conditional GETs."""
    user = represent(_found(user_id))
    tag = entity_tag(user)
    headers = {"ETag": f'"{tag}"', "Cache-Control": "max-age=60"}
    if is_not_modified(tag):
        return not_modified(headers)
    response = jsonify(user)
    response.headers.update(headers)
    response.last_modified = parse_iso(user["updated_at"])
    return response


@bp.get("/<int:user_id>/items")
def user_items(user_id: int) -> Response:
    """The items this user owns, paginated like ``/api/items``."""
    _found(user_id)
    check_known({"page", "per_page", "sort"})
    owned = [item for item in items().all() if item["owner_id"] == user_id]
    return list_response(owned, request.path)


@bp.post("/<int:user_id>/items")
def create_user_item(user_id: int) -> Response:
    """Create an item owned by this user (the owner comes from the URL)."""
    _found(user_id)
    body = json_object()
    body["owner_id"] = user_id
    return create_item(validate(body, ITEM_SCHEMA))
