"""Importers and exporters between API Explorer collections and other tools' formats.

`import_text` is the one entry point the window and the command line call; each format
lives in its own module. Every importer returns an `ImportResult` whose `report` lists
what could not be carried over, or raises `FormatError` with a location; nothing is
returned half-way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from explorer.core.collection import Collection, RequestItem
from explorer.core.formats.common import FormatError, ImportResult
from explorer.core.formats.document import load_document

__all__ = ["FORMATS", "FormatError", "ImportResult", "detect_format", "import_text"]

FORMATS = ("curl", "postman", "insomnia", "openapi", "har", "http")

_DOCUMENT_SUFFIXES = (
    ".json",
    ".yaml",
    ".yml",
    ".har",
    ".postman_collection",
    ".postman_environment",
)
_HTTP_SUFFIXES = (".http", ".rest")
_REQUEST_LINE = re.compile(
    r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT)\s+\S+", re.MULTILINE
)


def detect_format(text: str, filename: str | None = None) -> str:
    """The format of `text` (one of FORMATS), from its content and its file name."""
    from explorer.core.formats.curl import is_curl_command

    suffix = Path(filename).suffix.lower() if filename else ""
    if suffix in _HTTP_SUFFIXES:
        return "http"
    if is_curl_command(text):
        return "curl"
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "[") or suffix in _DOCUMENT_SUFFIXES or _looks_like_yaml(stripped):
        try:
            return _document_format(load_document(text))
        except FormatError:
            if suffix in _DOCUMENT_SUFFIXES or stripped[:1] in ("{", "["):
                raise
    if _REQUEST_LINE.search(text) or re.search(r"^###", text, re.MULTILINE):
        return "http"
    raise FormatError(
        "Could not tell the format: expected curl, Postman, Insomnia, OpenAPI, HAR or .http", ""
    )


def _looks_like_yaml(text: str) -> bool:
    return re.match(r"^(openapi|swagger|_type|type|info)\s*:", text, re.MULTILINE) is not None


def _document_format(document: Any) -> str:
    from explorer.core.formats.postman import is_postman

    if isinstance(document, dict):
        if "openapi" in document or "swagger" in document:
            return "openapi"
        if isinstance(document.get("log"), dict) and "entries" in document["log"]:
            return "har"
        if document.get("_type") == "export" or "__export_format" in document:
            return "insomnia"
        if is_postman(document):
            return "postman"
    raise FormatError("The document is not a Postman, Insomnia, OpenAPI or HAR file", "$")


def import_text(
    text: str,
    format: str | None = None,
    filename: str | None = None,
    base_dir: Path | str | None = None,
) -> ImportResult:
    """Import `text` in `format` (detected when None).

    `filename` helps detection and names collections that carry no name of their own;
    `base_dir` is where relative file references (`.http` `< ./body.json`) are resolved.
    """
    chosen = format or detect_format(text, filename)
    fallback = Path(filename).stem if filename else "Imported"
    if chosen == "curl":
        return _import_curl(text, fallback)
    if chosen == "postman":
        from explorer.core.formats.postman import import_postman

        return import_postman(text)
    if chosen == "insomnia":
        from explorer.core.formats.insomnia import import_insomnia

        return import_insomnia(text)
    if chosen == "openapi":
        from explorer.core.formats.openapi import import_openapi

        return import_openapi(text)
    if chosen == "har":
        from explorer.core.formats.har import import_har

        return import_har(text, name=fallback).result
    if chosen == "http":
        from explorer.core.formats.http_file import import_http

        return import_http(text, name=fallback, base_dir=Path(base_dir) if base_dir else None)
    raise FormatError(f"Unknown format {chosen!r}; choose from {', '.join(FORMATS)}", "")


def _import_curl(text: str, name: str) -> ImportResult:
    from explorer.core.formats.curl import parse_curl

    parsed = parse_curl(text)
    request = parsed.request.with_changes(name=parsed.request.name or _request_name(parsed.request))
    return ImportResult(Collection(name, items=(RequestItem(request),)), (), parsed.report)


def _request_name(request: Any) -> str:
    path = re.sub(r"^[a-z]+://[^/]*", "", request.url) or "/"
    return f"{request.method} {path}"
