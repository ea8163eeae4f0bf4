"""Format detection: never worse than an explicit format, Postman v2.0 drafts and the
newer schema host, a UTF-8 BOM from every source, and messages that name what was seen."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from explorer.application import importing
from explorer.cli import main as cli_main
from explorer.core.collection import walk_requests
from explorer.core.formats import FORMATS, FormatError, convert, detect_format

FIXTURES = Path(__file__).parent / "fixtures"
BOM = "\ufeff"


def _fixtures() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*") if path.is_file())


def _found_something(imported) -> bool:
    """A reading that found a request with a real URL, or an environment: the .http
    reading takes any first line for a URL, which is not reading the file."""
    result = imported.result
    urls = [item.request.url for _, item in walk_requests(result.collection)]
    real = any(url.startswith(("http://", "https://", "{{")) and " " not in url for url in urls)
    return real or bool(result.environments)


def _requests(imported) -> list[tuple[str, str]]:
    return [(i.request.method, i.request.url) for _, i in walk_requests(imported.result.collection)]


def test_detection_is_never_worse_than_an_explicit_format() -> None:
    """For every fixture and format: when `--format X` reads the file, so does detection,
    with the same requests (or, read as another format, at least as many)."""
    checked = 0
    for path in _fixtures():
        text = path.read_text(encoding="utf-8")
        for name in (path.name, None):
            for format in FORMATS:
                try:
                    explicit = convert(text, format, name, path.parent)
                except FormatError:
                    continue
                if not _found_something(explicit):
                    continue
                detected = convert(text, None, name, path.parent)
                checked += 1
                if detected.format == format:
                    assert _requests(detected) == _requests(explicit), (path, format)
                else:
                    assert len(_requests(detected)) >= len(_requests(explicit)), (path, format)
    assert checked >= 15  # every valid fixture, with and without its file name


def _postman(schema_key: str | None, schema: str, request: object) -> str:
    info: dict[str, object] = {"name": "Draft", "_postman_id": "1"} if schema_key else {}
    if not schema_key:
        info = {"name": "Draft"}
    elif schema:
        info[schema_key] = schema
    document = {"info": info, "item": [{"name": "status", "request": request}]}
    return json.dumps(document)


@pytest.mark.parametrize(
    ("schema_key", "schema"),
    [
        ("schema", "https://schema.getpostman.com/#2.0.0"),
        ("schema", "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"),
        ("schema", "https://schema.postman.com/json/collection/v2.1.0/collection.json"),
        ("_postman_schema", "https://schema.getpostman.com/#2.0.0"),
        ("schema", ""),  # an info with a Postman id, no schema
        (None, ""),  # info and item, nothing else: the shape of every v2 collection
    ],
)
def test_postman_drafts_and_schema_hosts_are_detected(schema_key, schema) -> None:
    for request in ("https://api.example.com/status", {"url": "https://api.example.com/status"}):
        text = _postman(schema_key, schema, request)
        assert detect_format(text) == "postman"
        imported = convert(text)
        assert imported.format == "postman"
        assert [url for _, url in _requests(imported)] == ["https://api.example.com/status"]


def test_a_header_block_as_one_string_is_detected_as_postman() -> None:
    document = {
        "info": {"name": "Old", "schema": "https://schema.getpostman.com/#2.0.0"},
        "item": [
            {
                "name": "create",
                "request": {
                    "url": "https://api.example.com/items",
                    "method": "POST",
                    "header": "Content-Type: application/json\nX-Trace: 1\n",
                    "body": {"mode": "raw", "raw": "{}"},
                },
            }
        ],
    }
    assert detect_format(json.dumps(document)) == "postman"
    assert convert(json.dumps(document)).format == "postman"


# ---- what the messages say ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '{"info": {"name": "x"}, "variable": [], "event": []}',
            "a JSON object with keys info, variable, event — looks like a Postman collection"
            " but has no schema",
        ),
        ('{"log": {"version": "1.2"}}', "a JSON object with key log — a HAR log without entries"),
        ('{"log": [1, 2]}', "a HAR log that is not an object"),
        ("{}", "an empty JSON object"),
        ("[1, 2, 3]", "a JSON array of 3 items"),
        ("name: x\nitems: []\n", "YAML with top-level keys name, items"),
        ("info:\n  title: x\n", "YAML with top-level key info"),
        ('{"id": "1", "name": "n", "requests": [], "order": []}', "a Postman v1 collection"),
        ("just some words", "1 line of text starting 'just some words'"),
    ],
)
def test_a_refusal_names_what_was_seen_in_one_line(text: str, said: str) -> None:
    with pytest.raises(FormatError) as caught:
        convert(text)
    assert said in caught.value.message
    assert "\n" not in str(caught.value)


def test_a_detected_format_that_fails_keeps_its_own_error() -> None:
    with pytest.raises(FormatError) as caught:
        convert((FIXTURES / "postman" / "bad_shape.json").read_text(encoding="utf-8"))
    assert caught.value.location == "$.item[1].request.body.urlencoded"


# ---- a UTF-8 BOM, from every source ------------------------------------------------------

HAR = (FIXTURES / "har" / "browser.har").read_text(encoding="utf-8")
EXPECTED = [
    ("GET", "https://shop.example.com/api/items"),
    ("POST", "https://shop.example.com/api/login"),
    ("PUT", "https://shop.example.com/api/items/1"),
]
# A BOM as editors and tools leave it: alone, twice (a BOM written again by a tool that
# kept the one it read), after a blank line (pasted), after white space.
BOM_FORMS = [BOM, BOM + BOM, "\r\n" + BOM, "  " + BOM + "\n"]


@pytest.mark.parametrize("lead", BOM_FORMS)
@pytest.mark.parametrize("format", [None, "har"])
def test_pasted_text_with_a_bom(lead: str, format: str | None) -> None:
    imported = importing.convert(importing.pasted_text(lead + HAR), format=format)
    assert imported.format == "har" and _requests(imported) == EXPECTED


@pytest.mark.parametrize("lead", BOM_FORMS)
@pytest.mark.parametrize("format", [None, "har"])
def test_a_file_with_a_bom(tmp_path: Path, lead: str, format: str | None) -> None:
    source = tmp_path / "recording.har"
    source.write_bytes((lead + HAR).encode("utf-8"))
    text = importing.read_import_file(source)
    imported = importing.convert(text, format=format, filename=source.name)
    assert _requests(imported) == EXPECTED


@pytest.fixture(scope="module")
def file_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    """A real HTTP server on 127.0.0.1 that serves the bytes put in its dict by path."""
    files: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path, b"")
            self.send_response(200 if self.path in files else 404)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", files
    server.shutdown()
    thread.join(5)


@pytest.mark.parametrize("index", range(len(BOM_FORMS)))
def test_a_download_and_the_command_line_with_a_bom(file_server, tmp_path, capsys, index):
    base, files = file_server
    data = (BOM_FORMS[index] + HAR).encode("utf-8")
    files[f"/{index}.har"] = data
    url = f"{base}/{index}.har"
    response = importing.download_transport().send(importing.download_request(url))
    text = importing.downloaded_text(response)
    assert _requests(importing.convert(text, format="har")) == EXPECTED
    source = tmp_path / "bom.har"
    source.write_bytes(data)
    for where in (url, str(source)):
        for arguments in ([where], [where, "--format", "har"]):
            assert cli_main(["import", *arguments]) == 0, arguments
            out, err = capsys.readouterr()
            assert "imported 3 request(s)" in err
            assert [line.split()[:2] for line in out.splitlines()] == [list(r) for r in EXPECTED]
