"""``/``: the index of every lesson and endpoint (HTML for people, JSON for programs)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, Response, jsonify, make_response, render_template

from .lessons import summaries
from .negotiation import best_mimetype, use_language
from .openapi import document, operations
from .problems import Problem

bp = Blueprint("pages", __name__)


def _endpoint_groups() -> list[dict[str, Any]]:
    """Operations grouped by their first tag, in the order the tags are declared."""
    by_tag: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for op in operations():
        by_tag[op["tags"][0] if op["tags"] else "other"].append(op)
    groups = []
    for tag in document().get("tags", []):
        if by_tag.get(tag["name"]):
            groups.append({**tag, "operations": by_tag.pop(tag["name"])})
    groups += [{"name": n, "description": "", "operations": ops} for n, ops in by_tag.items()]
    return groups


@bp.get("/")
def index() -> Response:
    """HTML by default and for browsers; JSON when the client prefers it (Vary: Accept)."""
    chosen = best_mimetype(["text/html", "application/json"])
    lang = use_language()
    if chosen is None:
        raise Problem(
            406,
            "This page is available as text/html or application/json.",
            kind="not-acceptable",
            available=["text/html", "application/json"],
        )
    if chosen == "application/json":
        response = jsonify(
            lessons=[
                {"href": f"/lessons/{s['name']}", "title": s["title"]} for s in summaries(lang)
            ],
            endpoints=[{"method": o["method"], "path": o["path"]} for o in operations()],
            openapi="/openapi.json",
        )
    else:
        html = render_template(
            "index.html", lang=lang, lessons=summaries(lang), groups=_endpoint_groups()
        )
        response = make_response(html)
    response.vary.add("Accept")
    return response
