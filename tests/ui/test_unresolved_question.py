"""Before sending, the window's question names each variable at fault and why."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer.core.collection import Variable


def test_the_question_names_the_cycle_and_the_undefined_variable(qtbot, window):
    window.workspace.save_globals([Variable("a", "<{{b}}>"), Variable("b", "[{{a}}]")])
    tab = window.current_tab()
    tab.editor.url_edit.setText("http://127.0.0.1:9/{{a}}/{{nobody}}")
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    before = window.workspace.history.count()
    window.send_action.trigger()
    assert seen, "no question was asked"
    assert "{{a}} refers to itself: a → b → a" in seen[0]
    assert "{{nobody}} is not defined" in seen[0]
    assert not tab.editor.busy and window.workspace.history.count() == before
