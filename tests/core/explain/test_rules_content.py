"""Content rules: Content-Type, charset and Content-Length against the bytes, on
hand-made facts and on real exchanges."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.core.explain.findings import Pointer, Severity
from explorer.core.http.exchange import SendError
from tests.support.explain.exchanges import findings, ids, make_facts, raw_server, send


def _response(head: str, body: bytes) -> bytes:
    return head.replace("\n", "\r\n").encode() + b"Connection: close\r\n\r\n" + body


JSON = b'{"name": "caf\xc3\xa9"}'
MISTAKES = {
    "/json-as-html": _response(
        f"HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: {len(JSON)}\n", JSON
    ),
    "/html-as-json": _response(
        "HTTP/1.1 500 Internal Server Error\nContent-Type: application/json\nContent-Length: 27\n",
        b"<html><body>Oops</body></html>"[:27],
    ),
    "/no-type": _response(f"HTTP/1.1 200 OK\nContent-Length: {len(JSON)}\n", JSON),
    "/latin1": _response(
        "HTTP/1.1 200 OK\nContent-Type: text/plain; charset=iso-8859-1\nContent-Length: 5\n",
        "café".encode(),
    ),
    "/no-charset": _response(
        "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 5\n", "café".encode()
    ),
    "/both-lengths": _response(
        "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 3\n"
        "Transfer-Encoding: chunked\n",
        b"5\r\nhello\r\n0\r\n\r\n",
    ),
    "/longer-than-said": _response(
        "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 5\n", b"hello world"
    ),
    "/shorter-than-said": _response(
        "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 50\n", b"hello world"
    ),
}


@pytest.fixture(scope="module")
def raw() -> Iterator[str]:
    with raw_server(MISTAKES) as server:
        yield server.url


def severity_of(rule_id: str, **changes: object) -> Severity | None:
    found = [f for f in findings(make_facts(**changes), rule_id) if f.rule_id == rule_id]
    assert len(found) <= 1, found
    return found[0].severity if found else None


def body(data: bytes, *headers: tuple[str, str]) -> dict[str, object]:
    """Facts changes for a 200 with `data` as its body and these headers."""
    return {
        "headers": (*headers, ("Content-Length", str(len(data)))),
        "body": data,
        "body_size": len(data),
        "wire_size": len(data),
    }


CT = "Content-Type"
CASES = [
    (
        "content.type-missing",
        body(b'{"a": 1}'),
        Severity.WARNING,
        body(b'{"a": 1}', (CT, "application/json")),
    ),
    (
        "content.type-mismatch",
        body(b'{"a": 1}', (CT, "text/html; charset=utf-8")),
        Severity.WARNING,
        body(b'{"a": 1}', (CT, "application/json")),
    ),
    (
        "content.json-invalid",
        body(b'{"a": 1,}', (CT, "application/json")),
        Severity.ERROR,
        body(b'{"a": 1}', (CT, "application/vnd.api+json")),
    ),
    (
        "content.charset-missing",
        body("naïve".encode(), (CT, "text/plain")),
        Severity.WARNING,
        body("naïve".encode(), (CT, "text/plain; charset=utf-8")),
    ),
    (
        "content.charset-wrong",
        body("naïve".encode(), (CT, "text/plain; charset=iso-8859-1")),
        Severity.WARNING,
        body("naïve".encode("latin-1"), (CT, "text/plain; charset=iso-8859-1")),
    ),
    (
        "content.type-syntax",
        body(b"x", (CT, "text")),
        Severity.WARNING,
        body(b"x", (CT, "text/plain; charset=us-ascii")),
    ),
    (
        "content.length-mismatch",
        {"wire_size": 3},
        Severity.ERROR,
        {"wire_size": len(b'{"ok": true}')},
    ),
    (
        "content.length-syntax",
        {"headers": ((CT, "application/json"), ("Content-Length", "12 bytes"))},
        Severity.ERROR,
        {"headers": ((CT, "application/json"), ("Content-Length", "12"))},
    ),
    (
        "content.length-with-transfer-encoding",
        {"headers": (("Content-Length", "12"), ("Transfer-Encoding", "chunked"))},
        Severity.ERROR,
        {"headers": ((CT, "application/json"), ("Transfer-Encoding", "chunked"))},
    ),
]


def test_each_rule_fires_on_its_mistake_and_not_on_the_correct_response() -> None:
    for rule_id, broken, severity, correct in CASES:  # one item: see test_rules_status
        assert severity_of(rule_id, **broken) is severity, rule_id
        assert rule_id not in ids(make_facts(**correct)), rule_id


def test_content_rules_cite_rfcs_and_teach_the_uniform_interface() -> None:
    from explorer.core.explain import all_rules

    ours = [rule for rule in all_rules() if rule.id.startswith("content.")]
    assert {case[0] for case in CASES} <= {rule.id for rule in ours}
    assert all(rule.lesson == "uniform-interface" and rule.references for rule in ours)


def test_what_the_body_is_labelled_as_and_what_it_is() -> None:
    html = b"<!DOCTYPE html><html><body>Not found</body></html>"
    assert severity_of("content.type-mismatch", **body(html, (CT, "application/json")))
    xml = b'<?xml version="1.0"?><a/>'
    assert severity_of("content.type-mismatch", **body(xml, (CT, "application/problem+json")))
    json_as_xml = body(b'[{"a": 1}]', (CT, "application/xml"))
    assert severity_of("content.type-mismatch", **json_as_xml) is Severity.WARNING
    json_as_text = body(b'[{"a": 1}]', (CT, "text/plain"))
    assert severity_of("content.type-mismatch", **json_as_text) is Severity.WARNING
    # Text that merely starts with a bracket is not JSON.
    ini = body(b"[section]\nkey = value\n", (CT, "text/plain"))
    assert severity_of("content.type-mismatch", **ini) is None
    # A body cut by the explain bound is judged by its start.
    cut = {**body(b'{"items": [1, 2', (CT, "text/html")), "body_complete": False}
    assert severity_of("content.type-mismatch", **cut) is Severity.WARNING
    guarded = body(b')]}\'\n{"a": 1}', (CT, "application/json"))
    assert severity_of("content.json-invalid", **guarded) is None  # an XSSI guard
    ndjson = body(b'{"a": 1}\n{"a": 2}\n', (CT, "application/json"))
    assert severity_of("content.json-invalid", **ndjson) is Severity.ERROR
    assert (
        severity_of("content.json-invalid", **body(ndjson["body"], (CT, "application/x-ndjson")))
        is None
    )  # type: ignore[arg-type]


def test_binary_bodies_labelled_as_text_and_text_labelled_as_an_image() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"
    [finding] = findings(make_facts(**body(png, (CT, "text/html"))), "content.")
    assert (finding.rule_id, finding.summary) == (
        "content.type-mismatch",
        "The body is a PNG image, but Content-Type says text/html",
    )
    assert ids(make_facts(**body(png, (CT, "image/png"))), "content.") == []
    # Compressed without saying so, or twice: one finding, not a JSON and a charset one too.
    gzipped = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae\x05\x00"
    found = findings(
        make_facts(**body(gzipped, (CT, "application/json; charset=utf-8"))), "content."
    )
    assert [(f.rule_id, f.pointer) for f in found] == [
        ("content.type-mismatch", Pointer("header", "Content-Encoding"))
    ]
    error = body(b'{"error": "not found"}', (CT, "image/png"))
    assert severity_of("content.type-mismatch", **error) is Severity.WARNING
    assert severity_of("content.type-mismatch", **body(b"<svg/>", (CT, "image/svg+xml"))) is None


def test_charsets() -> None:
    text = "Grüße".encode()
    assert (
        severity_of("content.charset-wrong", **body(text, (CT, "text/plain; charset=us-ascii")))
        is Severity.ERROR
    )
    assert (
        severity_of("content.charset-wrong", **body(text, (CT, "text/plain; charset=klingon")))
        is Severity.WARNING
    )
    latin = "Grüße".encode("latin-1")
    assert (
        severity_of("content.charset-wrong", **body(latin, (CT, "text/plain; charset=utf-8")))
        is Severity.ERROR
    )
    # JSON is UTF-8 whatever the parameter says (RFC 8259 §8.1), and needs no charset.
    assert (
        severity_of("content.charset-wrong", **body(latin, (CT, "application/json")))
        is Severity.ERROR
    )
    assert (
        severity_of(
            "content.charset-wrong", **body(text, (CT, "application/json; charset=latin-1"))
        )
        is Severity.WARNING
    )
    assert severity_of("content.charset-missing", **body(text, (CT, "application/json"))) is None
    # A charset declared inside the page, or an event stream (always UTF-8), is fine.
    page = b'<!doctype html><meta charset="utf-8"><p>' + text
    assert severity_of("content.charset-missing", **body(page, (CT, "text/html"))) is None
    assert severity_of("content.charset-missing", **body(text, (CT, "text/event-stream"))) is None
    # A sample cut in the middle of a character is not a decoding error.
    cut = {**body("é".encode() * 40_000, (CT, "text/plain; charset=utf-8")), "body_complete": False}
    cut["body"] = cut["body"][:65_537]  # type: ignore[index]
    assert severity_of("content.charset-wrong", **cut) is None


def test_no_body_no_content_findings() -> None:
    for changes in (
        {"method": "HEAD", "body": b"", "body_size": 0, "headers": (("Content-Length", "99"),)},
        {"status": 304, "body": b"", "body_size": 0, "headers": (("Content-Length", "99"),)},
        {"status": 204, "body": b"", "body_size": 0, "headers": ()},
    ):
        assert ids(make_facts(**changes), "content.") == []


def test_a_compressed_body_is_measured_as_it_travelled() -> None:
    encoded = {
        "headers": (
            (CT, "application/json"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", "40"),
        ),
        "wire_size": 40,
        "body_size": 300,
    }
    assert severity_of("content.length-mismatch", **encoded) is None
    assert (
        "compressed"
        in findings(make_facts(**{**encoded, "wire_size": 39}), "content.length-mismatch")[
            0
        ].summary
    )


def test_real_mistakes_on_the_wire_are_found(raw: str) -> None:
    assert (
        severity_of_facts(send(f"{raw}/json-as-html"), "content.type-mismatch") is Severity.WARNING
    )
    assert severity_of_facts(send(f"{raw}/html-as-json"), "content.type-mismatch") is Severity.ERROR
    assert severity_of_facts(send(f"{raw}/no-type"), "content.type-missing") is Severity.WARNING
    latin = send(f"{raw}/latin1")
    assert severity_of_facts(latin, "content.charset-wrong") is Severity.WARNING
    assert (
        severity_of_facts(send(f"{raw}/no-charset"), "content.charset-missing") is Severity.WARNING
    )
    both = send(f"{raw}/both-lengths")
    assert both.body == b"hello"  # the chunks win, as RFC 9112 §6.3 says
    assert ids(both, "content.length") == ["content.length-with-transfer-encoding"]


def test_the_transport_never_shows_a_wrong_content_length(raw: str) -> None:
    """What content.length-mismatch can see through this app's transport: a body longer
    than announced is cut at Content-Length (the rest is never read), and a shorter one
    is an error, not a response. The rule judges facts from elsewhere (imports)."""
    longer = send(f"{raw}/longer-than-said")
    assert (longer.body, longer.wire_size) == (b"hello", 5)
    assert "content.length-mismatch" not in ids(longer)
    with pytest.raises(SendError, match="closed after 11 of 50 bytes"):
        send(f"{raw}/shorter-than-said")


def severity_of_facts(facts: object, rule_id: str) -> Severity | None:
    found = [f for f in findings(facts, rule_id) if f.rule_id == rule_id]  # type: ignore[arg-type]
    return found[0].severity if found else None


def test_the_practice_server_labels_its_content_correctly(live_server: str) -> None:
    paths = ["/json", "/xml", "/html", "/gzip", "/deflate", "/openapi.yaml", "/stream/3",
             "/bytes/64", "/image/png", "/range/100", "/api/items", "/get", "/uuid"]  # fmt: skip
    for path in paths:
        facts = send(live_server + path, headers=[("Accept-Encoding", "gzip, deflate")])
        assert facts.status == 200, path
        assert ids(facts, "content.") == [], path


def test_the_practice_servers_content_mistakes_are_found(live_server: str) -> None:
    json_as_html = send(f"{live_server}/mistakes/json-as-html")
    assert ids(json_as_html, "content.") == ["content.type-mismatch"]
    charset = send(f"{live_server}/mistakes/charset")
    assert ids(charset, "content.") == ["content.charset-wrong"]
    assert severity_of_facts(charset, "content.charset-wrong") is Severity.WARNING
