"""Content: does the response say truthfully what its body is (Content-Type, charset)
and how long it is (Content-Length)? RFC 9110 §8, RFC 9112 §6, RFC 8259 §8.1.

A client decides how to read a body from these headers alone: a JSON library looks at
Content-Type before parsing, a browser renders text/html as a page, a text decoder
trusts the charset. When they lie, the body is misread even though every byte arrived.
Bodies are judged by their start (`SNIFF_BYTES`) and, for decoding, a bounded sample.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Literal

from explorer.core.explain import header_syntax
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.references import rfc
from explorer.core.explain.rules_status import content_length, has_no_content, shown

RULES = RuleSet(Category.CONTENT)
LESSON = "uniform-interface"

SNIFF_BYTES = 1024  # the start of a body that says what it is
JSON_PARSE_LIMIT = 256 * 1024  # whole bodies up to this size are parsed to be sure
CHARSET_SAMPLE = 64 * 1024  # bytes decoded to check a charset

Sniffed = Literal["json", "html", "xml", ""]

# The tags the WHATWG MIME sniffing standard takes for HTML, each followed by a space or
# ">" (so "<bold" is not "<b").
_HTML_STARTS = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div",
    b"<font", b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p",
    b"<!--",
)  # fmt: skip
# Binary formats by their first bytes (the WHATWG sniffing standard's signatures).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b\x08", "gzip-compressed data"),
)  # fmt: skip
# Prefixes some APIs put before JSON on purpose, so that a <script> tag including the
# URL cannot read it (cross-site script inclusion); their clients strip them first.
_XSSI_GUARDS = (b")]}'", b"while(1);", b"for(;;);")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_LATIN = {"ascii", "iso8859-1", "iso8859-15", "cp1252"}


def is_json_type(media: str) -> bool:
    """application/json and every +json type (problem+json, ld+json…)."""
    return media in ("application/json", "text/json") or media.endswith("+json")


def is_xml_type(media: str) -> bool:
    return media in ("application/xml", "text/xml") or media.endswith("+xml")


def body_start(facts: ExchangeFacts) -> bytes:
    """The first bytes of the body, without a UTF-8 byte order mark or leading space."""
    start = facts.body[:SNIFF_BYTES]
    if start.startswith(codecs.BOM_UTF8):
        start = start[len(codecs.BOM_UTF8) :]
    return start.lstrip(b" \t\r\n")


def parse_json(facts: ExchangeFacts) -> tuple[bool, object]:
    """(True, document) when the whole body is JSON; (False, None) when it is not, was
    cut by the explain bound, or is larger than JSON_PARSE_LIMIT."""
    if not facts.body_complete or len(facts.body) > JSON_PARSE_LIMIT or not facts.body:
        return False, None
    try:
        return True, json.loads(facts.body.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return False, None


def sniff(facts: ExchangeFacts) -> Sniffed:
    """What the start of the body looks like, whatever the headers say."""
    start = body_start(facts)
    if not start:
        return ""
    lowered = start[:64].lower()
    if lowered.startswith(b"<?xml"):
        return "xml"
    for tag in _HTML_STARTS:
        if lowered.startswith(tag) and lowered[len(tag) : len(tag) + 1] in (b" ", b">"):
            return "html"
    if start[:1] in (b"{", b"["):
        parsed, _ = parse_json(facts)
        if parsed:
            return "json"
        if facts.body_complete and len(facts.body) <= JSON_PARSE_LIMIT:
            return ""  # read whole and it is not JSON
        after = start[1:].lstrip(b" \t\r\n")[:1]
        opening = b'"}' if start[:1] == b"{" else b'{["-0123456789tfn]'
        return "json" if after and after in opening else ""
    return ""


def binary_kind(facts: ExchangeFacts) -> str:
    """ "a PNG image" when the body starts with a known binary signature, else ""."""
    start = facts.body[:16]
    return next((kind for magic, kind in _SIGNATURES if start.startswith(magic)), "")


def _is_textual(media: str) -> bool:
    return media.startswith("text/") or is_json_type(media) or is_xml_type(media)


def has_body(facts: ExchangeFacts) -> bool:
    return not has_no_content(facts) and (facts.body_size > 0 or bool(facts.body))


@RULES.rule(
    "content.type-missing",
    "A body without Content-Type",
    references=(rfc(9110, "8.3", "Content-Type"),),
    lesson=LESSON,
)
def type_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if not has_body(facts) or facts.has_header("Content-Type"):
        return
    looks = {"json": "JSON", "html": "HTML", "xml": "XML"}.get(sniff(facts), "")
    seen = f" It looks like {looks}." if looks else ""
    yield Note(
        Severity.WARNING,
        f"{facts.body_size:,} bytes of body and no Content-Type to say what they are",
        f"Without Content-Type every client has to guess the format.{seen} JSON libraries "
        "that check the type refuse to parse, and browsers 'sniff' the bytes, which lets "
        "an attacker who controls part of the body make it run as HTML or script.\n\nFix: "
        "always send the type, e.g. `Content-Type: application/json`.",
        Pointer("header", "Content-Type"),
    )


@RULES.rule(
    "content.type-mismatch",
    "Content-Type contradicts the body",
    references=(rfc(9110, "8.3", "Content-Type"), rfc(8259, "11", "IANA Considerations")),
    lesson=LESSON,
)
def type_mismatch(facts: ExchangeFacts) -> Iterator[Note]:
    if not has_body(facts):
        return
    declared = facts.media_type
    if not declared:
        return
    binary = binary_kind(facts)
    if binary and _is_textual(declared):
        yield _binary_as_text(declared, binary)
        return
    seen = sniff(facts)
    if not seen:
        return
    if declared.startswith("image/") and not declared.endswith("+xml"):
        yield Note(
            Severity.WARNING,
            f"Content-Type says {shown(declared)}, but the body is {seen.upper()}",
            "Usually an error message sent with the type of the image that was asked "
            "for: an <img> shows a broken picture and a client saving the file stores the "
            "error text as an image. Send errors with their own type (and an error status).",
            Pointer("header", "Content-Type"),
        )
        return
    if seen == "json" and (declared in ("text/html", "text/plain") or is_xml_type(declared)):
        cost = (
            "A browser opening this URL renders it as a page, and any text a user put in "
            "the data becomes HTML: a classic way to cross-site scripting."
            if declared == "text/html"
            else "A client that picks its parser by type treats it as plain text or XML."
        )
        yield Note(
            Severity.WARNING,
            f"The body is JSON but Content-Type says {shown(declared)}",
            f"Clients choose how to read a body from Content-Type, not from its bytes. "
            f"{cost} Generated SDKs and `response.json()` helpers that check the type "
            "refuse it.\n\nFix: `Content-Type: application/json` (frameworks set it when you "
            "return JSON through their JSON helper instead of a string).",
            Pointer("header", "Content-Type"),
        )
    elif is_json_type(declared) and seen in ("html", "xml"):
        what = "an HTML page" if seen == "html" else "XML"
        yield Note(
            Severity.ERROR,
            f"Content-Type says {shown(declared)}, but the body is {what}",
            "Every JSON parser fails on this body. Typically an error page from a proxy or "
            "the framework's default handler went out with the type the API normally "
            "uses, so the client reports a confusing parse error instead of the real one."
            "\n\nFix: label the body with its real type, or render errors as JSON too.",
            Pointer("body"),
        )


def _binary_as_text(declared: str, binary: str) -> Note:
    if binary.startswith("gzip"):
        return Note(
            Severity.WARNING,
            f"The body is still gzip-compressed, though Content-Type says {shown(declared)}",
            "After every Content-Encoding was undone the bytes are still gzip: the server "
            "compressed without saying so in Content-Encoding, or compressed twice (an app "
            "and a proxy both gzipping). Clients see binary garbage where text should be."
            "\n\nFix: compress once, and say so with `Content-Encoding: gzip`.",
            Pointer("header", "Content-Encoding"),
        )
    return Note(
        Severity.WARNING,
        f"The body is {binary}, but Content-Type says {shown(declared)}",
        "Clients decode the body as text because the type says so, and get garbage (a "
        "browser may even try to render it). Label binary content with its real type "
        "(`image/png`, `application/pdf`) or `application/octet-stream`.",
        Pointer("header", "Content-Type"),
    )


@RULES.rule(
    "content.json-invalid",
    "A body labelled JSON that is not JSON",
    references=(rfc(8259, "2", "JSON Grammar"), rfc(9110, "8.3", "Content-Type")),
    lesson=LESSON,
)
def json_invalid(facts: ExchangeFacts) -> Iterator[Note]:
    declared = facts.media_type
    if not has_body(facts) or not is_json_type(declared) or binary_kind(facts):
        return  # binary bodies are content.type-mismatch's
    if sniff(facts) in ("html", "xml"):
        return
    if not facts.body_complete or len(facts.body) > JSON_PARSE_LIMIT:
        return  # too large to parse here; the start alone proves nothing
    start = body_start(facts)
    if not start or start.startswith(_XSSI_GUARDS):
        return  # only whitespace; or a guard a client strips before parsing, on purpose
    parsed, _ = parse_json(facts)
    if not parsed:
        yield Note(
            Severity.ERROR,
            f"Content-Type says {shown(declared)}, but the body does not parse as JSON",
            "A client that trusts the type hands the body to a JSON parser, which fails. "
            "Common causes: a string concatenated by hand, a trailing comma, several JSON "
            "documents one after another (that is application/x-ndjson), or a body cut "
            "short. The Body tab shows where.",
            Pointer("body"),
        )


def _charset_missing_is_fine(facts: ExchangeFacts, media: str) -> bool:
    """Types that carry their encoding elsewhere: SSE is UTF-8 by definition, an HTML
    page may declare it in a <meta> tag and XML in its declaration; a BOM says it too."""
    if media == "text/event-stream" or facts.body.startswith(codecs.BOM_UTF8):
        return True
    start = facts.body[:SNIFF_BYTES].lower()
    if media == "text/html":
        return b"<meta charset" in start or b"http-equiv" in start
    return media == "text/xml" and start.startswith(b"<?xml") and b"encoding=" in start[:200]


@RULES.rule(
    "content.charset-missing",
    "Text without a charset",
    references=(rfc(9110, "8.3.2", "Charset"), rfc(8259, "11", "IANA Considerations")),
    lesson=LESSON,
)
def charset_missing(facts: ExchangeFacts) -> Iterator[Note]:
    media, params = header_syntax.media_type(facts.header("Content-Type"))
    if not has_body(facts) or not media.startswith("text/") or params.get("charset"):
        return
    if binary_kind(facts):
        return  # not text at all: content.type-mismatch says so
    sample = facts.body[:CHARSET_SAMPLE]
    if sample.isascii() or _charset_missing_is_fine(facts, media):
        return
    utf8 = _decodes(sample, "utf-8", cut=not facts.body_complete or len(facts.body) > len(sample))
    guess = " The bytes are valid UTF-8, so `; charset=utf-8` is probably right." if utf8 else ""
    yield Note(
        Severity.WARNING,
        f"{shown(media)} with non-ASCII text but no charset",
        "Without a charset each client picks its own default (US-ASCII, ISO-8859-1, "
        "Windows-1252 or UTF-8 depending on the library), so 'é' can arrive as 'Ã©'."
        f"\n\nFix: `Content-Type: {media}; charset=utf-8`.{guess} (JSON needs no charset: it "
        "is always UTF-8.)",
        Pointer("header", "Content-Type"),
    )


def _canonical(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        return None


def _decodes(sample: bytes, encoding: str, *, cut: bool) -> bool:
    """True when `sample` decodes; a sample `cut` from a longer body may end inside a
    character, which does not count against it."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
        decoder.decode(sample, final=not cut)
    except (UnicodeError, LookupError, ValueError, TypeError):
        return False
    return True


