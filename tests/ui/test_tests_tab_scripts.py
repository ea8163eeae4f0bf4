"""A request's Python scripts in the window: an untrusted collection's first Send asks
(the real question, answered by clicking its button), "Trust and run scripts" runs the
pre-request script (its change is what is sent, its variable feeds this very request)
and the post-response script (its `test` joins the Tests tab, its print the Console
tab), the trust is kept outside the collection; "Send without scripts" sends without
running them and says so; a failing pre-request script stops the send. Real child
processes, the real practice server, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import Pair, Request, Scripts
from explorer.core.storage.collection_files import save_collection
from explorer.ui.response.tests_view import FAILED, PASSED

PRE = """\
print("pre-request for", request.name)
request.headers["X-Signed"] = "yes"
variables.set("greeting", "hello")
variables.set("api_key", "k-12345", secret=True)
request.headers["X-Key"] = variables.get("api_key")
"""
POST = """\
print("status was", response.status)
print("the key is", variables.get("api_key"))
with test("echoed the greeting"):
    expect(response.json()["args"]["say"]).to_equal("hello")
with test("a failing one"):
    expect(response.status).to_equal(201)
"""


@pytest.fixture
def scripted(window, tmp_path, live_server) -> Path:
    request = Request(
        url="{{base}}/anything/scripted", name="Scripted",
        params=(Pair("say", "{{greeting}}"),),
        scripts=Scripts(pre_request=PRE, post_response=POST),
    )  # fmt: skip
    collection = Collection("Scripted API", items=(RequestItem(request),),
                            variables=(Variable("base", live_server),))  # fmt: skip
    folder = tmp_path / "scripted"
    save_collection(collection, folder)
    window.panels.open_collection_folder(folder)
    return folder.resolve()


def answer_trust_question(qtbot, button_text: str, asked: list[str]) -> None:
    """Click `button_text` in the trust question once it is shown (it is modal)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "scriptTrustQuestion":
            QTimer.singleShot(20, click)
            return
        asked.append(box.text() + "\n" + box.informativeText())
        button = next(b for b in box.buttons() if b.text() == button_text)
        button.click()

    QTimer.singleShot(0, click)


def console_of(tab) -> str:
    return "\n".join(tab.response_view.parts.console_view.lines())


def test_trusting_a_collection_runs_its_scripts(qtbot, window, scripted, tmp_path):
    tab = window.workspace_tabs.open_request(scripted, "scripted.yaml")
    asked: list[str] = []
    answer_trust_question(qtbot, "Trust and run scripts", asked)
    with qtbot.waitSignal(tab.runner.checked, timeout=30_000):
        tab.send()

    assert "“Scripted API”" in asked[0] and str(scripted) in asked[0]
    assert "request Scripted (pre-request)" in asked[0]
    sent = tab.last_response.sent
    assert ("X-Signed", "yes") in sent.headers  # the pre-request script's change
    assert sent.url.endswith("/anything/scripted?say=hello")  # its variable, this send
    rows = tab.response_view.parts.tests_view.results_table.row_texts()
    assert [r[0] for r in rows] == [FAILED, PASSED]
    assert [r[1] for r in rows] == ["a failing one", "echoed the greeting"]
    assert rows[0][4] == "script"
    console = console_of(tab)
    assert "pre-request for Scripted" in console and "status was 200" in console
    assert "k-12345" not in console and "the key is •••" in console  # masked
    parts = tab.response_view.parts
    assert parts.isTabVisible(parts.indexOf(parts.console_view))

    # Kept outside the collection: the app's data directory, not the folder.
    trust_file = window.workspace.data_dir / "script-trust.json"
    qtbot.waitUntil(trust_file.exists, timeout=10_000)
    assert str(scripted) in trust_file.read_text(encoding="utf-8")
    assert "trust" not in "".join(p.name for p in scripted.rglob("*"))

    # A second send does not ask again.
    changed = window.workspace.history_changed
    with qtbot.waitSignals([tab.runner.checked, changed], timeout=30_000):
        tab.send()
    assert "status was 200" in console_of(tab)
    # The secret a script set and sent is kept from the history (headers and the echo).
    assert ("X-Key", "k-12345") in tab.last_response.sent.headers
    history = window.workspace.history
    entry = history.get(history.search(limit=1)[0].id)
    stored = json.dumps([entry.request_headers, entry.response_body.decode("utf-8")])
    assert "X-Key" in stored and "k-12345" not in stored


