"""curl lines as API documentation writes them, checked on the wire against real curl.

Each line runs three ways against the recording server: the original with the real
curl, imported and sent by API Explorer (`Transport`), and exported back to curl and run
again. What arrives must be the same (`Recorded.compared()`: method, raw target, headers
and body byte for byte; multipart by parts). Both curl batches run as one bash script
each, so the whole module takes a couple of seconds.
"""

from __future__ import annotations

import base64
import re
import subprocess
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

import pytest

from explorer.core.formats.curl import parse_curl, to_curl
from explorer.core.http.exchange import SendError
from explorer.core.http.transport import Transport
from explorer.core.model import Request
from tests.support.peer_tools import CURL, needs_curl
from tests.support.recording_server import VARYING_HEADERS, Recorded, RecordingServer

pytestmark = needs_curl

# curl asks a server to accept an upload first (Expect: 100-continue); requests sends
# it at once. That is a transport detail, not part of the request.
IGNORED = VARYING_HEADERS | {"expect"}

# (name, curl line): $URL is the recording server, $HOST its host:port, $DIR the folder
# with the files a.txt, b.json and c.png. Written in the styles of public API docs.
LINES = {
    "stripe form with user-info style -u": (
        "curl $URL/v1/charges -u 'sk_test_4eC39HqLyjWDarjtT1zdp7dc:' -d amount=2000 "
        "-d currency=usd -d 'description=Order #1' -d 'metadata[order_id]=6735'"
    ),
    "stripe --data-urlencode": (
        "curl $URL/v1/customers -u sk_test_x: --data-urlencode 'name=Jenny Rosen' "
        "--data-urlencode 'email=jenny+1@example.com' -d 'expand[]=sources'"
    ),
    "github json with headers": (
        "curl -L -X POST -H 'Accept: application/vnd.github+json' "
        "-H 'Authorization: Bearer ghp_example' -H 'X-GitHub-Api-Version: 2022-11-28' "
        "$URL/repos/OWNER/REPO/issues "
        """-d '{"title":"Found a bug","body":"I'"'"'m having a problem with this."}'"""
    ),
    "github search -G": (
        "curl -G $URL/search/repositories --data-urlencode 'q=tetris language:assembly' "
        "-d sort=stars -d order=desc"
    ),
    "docker single-slash URL": (
        "curl 'http:/$HOST/v1.24/containers/json?all=1"
        "&filters=%7B%22status%22%3A%5B%22exited%22%5D%7D'"
    ),
    "docker create": (
        "curl -H 'Content-Type: application/json' "
        """-d '{"Image": "alpine", "Cmd": ["echo", "hello world"]}' """
        "-X POST http:/$HOST/v1.24/containers/create"
    ),
    "elasticsearch value-less ?pretty": (
        """curl -X GET "$URL/my-index/_search?pretty" -H 'Content-Type: application/json' """
        """-d'{"query":{"match_all":{}}}'"""
    ),
    "elasticsearch refresh=true&pretty": (
        "curl -XPUT '$URL/twitter/_doc/1?pretty&refresh=true' "
        """-H 'Content-Type: application/json' -d '{"user":"kimchy"}'"""
    ),
    "elasticsearch utf-8 basic": "curl -u 'elastic:pässwörd' '$URL/_cat/indices?v&h=index'",
    "url user-info": "curl 'http://us%40r:p%3Ass@$HOST/five'",
    "range and compressed": "curl -r 0-99 --compressed $URL/file.bin",
    "upload -T has no type": "curl -T $DIR/b.json $URL/upload",
    "non-ascii header": "curl -H 'X-Name: café ☕' -H 'X-Plain: ok' $URL/h",
    "multipart with curl's types": (
        """curl -F 'meta={"a":1};type=application/json' -F file=@$DIR/c.png """
        "-F doc=@$DIR/b.json -F note=hello -F 'txt=@$DIR/a.txt' $URL/upload"
    ),
    "form sent as written": ("curl -d 'q=a%20b&x=+' --data-urlencode 'n=a b+c/d~é' $URL/f"),
    "-G data as written": (
        "curl -G -d 'q=a%20b' -d 'z=+' --data-urlencode 'r=a b' '$URL/g?pretty&x=a+b&e='"
    ),
    "--url-query": "curl --url-query 'q=a b&c' --url-query k=v --url-query '+r=a%20b+c' $URL/uq",
    "head": "curl -I $URL/head",
    "--json": """curl --json '{"a":1}' $URL/json""",
    "cookies, agent, referer": "curl -b 'a=1; b=2' -A 'Agent/1' -e https://ref.example/ $URL/c",
}


# name -> what curl, the app and the exported curl sent (None: nothing arrived)
Trios = dict[str, tuple[Recorded | None, Recorded | None, Recorded | None]]


def _fill(line: str, server: RecordingServer, folder: Path) -> str:
    host = server.url.removeprefix("http://")
    return line.replace("$URL", server.url).replace("$HOST", host).replace("$DIR", str(folder))


def _run_curl(commands: list[str], folder: Path) -> str:
    """All commands in one bash run; the lines saying which failed (curl's status)."""
    script = "\n".join(
        f"{command} -s -o /dev/null || echo FAILED {i}" for i, command in enumerate(commands)
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=folder, capture_output=True, text=True, timeout=60,
        env={"PATH": str(Path(str(CURL)).parent), "HOME": str(folder)},
    )  # fmt: skip
    return done.stdout + done.stderr


