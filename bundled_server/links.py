"""Hypermedia helpers: ``_links`` members and RFC 8288 ``Link`` headers."""

from __future__ import annotations

from flask import Response, jsonify, request, url_for


def href(endpoint: str, **values: int | str) -> dict[str, str]:
    """``{"href": "/api/items/3"}``: relative, so it is right behind any gateway."""
    # url_for's own options are spelled out (at their defaults) so that the type checker
    # matches `values` to the route's parameters only.
    url = url_for(endpoint, _anchor=None, _method=None, _scheme=None, _external=None, **values)
    return {"href": url}


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
