"""The history as HAR, end to end with real parts: requests sent through the real
transport to real servers (the recording server, the practice server), recorded by
`application/history.record_sent` in a real SQLite history, exported, checked by the
real har-validator, imported again, written as a collection, sent again, and the two
recordings compared: JSON, binary and multipart bodies, a redirect chain hop by hop,
and cookies (names kept, values never)."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from explorer.application import exporting, importing
from explorer.application.history import record_sent
from explorer.application.loading import open_collection
from explorer.application.sending import Place, prepare_send, send
from explorer.cli import main as cli_main
from explorer.core.collection import walk_requests
from explorer.core.http.transport import Transport
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Part, Request
from explorer.core.paths import history_path
from explorer.core.storage.history import History
from explorer.core.storage.history_redact import REDACTED
from explorer.core.storage.secrets import SecretStore
from tests.support.peer_tools import HAR_VALIDATOR, NODE, needs_har_validator

BINARY = bytes(range(256)) * 3 + b"\x00\xff\xfe"
SECRET = "tok-7f3a9c1e55d2"
COOKIE_SECRET = "cookie-value-91ab"

VALIDATE = """
const validator = require(process.argv[1]);
const fs = require('fs');
(async () => {
  const out = {};
  for (const file of process.argv.slice(2)) {
    try { await validator.har(JSON.parse(fs.readFileSync(file, 'utf8'))); out[file] = []; }
    catch (error) { out[file] = (error.errors || [String(error)]).map(e => e.message || e); }
  }
  console.log(JSON.stringify(out));
})();
"""


def validate(*files: Path) -> dict[str, list[str]]:
    """Every file through the real har-validator, in one node run: file -> errors."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, "-e", VALIDATE, str(HAR_VALIDATOR), *map(str, files)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def _requests(base: str, live: str, upload: Path) -> list[Request]:
    return [
        Request(
            "POST", f"{base}/json?a=1&b=x%20y",
            headers=(Pair("Content-Type", "application/json"), Pair("X-Trace", "t-1")),
            body=Body(BodyKind.RAW, text='{"name": "Ada", "n": [1, 2]}',
                      content_type="application/json"),
        ),
        Request(
            "PUT", f"{base}/blob",
            body=Body(BodyKind.BINARY, file=str(upload), content_type="application/octet-stream"),
        ),
        Request(
            "POST", f"{base}/upload",
            body=Body(BodyKind.MULTIPART, parts=(
                Part("title", "Über"),
                Part("data", file=str(upload), content_type="application/octet-stream"),
            )),
        ),
        Request("POST", f"{base}/redirect?to=/landed", body=Body(BodyKind.RAW, text="moved",
                                                                 content_type="text/plain")),
        Request(
            "GET", f"{base}/private",
            headers=(Pair("Cookie", f"sid={COOKIE_SECRET}; theme=dark"),),
            auth=Auth(AuthKind.BEARER, token=SECRET),
        ),
        Request("GET", f"{live}/cookies/set?flavour=oat&size=big"),
    ]  # fmt: skip


