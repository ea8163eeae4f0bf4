"""Generated bodies: ``/bytes``, ``/range``, ``/large``, ``/gzip``, ``/deflate``,
and fixed samples ``/json``, ``/xml``, ``/html``."""

from __future__ import annotations

import gzip
import json
import random
import string
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from typing import TypedDict

from flask import Blueprint, Response, jsonify, request

from .limits import MAX_GENERATED_BYTES, MAX_LARGE_MEGABYTES, bounded, parse_number
from .snapshot import flat

bp = Blueprint("payloads", __name__)

MEBIBYTE = 1024 * 1024
RECORD_BYTES = 512  # every /large record but the last is exactly this long
_CATEGORIES = ("books", "electronics", "furniture", "kitchen", "office", "stationery", "travel")
_FILLER = "The quick brown fox jumps over the lazy dog. " * 12


class Book(TypedDict):
    """One book of the sample library."""

    isbn: str
    title: str
    year: int
    tags: list[str]
    available: bool


class Library(TypedDict):
    """The sample library that /json, /xml and /html show."""

    name: str
    opened: str
    books: list[Book]


SAMPLE: dict[str, Library] = {
    "library": {
        "name": "Practice Library",
        "opened": "2019-04-01",
        "books": [
            {
                "isbn": "978-0-13-468599-1",
                "title": "The Pragmatic Programmer",
                "year": 2019,
                "tags": ["craft", "career"],
                "available": True,
            },
            {
                "isbn": "978-1-4493-5806-1",
                "title": "RESTful Web APIs",
                "year": 2013,
                "tags": ["rest", "http"],
                "available": False,
            },
            {
                "isbn": "978-89-6626-123-4",
                "title": "파이썬으로 배우는 웹 API",
                "year": 2021,
                "tags": ["python", "flask"],
                "available": True,
            },
        ],
    }
}


@bp.get("/bytes/<int:n>")
def random_bytes(n: int) -> Response:
    """``n`` random bytes (at most 10 MiB); the same ``seed`` gives the same bytes."""
    bounded("n", n, 0, MAX_GENERATED_BYTES)
    seed = request.args.get("seed")
    rng = random.Random(seed) if seed is not None else random.Random()
    response = Response(rng.randbytes(n), mimetype="application/octet-stream")
    response.headers["Cache-Control"] = "no-store"
    return response


def range_body(n: int) -> bytes:
    """``abcd…zabc…``: easy to check by eye which slice came back."""
    alphabet = string.ascii_lowercase.encode()
    return (alphabet * (n // 26 + 1))[:n]


@bp.get("/range/<int:n>")
def byte_range(n: int) -> Response:
    """``n`` bytes that honour ``Range``: 206 with Content-Range, or 416."""
    bounded("n", n, 1, MAX_GENERATED_BYTES)
    response = Response(range_body(n), mimetype="application/octet-stream")
    response.set_etag(f"range-{n}")
    # werkzeug handles Range, If-Range and If-None-Match here (GET and HEAD only).
    response.make_conditional(request, accept_ranges=True, complete_length=n)  # in place
    return response


def large_record(index: int, size: int) -> bytes:
    """Record ``index`` as compact JSON of exactly ``size`` bytes (padded with ASCII)."""
    fields = {
        "id": index,
        "name": f"Record {index}",
        "category": _CATEGORIES[index % len(_CATEGORIES)],
        "price": round((index * 7919 % 100000) / 100, 2),
        "in_stock": index % 3 != 0,
        "pad": "",
    }
    bare = len(json.dumps(fields, separators=(",", ":")))
    fill = size - bare
    fields["pad"] = (_FILLER * (fill // len(_FILLER) + 1))[:fill]
    return json.dumps(fields, separators=(",", ":")).encode()


def large_chunks(total: int) -> Iterator[bytes]:
    """A JSON array of exactly ``total`` bytes, produced a batch at a time."""
    count = (total - 1) // (RECORD_BYTES + 1)
    last_extra = total - (count * (RECORD_BYTES + 1) + 1)
    yield b"["
    batch: list[bytes] = []
    for index in range(1, count + 1):
        size = RECORD_BYTES + (last_extra if index == count else 0)
        batch.append(large_record(index, size))
        if len(batch) == 128 or index == count:
            prefix = b"," if index > len(batch) else b""
            yield prefix + b",".join(batch)
            batch = []
    yield b"]"


@bp.get("/large/<megabytes>")
def large(megabytes: str) -> Response:
    """A deterministic JSON array of ``megabytes`` MiB (≤ 200), streamed, with Content-Length."""
    size_mib = parse_number("megabytes", megabytes, 0.001, MAX_LARGE_MEGABYTES)
    total = round(size_mib * MEBIBYTE)
    response = Response(large_chunks(total), mimetype="application/json")
    response.headers["Content-Length"] = str(total)
    response.headers["Cache-Control"] = "no-store"
    return response


def _encoded(body: dict[str, object], coding: str) -> Response:
    raw = json.dumps(body, indent=2, ensure_ascii=False).encode()
    data = gzip.compress(raw) if coding == "gzip" else zlib.compress(raw)
    response = Response(data, mimetype="application/json")
    response.headers["Content-Encoding"] = coding
    response.headers["X-Uncompressed-Length"] = str(len(raw))
    return response


def _echo_fields() -> dict[str, object]:
    return {
        "method": request.method,
        "args": flat(request.args),
        "headers": dict(request.headers.items()),
        "origin": request.remote_addr,
    }


@bp.get("/gzip")
def gzipped() -> Response:
    """A JSON body with ``Content-Encoding: gzip``."""
    return _encoded({"gzipped": True, **_echo_fields()}, "gzip")


@bp.get("/deflate")
def deflated() -> Response:
    """A JSON body with ``Content-Encoding: deflate`` (zlib format, RFC 9110 §8.4.1.2)."""
    return _encoded({"deflated": True, **_echo_fields()}, "deflate")


@bp.get("/json")
def sample_json() -> Response:
    """A fixed JSON document."""
    return jsonify(SAMPLE)


@bp.get("/xml")
def sample_xml() -> Response:
    """The same library as XML."""
    library = SAMPLE["library"]
    root = ET.Element("library", name=library["name"], opened=library["opened"])
    for book in library["books"]:
        element = ET.SubElement(root, "book", isbn=book["isbn"], year=str(book["year"]))
        ET.SubElement(element, "title").text = book["title"]
        ET.SubElement(element, "available").text = str(book["available"]).lower()
        for tag in book["tags"]:
            ET.SubElement(element, "tag").text = tag
    ET.indent(root)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
    return Response(text, mimetype="application/xml")


@bp.get("/html")
def sample_html() -> Response:
    """A small HTML page (no user input in it, so nothing to escape)."""
    books = "".join(f"<li>{b['title']} ({b['year']})</li>" for b in SAMPLE["library"]["books"])
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Practice Library</title></head>\n<body><h1>Practice Library</h1>"
        f"<p>Three books to practise parsing HTML with.</p><ul>{books}</ul></body></html>\n"
    )
    return Response(page, mimetype="text/html")
