"""A try as Python code (the `requests` library), to read and copy: a small window that
does not block the one behind it. The code comes from the app's code generator, so the
lessons on `requests` show exactly what the app would send."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.widgets.highlighted_code import HighlightedCode


class PythonView(QDialog):
    """The code of one try, coloured, with Copy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setObjectName("learnPythonView")
        self.note = QLabel(
            "The request as a Python script using requests. Values the lessons capture "
            "({{token}}, {{etag}}, …) are read from environment variables.",
            self,
        )
        self.note.setWordWrap(True)
        self.code = HighlightedCode(self)
        self.code.setAccessibleName("Python code")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("Copy", self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.copy_button.clicked.connect(self.copy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.code, 1)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def show_code(self, title: str, code: str) -> None:
        self.setWindowTitle(f"Python: {title}")
        self.copy_button.setText("Copy")
        self.code.set_code(code, "python")
        self.show()
        self.raise_()
        self.activateWindow()

    def copy(self) -> None:
        QApplication.clipboard().setText(self.code.code())
        self.copy_button.setText("Copied")