@RULES.rule(
    "content.charset-wrong",
    "A charset that does not fit the bytes",
    references=(
        rfc(9110, "8.3.2", "Charset"),
        rfc(8259, "8.1", "Character Encoding"),
    ),
    lesson=LESSON,
)
def charset_wrong(facts: ExchangeFacts) -> Iterator[Note]:
    media, params = header_syntax.media_type(facts.header("Content-Type"))
    declared = params.get("charset", "").strip()
    json_type = is_json_type(media)
    if not has_body(facts) or not (declared or json_type) or binary_kind(facts):
        return
    sample = facts.body[:CHARSET_SAMPLE]
    cut = not facts.body_complete or len(facts.body) > len(sample)
    pointer = Pointer("header", "Content-Type")
    canonical = _canonical(declared) if declared else "utf-8"
    if canonical is None:
        yield Note(
            Severity.WARNING,
            f"charset={shown(declared, 40)} is not a character encoding clients know",
            "Clients fall back to a default of their own and may show the text garbled."
            "\n\nFix: `charset=utf-8` (the encoding of nearly all text on the web).",
            pointer,
        )
        return
    if json_type and canonical != "utf-8":
        yield Note(
            Severity.WARNING,
            f"{shown(media)} declared as charset={shown(declared, 40)}",
            "JSON exchanged between systems must be UTF-8; JSON parsers ignore the charset "
            "parameter (JSON defines none) and read UTF-8. Send UTF-8 and drop the "
            "parameter.",
            pointer,
        )
        canonical = "utf-8"
    if sample.isascii():
        return  # plain ASCII reads the same in every encoding declared here
    if not _decodes(sample, canonical, cut=cut):
        looks_utf8 = _decodes(sample, "utf-8", cut=cut)
        hint = (
            " The bytes are valid UTF-8: that is probably the real encoding." if looks_utf8 else ""
        )
        yield Note(
            Severity.ERROR,
            f"The body is not valid {shown(declared) or 'UTF-8'}",
            f"The bytes cannot be decoded as {declared or 'UTF-8'}, so a client that trusts "
            f"the header gets an error or replacement characters (�).{hint}\n\nFix: encode "
            "the body as you declare it, or declare what it is.",
            pointer,
        )
    elif canonical in _LATIN and _decodes(sample, "utf-8", cut=cut):
        yield Note(
            Severity.WARNING,
            f"charset={shown(declared)} declared, but the bytes are UTF-8",
            f"The bytes also decode as {declared}, so nothing fails: the text is silently "
            "misread. A UTF-8 'é' (two bytes) shows as 'Ã©', 'ü' as 'Ã¼'. The "
            "body was written as UTF-8; declare `charset=utf-8`.",
            pointer,
        )


