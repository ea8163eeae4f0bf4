"""Send parity: an OpenCollection folder run by Bruno's own CLI (`bru run`) and the same
folder imported and sent by API Explorer arrive at the recording server alike (method,
raw target, headers, body bytes; multipart compared part by part)."""

from __future__ import annotations

import shutil
import subprocess

from explorer.application.scopes import command_line_scope, find_environment, request_scopes
from explorer.application.sending import Place, prepare_send, send
from explorer.core.collection import walk_requests
from explorer.core.http.transport import Transport
from explorer.core.opencollection import import_opencollection_folder
from tests.core.opencollection.test_opencollection_import import FIXTURES
from tests.support.peer_tools import BRU, needs_bru
from tests.support.recording_server import VARYING_HEADERS

# Bruno stamps every request with the time it started (its own header, not the file's).
IGNORED = VARYING_HEADERS | {"request-start-time"}
SECRETS = {"api_token": "t0k", "garden_password": "pa ss"}


@needs_bru
def test_folder_arrives_as_bru_sends_it(recording_server, tmp_path) -> None:
    folder = tmp_path / "orchard"
    shutil.copytree(FIXTURES / "folder", folder)
    (folder / "Trees" / "broken.yml").unlink()  # bru stops at a file it cannot parse
    variables = [f"base_url={recording_server.url}", *(f"{k}={v}" for k, v in SECRETS.items())]
    command = [str(BRU), "run", "--env", "local"]
    for variable in variables:
        command += ["--env-var", variable]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    theirs = {(r.method, r.path): r.compared(IGNORED) for r in recording_server.take()}

    collection = import_opencollection_folder(folder).collection
    overrides = command_line_scope({"base_url": recording_server.url}, SECRETS)
    scopes = request_scopes([], collection, find_environment(collection, "local"), overrides)
    transport = Transport()
    for path, item in walk_requests(collection):
        place = Place(collection, path, item.inherit_headers, root=folder)
        prepared = prepare_send(item.request, place, scopes)
        assert prepared.unresolved == [], (item.name, prepared.unresolved)
        send(transport, prepared)
    ours = {(r.method, r.path): r.compared(IGNORED) for r in recording_server.take()}

    assert set(theirs) == set(ours) and len(ours) == 5
    # Bruno's CLI 4.1.0 drops an API key placed in the query when the URL starts with a
    # variable (and sends `{{api_token}}` unresolved when it does not): the file means
    # `?api_key=<value>`, which is what API Explorer sends.
    weather = ("GET", "/weather")
    assert theirs.pop(weather)["target"] == "/weather"
    assert ours.pop(weather)["target"] == "/weather?api_key=t0k"
    for key, arrived in theirs.items():
        assert ours[key] == arrived, key
