"""No secret reaches the history, in any encoding a server may echo it in; and nothing
that is not a secret is changed.

A real HTTP server on 127.0.0.1 echoes the API key it was sent (from a secret variable)
in each encoding; the real transport sends; the real History stores into a real SQLite
file; then every stored column, the search index and the raw database and WAL bytes
are searched for every encoding of the secret.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, quote, quote_plus, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from explorer.core.http.transport import Transport
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.resolve.variables import Scope, resolve_request, secret_values
from explorer.core.storage.history import History
from explorer.core.storage.history_redact import REDACTED, auth_secrets

SECRET_NAME = "api_key"


def _base64_forms(data: bytes) -> list[str]:
    forms = []
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        padded = encode(data).decode()
        forms += [padded, padded.rstrip("=")]
    return forms


def encodings(secret: str) -> dict[str, str]:
    """Every encoding of `secret` a server may echo, written independently of the app."""
    raw = secret.encode()
    return {
        "raw": secret,
        "quote": quote(secret, safe=""),
        "quote_slash": quote(secret),
        "quote_lower": _lower_hex(quote(secret, safe="")),
        "quote_plus": quote_plus(secret),
        "quote_plus_lower": _lower_hex(quote_plus(secret)),
        "percent_all": "".join(f"%{byte:02X}" for byte in raw),
        "percent_all_lower": "".join(f"%{byte:02x}" for byte in raw),
        "form": urlencode({"k": secret})[2:],
        "json_ascii": json.dumps(secret)[1:-1],
        "json_utf8": json.dumps(secret, ensure_ascii=False)[1:-1],
        **{f"base64_{i}": form for i, form in enumerate(_base64_forms(raw))},
    }


def _lower_hex(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "%":
            out.append(text[i : i + 3].lower())
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class Echo(BaseHTTPRequestHandler):
    """GET /echo/<encoding>?key=…: the key in that encoding, in a JSON body, a text body
    and a header. GET /stored/<name>: the bytes in `bodies[name]`, unchanged."""

    def log_message(self, *_args: object) -> None:
        pass

    bodies: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith("/stored/"):
            name = parts.path.rsplit("/", 1)[1]
            self._answer(401 if name == "401" else 200, self.bodies[name], "stored")
            return
        key = parse_qs(parts.query, keep_blank_values=True)["key"][0]
        kind = parts.path.rsplit("/", 1)[1]
        echoed = encodings(key)[kind]
        body = json.dumps({"echo": echoed, "url": self.path}, ensure_ascii=False)
        if kind.startswith("json"):
            # The document itself is the JSON: the key is escaped by the serialiser.
            body = json.dumps({"key": key}, ensure_ascii=kind == "json_ascii")
        self._answer(200, f"{body}\nplain: {echoed}\n".encode(), quote(echoed, safe=""))

    def _answer(self, status: int, body: bytes, header: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Echo", header)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def transport() -> Iterator[Transport]:
    sender = Transport()
    yield sender
    sender.close()


def send_and_store(transport: Transport, written: Request, scopes: list[Scope]) -> Path:
    """Send as the window does and store in a fresh history; the database's path."""
    sent = resolve_request(written, scopes)
    response = transport.send(sent)
    folder = Path(tempfile.mkdtemp(prefix="history-secrets-"))
    history = History(folder / "history.sqlite3")
    history.add(response, written, secrets=secret_values(scopes) | auth_secrets(sent.auth))
    history.close()
    return folder / "history.sqlite3"


