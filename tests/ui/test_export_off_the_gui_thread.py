"""The window never writes files on the GUI thread: the export dialog's collection file
and the code dialog's saved code are written on a background queue."""

from __future__ import annotations

import threading

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Request
from explorer.ui.dialogs import codegen_dialog, export_dialog
from explorer.ui.dialogs.codegen_dialog import CodegenDialog
from explorer.ui.dialogs.export_dialog import ExportDialog

COLLECTION = Collection("Shop", items=(RequestItem(Request(url="https://h.example/items")),))


def test_the_export_dialog_writes_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    threads: list[threading.Thread] = []
    write = export_dialog.export_collection

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return write(*args, **kwargs)

    monkeypatch.setattr(export_dialog, "export_collection", spy)
    dialog = ExportDialog(COLLECTION)
    qtbot.addWidget(dialog)
    dialog.set_format("http")
    dialog.set_path(tmp_path / "shop.http")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.export_button.click()
    assert dialog.exported_path() == tmp_path / "shop.http"
    assert "https://h.example/items" in (tmp_path / "shop.http").read_text(encoding="utf-8")
    assert threads and threading.main_thread() not in threads


def test_the_code_dialog_saves_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    threads: list[threading.Thread] = []
    write = codegen_dialog.write_text_atomic

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return write(*args, **kwargs)

    monkeypatch.setattr(codegen_dialog, "write_text_atomic", spy)
    dialog = CodegenDialog(Request(url="https://h.example/items"))
    qtbot.addWidget(dialog)
    dialog.save_to(tmp_path / "request.sh")
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Saved request.sh", timeout=10_000)
    assert (tmp_path / "request.sh").read_text(encoding="utf-8") == dialog.code()
    assert threads and threading.main_thread() not in threads
