"""The application layer's Send, without Qt: scopes, preparation (inheritance, variables,
options, files, sensitive values), sending through the real transport to the practice
server, and the history row it leaves (secrets redacted), on real files and SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.application.history import record_sent, record_unsent
from explorer.application.loading import load_global_variables, open_collection
from explorer.application.scopes import command_line_scope, find_environment, request_scopes
from explorer.application.sending import (
    Place,
    PreparedSend,
    SendOptions,
    effective,
    prepare_send,
    send,
)
from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Request
from explorer.core.resolve.variables import resolve_text
from explorer.core.storage.collection_files import save_collection
from explorer.core.storage.global_variables import save_globals
from explorer.core.storage.history import History
from explorer.core.storage.secrets import SecretStore

SECRET = "app-SECRET-4b2e9f"


def team_collection(base: str) -> Collection:
    """A collection with settings to inherit: collection auth and header, a folder
    header overriding the collection's, a request that inherits and one that does not."""
    inherits = Request(
        "GET",
        "{{base}}/anything/{{who}}",
        headers=(Pair("X-Own", "{{who}}"),),
        auth=Auth(kind=AuthKind.INHERIT),
        name="Inherits",
    )
    alone = Request("GET", "{{base}}/anything/alone", name="Alone")
    folder = Folder(
        "Team",
        headers=(Pair("X-Team", "folder"),),
        items=(RequestItem(inherits), RequestItem(alone, inherit_headers=False)),
    )
    return Collection(
        "Team API",
        variables=(Variable("base", base), Variable("token", "", secret=True)),
        environments=(Environment("dev", (Variable("who", "ada"),)),),
        headers=(Pair("X-Team", "collection"), Pair("X-Trace", "{{who}}-trace")),
        auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
        items=(folder,),
    )


@pytest.fixture
def workspace_files(tmp_path, live_server):
    """The collection on disk, its secret in the secret store, and global variables."""
    secrets = SecretStore(tmp_path / "secrets.json")
    root = tmp_path / "team"
    save_collection(team_collection(live_server), root)
    loaded = open_collection(root, secrets)
    filled = Collection(
        "", variables=(Variable("base", live_server), Variable("token", SECRET, secret=True))
    )
    secrets.keep(loaded.key, filled)
    globals_path = tmp_path / "globals.yaml"
    save_globals(globals_path, Environment("Globals", (Variable("who", "global"),)), secrets)
    return root, secrets, globals_path


def scopes_and_collection(workspace_files, environment: str | None = "dev"):
    root, secrets, globals_path = workspace_files
    loaded = open_collection(root, secrets)
    assert loaded.secrets_problem == ""
    global_variables, problem = load_global_variables(globals_path, secrets)
    assert problem == ""
    chosen = find_environment(loaded.collection, environment) if environment else None
    return request_scopes(global_variables.variables, loaded.collection, chosen), loaded


def test_scopes_go_global_collection_environment_command_line(workspace_files):
    scopes, _loaded = scopes_and_collection(workspace_files)
    assert [scope.name for scope in scopes] == ["global", "collection", "environment dev"]
    assert resolve_text("{{who}}", scopes) == "ada"  # the environment beats the globals
    assert resolve_text("{{token}}", scopes) == SECRET  # filled from the secret store
    highest = command_line_scope({"who": "cli"}, {"token": "cli-secret"})
    assert resolve_text("{{who}}/{{token}}", [*scopes, highest]) == "cli/cli-secret"
    assert highest.secret == frozenset({"token"})
    without, _loaded = scopes_and_collection(workspace_files, environment=None)
    assert resolve_text("{{who}}", without) == "global"


def test_prepare_applies_inheritance_then_variables(workspace_files):
    scopes, loaded = scopes_and_collection(workspace_files)
    collection = loaded.collection
    folder = collection.items[0]
    assert isinstance(folder, Folder)
    inherits, alone = folder.items
    assert isinstance(inherits, RequestItem) and isinstance(alone, RequestItem)
    root = Path(workspace_files[0])

    prepared = prepare_send(inherits.request, Place(collection, ("Team",), True, root), scopes)
    headers = [(h.name, h.value) for h in prepared.request.headers]
    assert headers == [("X-Trace", "ada-trace"), ("X-Team", "folder"), ("X-Own", "ada")]
    assert prepared.request.auth == Auth(kind=AuthKind.BEARER, token=SECRET)
    assert prepared.request.url.endswith("/anything/ada")
    assert prepared.written == inherits.request  # history keeps it as written
    assert SECRET in prepared.sensitive and prepared.problems == ()

    own = prepare_send(alone.request, Place(collection, ("Team",), False, root), scopes)
    assert own.request.headers == ()  # it does not inherit headers
    assert own.request.auth == Auth()  # its own auth (none) is kept


