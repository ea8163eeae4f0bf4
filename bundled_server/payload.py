"""Reading request bodies the way an RFC-minded API should.

Flask's ``request.get_json()`` answers with HTML errors; these helpers raise
problem+json instead, and tell 415 (wrong media type), 400 (not JSON at all) and
422 (JSON, but not an object) apart, because the learner should see the difference.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from flask.json.provider import DefaultJSONProvider

from .problems import Problem


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
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise Problem(
            422,
            f"The body must be a JSON object, not a JSON {type(data).__name__}.",
            kind="validation-error",
            errors=[{"pointer": "#", "detail": "must be an object"}],
        )
    return data


def parse_json(raw: bytes) -> Any:
    """Parse a JSON body, or raise a 400 malformed-json problem that says what is wrong."""
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
    except RecursionError:
        detail = "The JSON is nested too deeply to read."
        raise Problem(400, detail, kind="malformed-json") from None
    where = lone_surrogate_at(data)
    if where is not None:
        pointer, code = where
        raise Problem(
            400,
            f"The string at {pointer} contains a lone surrogate escape (\\u{code:04x}): "
            "JSON strings must be valid Unicode, so a \\uD800-\\uDFFF escape needs its "
            "pair (RFC 8259 §8.2).",
            kind="malformed-json",
        )
    return data


def _lone_surrogate(text: str) -> int | None:
    """The first unpaired UTF-16 surrogate in ``text`` (json.loads pairs valid ones)."""
    for char in text:
        if "\ud800" <= char <= "\udfff":
            return ord(char)
    return None


def _pointer_token(key: str | int) -> str:
    token = str(key).replace("~", "~0").replace("/", "~1")
    # The pointer is shown in the answer, so the surrogate itself must not be in it.
    return token.encode("utf-8", "backslashreplace").decode("utf-8")


def lone_surrogate_at(data: Any) -> tuple[str, int] | None:
    """(JSON Pointer, code point) of the first string or key holding a lone surrogate.

    Python keeps such a string, but it cannot be written back as UTF-8: echoing it
    used to crash the response with a 500. Walks without recursion (depth is unbounded).
    """
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        pointer, value = pending.pop()
        if isinstance(value, str):
            code = _lone_surrogate(value)
            if code is not None:
                return pointer or "/", code
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                child = f"{pointer}/{_pointer_token(key)}"
                code = _lone_surrogate(key)
                if code is not None:
                    return child, code
                pending.append((child, item))
        elif isinstance(value, list):
            items = reversed(list(enumerate(value)))
            pending.extend((f"{pointer}/{index}", item) for index, item in items)
    return None


def no_content() -> Response:
    """204 No Content: no body, so no Content-Type either."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


class UnicodeSafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a string UTF-8 cannot hold is written as a \\u escape.

    The app writes non-ASCII as is (readable Korean); a lone surrogate that slipped
    past the checks above would otherwise fail while encoding the response: a 500.
    """

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            kwargs["ensure_ascii"] = True
            text = super().dumps(obj, **kwargs)
        return text
