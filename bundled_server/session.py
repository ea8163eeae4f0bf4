"""``/session/*``: a deliberately *stateful* login, the contrast to ``/auth/token``.

The cookie holds only a random id; what it means lives in this process's memory.
Restart the server and the id points at nothing: that is the cost of server state
that the statelessness lesson makes visible.
"""

from __future__ import annotations

import secrets
import threading

from flask import Blueprint, Response, current_app, jsonify, request

from .auth import check_credentials, credentials_from_request
from .problems import Problem
from .store import now_iso

bp = Blueprint("session", __name__, url_prefix="/session")

COOKIE = "practice_session"
CHALLENGE = 'Cookie realm="practice-session", form-action="/session/login"'


class SessionStore:
    """Server-side sessions: random id → who logged in and when."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, dict[str, str]] = {}

    def open(self, username: str) -> str:
        """Remember a login and return its new id."""
        session_id = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[session_id] = {"username": username, "logged_in_at": now_iso()}
        return session_id

    def find(self, session_id: str | None) -> dict[str, str] | None:
        """The session for this id, or None."""
        with self._lock:
            found = self._sessions.get(session_id or "")
            return dict(found) if found else None

    def close(self, session_id: str | None) -> bool:
        """Forget a session; False when there was none."""
        with self._lock:
            return self._sessions.pop(session_id or "", None) is not None

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)


def _sessions() -> SessionStore:
    # Not state.current_state(): state imports this module. Flask keeps extensions untyped.
    sessions: SessionStore = current_app.extensions["practice"].sessions
    return sessions


@bp.post("/login")
def login() -> Response:
    """Check the credentials, store a session and hand out its cookie."""
    username = check_credentials(*credentials_from_request())
    session_id = _sessions().open(username)
    response = jsonify(
        logged_in=True,
        username=username,
        sessions_held_by_server=len(_sessions()),
        note="Your cookie is just an id; the server remembers the rest until it restarts.",
    )
    response.set_cookie(COOKIE, session_id, httponly=True, samesite="Lax", path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/me")
def me() -> Response:
    """Who the session cookie belongs to, or 401 when the server no longer knows it."""
    found = _sessions().find(request.cookies.get(COOKIE))
    if found is None:
        raise Problem(
            401,
            "No session for this cookie. Log in with POST /session/login (sessions "
            "live in server memory and vanish when the server restarts).",
            headers={"WWW-Authenticate": CHALLENGE},
        )
    response = jsonify(found | {"stored_on_server": True})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/logout")
def logout() -> Response:
    """Forget the session and expire the cookie (204 either way: logout is idempotent)."""
    _sessions().close(request.cookies.get(COOKIE))
    response = Response(status=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Lax")
    return response
