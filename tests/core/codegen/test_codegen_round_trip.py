"""Generated code sends what API Explorer sends: every target's program for a whole
collection is run ONCE by the real tool (python, node, go, httpie, curl) against the
recording server, and each request that arrives is compared with what the app's own
send (Transport) delivered for the same request.

`Recorded.compared()` leaves out what is each tool's nature (User-Agent, Accept,
Accept-Encoding, Connection, multipart boundaries). Any other difference is a bug in
the generator, or something the tool cannot do: then the generated code says so in a
comment and KNOWN below names it, with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from explorer.core.codegen import generate_all
from explorer.core.http.transport import Transport
from explorer.core.model import (
    Auth,
    AuthKind,
    Body,
    BodyKind,
    GraphQL,
    Options,
    Pair,
    Part,
    Request,
)
from tests.support import peer_tools
from tests.support.recording_server import Recorded, RecordingServer

SECRETS = {"API_TOKEN": 'tok\'en "$HOME" `id` ✓', "PASSWORD": "pä:ss w'rd"}
SECRET_NAMES = frozenset({"api_token", "password"})
ODD = "quotes ' \" backslash \\ dollar $HOME backtick `id` newline\nünïcødé ✓ 🚀"
BINARY = bytes(range(256)) * 4

# A secret as generated code sees it (a placeholder) or as the app sends it (its value).
Secret = Callable[[str], str]


def _cases(base: str, files: Path, secret: Secret) -> list[tuple[str, Request]]:
    upload = str(files / "upload file.txt")
    blob = str(files / "blob.bin")
    post = Request(method="POST", url=f"{base}/echo")
    return [
        (
            "query",
            Request(
                url=f"{base}/search",
                params=(
                    Pair("q", "a b&c=d+e"),
                    Pair("ünï", "çødé ✓/?x"),
                    Pair("pretty"),
                    Pair("off", "x", enabled=False),
                    Pair("marks", "!$'()*,;:@-._~"),
                ),
            ),
        ),
        (
            "headers",
            Request(
                url=f"{base}/h",
                headers=(Pair("X-Name", "Zoë ✓ 🚀"), Pair("X-Plain", 'it\'s "q" $x')),
            ),
        ),
        (
            "json",
            post.with_changes(
                body=Body(
                    BodyKind.RAW,
                    text=json.dumps({"t": ODD}, ensure_ascii=False),
                    content_type="application/json",
                )
            ),
        ),
        (
            "text",
            post.with_changes(
                method="PUT",
                body=Body(BodyKind.RAW, text=ODD, content_type="text/plain; charset=utf-8"),
            ),
        ),
        ("raw-untyped", post.with_changes(method="PATCH", body=Body(BodyKind.RAW, text="plain"))),
        (
            "raw-type-removed",
            post.with_changes(
                headers=(Pair("Content-Type", ""),),
                body=Body(BodyKind.RAW, text="no type", content_type="text/plain"),
            ),
        ),
        (
            "binary-type-removed",
            post.with_changes(
                headers=(Pair("content-type", " "),),
                body=Body(BodyKind.BINARY, file=blob),
            ),
        ),
        (
            "urlencoded",
            post.with_changes(
                body=Body(
                    BodyKind.FORM,
                    form=(
                        Pair("a", "1 2"),
                        Pair("a", "x&y=z"),
                        Pair("b", ODD),
                        Pair("c", "*~!'()"),
                    ),
                )
            ),
        ),
        (
            "multipart",
            post.with_changes(
                body=Body(
                    BodyKind.MULTIPART,
                    parts=(
                        Part("field", "value ü"),
                        Part("doc", file=upload, content_type="text/plain"),
                    ),
                )
            ),
        ),
        (
            "binary",
            post.with_changes(
                body=Body(BodyKind.BINARY, file=blob, content_type="application/octet-stream")
            ),
        ),
        (
            "basic",
            Request(
                url=f"{base}/basic", auth=Auth(AuthKind.BASIC, username="üser", password="pässword")
            ),
        ),
        ("bearer", Request(url=f"{base}/bearer", auth=Auth(AuthKind.BEARER, token="t-42"))),
        (
            "path-params",
            Request(
                method="DELETE",
                url=f"{base}/items/:id/tags/:tag",
                path_params=(Pair("id", "42"), Pair("tag", "a b")),
                auth=Auth(AuthKind.BEARER, token=secret("api_token")),
            ),
        ),
        (
            "apikey-query",
            Request(
                url=f"{base}/key",
                params=(Pair("a", "1"),),
                auth=Auth(AuthKind.API_KEY, key_name="api key", key_value="k v", key_in="query"),
            ),
        ),
        ("purge", Request(method="PURGE", url=f"{base}/cache/item")),
        (
            "multipart-untyped-file",
            post.with_changes(
                body=Body(
                    BodyKind.MULTIPART,
                    parts=(Part("doc", file=upload), Part("t", "x", content_type="text/csv")),
                )
            ),
        ),
        (
            "repeated-header",
            Request(
                url=f"{base}/rep",
                headers=(Pair("X-Rep", "1"), Pair("X-Rep", "2"), Pair("X-Empty", "")),
            ),
        ),
        (
            "no-follow",
            Request(url=f"{base}/redirect?to=/nowhere", options=Options(follow_redirects=False)),
        ),
        ("head", Request(method="HEAD", url=f"{base}/head")),
        (
            "empty-raw",
            post.with_changes(body=Body(BodyKind.RAW, text="", content_type="application/json")),
        ),
        (
            "redirect",
            Request(url=f"{base}/redirect?to=/landed", options=Options(follow_redirects=True)),
        ),
        ("status", Request(method="DELETE", url=f"{base}/status/418")),
        (
            "redirect-post-auth",
            Request(
                method="POST",
                url=f"{base}/redirect?to=/after",
                headers=(Pair("X-Keep", "1"),),
                auth=Auth(AuthKind.BASIC, username="u", password="p"),
                body=Body(BodyKind.RAW, text='{"a": 1}', content_type="application/json"),
            ),
        ),
        (
            "secrets",
            Request(
                url=f"{base}/secret",
                params=(Pair("key", "pre-" + secret("api_token")),),
                headers=(Pair("X-Token", f"Token {secret('api_token')}!"),),
                auth=Auth(AuthKind.BASIC, username="user 1", password=secret("password")),
            ),
        ),
        (
            "graphql",
            post.with_changes(
                url=f"{base}/graphql",
                body=Body(
                    BodyKind.GRAPHQL,
                    graphql=GraphQL(
                        query="query Echo($t: String) {\n  echo(t: $t) # " + ODD + "\n}",
                        variables=json.dumps({"t": ODD, "n": [1, 2.5, None]}),
                        operation_name="Echo",
                    ),
                ),
            ),
        ),
        (
            "graphql-get",
            Request(
                url=f"{base}/graphql?a=1",
                params=(Pair("b", "2"),),
                body=Body(
                    BodyKind.GRAPHQL,
                    graphql=GraphQL(query='{ item(id: "ü 1&2") { name } }', variables='{"n": 1}'),
                ),
            ),
        ),
    ]


def _placeholder(name: str) -> str:
    return "{{" + name + "}}"


def _value(name: str) -> str:
    return SECRETS[name.upper()]


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bodies")
    (folder / "upload file.txt").write_text("file content ✓\n", encoding="utf-8")
    (folder / "blob.bin").write_bytes(BINARY)
    return folder


@pytest.fixture(scope="module")
def app_sent(server: RecordingServer, files: Path) -> list[list[Recorded]]:
    """What the app's own send delivered, request by request (a redirect: two)."""
    server.take()
    transport = Transport()
    sent = []
    for _name, request in _cases(server.url, files, _value):
        response = transport.send(request)
        APP_STATUSES.append(response.status)
        sent.append(server.take())
    return sent


