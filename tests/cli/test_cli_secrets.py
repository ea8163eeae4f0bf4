"""`run --secret/--var/--max-body` as a whole process against a real server that echoes
the secret back in every way a server can (query, redirect Location, reason phrase,
Basic credentials, a spooled body); then every output is searched for the secret in
every encoding."""

from __future__ import annotations

import base64
import gzip
import html
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from explorer.core.collection import Collection, Environment, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Options, Pair, Request
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.secrets import SecretStore

ROOT = Path(__file__).resolve().parents[2]
# Characters that every encoding treats differently: quote, backslash, slash, plus,
# space, ampersand, equals, percent, tilde.
SECRET = 'Tok"en/+ &=\\x%41~9zQ'
UNICODE_SECRET = "pässwörd-☃-77"
STORED_SECRET = "stored-in-the-secret-store-5150"
BIG_BODY = 17 * 1024 * 1024  # past the transport's 16 MiB spool threshold
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), 9)  # 64 KiB on the wire, 64 MiB decoded


def encodings(value: str) -> set[str]:
    """Every form of `value` a leak could take (written independently of the code)."""
    data = value.encode()
    forms = {
        value,
        quote(value, safe=""),
        quote(value, safe="").lower(),
        quote(value),
        quote_plus(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value),
        base64.b64encode(data).decode(),
        base64.b64encode(data).decode().rstrip("="),
        base64.urlsafe_b64encode(data).decode(),
        base64.b64encode(b"user:" + data).decode(),
    }
    return {form for form in forms if form}


def leaks(text: str, values: list[str]) -> list[str]:
    return sorted(form for value in values for form in encodings(value) if form in text)


