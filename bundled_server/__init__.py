"""The API Explorer practice server: a stateful, RFC-correct REST API that teaches.

``create_app()`` is the Flask application factory (``flask --app bundled_server run``
finds it); ``python -m bundled_server`` runs it on Werkzeug's threaded server.
Each lesson or feature is one Blueprint in its own module. Nothing here imports the
desktop app: the server is a separate process that speaks only HTTP.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response

from . import (
    admin,
    api_root,
    auth,
    caching,
    code_on_demand,
    graphql_api,
    health,
    items,
    layered,
    lessons,
    mistakes,
    negotiation,
    openapi,
    pages,
    problems,
    realtime,
    rendering,
    security,
    session,
    todos,
    users,
)
from .oauth import views as oauth
from .payload import UnicodeSafeJSONProvider
from .state import PracticeState
from .toolbox import challenges, cookies, echo, media, payloads, redirects, status, timing, upload
from .wire import BoundedRequest

__version__ = "0.1.0"

# Registration order does not matter to routing; it is the reading order of the docs.
# Imported by name, not looked up by string, so that a renamed module fails at import
# and the type checker and the import-cycle test see every blueprint.
BLUEPRINTS = (
    pages.bp,
    health.bp,
    lessons.bp,
    openapi.bp,
    admin.bp,
    api_root.bp,
    todos.bp,
    items.bp,
    users.bp,
    graphql_api.bp,
    auth.bp,
    session.bp,
    caching.bp,
    layered.bp,
    code_on_demand.bp,
    echo.bp,
    status.bp,
    timing.bp,
    payloads.bp,
    media.bp,
    redirects.bp,
    cookies.bp,
    challenges.bp,
    upload.bp,
    mistakes.bp,
    realtime.bp,
    oauth.bp,
)

DEFAULTS: dict[str, Any] = {
    "SERVER_VERSION": __version__,
    "TRUSTED_HOSTS": security.trusted_hosts(),
    # Bodies above this are refused with 413 before a view reads them.
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    # Werkzeug's 500 kB default for in-memory form fields is too small for /anything.
    "MAX_FORM_MEMORY_SIZE": 8 * 1024 * 1024,
    # Public on purpose: tokens must survive a restart (the statelessness lesson),
    # and they only ever unlock practice data on the learner's own machine.
    "TOKEN_SECRET": "api-explorer practice token key (not a secret)",
    "TOKEN_LIFETIME": 3600,
    "RATE_LIMIT": 5,
    "RATE_WINDOW": 10.0,
    # Every wait of the slow endpoints (/delay, /drip, /stream, /sse) is multiplied by
    # this. Tests that run the whole Sample API set it small; a learner's server waits
    # what was asked.
    "TIME_SCALE": 1.0,
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the practice server; ``config`` overrides the defaults (tests use it)."""
    app = Flask(__name__)
    # Enforces MAX_CONTENT_LENGTH on chunked bodies too (werkzeug only checks the header).
    app.request_class = BoundedRequest
    app.config.update(DEFAULTS)
    app.config["SECRET_KEY"] = os.urandom(32)
    app.config.update(config or {})
    # Readable JSON for people reading raw responses: field order kept, Korean as is.
    app.json = UnicodeSafeJSONProvider(app)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.json.compact = False

    app.extensions["practice"] = PracticeState(app.config["RATE_LIMIT"], app.config["RATE_WINDOW"])
    problems.init_app(app)
    security.init_app(app)
    negotiation.init_app(app)
    rendering.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.after_request(_one_date)
    return app


def _one_date(response: Response) -> Response:
    """Leave the Date field to the server, which writes one on every response: a Date set
    by the app as well (send_file sets one on static files) went out as a second field,
    which HTTP forbids for a single-value field (RFC 9110 §5.3, §6.6.1)."""
    response.headers.pop("Date", None)
    return response