APP_STATUSES: list[int] = []  # the status of each response the app got, in order


Compared = dict[str, object]


def _quote_as_fetch(compared: Compared) -> Compared:
    path, mark, query = str(compared["target"]).partition("?")
    return {**compared, "target": path + mark + query.replace("'", "%27")}


def _decoded_query(compared: Compared) -> Compared:
    target = urlsplit(str(compared["target"]))
    return {**compared, "target": (target.path, parse_qsl(target.query))}


def _joined_headers(compared: Compared) -> Compared:
    joined: dict[str, list[str]] = {}
    for name, value in compared["headers"]:  # type: ignore[attr-defined]
        joined.setdefault(name, []).append(value)
    return {**compared, "headers": sorted((k, ", ".join(v)) for k, v in joined.items())}


def _text_parts_untyped(compared: Compared) -> Compared:
    """Text parts (no filename, or fetch's "blob") without their type and filename;
    file parts are still compared whole."""
    parts = [
        {**part, "content_type": None, "filename": None}
        if part["filename"] in (None, "blob")
        else part
        for part in compared["body"]  # type: ignore[attr-defined]
    ]
    return {**compared, "body": parts}


def _bodiless_untyped(compared: Compared) -> Compared:
    if compared["body"]:
        return compared
    headers = [h for h in compared["headers"] if h[0] != "content-type"]  # type: ignore[attr-defined]
    return {**compared, "headers": headers}


