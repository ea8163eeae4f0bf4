"""``/api/todos``: the smallest complete REST resource (issue #2's first endpoints).

GET list, GET one, POST (201 + Location), PUT (full replace), DELETE (204). Errors
are 400 (bad JSON or query), 404, 405 (with Allow), 415 and 422, all problem+json.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from .conditional import check_if_match, entity_tag, is_not_modified, not_modified
from .links import href
from .payload import json_object, no_content
from .problems import Problem
from .state import current_state
from .store import Collection
from .validation import Field, boolean, text, validate

bp = Blueprint("todos", __name__, url_prefix="/api/todos")

SCHEMA = {
    "title": Field(text(200)),
    "done": Field(boolean, required=False, default=False),
}


def _todos() -> Collection:
    return current_state().store.todos


def _represent(todo: dict[str, Any]) -> dict[str, Any]:
    return {**todo, "_links": {"self": href("todos.get_todo", todo_id=todo["id"])}}


def _found(todo_id: int) -> dict[str, Any]:
    todo = _todos().get(todo_id)
    if todo is None:
        raise Problem(404, f"There is no todo with id {todo_id}.")
    return todo


def _send(todo: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(_represent(todo))
    response.status_code = status
    response.set_etag(entity_tag(todo))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("")
def list_todos() -> Response:
    """All todos, optionally only the done (``?done=true``) or open ones."""
    todos = _todos().all()
    done = request.args.get("done")
    if done is not None:
        if done not in ("true", "false"):
            raise Problem(
                400,
                "done must be true or false.",
                kind="invalid-parameter",
                errors=[{"parameter": "done", "detail": "must be true or false"}],
            )
        todos = [t for t in todos if t["done"] == (done == "true")]
    return jsonify(
        data=[_represent(t) for t in todos],
        total=len(todos),
        _links={"self": {"href": request.full_path.rstrip("?")}},
    )


@bp.post("")
def create_todo() -> Response:
    """Create a todo: 201 Created, Location of the new resource, and its ETag."""
    fields = validate(json_object(), SCHEMA)
    todo = _todos().create(fields)
    response = _send(todo, 201)
    response.headers["Location"] = url_for("todos.get_todo", todo_id=todo["id"])
    return response


@bp.get("/<int:todo_id>")
def get_todo(todo_id: int) -> Response:
    """One todo, with an ETag so that a conditional GET can answer 304."""
    todo = _found(todo_id)
    tag = entity_tag(todo)
    if is_not_modified(tag):
        return not_modified({"ETag": f'"{tag}"', "Cache-Control": "no-cache"})
    return _send(todo)


@bp.put("/<int:todo_id>")
def replace_todo(todo_id: int) -> Response:
    """Replace title and done of an existing todo (If-Match is honoured)."""
    collection = _todos()
    with collection.lock:
        current = _found(todo_id)
        check_if_match([entity_tag(current)])
        fields = validate(json_object(), SCHEMA)
        return _send(collection.replace(todo_id, fields))


@bp.delete("/<int:todo_id>")
def delete_todo(todo_id: int) -> Response:
    """Delete: 204 No Content; deleting again is 404 because it is gone."""
    collection = _todos()
    with collection.lock:
        current = _found(todo_id)
        check_if_match([entity_tag(current)])
        collection.delete(todo_id)
    return no_content()
