"""``GET /api``: the entry point. A client that knows only this URL can find the rest."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from .links import href

bp = Blueprint("api_root", __name__)


@bp.get("/api")
def api_root() -> Response:
    """Links to every resource (hypermedia as the engine of application state)."""
    return jsonify(
        name="API Explorer practice API",
        version=current_app.config["SERVER_VERSION"],
        _links={
            "self": href("api_root.api_root"),
            "items": href("items.list_items"),
            "users": href("users.list_users"),
            "todos": href("todos.list_todos"),
            "token": href("auth.issue_token"),
            "session": href("session.login"),
            "health": href("health.health"),
            "openapi": href("openapi.openapi_json"),
            "lessons": href("lessons.index"),
        },
    )