def test_sending_without_scripts_runs_none_and_says_so(qtbot, window, scripted):
    tab = window.workspace_tabs.open_request(scripted, "scripted.yaml")
    asked: list[str] = []
    answer_trust_question(qtbot, "Send without scripts", asked)
    window.workspace_tabs.confirm_unresolved = lambda names: True  # {{greeting}} unset
    with qtbot.waitSignal(tab.runner.checked, timeout=30_000):
        tab.send()
    assert asked
    sent = tab.last_response.sent
    assert "X-Signed" not in dict(sent.headers)
    assert "pre-request for" not in console_of(tab)
    assert "without them" in tab.response_view.parts.console_view.status.text()
    assert not (window.workspace.data_dir / "script-trust.json").exists()


def test_a_failing_pre_request_script_stops_the_send(qtbot, window, tmp_path, live_server):
    request = Request(url=f"{live_server}/anything", name="Broken",
                      scripts=Scripts(pre_request="print('about to fail')\n1 / 0\n"))  # fmt: skip
    folder = tmp_path / "broken"
    save_collection(Collection("Broken", items=(RequestItem(request),)), folder)
    window.panels.open_collection_folder(folder)
    tab = window.workspace_tabs.open_request(folder.resolve(), "broken.yaml")
    asked: list[str] = []
    answer_trust_question(qtbot, "Trust and run scripts", asked)
    before = window.workspace.history.count()
    tab.send()
    qtbot.waitUntil(lambda: not tab.editor.busy, timeout=30_000)
    error = tab.response_view.error_page.title_label.text()
    assert error.startswith("Pre-request script failed:") and "ZeroDivisionError" in error
    assert "about to fail" in tab.response_view.error_page.detail_label.text()
    assert tab.last_response is None
    qtbot.wait(200)
    assert window.workspace.history.count() == before  # nothing was sent


def test_a_request_in_no_collection_runs_no_script(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.set_request(Request(url=f"{live_server}/anything",
                                   scripts=Scripts(post_response="print('never')\n")))  # fmt: skip
    with qtbot.waitSignal(tab.runner.checked, timeout=15_000):
        tab.send()
    assert "never" not in console_of(tab)
    assert "saved in a collection" in tab.response_view.parts.console_view.status.text()


def test_cancel_while_the_pre_request_script_runs_sends_nothing(
    qtbot, window, tmp_path, live_server
):
    slow = "import time\ntime.sleep(1.0)\nprint('done')\n"
    request = Request(url=f"{live_server}/anything", name="Slow",
                      scripts=Scripts(pre_request=slow))  # fmt: skip
    folder = tmp_path / "slow"
    save_collection(Collection("Slow", items=(RequestItem(request),)), folder)
    window.panels.open_collection_folder(folder)
    tab = window.workspace_tabs.open_request(folder.resolve(), "slow.yaml")
    asked: list[str] = []
    answer_trust_question(qtbot, "Trust and run scripts", asked)
    before = window.workspace.history.count()
    started: list[int] = []
    tab.runner.started.connect(started.append)
    tab.send()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)  # the script is running now
    assert tab.editor.busy
    tab.cancel()
    assert not tab.editor.busy
    assert tab.last_error is not None and tab.last_error.kind.value == "cancelled"
    qtbot.wait(2_000)  # the script's child ends; its result is dropped
    assert started == []
    assert window.workspace.history.count() == before
