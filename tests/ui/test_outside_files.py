"""The window asks before a collection's request uploads a file from outside the
collection folder, remembers "for this collection" outside the collection's files, and
leaves scratch tabs alone. The real window, real files, the practice server."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Body, BodyKind, Request
from explorer.core.storage.collection_files import save_collection


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"outside secret")
    return {"secret": outside / "secret.txt"}


def open_collection(window, folder: Path, request: Request) -> Path:
    save_collection(Collection("Cloned API", items=(RequestItem(request),)), folder)
    window.panels.open_collection_folder(folder)
    return folder.resolve()


def send(qtbot, window, tab) -> dict:
    window.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        window.send_action.trigger()
    return json.loads(tab.last_response.read_body())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_an_outside_file_is_sent_only_after_the_user_approved_it(
    qtbot, window, tmp_path, files, live_server
):
    secret = files["secret"]
    request = Request(
        "POST", f"{live_server}/anything", name="upload",
        body=Body(BodyKind.BINARY, file=str(secret)),
    )  # fmt: skip
    root = open_collection(window, tmp_path / "cloned", request)
    tabs = window.workspace_tabs
    asked: list[tuple[list[Path], str]] = []
    answer = [(False, False)]
    tabs.confirm_files = lambda paths, name: asked.append((paths, name)) or answer[0]
    tab = tabs.open_request(root, "upload.yaml")

    # Cancel: nothing is prepared, so nothing is sent.
    assert tabs.prepare(tab, tab.editor.request()) is None
    assert asked == [([secret.resolve()], "Cloned API")]

    # Send once (not remembered): the file goes out, and the next send asks again.
    answer[0] = (True, False)
    echoed = send(qtbot, window, tab)
    assert echoed["data_sha256"] == hashlib.sha256(b"outside secret").hexdigest()
    assert len(asked) == 2
    approvals = window.workspace.data_dir / "file_approvals.json"
    assert not approvals.exists()

    # Remember for this collection: stored in the app's data directory (0600), never in
    # the collection's own files, and not asked again.
    before = snapshot(root)
    answer[0] = (True, True)
    send(qtbot, window, tab)
    assert len(asked) == 3
    qtbot.waitUntil(approvals.exists, timeout=10_000)  # written off the GUI thread
    assert stat.S_IMODE(approvals.stat().st_mode) == 0o600
    assert str(secret.resolve()) in approvals.read_text()
    assert snapshot(root) == before
    send(qtbot, window, tab)
    assert len(asked) == 3


def test_files_inside_the_collection_and_in_scratch_tabs_are_not_asked_about(
    qtbot, window, tmp_path, files, live_server
):
    folder = tmp_path / "api"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "in.bin").write_bytes(b"inside bytes")
    request = Request(
        "POST", f"{live_server}/anything", name="inside",
        body=Body(BodyKind.BINARY, file="data/in.bin"),
    )  # fmt: skip
    root = open_collection(window, folder, request)
    tabs = window.workspace_tabs
    asked: list[list[Path]] = []
    tabs.confirm_files = lambda paths, name: asked.append(paths) or (False, False)
    tab = tabs.open_request(root, "inside.yaml")
    # The relative path is taken inside the collection folder, whatever the cwd.
    echoed = send(qtbot, window, tab)
    assert echoed["data_sha256"] == hashlib.sha256(b"inside bytes").hexdigest()

    # A scratch tab: the user's own choice of file, no confinement.
    scratch = window.new_tab()
    scratch_request = request.with_changes(body=Body(BodyKind.BINARY, file=str(files["secret"])))
    tabs.load_into(scratch, scratch_request, None, "")
    echoed = send(qtbot, window, scratch)
    assert echoed["data_sha256"] == hashlib.sha256(b"outside secret").hexdigest()
    assert asked == []


def test_the_confirmation_names_the_file_and_the_collection(qtbot, window, tmp_path, files):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def answer() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        box = next((b for b in boxes if b.isVisible()), None)
        if box is None:  # not shown yet: look again shortly
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.checkBox().setChecked(True)
        send = next(b for b in box.buttons() if b.text() == "Send")
        send.click()

    QTimer.singleShot(0, answer)
    chosen = window.workspace_tabs._ask_files([files["secret"]], "Cloned API")
    assert chosen == (True, True)
    assert seen == [f"Send {files['secret']}, which is outside the collection “Cloned API”?"]
