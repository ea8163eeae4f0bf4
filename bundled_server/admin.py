"""``POST /admin/reset``: put every practice resource back to its seed."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from .state import current_state

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.post("/reset")
def reset() -> Response:
    """Restore items, users and todos, and forget rate-limit and gateway-cache state."""
    state = current_state()
    state.reset()
    return jsonify(
        reset=True,
        items=len(state.store.items),
        users=len(state.store.users),
        todos=len(state.store.todos),
    )