@RULES.rule(
    "content.type-syntax",
    "A Content-Type that does not parse",
    references=(rfc(9110, "8.3.1", "Media Type"), rfc(9110, "5.3", "Field Order")),
    lesson=LESSON,
)
def type_syntax(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("Content-Type")
    if not values:
        return
    distinct = {value.strip().lower() for value in values}
    if len(distinct) > 1:
        yield Note(
            Severity.WARNING,
            f"{len(values)} different Content-Type headers",
            "A response has one type. With several, each client picks one of them (the "
            "first, the last, or both joined into nonsense), so the same body is read "
            "differently by different clients. Send exactly one.",
            Pointer("header", "Content-Type"),
        )
        return
    value = values[0].strip()
    essence = value.split(";", 1)[0].strip()
    kind, slash, subtype = essence.partition("/")
    if slash and _TOKEN.fullmatch(kind) and _TOKEN.fullmatch(subtype):
        return
    yield Note(
        Severity.WARNING,
        f"Content-Type: {shown(value, 60)} is not a media type",
        "A media type is `type/subtype` with optional parameters "
        "(`application/json`, `text/html; charset=utf-8`). Clients that cannot parse it "
        "treat the body as unknown binary data, or sniff it.",
        Pointer("header", "Content-Type"),
    )


@RULES.rule(
    "content.length-mismatch",
    "Content-Length differs from the body received",
    references=(rfc(9110, "8.6", "Content-Length"), rfc(9112, "6.3", "Message Body Length")),
    lesson=LESSON,
)
def length_mismatch(facts: ExchangeFacts) -> Iterator[Note]:
    if has_no_content(facts) or not facts.header("Content-Length").strip():
        return
    if facts.has_header("Transfer-Encoding"):
        return  # the chunks delimit the body; content.length-with-transfer-encoding says so
    declared = content_length(facts)
    if declared is None or declared == facts.wire_size:
        return
    encoded = " (compressed size)" if facts.has_header("Content-Encoding") else ""
    yield Note(
        Severity.ERROR,
        f"Content-Length says {declared:,} bytes, but {facts.wire_size:,} arrived{encoded}",
        "Content-Length is how a client knows where this response ends and the next one "
        "on the same connection begins. When it is wrong, the client either cuts the body "
        "short or waits for bytes that never come, and a cache may store a broken copy. "
        "Usually the length was computed before the body changed (or before compression)."
        "\n\nFix: let the framework compute it, or send the body chunked.",
        Pointer("header", "Content-Length"),
    )


@RULES.rule(
    "content.length-syntax",
    "A Content-Length that is not one number",
    references=(rfc(9110, "8.6", "Content-Length"), rfc(9112, "6.3", "Message Body Length")),
    lesson=LESSON,
)
def length_syntax(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("Content-Length")
    if not values or content_length(facts) is not None:
        return
    listed = shown(", ".join(values[:4]), 60)
    yield Note(
        Severity.ERROR,
        f"Content-Length: {listed} is not a single byte count",
        "Content-Length must be one non-negative number. With something else the end of "
        "the body is unknown: clients disagree on where the response stops, which breaks "
        "the connection and is the raw material of request-smuggling attacks through "
        "proxies.",
        Pointer("header", "Content-Length"),
    )


@RULES.rule(
    "content.length-with-transfer-encoding",
    "Both Content-Length and Transfer-Encoding",
    references=(
        rfc(9112, "6.1", "Transfer-Encoding"),
        rfc(9112, "6.3", "Message Body Length"),
    ),
    lesson=LESSON,
)
def length_with_transfer_encoding(facts: ExchangeFacts) -> Iterator[Note]:
    if not facts.has_header("Content-Length") or not facts.has_header("Transfer-Encoding"):
        return
    yield Note(
        Severity.ERROR,
        "Both Content-Length and Transfer-Encoding: two answers to 'where does the body end?'",
        "HTTP/1.1 forbids a server to send both. Clients are told to ignore "
        "Content-Length, but a proxy on the way may pick the other one, and when two "
        "programs disagree on where a message ends, an attacker can hide a second request "
        "or response in the gap (HTTP smuggling).\n\nFix: send one of them, usually by "
        "letting the server choose.",
        Pointer("header", "Content-Length"),
    )
