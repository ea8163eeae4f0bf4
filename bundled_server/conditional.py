"""Validators and conditional requests (RFC 9110 §8.8 and §13).

Flask's ``make_conditional`` only handles GET and HEAD, so the write-side rules
(``If-Match`` → 412 on PUT, PATCH and DELETE) live here, next to the read side.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from flask import Response, request

from .problems import Problem


def entity_tag(data: Any) -> str:
    """A strong validator: a hash of the canonical JSON of the resource state."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def is_not_modified(tag: str, last_modified: datetime | None = None) -> bool:
    """True when a GET/HEAD may be answered 304 (If-None-Match wins over dates)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if "If-None-Match" in request.headers:
        # Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
        return request.if_none_match.contains_weak(tag)
    since = request.if_modified_since
    return bool(since and last_modified and last_modified.replace(microsecond=0) <= since)


def not_modified(headers: dict[str, str]) -> Response:
    """A 304 that repeats ETag, Cache-Control, Vary … as RFC 9110 §15.4.5 requires."""
    response = Response(status=304)
    for name, value in headers.items():
        response.headers[name] = value
    return response


def check_if_match(current_tags: list[str] | None) -> None:
    """Refuse a write whose If-Match / If-None-Match does not fit the current state.

    ``current_tags`` holds every ETag the current state is known by (one per
    representation), or None when the resource does not exist.
    """
    if "If-Match" in request.headers:
        if current_tags is None:
            raise Problem(
                412,
                "If-Match was sent but the resource does not exist.",
                kind="precondition-failed",
            )
        wanted = request.if_match
        if not wanted.star_tag and not any(wanted.contains(t) for t in current_tags):
            raise Problem(
                412,
                "The ETag in If-Match is not the current one; someone changed the "
                "resource since you read it.",
                kind="precondition-failed",
                headers={"ETag": f'"{current_tags[0]}"'},
            )
    if request.headers.get("If-None-Match", "").strip() == "*" and current_tags is not None:
        # "Create only if absent" (RFC 9110 §13.1.2): the resource is there.
        raise Problem(
            412,
            "If-None-Match: * asks to create only, but the resource already exists.",
            kind="precondition-failed",
            headers={"ETag": f'"{current_tags[0]}"'},
        )
