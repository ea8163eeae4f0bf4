"""``GET /health``: the launcher's readiness probe and the client-server lesson's first call."""

from __future__ import annotations

import os
import time

from flask import Blueprint, Response, current_app, jsonify

bp = Blueprint("health", __name__)

_STARTED = time.monotonic()


@bp.get("/health")
def health() -> Response:
    """Cheap on purpose: no store access, so it answers even while others are busy."""
    response = jsonify(
        status="ok",
        service="api-explorer practice server",
        version=current_app.config["SERVER_VERSION"],
        pid=os.getpid(),
        uptime_seconds=round(time.monotonic() - _STARTED, 3),
    )
    response.headers["Cache-Control"] = "no-store"
    return response