@dataclass(frozen=True)
class Known:
    """A difference the tool cannot avoid: where, why, what the generated code says
    about it, and how both recordings are brought together before comparing."""

    cases: frozenset[str] | None  # None: every case
    reason: str
    said: str  # a phrase of the generated code's comment
    normalise: Callable[[Compared], Compared]


_TYPED_TEXT_PART = frozenset({"multipart-untyped-file"})
KNOWN: dict[str, list[Known]] = {
    "python": [
        Known(frozenset({"repeated-header"}), "requests takes headers as a dict",
              "a dict holds it once", _joined_headers),
    ],
    "fetch": [
        Known(None, "fetch parses the URL by the WHATWG standard: ' in a query is %27",
              "fetch still writes ' as %27", _quote_as_fetch),
        Known(frozenset({"repeated-header"}), "the Fetch standard's Headers join values",
              "fetch joins the values", _joined_headers),
        Known(_TYPED_TEXT_PART, "a text part with a type can only be a Blob: a file named blob",
              'as a file named "blob"', _text_parts_untyped),
    ],
    "curl": [
        Known(frozenset({"secrets"}), "a secret in the query is encoded by curl at run time",
              "A secret in the query is encoded when the command runs", _decoded_query),
        Known(frozenset({"redirect-post-auth"}), "curl repeats -H headers after a redirect",
              "curl still sends the -H Content-Type", _bodiless_untyped),
    ],
    "httpie": [
        Known(frozenset({"secrets"}), "a secret in the query is an HTTPie == item",
              "A secret in the query is encoded when the command runs", _decoded_query),
        Known(_TYPED_TEXT_PART, "HTTPie cannot type a text part",
              "HTTPie cannot give a text part a Content-Type", _text_parts_untyped),
    ],
}  # fmt: skip


def _known(target: str, case: str, compared: Compared) -> Compared:
    for known in KNOWN.get(target, []):
        if known.cases is None or case in known.cases:
            compared = known.normalise(compared)
    return compared


def _program(target: str, server: RecordingServer, files: Path) -> str:
    code = generate_all(target, _cases(server.url, files, _placeholder), SECRET_NAMES)
    for secret in SECRETS.values():
        assert secret not in code, f"a secret value is written into the {target} code"
    return code