class Echo(BaseHTTPRequestHandler):
    """Echoes what it received: the query into a redirect's Location and a reason
    phrase, the Authorization header into the reason phrase, everything into bodies."""

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/start":
            self._answer(302, f"Found {query}", b"", [("Location", f"/landing?{query}")])
        elif path == "/to-ftp":
            self._answer(302, "Found", b"", [("Location", f"ftp://127.0.0.1/{query}")])
        elif path == "/landing":
            auth = self.headers.get("Authorization", "")
            body = json.dumps({"query": query, "auth": auth, "key": self.headers["X-Key"]})
            self._answer(200, f"OK {query} {auth}", body.encode(), [])
        elif path == "/endless":
            self._endless()
        elif path == "/bomb":
            self._answer(200, "OK", BOMB, [("Content-Encoding", "gzip")])
        elif path == "/big":
            echoed = json.dumps({"key": self.headers["X-Key"]}).encode()
            self._answer(200, "OK", echoed * (BIG_BODY // len(echoed) + 1), [])
        else:
            self._answer(404, "Not Found", b"", [])

    def _answer(self, status: int, reason: str, body: bytes, headers: list) -> None:
        self.send_response(status, reason)
        for name, value in [*headers, ("Content-Length", str(len(body)))]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _endless(self) -> None:
        self.send_response(200)
        self.end_headers()  # no length: the body ends when the connection does
        chunk = b"x" * 65536
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:  # the client stopped reading
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


def cli(*args: str, home: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, API_EXPLORER_HOME=str(home), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def echo_collection(folder: Path, base: str, home: Path) -> None:
    """Requests that carry the secrets in the query, a header and Basic auth; the
    collection's own secret variable `stored` lives in the secret store."""
    carried = (
        Pair("key", "{{token}}"),
        Pair("uni", "{{uni}}"),
        Pair("stored", "{{stored}}"),
    )
    sends_secrets = Request(
        url="{{base}}/start",
        params=carried,
        headers=(Pair("X-Key", "{{token}}"),),
        auth=Auth(kind=AuthKind.BASIC, username="user", password="{{token}}"),
    )
    collection = Collection(
        name="Echo",
        variables=(Variable("base", base), Variable("stored", STORED_SECRET, secret=True)),
        items=(
            RequestItem(sends_secrets.with_changes(name="redirected")),
            RequestItem(sends_secrets.with_changes(name="to ftp", url="{{base}}/to-ftp")),
            RequestItem(sends_secrets.with_changes(name="big", url="{{base}}/big")),
            RequestItem(Request(name="refused", url="http://127.0.0.1:1/{{token}}")),
        ),
    )
    store = CollectionStore(folder)
    store.save(collection)
    SecretStore(home / "secrets.json").keep(store.collection_key, collection)


def test_no_secret_reaches_stdout_stderr_junit_or_temp_files(tmp_path, echo_server):
    home, temp, folder = tmp_path / "home", tmp_path / "temp", tmp_path / "echo"
    temp.mkdir()
    echo_collection(folder, echo_server, home)
    report = tmp_path / "report.xml"
    result = cli(
        "run", str(folder), "--secret", "token", "--secret", "uni", "--junit", str(report),
        home=home, env={"token": SECRET, "uni": UNICODE_SECRET, "TMPDIR": str(temp)},
    )  # fmt: skip
    secrets = [SECRET, UNICODE_SECRET, STORED_SECRET]
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stderr
    assert lines[-1] == "2 passed, 2 failed"
    # The request as written, then where the redirect led, masked.
    assert lines[0].startswith("ok    200 GET ")
    assert "/start?key={{token}}&uni={{uni}}&stored={{stored}} -> " in lines[0]
    assert "/landing?key=•••&uni=•••&stored=•••" in lines[0]
    # A failure still says what failed, with the URL it quotes masked.
    assert lines[1].startswith("FAIL  GET ") and "[to ftp]" in lines[1]
    assert "ftp" in lines[1] and "•••" in lines[1]
    assert lines[3].startswith("FAIL  GET http://127.0.0.1:1/{{token}}  Connection refused")
    junit = report.read_text(encoding="utf-8")
    assert "OK key=•••&amp;uni=•••&amp;stored=••• Basic " in junit
    assert leaks(result.stdout, secrets) == []
    assert leaks(result.stderr, secrets) == []
    assert leaks(junit, secrets) == []
    # The 17 MiB body (echoing the secret) was spooled to a temp file: gone at exit.
    assert [path for path in temp.rglob("*") if not path.is_dir()] == []


def test_the_spooled_body_really_held_the_secret(tmp_path, echo_server):
    """The check above is meaningful: the big response did spool, with the secret."""
    from explorer.core.http.transport import Transport
    from explorer.core.model import Request as Plain

    transport = Transport(spool_dir=tmp_path)
    response = transport.send(Plain(url=f"{echo_server}/big", headers=(Pair("X-Key", SECRET),)))
    transport.close()
    assert response.body_path is not None and response.body_path.parent == tmp_path
    assert json.dumps(SECRET).encode() in response.body_path.read_bytes()[:1000]


def test_without_the_mask_the_secret_would_show(tmp_path, echo_server):
    """The same run with `token` as a plain --var: its value appears (the search works)."""
    home, folder = tmp_path / "home", tmp_path / "echo"
    echo_collection(folder, echo_server, home)
    result = cli("run", str(folder), "--var", f"token={SECRET}", "--var", "uni=u", home=home)
    assert leaks(result.stdout, [SECRET]) != []


def test_a_missing_secret_environment_variable_is_a_usage_error(tmp_path):
    folder = tmp_path / "c"
    CollectionStore(folder).save(Collection(name="C"))
    env = {k: v for k, v in os.environ.items() if k != "NOT_SET_ANYWHERE"}
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder), "--secret", "NOT_SET_ANYWHERE"],
        cwd=ROOT, env=dict(env, API_EXPLORER_HOME=str(tmp_path)), capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "the environment variable NOT_SET_ANYWHERE is not set" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--var", "novalue"), "expected NAME=VALUE"),
        (("--var", "{{x}}=1"), "is not a variable name"),
        (("--max-body", "lots"), "Invalid size 'lots'"),
        (("--max-body", "0"), "more than 0"),
        (("--timeout", "0"), "more than 0 seconds"),
        (("--timeout", "nan"), "more than 0 seconds"),
        (("--timeout", "soon"), "expected a number of seconds"),
    ],
)
def test_bad_options_are_one_line(tmp_path, args, words):
    result = cli("run", str(tmp_path), *args, home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr


@pytest.fixture
def layered(tmp_path, echo_server, monkeypatch):
    """`who` defined in every scope: global, collection and environment."""
    from explorer.core.paths import globals_path
    from explorer.core.storage.global_variables import save_globals

    home = tmp_path / "home"
    monkeypatch.setenv("API_EXPLORER_HOME", str(home))
    home.mkdir()
    save_globals(globals_path(), Environment("globals", (Variable("who", "global"),)))
    folder = tmp_path / "layered"
    collection = Collection(
        name="Layered",
        variables=(Variable("base", echo_server), Variable("who", "collection")),
        environments=(Environment("dev", (Variable("who", "environment"),)),),
        items=(RequestItem(Request(name="who", url="{{base}}/landing?who={{who}}")),),
    )
    CollectionStore(folder).save(collection)
    return folder, home


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ((), "who=collection"),
        (("--env", "dev"), "who=environment"),
        (("--env", "dev", "--var", "who=command-line"), "who=command-line"),
        (("--var", "who=command-line", "--var", "who=last"), "who=last"),
    ],
)
def test_var_overrides_every_scope(layered, args, shown):
    folder, home = layered
    result = cli("run", str(folder), *args, home=home)
    assert result.returncode == 0, result.stderr
    assert f"/landing?{shown} " in result.stdout


