"""Property-based fuzzing of the explainer's status, content, problem, redirect and
timing rules on arbitrary exchanges: any status, any headers, any body, odd redirect
chains and timings.

The property: every rule of those categories returns its notes without raising (the
explain() frame would swallow an exception, hiding a broken rule), each note is one
line of summary with an explanation, and explain() stays within MAX_FINDINGS, all
within a time bound. The normal suite runs a short version; `make fuzz` sets
FUZZ_EXAMPLES to run many more.
"""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.explain import MAX_FINDINGS, all_rules, explain
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.http.exchange import Hop, SentRequest, Timing
from tests.support.time_limit import time_bound

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
SECONDS_PER_EXAMPLE = 20
OURS = ("status.", "content.", "problem.", "redirects.", "timing.")
# Header-ish characters, a few awkward ones (NUL, newline, non-Latin) included: a fixed
# alphabet draws far faster than Hypothesis's default text, which the time budget needs.
TEXT = st.text('ab0 /:;=,."*-éü\x00\n\u4e2d', max_size=30)

NAMES = st.sampled_from(
    ["Content-Type", "Content-Length", "Transfer-Encoding", "Location", "Content-Range",
     "Retry-After", "WWW-Authenticate", "Allow", "Content-Encoding", "Date", "Connection",
     "Proxy-Authenticate", "X-Other"]
) | st.text("abcX-", max_size=12)  # fmt: skip
VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        ["application/json", "application/problem+json", "text/html; charset=iso-8859-1",
         "text/plain; charset=klingon", "multipart/byteranges; boundary=B", "bytes 0-9/10",
         "bytes */5", "chunked", "12", "-1", "1, 2", "/next", "https://evil.example/x",
         "//evil.example", "http://[::1", "close", "GET, POST", ";;;", "text/", "a" * 3000]
    ),
)  # fmt: skip
HEADERS = st.lists(st.tuples(NAMES, VALUES), max_size=6).map(tuple)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from([404.0, 1e300]) | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
PROBLEMS = st.fixed_dictionaries(
    {},
    optional={
        "type": JSONISH, "title": JSONISH, "status": JSONISH, "detail": JSONISH,
        "instance": JSONISH,
    },
)  # fmt: skip
BODIES = st.one_of(
    st.binary(max_size=300),
    TEXT.map(str.encode),
    st.one_of(JSONISH, PROBLEMS).map(lambda value: json.dumps(value).encode()),
    st.sampled_from(
        [b"<!doctype html><p>x", b"<?xml version='1.0'?><a/>", b"[" * 5000, b'{"a":' * 900,
         b"\xef\xbb\xbf{}", b"--B\r\nContent-Range: bytes 0-1/9\r\n\r\nab\r\n--B--", b"\xff\xfe"]
    ),
)  # fmt: skip
URLS = st.one_of(
    st.sampled_from(
        ["http://127.0.0.1:8000/a", "https://api.example/a?next=https%3A%2F%2Fevil.example",
         "http://api.example/b", "https://api.example:8443/c#f", "http://[::1]:80/", "http://x:99999/"]
    ),
    TEXT,
)  # fmt: skip
DURATIONS = st.one_of(st.none(), st.sampled_from([0.0, 0.4, 250.0, 600.0, 1e7]))
TIMINGS = st.builds(
    Timing,
    dns=DURATIONS,
    connect=DURATIONS,
    tls=DURATIONS,
    send=st.sampled_from([0.0, 1.0]),
    wait=st.sampled_from([0.0, 30.0, 700.0, 1e7]),
    download=st.sampled_from([0.0, 5.0, 900.0]),
    total=st.sampled_from([0.0, 50.0, 800.0, 1e7]),
    reused=st.booleans(),
)
METHODS = st.sampled_from(["GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "X"])
HOPS = st.lists(
    st.builds(
        Hop,
        status=st.integers(100, 599),
        reason=st.just(""),
        url=URLS,
        location=st.one_of(URLS, st.just("")),
        headers=HEADERS,
        timing=TIMINGS,
        sent=st.builds(SentRequest, method=METHODS, url=URLS, headers=HEADERS),
        encrypted=st.booleans(),
    ),
    max_size=3,
).map(tuple)


@settings(
    max_examples=EXAMPLES or 100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    method=METHODS,
    url=URLS,
    request_headers=HEADERS,
    status=st.one_of(st.integers(100, 599), st.integers(-5, 1200)),
    headers=HEADERS,
    body=BODIES,
    complete=st.booleans(),
    wire_size=st.integers(0, 10_000),
    timing=TIMINGS,
    hops=HOPS,
)
def test_the_rules_never_raise_and_stay_bounded(
    method: str,
    url: str,
    request_headers: tuple[tuple[str, str], ...],
    status: int,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
    complete: bool,
    wire_size: int,
    timing: Timing,
    hops: tuple[Hop, ...],
) -> None:
    facts = ExchangeFacts(
        method=method, url=url, request_headers=request_headers, status=status, reason="",
        http_version="HTTP/1.1", headers=headers, body=body, body_size=len(body),
        body_complete=complete, wire_size=wire_size, timing=timing, hops=hops,
    )  # fmt: skip
    with time_bound(SECONDS_PER_EXAMPLE, "explaining"):
        for rule in all_rules():
            if not rule.id.startswith(OURS):
                continue
            for note in rule.check(facts):
                assert note.summary and "\n" not in note.summary, rule.id
                assert note.explanation, rule.id
        found = explain(facts)
    assert len(found) <= MAX_FINDINGS
