"""`run` and the window send the same request for the same input (docs/ARCHITECTURE.md:
the walk of one Send). Both prepare through `explorer.application.sending`; these tests
compare what each front end really builds, request by request, so that a front end that
stops using the shared preparation (skips folder inheritance, a scope, a secret, the
file check) fails here.

The window side is the real window: each request is opened from the collections tree's
workspace into a tab, sent with the tab's own `send()` (its real runner, to a port where
nothing listens), and the prepared send the tab keeps in flight is what it handed to the
runner. The `run` side is the plan `run` sends from (`explorer.cli.run.plan_run`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from explorer.application.sending import PreparedSend
from explorer.cli.run import Overrides, plan_run
from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.sample_collection import ENVIRONMENT_NAME, sample_collection
from explorer.core.storage.collection_files import load_collection, save_collection

pytestmark = pytest.mark.e2e

SECRET = "parity-SECRET-7c1d"
# Nothing listens here: a send fails at once, with no server to depend on.
BASE_URL = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def openapi_text() -> str:
    from bundled_server import create_app

    response = create_app({"TESTING": True}).test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def with_inherited_settings(collection: Collection) -> Collection:
    """The sample collection with settings to inherit: collection headers and auth
    using a global and a secret variable, a folder with its own header (overriding
    one of the collection's) and auth, a folder that inherits."""
    folders = [item for item in collection.items if isinstance(item, Folder)]
    assert len(folders) >= 3
    own = folders[1]
    changed = dataclasses.replace(
        own,
        headers=(Pair("X-Team", "folder-{{team}}"), Pair("X-Folder", "{{region}}")),
        auth=Auth(kind=AuthKind.API_KEY, key_name="X-Api-Key", key_value="{{token}}"),
    )
    items = tuple(changed if item is own else item for item in collection.items)
    return dataclasses.replace(
        collection,
        headers=(Pair("X-Team", "{{team}}"), Pair("X-Trace", "{{region}}-trace")),
        auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
        items=items,
    )


@pytest.fixture
def sample_root(window, tmp_path, openapi_text, monkeypatch) -> Path:
    """The sample collection (with inherited settings) open in the window; globals, a
    secret collection variable and the environment set through the window's workspace,
    in the data directory `run` reads too."""
    monkeypatch.setenv("API_EXPLORER_HOME", str(tmp_path))  # the window's data dir
    folder = tmp_path / "sample"
    save_collection(with_inherited_settings(sample_collection(openapi_text, BASE_URL)), folder)
    workspace = window.workspace
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    opened = workspace.collections[root]
    workspace.save_globals([Variable("team", "global-team"), Variable("region", "eu")])
    variables = [v for v in opened.collection.variables if v.name != "token"]
    workspace.save_collection_variables(root, [*variables, Variable("token", SECRET, secret=True)])
    environment = Environment(
        ENVIRONMENT_NAME, (Variable("base_url", BASE_URL), Variable("region", "env-region"))
    )
    workspace.save_environments(root, [environment], {})
    workspace.set_active_environment(ENVIRONMENT_NAME)
    return root


def window_sends(qtbot, window, root: Path, rel: str) -> PreparedSend:
    """What the window's tab hands its runner when Send is pressed for (root, rel)."""
    tabs = window.workspace_tabs
    tab = tabs.open_request(root, rel)
    assert tab is not None, rel
    tab.send()
    prepared = tab.in_flight
    assert prepared is not None, f"{rel}: the window did not send"
    with qtbot.waitSignal(tab.runner.failed, timeout=10_000):
        pass  # nothing listens at BASE_URL: the send fails at once
    window.close_tab(window.tabs.indexOf(tab))
    return prepared


def request_files(window, root: Path) -> list[tuple[tuple[str, ...], str, str]]:
    """Every request of the open collection in order: folder names, name, file."""
    opened = window.workspace.collections[root]
    found = []

    def walk(node: Collection | Folder, index: tuple[int, ...]) -> None:
        for position, item in enumerate(node.items):
            if isinstance(item, Folder):
                walk(item, (*index, position))
            else:
                rel = opened.result.locations[(*index, position)]
                found.append((opened.items[rel].folder_path, item.name, rel))

    walk(opened.collection, ())
    return found


def test_run_and_the_window_send_the_same_request_for_every_sample_request(
    qtbot, window, sample_root
):
    tabs = window.workspace_tabs
    asked: list[list[str]] = []
    tabs.confirm_unresolved = lambda names: asked.append(names) or True
    plan = plan_run(str(sample_root), ENVIRONMENT_NAME, Overrides(), {}, {})
    files = request_files(window, sample_root)
    planned = list(plan.prepared())
    assert len(planned) == len(files) >= 100

    folders_with_own_auth = 0
    for (folder, item, by_run), (shown_folder, name, rel) in zip(planned, files, strict=True):
        assert (shown_folder, name) == (folder, item.name)
        by_window = window_sends(qtbot, window, sample_root, rel)
        assert by_window.request == by_run.request, rel
        assert by_window.written == by_run.written, rel
        assert by_window.sensitive == by_run.sensitive, rel
        assert by_window.problems == by_run.problems, rel
        assert by_window.outside_files == by_run.outside_files == (), rel

        # Not merely equal: both applied the scopes, the secret and the inheritance.
        sent = by_run.request
        assert sent.url.startswith(BASE_URL + "/"), rel
        assert SECRET in by_run.sensitive and not by_run.unresolved, rel
        headers = {h.name: h.value for h in sent.headers if h.enabled}
        assert headers["X-Trace"] == "env-region-trace", rel  # collection header, env value
        own_settings = folder == (plan.collection.items[1].name,)
        assert headers["X-Team"] == ("folder-global-team" if own_settings else "global-team")
        assert headers.get("X-Folder") == ("env-region" if own_settings else None), rel
        if item.request.auth.kind == AuthKind.INHERIT:
            if own_settings:
                folders_with_own_auth += 1
                assert sent.auth.kind == AuthKind.API_KEY and sent.auth.key_value == SECRET
            else:
                assert sent.auth == Auth(kind=AuthKind.BEARER, token=SECRET), rel
    assert folders_with_own_auth >= 1
    assert asked == []


def test_a_request_that_does_not_inherit_headers_still_does_not_after_reload_from_disk(
    qtbot, window, tmp_path, monkeypatch
):
    """The drift between `run` and the window: "Reload from disk" re-bound the tab as
    inheriting headers, so the window sent the collection's headers that `run` (reading
    the file) did not, and a later save wrote `inherit_headers: true` into the file."""
    monkeypatch.setenv("API_EXPLORER_HOME", str(tmp_path))
    folder = tmp_path / "own-headers"
    own = Request(name="Own headers", url=f"{BASE_URL}/own", headers=(Pair("X-Own", "1"),))
    collection = Collection(
        "Own", headers=(Pair("X-Team", "collection"),), items=(RequestItem(own, False),)
    )
    save_collection(collection, folder)
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    [(_names, _name, rel)] = request_files(window, root)
    [(_folder, _item, by_run)] = plan_run(str(folder), None, Overrides(), {}, {}).prepared()
    assert [h.name for h in by_run.request.headers] == ["X-Own"]

    tabs = window.workspace_tabs
    tab = tabs.open_request(root, rel)
    tabs.reload_from_disk(tab)  # as the "Reload from disk" button of a changed file does
    assert window_sends(qtbot, window, root, rel).request == by_run.request

    tab = tabs.open_request(root, rel)
    tab.editor.url_edit.setText(f"{BASE_URL}/changed")
    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        assert tabs.save(tab)
    assert saved.args[1]  # the file is written off the GUI thread; this is its outcome
    [item] = load_collection(folder).collection.items
    assert isinstance(item, RequestItem) and item.inherit_headers is False
    saved = yaml.safe_load((root / rel).read_text())
    assert saved.get("inherit_headers", True) is False


def test_a_url_saved_without_a_scheme_is_sent_alike(qtbot, window, tmp_path, monkeypatch):
    """The second drift: the window's URL field adds http:// to a URL without a scheme
    before sending, while `run` sent it as written (and failed on it)."""
    monkeypatch.setenv("API_EXPLORER_HOME", str(tmp_path))
    folder = tmp_path / "plain"
    plain = Request(name="Plain", url=BASE_URL.removeprefix("http://") + "/plain")
    save_collection(Collection("Plain", items=(RequestItem(plain),)), folder)
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    [(_names, _name, rel)] = request_files(window, root)
    [(_folder, _item, by_run)] = plan_run(str(folder), None, Overrides(), {}, {}).prepared()
    window.ask_unsaved = lambda _tab: "discard"  # the URL field was changed: close anyway
    by_window = window_sends(qtbot, window, root, rel)
    assert by_run.request.url == by_window.request.url == f"{BASE_URL}/plain"


def test_a_file_that_stops_inheriting_headers_on_disk_is_followed(
    qtbot, window, tmp_path, monkeypatch
):
    """Only `inherit_headers` changes in the file (edited outside the app): a clean tab
    follows it, as `run` reads it, instead of sending the collection's headers."""
    monkeypatch.setenv("API_EXPLORER_HOME", str(tmp_path))
    folder = tmp_path / "flag"
    request = Request(name="Flag", url=f"{BASE_URL}/flag")
    collection = Collection("Flag", headers=(Pair("X-Team", "collection"),))
    save_collection(dataclasses.replace(collection, items=(RequestItem(request),)), folder)
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    [(_names, _name, rel)] = request_files(window, root)
    tab = window.workspace_tabs.open_request(root, rel)
    assert tab is not None

    save_collection(dataclasses.replace(collection, items=(RequestItem(request, False),)), folder)
    window.workspace.reload(root)  # as the collection watcher does after a change on disk
    [(_folder, _item, by_run)] = plan_run(str(folder), None, Overrides(), {}, {}).prepared()
    assert by_run.request.headers == ()
    assert window_sends(qtbot, window, root, rel).request == by_run.request