@needs_har_validator
def test_the_history_goes_out_as_valid_har_and_comes_back_as_it_was_sent(
    recording_server, live_server, tmp_path
):
    upload = tmp_path / "upload.bin"
    upload.write_bytes(BINARY)
    history = History(history_path())  # the data folder's, which `export --to har` reads
    transport = Transport()
    try:
        for written in _requests(recording_server.url, live_server, upload):
            prepared = prepare_send(written, Place(), [])
            record_sent(history, prepared, send(transport, prepared))
        sent = recording_server.take()
        entries = list(reversed(exporting.history_entries(history)))  # oldest first
    finally:
        history.close()
    har = tmp_path / "history.har"
    exporting.write_history(entries, har)
    text = har.read_text(encoding="utf-8")

    # Never a secret in an export, in any encoding the redactor knows.
    for secret in (SECRET, COOKIE_SECRET):
        assert secret not in text
        assert base64.b64encode(secret.encode()).decode() not in text

    document = json.loads(text)["log"]["entries"]
    requests = [row["request"] for row in document]
    responses = [row["response"] for row in document]
    # One entry per hop: the two redirects are entries of their own.
    assert [(r["method"], r["url"].split("/", 3)[3]) for r in requests] == [
        ("POST", "json?a=1&b=x%20y"),
        ("PUT", "blob"),
        ("POST", "upload"),
        ("POST", "redirect?to=/landed"),
        ("GET", "landed"),
        ("GET", "private"),
        ("GET", "cookies/set?flavour=oat&size=big"),
        ("GET", "cookies"),
    ]
    assert responses[3]["status"] == 302 and responses[3]["redirectURL"].endswith("/landed")
    assert responses[4]["status"] == 200 and responses[4]["redirectURL"] == ""
    assert requests[3]["postData"]["text"] == "moved" and requests[3]["bodySize"] == 5
    # A binary body: its size, and its bytes in base64.
    assert requests[1]["bodySize"] == len(BINARY)
    assert requests[1]["postData"]["encoding"] == "base64"
    assert base64.b64decode(requests[1]["postData"]["text"]) == BINARY
    # Multipart: params with the real boundary in the mimeType.
    post = requests[2]["postData"]
    assert post["mimeType"].startswith("multipart/form-data; boundary=")
    assert [(p["name"], p.get("fileName")) for p in post["params"]] == [
        ("title", None),
        ("data", "upload.bin"),
    ]
    assert post["params"][0]["value"] == "Über"
    # Cookies by name, values masked like the rest of the history.
    assert requests[5]["cookies"] == [
        {"name": "sid", "value": REDACTED},
        {"name": "theme", "value": REDACTED},
    ]
    set_cookies = responses[6]["cookies"]
    assert [(c["name"], c["value"], c["path"]) for c in set_cookies] == [
        ("flavour", REDACTED, "/"),
        ("size", REDACTED, "/"),
    ]
    assert {c["name"] for c in requests[7]["cookies"]} == {"flavour", "size"}

    # The command line writes the same archive (newest first, each chain in its order).
    from_cli = tmp_path / "cli.har"
    assert cli_main(["export", "--to", "har", "--out", str(from_cli)]) == 0
    rows = json.loads(from_cli.read_text(encoding="utf-8"))["log"]["entries"]
    assert [r["request"]["url"] for r in rows] == [
        r["url"] for r in requests[6:] + requests[5:6] + requests[3:5] + requests[2::-1]
    ]

    # The real har-validator accepts both (and tells a broken archive apart).
    broken = tmp_path / "broken.har"
    broken.write_text(json.dumps({"log": {"version": "1.2", "entries": [{}]}}))
    verdicts = validate(har, from_cli, broken)
    assert verdicts[str(har)] == [] and verdicts[str(from_cli)] == []
    assert verdicts[str(broken)]

    # Imported again: the same exchanges, multipart as multipart, binary as bytes.
    imported = importing.convert(text, filename="history.har")
    assert imported.format == "har" and len(imported.har_entries) == 8
    again = [item.request for _, item in walk_requests(imported.result.collection)]
    assert again[2].body.kind is BodyKind.MULTIPART
    assert [p.name for p in again[2].body.parts] == ["title", "data"]
    assert again[1].body.kind is BodyKind.BINARY
    assert imported.har_entries[1].request_body == BINARY
    folder = tmp_path / "collections" / "from-har"
    importing.write_new_collection(imported.result, folder, SecretStore(tmp_path / "s.json"))
    assert (folder / again[1].body.file).read_bytes() == BINARY

    # Sent again from the written collection: what arrives is what arrived the first time.
    loaded = open_collection(folder, SecretStore(tmp_path / "s.json"))
    replay = [item.request for _, item in walk_requests(loaded.collection)]
    transport = Transport()
    try:
        for request in replay[:5]:  # the recording server's own exchanges, hop by hop
            prepared = prepare_send(request, Place(loaded.collection, (), True, folder), [])
            send(transport, prepared)
    finally:
        transport.close()
    resent = recording_server.take()
    assert [r.compared() for r in resent] == [r.compared() for r in sent[:5]]


def test_a_history_made_before_hops_were_kept_still_opens(tmp_path):
    """The hops column is added to an older database on opening; its rows have none."""
    import sqlite3

    path = tmp_path / "old.sqlite3"
    History(path).close()
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE entries DROP COLUMN hops")
        db.execute(
            "INSERT INTO entries (ts, method, url, status, reason, elapsed_ms, size, error, "
            "http_version, request_headers, request_body, request_body_truncated, "
            "response_headers, response_body, response_body_truncated, request_json) "
            "VALUES (1, 'GET', 'http://h/', 200, 'OK', 1, 0, '', 'HTTP/1.1', '[]', x'', 0, "
            "'[]', x'', 0, '')"
        )
    history = History(path)
    try:
        (summary,) = history.search()
        entry = history.get(summary.id)
        assert entry is not None and entry.hops == ()
    finally:
        history.close()


@pytest.mark.parametrize("cut", ["request", "response"])
def test_a_body_the_history_cut_is_said_in_the_entry(tmp_path, recording_server, cut):
    history = History(tmp_path / "h.sqlite3", body_cap=16)
    transport = Transport()
    try:
        body = "x" * 64 if cut == "request" else ""
        written = Request("POST", f"{recording_server.url}/long", body=Body(BodyKind.RAW, body))
        prepared = prepare_send(written, Place(), [])
        record_sent(history, prepared, send(transport, prepared))
        (entry,) = exporting.history_entries(history)
    finally:
        transport.close()
        history.close()
    row = json.loads(exporting.history_text([entry]))["log"]["entries"][0]
    assert f"the {cut} body after its first 16 bytes" in row["comment"]
    # The sizes are those of the whole bodies, not of what the history kept.
    if cut == "request":
        assert row["request"]["bodySize"] == 64
    else:
        assert row["response"]["bodySize"] == row["response"]["content"]["size"] > 16