def test_a_request_in_no_collection_inherits_nothing():
    written = Request(url="http://127.0.0.1:9/{{gone}}", auth=Auth(kind=AuthKind.INHERIT))
    assert effective(written, Place()).auth == Auth()
    prepared = prepare_send(written, Place(), [])
    assert prepared.unresolved == ["gone"]
    assert prepared.request.url == "http://127.0.0.1:9/{{gone}}"  # left as written


def test_the_callers_options_win_over_the_requests(tmp_path):
    written = Request(url="http://127.0.0.1:9/")
    options = SendOptions(timeout=2.0, max_body=64, total_timeout=7.5)
    sent = prepare_send(written, Place(), [], options).request.options
    assert (sent.timeout, sent.max_body_size, sent.total_timeout) == (2.0, 64, 7.5)
    assert prepare_send(written, Place(), []).request.options == written.options


def test_files_outside_the_collection_are_listed_and_relative_ones_stay_inside(tmp_path):
    root = tmp_path / "api"
    (root / "data").mkdir(parents=True)
    (root / "data" / "in.json").write_text("{}")
    outside = tmp_path / "private.key"
    outside.write_text("key")
    place = Place(Collection("Api"), (), True, root)

    inside = Request(url="http://127.0.0.1:9/", body=Body(BodyKind.BINARY, file="data/in.json"))
    prepared = prepare_send(inside, place, [])
    assert prepared.outside_files == ()
    assert Path(prepared.request.body.file) == root / "data" / "in.json"

    far = Request(url="http://127.0.0.1:9/", body=Body(BodyKind.BINARY, file=str(outside)))
    assert prepare_send(far, place, []).outside_files == (outside.resolve(),)
    assert prepare_send(far, Place(), []).outside_files == ()  # a scratch request is free


def test_a_literal_credential_is_sensitive_too():
    written = Request(url="http://127.0.0.1:9/", auth=Auth(AuthKind.BASIC, "ada", "pa55word-long"))
    prepared = prepare_send(written, Place(), [])
    assert {"pa55word-long", "ada:pa55word-long"} <= prepared.sensitive


def test_send_and_history_keep_the_request_as_written_and_the_secret_out(workspace_files, tmp_path):
    from explorer.core.http.transport import Transport

    scopes, loaded = scopes_and_collection(workspace_files)
    folder = loaded.collection.items[0]
    assert isinstance(folder, Folder) and isinstance(folder.items[0], RequestItem)
    item = folder.items[0]
    written = item.request.with_changes(params=(Pair("key", "{{token}}"),))
    place = Place(loaded.collection, ("Team",), True, workspace_files[0])
    prepared = prepare_send(written, place, scopes)
    transport = Transport()
    try:
        response = send(transport, prepared)
    finally:
        transport.close()
    echoed = json.loads(response.read_body())
    assert echoed["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert echoed["args"] == {"key": SECRET}

    history = History(tmp_path / "history.sqlite3")
    try:
        entry = history.get(record_sent(history, prepared, response))
        failed = history.get(record_unsent(history, prepared, f"refused {SECRET}"))
    finally:
        history.close()
    assert entry is not None and failed is not None
    assert entry.request == written  # reopened as written: {{token}}, not its value
    for stored in (entry, failed):
        text = repr(stored).encode() + stored.response_body + stored.request_body
        assert SECRET.encode() not in text
    assert (tmp_path / "history.sqlite3").read_bytes().find(SECRET.encode()) == -1


def test_a_secret_store_that_cannot_be_read_is_a_problem_not_a_crash(tmp_path):
    root = tmp_path / "api"
    save_collection(Collection("Api", variables=(Variable("token", "", secret=True),)), root)
    store_path = tmp_path / "secrets.json"
    store_path.write_text("{not json")
    loaded = open_collection(root, SecretStore(store_path))
    assert loaded.secrets_problem
    assert loaded.collection.name == "Api"
    assert PreparedSend.as_is(Request()).request == Request()


def test_a_url_without_a_scheme_gets_http_once_resolved(tmp_path):
    """A drift between `run` and the window: the window's URL field adds http:// to a
    URL typed without a scheme, so the window sent `127.0.0.1:9/plain` as
    http://127.0.0.1:9/plain, while `run` sent it as written and failed. Now the
    preparation adds it for both, also when the host comes from a variable."""
    plain = prepare_send(Request(url="127.0.0.1:9/plain"), Place(), [])
    assert plain.request.url == "http://127.0.0.1:9/plain"
    assert plain.written.url == "127.0.0.1:9/plain"
    scopes = request_scopes([Variable("host", "127.0.0.1:9")], None)
    from_variable = prepare_send(Request(url="{{host}}/x"), Place(), scopes)
    assert from_variable.request.url == "http://127.0.0.1:9/x"
    kept = prepare_send(Request(url="https://127.0.0.1:9/x "), Place(), [])
    assert kept.request.url == "https://127.0.0.1:9/x "  # a scheme: left exactly as it is
