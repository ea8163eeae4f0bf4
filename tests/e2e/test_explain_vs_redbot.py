"""The explainer compared with REDbot, finding by finding, on the same responses.

The responses come from the practice server (every /mistakes/ endpoint and several
correct ones) and from two servers written outside this project: Python's own
`http.server` and the npm package `http-server`, each serving the same folder of a .json,
a .html and a .txt file. For each URL the explainer judges a GET sent by the app's
transport, and REDbot (in its own venv, one child process for every URL, its active
checks off) judges the same request. For each pair of tests/support/redbot_map.SAME:
when REDbot reports the note, we report the rule, and when we report the rule, REDbot
reports the note (one way only for its one-way tables), except in KNOWN, where we
differ on purpose (each with why). KNOWN entries that no longer differ fail too, so the
list stays true, and every rule the tables name must exist.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import selectors
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import formatdate
from functools import partial
from pathlib import Path

import pytest

from explorer.core.explain import Finding, all_rules, explain, facts_from_response
from explorer.core.explain.findings import Severity
from explorer.core.http.transport import Transport
from explorer.core.model import Body, BodyKind, Options, Pair, Request
from tests.support.hostile_server import HostileServer
from tests.support.peer_tools import HTTP_SERVER, REDBOT_PYTHON
from tests.support.redbot_map import (
    ACTIVE,
    GOOD_NOTE_ABSENT,
    KNOWN,
    OURS_NARROWER,
    REDBOT_NARROWER,
    SAME,
    TIMING_DEPENDENT,
)
from tests.support.redbot_notes import MISSING, RedbotResult, Target, is_installed, redbot_notes

# What each practice-server mistake must draw from the explainer (HELPERS' rule ids).
MISTAKES: dict[str, tuple[str, tuple[tuple[str, str], ...], str]] = {
    # label: (path, request headers, the rule it must draw)
    "304 without ETag": (
        "/mistakes/not-modified-without-etag",
        (("If-None-Match", '"mistake-v1"'),),
        "conditional.not-modified-without-etag",
    ),
    "429 without Retry-After": ("/mistakes/rate-limited", (), "status.retry-after-missing"),
    "503 without Retry-After": ("/mistakes/unavailable", (), "status.retry-after-missing"),
    "open redirect": (
        "/mistakes/redirect-to?url=https://phish.example/login",
        (),
        "redirects.open-redirect",
    ),
    "302 without Location": (
        "/mistakes/redirect-without-location",
        (),
        "status.redirect-without-location",
    ),
    "201 without Location": (
        "/mistakes/created-without-location",
        (("Content-Type", "application/json"),),
        "status.created-without-location",
    ),
    "JSON as HTML": ("/mistakes/json-as-html", (), "content.type-mismatch"),
    "wrong charset": ("/mistakes/charset", (), "content.charset-wrong"),
    "401 without challenge": (
        "/mistakes/unauthorized-without-challenge",
        (),
        "status.unauthorized-without-challenge",
    ),
    "405 without Allow": (
        "/mistakes/method-not-allowed",
        (),
        "status.method-not-allowed-without-allow",
    ),
    "206 without Content-Range": (
        "/mistakes/partial-without-range",
        (("Range", "bytes=0-9"),),
        "status.partial-without-content-range",
    ),
    "careless cookies": ("/mistakes/cookie", (), "cookies.samesite-none-without-secure"),
    "CORS * with credentials": (
        "/mistakes/cors",
        (("Origin", "https://app.example"),),
        "cors.credentials-with-wildcard",
    ),
    "CORS echo without Vary": (
        "/mistakes/cors-echo",
        (("Origin", "https://app.example"),),
        "cors.vary-origin-missing",
    ),
    "contradicting Cache-Control": (
        "/mistakes/cache-contradiction",
        (),
        "caching.contradicting-directives",
    ),
    "negotiated without Vary": (
        "/mistakes/vary-missing",
        # A client that negotiates: it names what it prefers and what it also takes.
        (("Accept", "application/xml, application/json;q=0.5"),),
        "caching.vary-missing",
    ),
    "problem with a wrong status": ("/mistakes/problem", (), "problem.structure"),
    "HTML without guards": ("/mistakes/html-page", (), "security.nosniff-missing"),
    "204 with a body": ("/mistakes/no-content-with-body", (), "status.no-content-with-body"),
}
CORRECT = (
    "/api/items/1",
    "/cache/30",
    "/etag/v1",
    "/static/css/style.css",
    "/",
    "/lessons/cacheability",
    "/api/users",
)
FILES = {
    "data.json": '{"library": {"name": "Practice", "books": [{"title": "RESTful Web APIs"}]}}\n',
    "page.html": (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>A page'
        "</title></head><body><h1>Café</h1><p>Served by someone else.</p></body></html>\n"
    ),
    "notes.txt": "Plain text, UTF-8: café, 안녕하세요.\n",
}


Headers = tuple[tuple[str, str], ...]

# Responses no well-behaved server sends, made byte by byte by a raw-socket server, so
# that every pair of the map that the servers above never exercise is seen once:
# label -> (path, request headers, status line, response headers, body, the rule).
_HTML = b"<!doctype html><title>t</title><p>hi</p>"
_JSON = b'{"ok": true}'
CRAFTED: dict[str, tuple[str, Headers, str, Headers, bytes, str]] = {
    "418": (
        "/teapot",
        (),
        "418 I'm a teapot",
        (("Content-Type", "text/plain"),),
        b"short and stout",
        "status.nonstandard-code",
    ),
    "201 to a GET": (
        "/created",
        (),
        "201 Created",
        (("Location", "/created/1"), ("Content-Type", "application/json")),
        _JSON,
        "status.created-by-safe-method",
    ),
    "405 listing the method": (
        "/allow",
        (),
        "405 Method Not Allowed",
        (("Allow", "GET, HEAD"), ("Content-Type", "text/plain")),
        b"no",
        "status.method-in-allow",
    ),
    "206 not asked for": (
        "/partial",
        (),
        "206 Partial Content",
        (("Content-Range", "bytes 0-3/10"), ("Content-Type", "text/plain")),
        b"0123",
        "status.range-not-requested",
    ),
    "416 without Content-Range": (
        "/range",
        (("Range", "bytes=50-60"),),
        "416 Range Not Satisfiable",
        (("Content-Type", "text/plain"),),
        b"no",
        "status.unsatisfiable-without-length",
    ),
    "Content-Range on a 200": (
        "/content-range",
        (),
        "200 OK",
        (
            ("Content-Range", "bytes 0-3/4"),
            ("Content-Type", "text/plain"),
            ("Cache-Control", "no-store"),
        ),
        b"0123",
        "status.content-range-out-of-place",
    ),
    "412 without a condition": (
        "/precondition",
        (),
        "412 Precondition Failed",
        (("Content-Type", "text/plain"),),
        b"no",
        "status.precondition-failed-without-condition",
    ),
    "304 without Date": (
        "/not-modified",
        (("If-None-Match", '"v1"'),),
        "304 Not Modified",
        (("ETag", '"v1"'), ("Date", "")),
        b"",
        "status.not-modified-without-date",
    ),
    "Location on a 200": (
        "/located",
        (),
        "200 OK",
        (("Location", "/elsewhere"), ("Content-Type", "text/plain"), ("Cache-Control", "no-store")),
        b"here",
        "status.location-out-of-place",
    ),
    "relative Location": (
        "/moved",
        (),
        "302 Found",
        (("Location", "/new-place"), ("Content-Type", "text/plain")),
        b"moved",
        "redirects.relative-location",
    ),
    "public and private": (
        "/public-private",
        (),
        "200 OK",
        (
            ("Cache-Control", "public, private, max-age=60"),
            ("ETag", '"p"'),
            ("Content-Type", "text/plain"),
        ),
        b"both",
        "caching.contradicting-directives",
    ),
    "public to an authorized request": (
        "/authorized",
        (("Authorization", "Bearer practice"),),
        "200 OK",
        (
            ("Cache-Control", "public, max-age=60"),
            ("ETag", '"a"'),
            ("Content-Type", "application/json"),
        ),
        _JSON,
        "caching.public-with-authorization",
    ),
    "Expires beside max-age": (
        "/expires",
        (),
        "200 OK",
        (
            ("Cache-Control", "max-age=60"),
            ("Expires", "+60"),
            ("ETag", '"e"'),
            ("Content-Type", "text/plain"),
        ),
        b"fresh",
        "caching.expires-and-max-age",
    ),
    "no-cache without a validator": (
        "/no-cache",
        (),
        "200 OK",
        (("Cache-Control", "no-cache"), ("Content-Type", "text/plain")),
        b"check me",
        "caching.no-cache-without-validator",
    ),
    "Vary: *": (
        "/vary-star",
        (),
        "200 OK",
        (("Vary", "*"), ("Cache-Control", "max-age=60"), ("Content-Type", "text/plain")),
        b"any",
        "caching.vary-star",
    ),
    "Last-Modified in the future": (
        "/future",
        (),
        "200 OK",
        (
            ("Last-Modified", "+86400"),
            ("Cache-Control", "no-cache"),
            ("Content-Type", "text/plain"),
        ),
        b"soon",
        "caching.bad-last-modified",
    ),
    "two origins allowed": (
        "/cors-two",
        (("Origin", "https://a.example"),),
        "200 OK",
        (
            ("Access-Control-Allow-Origin", "https://a.example https://b.example"),
            ("Vary", "Origin"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cors.multiple-origins",
    ),
    "credentials yes": (
        "/cors-yes",
        (("Origin", "https://a.example"),),
        "200 OK",
        (
            ("Access-Control-Allow-Origin", "https://a.example"),
            ("Access-Control-Allow-Credentials", "yes"),
            ("Vary", "Origin"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cors.credentials-not-true",
    ),
    "null origin": (
        "/cors-null",
        (("Origin", "https://a.example"),),
        "200 OK",
        (
            ("Access-Control-Allow-Origin", "null"),
            ("Vary", "Origin"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cors.null-origin",
    ),
    "nosniff misspelt": (
        "/nosnif",
        (),
        "200 OK",
        (
            ("X-Content-Type-Options", "nosnif"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "security.nosniff-invalid",
    ),
    "X-Frame-Options ALLOWALL": (
        "/frames",
        (),
        "200 OK",
        (
            ("X-Frame-Options", "ALLOWALL"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'self'"),
            ("Cache-Control", "no-store"),
        ),
        _HTML,
        "security.frame-options-invalid",
    ),
    "__Host- cookie with a Path": (
        "/host-cookie",
        (),
        "200 OK",
        (
            ("Set-Cookie", "__Host-id=1; Secure; Path=/app; HttpOnly; SameSite=Lax"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cookies.prefix-violation",
    ),
    "Content-Length and Transfer-Encoding": (
        "/framing",
        (),
        "200 OK",
        (
            ("Transfer-Encoding", "chunked"),
            ("Content-Length", "4"),
            ("Content-Type", "text/plain"),
            ("Cache-Control", "no-store"),
        ),
        b"4\r\nbody\r\n0\r\n\r\n",
        "content.length-with-transfer-encoding",
    ),
}


def _crafted_bytes(status: str, headers: Headers, body: bytes) -> bytes:
    """The response: a Date of now (\"\" leaves it out), "+N" dates N seconds ahead, a
    Content-Length unless the case frames the body itself."""
    now = time.time()
    lines = [f"HTTP/1.1 {status}"]
    names = {name.lower() for name, _ in headers}
    if "date" not in names:
        lines.append(f"Date: {formatdate(now, usegmt=True)}")
    for name, value in headers:
        if value.startswith("+"):
            value = formatdate(now + int(value[1:]), usegmt=True)
        if value:
            lines.append(f"{name}: {value}")
    if not names & {"content-length", "transfer-encoding"} and not status.startswith("304"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@pytest.fixture(scope="module")
def crafted_server() -> Iterator[str]:
    """A raw-socket server answering each path of CRAFTED with its bytes."""
    by_path = {
        path: (status, headers, body) for path, _h, status, headers, body, _r in CRAFTED.values()
    }

    def answer(conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = conn.recv(65536)
            if not chunk:
                return
            head += chunk
        path = head.split(b" ", 2)[1].decode("latin-1")
        status, headers, body = by_path.get(
            path, ("404 Not Found", (("Content-Type", "text/plain"),), b"no")
        )
        conn.sendall(_crafted_bytes(status, headers, body))

    server = HostileServer(answer)
    try:
        yield server.url().rstrip("/")
    finally:
        server.close()


@dataclass(frozen=True)
class Case:
    label: str  # "practice /mistakes/cors", "http.server /data.json"
    target: Target


@dataclass(frozen=True)
class Compared:
    case: Case
    ours: tuple[Finding, ...]
    redbot: RedbotResult

    @property
    def rule_ids(self) -> set[str]:
        return {finding.rule_id for finding in self.ours}


@pytest.fixture(scope="module")
def served_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("served")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def stdlib_server(served_folder: Path) -> Iterator[str]:
    """Python's own static file server (http.server), on a free port."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = partial(Quiet, directory=str(served_folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def npm_server(served_folder: Path) -> Iterator[str]:
    """The npm package http-server (installed into .tools by `make tools`)."""
    if not HTTP_SERVER.exists():
        pytest.fail("http-server is not installed in .tools: run `make tools`")
    process = subprocess.Popen(
        [str(HTTP_SERVER), str(served_folder), "-a", "127.0.0.1", "-p", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield _announced_url(process)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout:
            process.stdout.close()


def _announced_url(process: subprocess.Popen[bytes], timeout: float = 10.0) -> str:
    """The URL http-server prints under "Available on:" (it picks the free port). Read
    unbuffered, so that select() sees every byte that has not been read yet."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    seen = b""
    try:
        while selector.select(timeout):
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            seen += chunk
            if found := re.search(rb"http://127\.0\.0\.1:(\d+)", seen):
                return f"http://127.0.0.1:{found.group(1).decode()}"
    finally:
        selector.close()
    raise AssertionError("http-server announced no URL: " + seen.decode(errors="replace")[-500:])


def _cases(practice: str, stdlib: str, npm: str, crafted: str) -> list[Case]:
    cases = []
    for label, (path, headers, _rule) in MISTAKES.items():
        method, body = ("POST", '{"name": "Lamp"}') if "created" in path else ("GET", "")
        cases.append(Case(f"mistake: {label}", Target(practice + path, headers, method, body)))
    cases += [Case(f"practice {path}", Target(practice + path)) for path in CORRECT]
    for name, base in (("http.server", stdlib), ("http-server (npm)", npm)):
        cases += [Case(f"{name} /{file}", Target(f"{base}/{file}")) for file in (*FILES, "")]
    for label, (path, headers, *_rest) in CRAFTED.items():
        cases.append(Case(f"crafted: {label}", Target(crafted + path, headers)))
    return cases


def _ours(transport: Transport, target: Target) -> tuple[Finding, ...]:
    """The explainer on the app's own send of `target`; redirects are not followed, so
    it judges the same single response REDbot does."""
    body = Body(BodyKind.RAW, text=target.body) if target.body else Body()
    request = Request(
        method=target.method,
        url=target.url,
        headers=tuple(Pair(name, value) for name, value in target.headers),
        body=body,
        options=Options(follow_redirects=False, timeout=10.0),
    )
    return tuple(explain(facts_from_response(transport.send(request))))


@pytest.fixture(scope="module")
def compared(
    live_server: str, stdlib_server: str, npm_server: str, crafted_server: str
) -> list[Compared]:
    if not is_installed():
        pytest.fail(MISSING)
    cases = _cases(live_server, stdlib_server, npm_server, crafted_server)
    transport = Transport()
    try:
        ours = [_ours(transport, case.target) for case in cases]
    finally:
        transport.close()
    theirs = redbot_notes([case.target for case in cases])
    for case, result in zip(cases, theirs, strict=True):
        assert result.finished and result.error is None, (case.label, result.error)
    return [Compared(c, o, r) for c, o, r in zip(cases, ours, theirs, strict=True)]


def _differences(compared: list[Compared]) -> dict[tuple[str, str], str]:
    """(rule, case) -> what each side said, for every mapped pair where they disagree."""
    found: dict[tuple[str, str], str] = {}
    for item in compared:
        names = item.redbot.names
        for rule_id, notes in SAME.items():
            ours, theirs = rule_id in item.rule_ids, bool(names & notes)
            if ours and not theirs and (rule_id, item.case.label) in TIMING_DEPENDENT:
                continue  # REDbot may or may not have seen it: one way only here
            if ours != theirs:
                said = sorted(names & notes) if theirs else "nothing"
                found[rule_id, item.case.label] = f"we say {ours}, REDbot says {said}"
        for rule_id, one_way in REDBOT_NARROWER.items():
            if names & one_way.notes and rule_id not in item.rule_ids:
                said = sorted(names & one_way.notes)
                found[rule_id, item.case.label] = f"we say False, REDbot says {said}"
        for rule_id, one_way in OURS_NARROWER.items():
            if rule_id in item.rule_ids and not names & one_way.notes:
                found[rule_id, item.case.label] = "we say True, REDbot says nothing"
        for rule_id, good in GOOD_NOTE_ABSENT.items():
            if rule_id in item.rule_ids and good in names:
                found[rule_id, item.case.label] = f"we say missing, REDbot says {good}"
    return found


def test_redbot_ran_passively_on_every_response(compared: list[Compared]) -> None:
    # Every case got a real response from both sides, and none of REDbot's notes comes
    # from its active checks (they are off: the comparison is of the same response).
    assert len(compared) == len(MISTAKES) + len(CORRECT) + 2 * (len(FILES) + 1) + len(CRAFTED)
    for item in compared:
        assert item.redbot.status is not None, item.case.label
        assert not item.redbot.names & set(ACTIVE), item.case.label


def test_every_mistake_draws_its_rule(compared: list[Compared]) -> None:
    for item in compared:
        if item.case.label.startswith("mistake: "):
            rule_id = MISTAKES[item.case.label.removeprefix("mistake: ")][2]
            assert rule_id in item.rule_ids, (item.case.label, sorted(item.rule_ids))


def test_every_crafted_response_draws_its_rule(compared: list[Compared]) -> None:
    for item in compared:
        if item.case.label.startswith("crafted: "):
            rule_id = CRAFTED[item.case.label.removeprefix("crafted: ")][5]
            assert rule_id in item.rule_ids, (item.case.label, sorted(item.rule_ids))


def test_correct_endpoints_draw_no_warning(compared: list[Compared]) -> None:
    for item in compared:
        if item.case.label.startswith("practice "):
            complaints = [f for f in item.ours if f.severity is not Severity.INFO]
            assert complaints == [], (item.case.label, [f.rule_id for f in complaints])


def _paired() -> list[tuple[str, frozenset[str]]]:
    """Every rule with the REDbot notes it is compared with (both ways or one way)."""
    one_way = (*REDBOT_NARROWER.items(), *OURS_NARROWER.items())
    return [*SAME.items(), *((rule, pair.notes) for rule, pair in one_way)]


def _summary(compared: list[Compared], differences: dict[tuple[str, str], str]) -> str:
    """How many findings were compared and how they came out (pytest -s shows it; the
    numbers in docs/EXPLAIN.md come from here)."""
    pairs = (*SAME, *REDBOT_NARROWER, *OURS_NARROWER, *GOOD_NOTE_ABSENT)
    both = sorted(
        f"{rule} @ {item.case.label}"
        for item in compared
        for rule, notes in _paired()
        if rule in item.rule_ids and item.redbot.names & notes
    )
    scope = sorted(
        f"{rule} @ {item.case.label}: "
        + ("REDbot only" if item.redbot.names & pair.notes else "ours only")
        for item in compared
        for rule, pair in (*REDBOT_NARROWER.items(), *OURS_NARROWER.items())
        if (rule in item.rule_ids) != bool(item.redbot.names & pair.notes)
    )
    lines = [
        f"{len(compared)} URLs, {len(pairs)} mapped rules, {len(compared) * len(pairs)} "
        f"comparisons: {len(both)} reported by both, {len(scope)} apart by scope, "
        f"{len(differences)} differences ({sum(key in KNOWN for key in differences)} known), "
        "the rest silent on both",
        *(f"  both: {line}" for line in both),
        *(f"  scope: {line}" for line in scope),
        *(f"  differ: {rule} @ {label}: {said}" for (rule, label), said in differences.items()),
    ]
    return "\n".join(lines)


def test_the_explainer_and_redbot_agree_but_where_known(compared: list[Compared]) -> None:
    differences = _differences(compared)
    print(_summary(compared, differences))
    unexplained = {key: said for key, said in differences.items() if key not in KNOWN}
    assert unexplained == {}, json.dumps({f"{k[0]} @ {k[1]}": v for k, v in unexplained.items()})
    stale = sorted(key for key in KNOWN if key not in differences)
    assert stale == [], "these no longer differ: remove them from KNOWN"


def test_the_map_names_real_rules_and_notes() -> None:
    # A renamed rule or note would make a pair silently compare nothing; a rule in two
    # tables would be compared twice, by two different standards.
    tables = (SAME, REDBOT_NARROWER, OURS_NARROWER, GOOD_NOTE_ABSENT)
    assert sum(len(table) for table in tables) == len({r for table in tables for r in table})
    named = {rule for table in tables for rule in table} | {rule for rule, _ in KNOWN}
    named |= {rule for rule, _ in TIMING_DEPENDENT}
    named |= {rule for rule, _how in ACTIVE.values() if rule}
    named |= {rule for _path, _headers, rule in MISTAKES.values()}
    named |= {case[5] for case in CRAFTED.values()}
    assert named <= {rule.id for rule in all_rules()}, sorted(named - {r.id for r in all_rules()})
    notes = {name for _rule, names in _paired() for name in names}
    notes |= set(GOOD_NOTE_ABSENT.values())
    if not is_installed():
        pytest.fail(MISSING)
    done = subprocess.run(
        [str(REDBOT_PYTHON), "-I", "-c", _NOTE_NAMES],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    known = set(json.loads(done.stdout))
    named = {name.partition("@")[0] for name in notes | set(ACTIVE)}  # NAME@subject
    assert named <= known, sorted(named - known)


_NOTE_NAMES = """
import importlib, inspect, json, pkgutil
import httplint, redbot
from httplint.note import Note
names = set()
for package in (httplint, redbot):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        names |= {n for n, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, Note) and c is not Note}
print(json.dumps(sorted(names)))
"""
