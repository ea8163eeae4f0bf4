"""Hypermedia helpers: ``_links`` members and RFC 8288 ``Link`` headers."""

from __future__ import annotations

from flask import Response, jsonify, request, url_for


def href(endpoint: str, **values: object) -> dict[str, str]:
    """``{"href": "/api/items/3"}``: relative, so it is right behind any gateway."""
    return {"href": url_for(endpoint, **values)}


def link_header(relations: dict[str, str]) -> str:
    """``<url>; rel="next", …`` with absolute URLs built from the request."""
    base = request.host_url.rstrip("/")
    return ", ".join(f'<{base}{url}>; rel="{rel}"' for rel, url in relations.items())


def json_redirect(target: str, code: int = 302) -> Response:
    """A redirect whose body is JSON, not Flask's little HTML page."""
    response = jsonify(status=code, location=target)
    response.status_code = code
    response.headers["Location"] = target
    response.autocorrect_location_header = False  # a relative Location stays relative
    return response