def stored_texts(path: Path) -> list[bytes]:
    """Every stored value (entries and the search index) and the raw file bytes."""
    found: list[bytes] = []
    db = sqlite3.connect(path)
    try:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            for row in db.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        found.append(value.encode("utf-8", "surrogatepass"))
                    elif isinstance(value, bytes):
                        found.append(value)
    finally:
        db.close()
    for suffix in ("", "-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            found.append(companion.read_bytes())
    return found


# Quotes, backslashes, percent, plus, space, slash and non-ASCII (2, 3 and 4 bytes).
_ALPHABET = st.sampled_from(list("aZ09-_.~\"\\%+ /&=?#:;'<>{}é中😀ü\t"))
# A fixed start and end keep the secret from matching the page's own words by chance
# ("echo", "GET", digits of a date); everything between is random.
SECRETS = st.text(_ALPHABET, min_size=1, max_size=20).map(lambda core: f"Qz{core}v9")
KINDS = sorted(encodings("x"))


def api_key_request(base: str, kind: str) -> Request:
    auth = Auth(AuthKind.API_KEY, key_name="key", key_value="{{api_key}}", key_in="query")
    return Request(method="GET", url=f"{base}/echo/{kind}", auth=auth)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(secret=SECRETS, kind=st.sampled_from(KINDS))
def test_an_echoed_secret_is_stored_in_no_encoding(echo_server, transport, secret, kind):
    scopes = [Scope("environment", {SECRET_NAME: secret}, frozenset({SECRET_NAME}))]
    path = send_and_store(transport, api_key_request(echo_server, kind), scopes)
    texts = stored_texts(path)
    for name, form in encodings(secret).items():
        needle = form.encode("utf-8", "surrogatepass")
        leaks = [text for text in texts if needle in text]
        assert not leaks, f"{kind} echo stored the secret {name} encoded as {form!r}"
    entries = _entries(path)
    (request_json,) = entries["request_json"]
    assert json.loads(request_json)["auth"]["key_value"] == "{{api_key}}"  # as written
    assert REDACTED in entries["response_body"][0].decode()  # the echo was there


def _entries(path: Path) -> dict[str, list]:
    db = sqlite3.connect(path)
    try:
        cursor = db.execute("SELECT * FROM entries")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        db.close()
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(secret=SECRETS, body=st.binary(max_size=3000) | st.text(max_size=500).map(str.encode))
def test_a_body_without_secrets_is_stored_byte_identical(echo_server, transport, secret, body):
    assume(not any(form.encode() in body for form in encodings(secret).values()))
    Echo.bodies["one"] = body
    written = Request(
        url=f"{echo_server}/stored/one",
        params=(Pair("key", "{{api_key}}"),),  # the secret goes out, not back
    )
    scopes = [Scope("environment", {SECRET_NAME: secret}, frozenset({SECRET_NAME}))]
    path = send_and_store(transport, written, scopes)
    (stored,) = _entries(path)["response_body"]
    assert stored == body


@pytest.mark.parametrize("token", ["", "tok-123456"])  # no token yet: "Bearer " went out
def test_a_401_page_that_mentions_bearer_is_left_alone(echo_server, transport, token):
    page = b"Send Authorization: Bearer <any token>. Basic also works: Basic <user:pass>"
    Echo.bodies["401"] = page
    written = Request(
        url=f"{echo_server}/stored/401", auth=Auth(AuthKind.BEARER, token="{{api_key}}")
    )
    scopes = [Scope("environment", {SECRET_NAME: token}, frozenset({SECRET_NAME}))]
    path = send_and_store(transport, written, scopes)
    entries = _entries(path)
    assert entries["status"] == [401]
    assert entries["response_body"] == [page]
    history = History(path)
    entry = history.get(history.search()[0].id)
    history.close()
    assert entry.response_body == page
    assert dict(entry.request_headers)["Authorization"] == REDACTED


def test_api_key_header_and_basic_credentials_are_not_stored(echo_server, transport):
    """An X-API-Key header from API-key auth and Basic auth's password and user:pass."""
    cases = [
        Auth(AuthKind.API_KEY, key_name="X-API-Key", key_value="k3y-Value-Literal"),
        Auth(AuthKind.BASIC, username="ada", password="Pa55-word-Literal"),
        Auth(AuthKind.DIGEST, username="ada", password="Dig3st-word-Literal"),
    ]
    for auth in cases:
        Echo.bodies["h"] = json.dumps(
            {
                "x-api-key": auth.key_value,
                "password": auth.password,
                "basic": base64.b64encode(f"ada:{auth.password}".encode()).decode(),
            }
        ).encode()
        path = send_and_store(transport, Request(url=f"{echo_server}/stored/h", auth=auth), [])
        secret = auth.key_value or auth.password
        texts = stored_texts(path)
        for form in [*encodings(secret).values(), *encodings(f"ada:{secret}").values()]:
            assert not any(form.encode() in text for text in texts), (auth.kind, form)
        if auth.kind == AuthKind.API_KEY:
            (headers,) = _entries(path)["request_headers"]
            assert ["X-API-Key", REDACTED] in json.loads(headers)


def test_history_files_are_private_with_umask_022(echo_server, transport):
    old = os.umask(0o022)
    try:
        scopes = [Scope("environment", {SECRET_NAME: "Qz-private-v9"}, frozenset({SECRET_NAME}))]
        path = send_and_store(transport, api_key_request(echo_server, "raw"), scopes)
        history = History(path)  # open again: the -wal and -shm files exist now
        history.add_failure(Request(url="http://127.0.0.1:9/"), "refused")
        modes = {
            p.name: stat.S_IMODE(p.stat().st_mode)
            for p in path.parent.iterdir()
            if p.name.startswith(path.name)
        }
        history.close()
    finally:
        os.umask(old)
    assert modes[path.name] == 0o600
    assert set(modes) >= {path.name, path.name + "-wal", path.name + "-shm"}, modes
    assert all(mode == 0o600 for mode in modes.values()), modes


def test_a_new_history_directory_is_private(tmp_path):
    old = os.umask(0o022)
    try:
        History(tmp_path / "data" / "history.sqlite3").close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