def _run(
    command: list[str], cwd: Path, timeout: float = 60, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    # Standard input is not a terminal, as in CI or cron.
    env = {**os.environ, **SECRETS, **(extra or {})}
    return subprocess.run(
        command, capture_output=True, cwd=cwd, env=env, timeout=timeout, stdin=subprocess.DEVNULL
    )


def _compare(target: str, server: RecordingServer, files: Path, app: list[list[Recorded]]) -> None:
    arrived = server.take()
    names = [name for name, _ in _cases(server.url, files, _value)]
    expected = [
        (name, _known(target, name, record.compared()))
        for name, records in zip(names, app, strict=True)
        for record in records
    ]
    problems = []
    for index, (name, want) in enumerate(expected):
        have = _known(target, name, arrived[index].compared()) if index < len(arrived) else None
        if have != want:
            problems.append(f"{target} {name}:\n  app:  {want}\n  tool: {have}")
    if len(arrived) != len(expected):
        problems.append(f"{target}: {len(arrived)} requests arrived, the app sent {len(expected)}")
    assert not problems, "\n".join(problems)


def _run_and_compare(
    target: str, command: list[str], name: str, server, files, app_sent, tmp_path, timeout=60
) -> None:
    server.take()  # nothing left over from another test
    (tmp_path / name).write_text(_program(target, server, files), encoding="utf-8")
    result = _run([*command, str(tmp_path / name)], tmp_path, timeout)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    _compare(target, server, files, app_sent)
    if target in ("python", "fetch", "go"):
        # Each program prints every response's status line on standard error.
        printed = [int(line.split()[0]) for line in result.stderr.decode().splitlines()]
        assert printed == APP_STATUSES


def test_python_sends_what_the_app_sends(server, files, app_sent, tmp_path):
    _run_and_compare("python", [sys.executable], "all.py", server, files, app_sent, tmp_path)


@peer_tools.needs_node
def test_fetch_sends_what_the_app_sends(server, files, app_sent, tmp_path):
    node = [str(peer_tools.NODE)]
    _run_and_compare("fetch", node, "all.js", server, files, app_sent, tmp_path)


@peer_tools.needs_go
def test_go_sends_what_the_app_sends(server, files, app_sent, tmp_path):
    # One program for the whole collection: one build (the slow part), cached by Go.
    go = [str(peer_tools.GO), "run"]
    _run_and_compare("go", go, "main.go", server, files, app_sent, tmp_path, timeout=180)


@peer_tools.needs_curl
def test_curl_sends_what_the_app_sends(server, files, app_sent, tmp_path):
    _run_and_compare("curl", ["bash"], "all.sh", server, files, app_sent, tmp_path)


# The script's `http` commands, run by bash (quoting, ${SECRET} expansions) but collected
# by a function, then all handed to HTTPie's own entry point in ONE process: starting
# HTTPie takes about half a second, fifteen times over otherwise.
_COLLECT = """http() { printf '%s\\0' "$#" "$@" >> "$HTTPIE_ARGUMENTS"; }\n"""
_HTTPIE_BATCH = """
import sys
from httpie.core import main

words = open(sys.argv[1], "rb").read().split(b"\\0")[:-1]
status = 0
while words:
    count, words = int(words[0]), words[1:]
    arguments, words = words[:count], words[count:]
    texts = [word.decode("utf-8", "surrogateescape") for word in arguments]
    status = status or main(["http", *texts])
sys.exit(status)
"""


@peer_tools.needs_httpie
def test_httpie_sends_what_the_app_sends(server, files, app_sent, tmp_path):
    script = tmp_path / "all.sh"
    script.write_text(_COLLECT + _program("httpie", server, files), encoding="utf-8")
    arguments = tmp_path / "arguments"
    server.take()
    result = _run(["bash", str(script)], tmp_path, extra={"HTTPIE_ARGUMENTS": str(arguments)})
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    httpie_python = str(peer_tools.HTTPIE.with_name("python"))
    result = _run([httpie_python, "-c", _HTTPIE_BATCH, str(arguments)], tmp_path)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    _compare("httpie", server, files, app_sent)


@pytest.mark.parametrize("target", KNOWN)
def test_the_known_differences_are_said_in_the_code(target, server, files):
    # A tool's limit that the comparison forgives must be written where users read it.
    code = _program(target, server, files)
    for known in KNOWN[target]:
        assert known.said in code, known.reason