def _compared(record: Recorded) -> dict[str, object]:
    """compared(), with percent-escapes in the target upper-cased: the case of `%3a` is
    curl's version (7.88 writes lowercase where -G appends to the query, 8.20 and later
    uppercase everywhere: curl/curl#21524); RFC 3986 §2.1 makes both the same URL."""
    found = record.compared(IGNORED)
    found["target"] = re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group().upper(), record.target)
    return found


@pytest.fixture(scope="module")
def three_ways(tmp_path_factory: pytest.TempPathFactory) -> Trios:
    """name -> (what curl sent, what the app sent, what the exported curl sent)."""
    folder = tmp_path_factory.mktemp("curl-wire")
    (folder / "a.txt").write_text("hello\n")
    (folder / "b.json").write_text('{"x": 1}')
    (folder / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with RecordingServer() as server:
        # X-Case tells the recordings apart, should a command fail to send.
        lines = [
            _fill(f"{line} -H 'X-Case: {index}'", server, folder)
            for index, line in enumerate(LINES.values())
        ]
        _run_curl(lines, folder)
        original = _by_case(server.take())
        requests: list[Request] = [parse_curl(line).request for line in lines]
        sent = [_send(request, server) for request in requests]
        _run_curl([to_curl(request) for request in requests], folder)
        exported = _by_case(server.take())
    return {
        name: (original.get(index), sent[index], exported.get(index))
        for index, name in enumerate(LINES)
    }


def _by_case(records: list[Recorded]) -> dict[int, Recorded]:
    return {int(record.header("X-Case") or -1): record for record in records}


def _send(request: Request, server: RecordingServer) -> Recorded | None:
    """What the app sent for `request` (None when it could not send it)."""
    transport = Transport()
    try:
        transport.send(request)
    except SendError:
        return None
    finally:
        transport.close()
    (record,) = server.take()
    return record


@pytest.mark.parametrize("name", LINES)
def test_curl_app_and_export_send_the_same_bytes(three_ways: Trios, name: str) -> None:
    original, sent, exported = three_ways[name]
    assert original is not None, "curl did not send the original line"
    assert sent is not None, "the app could not send the imported request"
    assert exported is not None, "the exported curl command did not send"
    assert _compared(sent) == _compared(original)
    assert _compared(exported) == _compared(original)


def test_what_arrives_is_what_curl_sends(three_ways: Trios) -> None:
    """The points of #14, spelled out on the original curl's recording and the app's."""

    def both(name: str) -> tuple[Recorded, Recorded]:
        original, sent, _ = three_ways[name]
        assert original is not None and sent is not None, name
        return original, sent

    for record in both("non-ascii header"):
        assert record.header("X-Name") == "café ☕".encode()
    for record in both("elasticsearch utf-8 basic"):
        assert record.header("Authorization") == b"Basic " + base64.b64encode(
            "elastic:pässwörd".encode()
        )
    for record in both("url user-info"):
        assert record.header("Authorization") == b"Basic " + base64.b64encode(b"us@r:p:ss")
        assert record.target == "/five"
    for record in both("form sent as written"):
        assert record.body == b"q=a%20b&x=+&n=a+b%2Bc%2Fd~%C3%A9"
    for record in both("-G data as written"):
        assert record.target == "/g?pretty&x=a+b&e=&q=a%20b&z=+&r=a+b"
    for record in both("elasticsearch value-less ?pretty"):
        assert record.target == "/my-index/_search?pretty"
    for record in both("range and compressed"):
        assert record.header("Range") == b"bytes=0-99"
    for record in both("upload -T has no type"):
        assert record.method == "PUT" and record.header("Content-Type") is None
    for record in both("docker single-slash URL"):
        assert record.path == "/v1.24/containers/json"
    for record in both("multipart with curl's types"):
        types = {part["name"]: part["content_type"] for part in record.multipart_parts()}
        assert types == {
            "meta": "application/json",
            "file": "image/png",
            "doc": "application/octet-stream",
            "note": None,
            "txt": "text/plain",
        }


def test_several_files_in_one_part(tmp_path: Path, recording_server: RecordingServer) -> None:
    """curl 7.x sends `-F 'f=@a,b'` as one part holding a multipart/mixed; the import
    makes one part per file under that name (reported), with the same files and types."""
    (tmp_path / "a.txt").write_text("hello\n")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    line = _fill("curl -F 'f=@$DIR/a.txt,$DIR/c.png' -F g=1 $URL/many", recording_server, tmp_path)
    _run_curl([line], tmp_path)
    (original,) = recording_server.take()
    assert [part["name"] for part in original.multipart_parts()] == ["f", "g"]
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + (original.header("Content-Type") or b"") + b"\r\n\r\n" + original.body
    )
    mixed = next(message.iter_parts())
    assert mixed.get_content_type() == "multipart/mixed"
    curl_files = [
        (part.get_filename(), part.get("Content-Type"), part.get_payload(decode=True))
        for part in mixed.iter_parts()
    ]
    parsed = parse_curl(line)
    assert any("multipart/mixed" in note and "2 parts" in note for note in parsed.report)
    sent = _send(parsed.request, recording_server)
    _run_curl([to_curl(parsed.request)], tmp_path)
    for record in (sent, *recording_server.take()):
        assert record is not None
        parts = record.multipart_parts()
        assert [part["name"] for part in parts] == ["f", "f", "g"]
        files = [(p["filename"], p["content_type"], p["data"]) for p in parts[:2]]
        assert (
            files
            == curl_files
            == [
                ("a.txt", "text/plain", b"hello\n"),
                ("c.png", "image/png", b"\x89PNG"),
            ]
        )
