"""The one question before a collection's Python scripts first run on this machine,
asked by a Send and by the collection runner in the same words.

The answer is one of TRUST (remember and run), WITHOUT (go on without the scripts) or
CANCEL; the caller keeps it (`explorer.application.scripting.ScriptTrust`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

TRUST, WITHOUT, CANCEL = "trust", "without", "cancel"
LISTED = 8  # places named in the question; the rest are counted


def ask_script_trust(
    parent: QWidget | None, name: str, root: Path, places: list[str], *, run: bool = False
) -> str:
    """Ask whether the scripts of the collection `name` (folder `root`) may run;
    `places` says where they are written. `run`: asked by the runner, not a Send."""
    listed = "\n".join(f"  • {p}" for p in places[:LISTED])
    more = f"\n  … and {len(places) - LISTED} more" if len(places) > LISTED else ""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Run this collection's scripts?",
        f"The collection “{name}” has Python scripts that run before or after its "
        f"requests, on this computer, with your permissions:\n{listed}{more}",
        parent=parent,
    )
    without_scripts = (
        " Without scripts, the requests run with their assertions and captures." if run else ""
    )
    box.setInformativeText(
        f"Folder: {root}\n\nRun them only if you trust where this collection came "
        "from. Your answer is kept on this machine, not in the collection; a changed "
        f"script asks again.{without_scripts}"
    )
    trust = box.addButton("Trust and run scripts", QMessageBox.ButtonRole.AcceptRole)
    verb = "Run" if run else "Send"
    without = box.addButton(f"{verb} without scripts", QMessageBox.ButtonRole.RejectRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(without)
    box.setObjectName("runScriptTrustQuestion" if run else "scriptTrustQuestion")
    box.exec()
    clicked = box.clickedButton()
    if clicked is trust:
        return TRUST
    return WITHOUT if clicked is without else CANCEL
