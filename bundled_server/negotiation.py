"""Content and language negotiation, with the defaults RFC 9110 asks for.

Werkzeug's ``best_match`` returns None when there is no Accept header at all, but
§12.5.1 says a missing Accept means "anything", so the first offer wins then.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

LANGUAGES = ("en", "ko")


def best_mimetype(offers: list[str]) -> str | None:
    """The offer the client prefers; the first offer when it states no preference."""
    if not request.headers.get("Accept", "").strip():
        return offers[0]
    return request.accept_mimetypes.best_match(offers)


def pick_language() -> str:
    """``?lang=`` first (a URL is easy to share), then Accept-Language, then English."""
    asked = request.args.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0]) or "en"


def use_language() -> str:
    """Pick the language for this response and remember it for the headers."""
    lang = pick_language()
    g.lang = lang
    return lang


def _label_language(response: Response) -> Response:
    """Pages that chose a language say which one, and that Accept-Language mattered."""
    lang = g.get("lang")
    if lang:
        response.headers["Content-Language"] = lang
        response.vary.add("Accept-Language")
    return response


def init_app(app: Flask) -> None:
    """Install the after-request hook that labels negotiated languages."""
    app.after_request(_label_language)
