"""Send parity: the requests of an imported Insomnia v5 file, sent by API Explorer
(inheritance, variables, files, the real Transport) to the recording server, arrive as
the file describes them: method, target, headers and body bytes."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import parse_qsl

from explorer.application.scopes import command_line_scope, find_environment, request_scopes
from explorer.application.sending import Place, prepare_send, send
from explorer.core.collection import walk_requests
from explorer.core.formats import import_text
from explorer.core.http.transport import Transport
from tests.support.recording_server import VARYING_HEADERS, Recorded

FIXTURES = Path(__file__).parents[1] / "formats" / "fixtures" / "insomnia"


def _own_headers(recorded: Recorded) -> dict[str, str]:
    """The headers a tool chooses to send, by lower-case name (the varying ones left out)."""
    return {
        name.lower(): value.decode("utf-8")
        for name, value in recorded.headers
        if name.lower() not in VARYING_HEADERS
    }


def test_v5_requests_arrive_as_the_file_describes(recording_server) -> None:
    text = (FIXTURES / "v5_collection.yaml").read_text(encoding="utf-8")
    collection = import_text(text).collection
    environment = find_environment(collection, "Staging secrets")
    # The encrypted vault value is filled in as the user would; base_url points here; the
    # response tag's captured value is given (the echo server's answer has no `id`).
    overrides = command_line_scope(
        {"base_url": recording_server.url, "register_ship_id": "7"},
        # The OAuth 2.0 client secret of 'Ships by flag' (its token is fetched by the
        # window's or run's token source, not by prepare_send: none goes here).
        {"secret_token": "t0ken", "api_key": "k3y", "password": "hunter2", "client_secret": "c"},
    )
    scopes = request_scopes([], collection, environment, overrides)
    transport = Transport()
    sent = []
    for path, item in walk_requests(collection):
        if item.request.method == "WS":  # the radio, a WebSocket elsewhere (test_websocket)
            continue
        place = Place(collection, path, item.inherit_headers, root=FIXTURES)
        prepared = prepare_send(item.request, place, scopes)
        assert prepared.unresolved == [], (item.name, prepared.unresolved)
        response = send(transport, prepared)
        assert response.status == 200, item.name
        sent.append(item.name)
    arrived = dict(zip(sent, recording_server.take(), strict=True))

    register = arrived["Register ship"]
    assert (register.method, register.target) == ("POST", "/ships")
    basic = base64.b64encode(b"captain:hunter2").decode()
    assert _own_headers(register) == {
        "content-type": "application/json",
        "authorization": f"Basic {basic}",
    }
    assert register.body == b'{"name": "Aurora", "flag": "NO", "crew": 12}'

    log = arrived["Ship log"]
    assert (log.method, log.target) == ("GET", "/ships/42/log?full=1&limit=10")
    assert _own_headers(log) == {"x-trace": "t-1"}
    assert log.header("Accept") == b"application/json" and log.body == b""

    load = arrived["Load cargo"]
    assert (load.method, load.target) == ("PUT", "/cargo")
    assert _own_headers(load) == {
        "content-type": "application/x-www-form-urlencoded",
        "x-folder": "cargo",
        "authorization": "Bearer t0ken",
    }
    assert parse_qsl(load.body.decode()) == [("item", "crates of tea"), ("count", "7")]

    manifest = arrived["Upload manifest"]
    assert (manifest.method, manifest.target) == ("POST", "/cargo/manifest?api_key=k3y")
    headers = _own_headers(manifest)
    assert headers.pop("content-type").startswith("multipart/form-data; boundary=")
    assert headers == {"x-folder": "cargo"}
    parts = [(p["name"], p["filename"], p["data"]) for p in manifest.multipart_parts()]
    assert parts == [
        ("note", None, b"first load"),
        ("manifest", "manifest.txt", (FIXTURES / "manifest.txt").read_bytes()),
    ]

    berth = arrived["Assign berth"]
    assert (berth.method, berth.target) == ("PATCH", "/berths/7")
    # Digest auth answers a challenge; the echo server sends none, so no credentials go.
    assert _own_headers(berth) == {"content-type": "text/plain"}
    assert berth.body == b"berth 7"

    graphql = arrived["Ships by flag"]
    assert (graphql.method, graphql.target) == ("POST", "/graphql")
    assert _own_headers(graphql) == {"content-type": "application/json"}
    assert graphql.body == b'{"query":"query { ships(flag: \\"NO\\") { name } }","variables":{}}'
