"""``/image`` and ``/image/<format>``: small, valid images for binary-body handling.

PNG and GIF are drawn by code (a PNG is a few zlib-compressed rows, a GIF a few LZW
codes); JPEG, WebP and SVG are shipped under ``static/img``. ``/image`` picks the
format from ``Accept`` and answers 406 when none fits.
"""

from __future__ import annotations

import functools
import struct
import zlib
from importlib import resources

from flask import Blueprint, Response

from ..negotiation import best_mimetype
from ..problems import Problem

bp = Blueprint("media", __name__)

SIZE = 64
_START = (0x0B, 0x6B, 0xCB)  # the accent blue of the pages
_END = (0x82, 0x50, 0xDF)  # to violet


def _blend(t: float) -> tuple[int, int, int]:
    r, g, b = (round(a + (z - a) * t) for a, z in zip(_START, _END, strict=True))
    return r, g, b


@functools.cache
def png_bytes() -> bytes:
    """A 64×64 diagonal gradient, RGB, as a valid PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes(_blend((x + y) / (2 * SIZE - 2))) for x in range(SIZE))
        for y in range(SIZE)
    )
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


@functools.cache
def gif_bytes() -> bytes:
    """A 32×32 gradient GIF89a with a 128-colour palette.

    Every pixel is sent as its own LZW code and the table is cleared before codes
    would grow past 8 bits: not the smallest GIF, but simple and valid.
    """
    side, colours = 32, 128
    palette = b"".join(bytes(_blend(i / (colours - 1))) for i in range(colours))
    pixels = [
        round((x + y) / (2 * side - 2) * (colours - 1)) for y in range(side) for x in range(side)
    ]
    clear, end = colours, colours + 1
    codes: list[int] = []
    for start in range(0, len(pixels), 120):
        codes.append(clear)
        codes.extend(pixels[start : start + 120])
    codes.append(end)
    bits = 0
    nbits = 0
    packed = bytearray()
    for code in codes:  # 8-bit codes, least significant bit first
        bits |= code << nbits
        nbits += 8
        while nbits >= 8:
            packed.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    blocks = b"".join(
        bytes([len(packed[i : i + 255])]) + packed[i : i + 255] for i in range(0, len(packed), 255)
    )
    screen = struct.pack("<HHBBB", side, side, 0xE6, 0, 0)  # global table of 2**7 colours
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, side, side, 0)
    return b"GIF89a" + screen + palette + image + b"\x07" + blocks + b"\x00" + b"\x3b"


def _shipped(name: str) -> bytes:
    package = resources.files(__package__.rsplit(".", 1)[0])
    return package.joinpath("static", "img", name).read_bytes()


FORMATS: dict[str, tuple[str, object]] = {
    "png": ("image/png", png_bytes),
    "jpeg": ("image/jpeg", lambda: _shipped("sample.jpg")),
    "webp": ("image/webp", lambda: _shipped("sample.webp")),
    "gif": ("image/gif", gif_bytes),
    "svg": ("image/svg+xml", lambda: _shipped("sample.svg")),
}


def _image(fmt: str) -> Response:
    mimetype, make = FORMATS[fmt]
    response = Response(make(), mimetype=mimetype)  # type: ignore[operator]
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/image")
def negotiated_image() -> Response:
    """The image format the Accept header prefers (PNG when it has no preference)."""
    offers = [mimetype for mimetype, _ in FORMATS.values()]
    chosen = best_mimetype(offers)
    if chosen is None:
        raise Problem(
            406,
            "Available image types: " + ", ".join(offers) + ".",
            kind="not-acceptable",
            available=offers,
            headers={"Vary": "Accept"},
        )
    fmt = next(name for name, (mimetype, _) in FORMATS.items() if mimetype == chosen)
    response = _image(fmt)
    response.vary.add("Accept")
    return response


@bp.get("/image/<fmt>")
def image(fmt: str) -> Response:
    """One image format by name: png, jpeg, webp, gif or svg."""
    if fmt == "jpg":
        fmt = "jpeg"
    if fmt not in FORMATS:
        raise Problem(404, f"No {fmt!r} image; try {', '.join(FORMATS)}.")
    return _image(fmt)
