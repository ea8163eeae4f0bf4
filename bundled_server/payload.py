"""Reading request bodies the way an RFC-minded API should.

Flask's ``request.get_json()`` answers with HTML errors; these helpers raise
problem+json instead, and tell 415 (wrong media type), 400 (not JSON at all) and
422 (JSON, but not an object) apart, because the learner should see the difference.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request

from .problems import Problem


def is_json_mimetype(mimetype: str) -> bool:
    """``application/json`` or any ``application/*+json`` (RFC 6839 suffix)."""
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def json_object(accepted: tuple[str, ...] = ("application/json",)) -> dict[str, Any]:
    """Parse the body as a JSON object whose Content-Type is one of ``accepted``."""
    mimetype = request.mimetype
    if mimetype not in accepted:
        header = "Accept-Patch" if request.method == "PATCH" else "Accept"
        shown = mimetype or "no Content-Type"
        raise Problem(
            415,
            f"This endpoint reads {', '.join(accepted)}; the request sent {shown}.",
            kind="unsupported-media-type",
            headers={header: ", ".join(accepted)},
        )
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise Problem(400, "The body is empty; send a JSON object.", kind="malformed-json")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise Problem(400, "The body is not UTF-8 text.", kind="malformed-json") from None
    except json.JSONDecodeError as error:
        raise Problem(
            400,
            f"Invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}.",
            kind="malformed-json",
        ) from None
    if not isinstance(data, dict):
        raise Problem(
            422,
            f"The body must be a JSON object, not a JSON {type(data).__name__}.",
            kind="validation-error",
            errors=[{"pointer": "#", "detail": "must be an object"}],
        )
    return data


def no_content() -> Response:
    """204 No Content: no body, so no Content-Type either."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response