def test_secret_overrides_a_plain_variable_and_stays_hidden(layered):
    folder, home = layered
    result = cli("run", str(folder), "--secret", "who", home=home, env={"who": SECRET})
    assert "/landing?who={{who}} " in result.stdout
    assert leaks(result.stdout + result.stderr, [SECRET]) == []


def test_max_body_stops_an_endless_body_and_a_gzip_bomb(tmp_path, echo_server):
    folder = tmp_path / "bounded"
    collection = Collection(
        name="Bounded",
        items=(
            RequestItem(Request(name="endless", url=f"{echo_server}/endless")),
            RequestItem(Request(name="bomb", url=f"{echo_server}/bomb")),
        ),
    )
    CollectionStore(folder).save(collection)
    result = cli("run", str(folder), "--max-body", "1MB", home=tmp_path / "home")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    for line, name in zip(lines, ("endless", "bomb"), strict=False):
        assert line.startswith("FAIL  GET ") and line.endswith(f"[{name}]")
        assert "passed the 1.0 MB limit" in line
    assert lines[-1] == "0 passed, 2 failed"
    # Under a larger limit the bomb's 64 MiB pass.
    bomb_only = cli("run", str(folder), "--max-body", "100MB", home=tmp_path / "home")
    assert "ok    200 GET " in bomb_only.stdout and "64.0 MB  [bomb]" in bomb_only.stdout


def test_max_time_stops_an_endless_body_at_its_deadline(tmp_path, echo_server):
    folder = tmp_path / "deadline"
    endless = RequestItem(Request(name="endless", url=f"{echo_server}/endless"))
    CollectionStore(folder).save(Collection(name="Deadline", items=(endless,)))
    result = cli("run", str(folder), "--max-time", "0.5", "--max-body", "100GB", home=tmp_path)
    assert result.returncode == 1, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("FAIL  GET ") and first.endswith("[endless]")
    assert "within its total time limit of 0.5 s" in first


def test_max_body_reaches_every_request():
    from explorer.cli import build_parser
    from explorer.cli.run import Overrides, request_to_send

    args = build_parser().parse_args(["run", "dir", "--max-body", "64MB", "--timeout", "2"])
    written = Request(url="http://x/", options=Options(max_body_size=5))
    sent, _problems = request_to_send(written, [], Overrides(args.timeout, args.max_body))
    assert sent.options.max_body_size == 64 * 1024 * 1024 and sent.options.timeout == 2
    assert request_to_send(written, [], Overrides())[0].options.max_body_size == 5
    deadline = build_parser().parse_args(["run", "dir", "--max-time", "7.5"]).max_time
    sent, _problems = request_to_send(written, [], Overrides(total_timeout=deadline))
    assert sent.options.total_timeout == 7.5


def test_secret_variables_of_the_collection_are_never_printed(tmp_path, echo_server):
    """Without any new option: a secret variable from the secret store, sent in the
    query and echoed by a redirect, a reason phrase and Basic auth."""
    home, folder = tmp_path / "home", tmp_path / "stored"
    collection = Collection(
        name="Stored",
        variables=(Variable("base", echo_server), Variable("key", STORED_SECRET, secret=True)),
        items=(
            RequestItem(
                Request(
                    name="echo",
                    url="{{base}}/start?key={{key}}",
                    headers=(Pair("X-Key", "{{key}}"),),
                    auth=Auth(kind=AuthKind.BASIC, username="user", password="{{key}}"),
                )
            ),
        ),
    )
    store = CollectionStore(folder)
    store.save(collection)
    SecretStore(home / "secrets.json").keep(store.collection_key, collection)
    report = tmp_path / "report.xml"
    result = cli("run", str(folder), "--junit", str(report), home=home)
    assert result.returncode == 0, result.stderr
    assert "/start?key={{key}} -> " in result.stdout
    output = result.stdout + result.stderr + report.read_text(encoding="utf-8")
    assert leaks(output, [STORED_SECRET]) == []


def test_a_report_that_cannot_be_written_is_one_line(tmp_path):
    folder = tmp_path / "c"
    CollectionStore(folder).save(Collection(name="C"))
    result = cli("run", str(folder), "--junit", str(tmp_path), home=tmp_path / "home")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"error: {tmp_path}: cannot write the report: Is a directory\n"


def test_an_ascii_log_gets_the_mask_as_question_marks_not_a_traceback(tmp_path, echo_server):
    home, folder = tmp_path / "home", tmp_path / "echo"
    echo_collection(folder, echo_server, home)
    result = cli(
        "run", str(folder), "--secret", "token", "--secret", "uni",
        home=home, env={"token": SECRET, "uni": UNICODE_SECRET, "PYTHONIOENCODING": "ascii"},
    )  # fmt: skip
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert "/landing?key=???&uni=???" in result.stdout
