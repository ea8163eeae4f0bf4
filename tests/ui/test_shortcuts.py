"""Keyboard shortcuts of the real main window: none ambiguous, and the ones that were work.

Qt refuses to fire a key sequence that two active shortcuts share ("Ambiguous shortcut
overload") and does nothing at all, which is how Del in the collections tree and
Ctrl+Shift+S (Save request as…) were lost. The walk below finds every QAction, QShortcut
and button shortcut in the window and fails on two that could be active at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMenu,
    QMenuBar,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from explorer.ui.dialogs.save_dialog import SaveRequestDialog
from explorer.ui.window.main_window import MainWindow

Context = Qt.ShortcutContext


@dataclass(frozen=True)
class Binding:
    """One key sequence of one shortcut, where it applies."""

    keys: str
    owner: QObject  # the QAction, QShortcut or button
    scope: QWidget  # the widget whose visibility/focus decides
    context: Context

    def describe(self) -> str:
        text = self.owner.text() if hasattr(self.owner, "text") else ""
        kind = type(self.owner).__name__
        return f"{kind} {text!r} on {type(self.scope).__name__} ({self.context.name})"


def _sequences(owner: QObject) -> list[QKeySequence]:
    if isinstance(owner, QAction):
        return list(owner.shortcuts())
    if isinstance(owner, QShortcut):
        return list(owner.keys())
    return [owner.shortcut()]


def _scopes(owner: QObject, window: QWidget) -> list[tuple[QWidget, Context]]:
    """The widgets whose state decides whether `owner` is active, with its context."""
    if isinstance(owner, QShortcut):
        return [(owner.parent(), owner.context())]
    if isinstance(owner, QAbstractButton):
        return [(owner, Context.WindowShortcut)]  # QAbstractButton grabs window-wide
    context = owner.shortcutContext()
    widgets = [
        w
        for w in owner.associatedObjects()
        if isinstance(w, QWidget) and not isinstance(w, (QMenu, QMenuBar))
    ]
    if not widgets:  # only in menus: the menu bar makes it window-wide
        return [(window, Context.WindowShortcut)]
    return [(w, context) for w in widgets]


def bindings(window: QWidget) -> list[Binding]:
    """Every key sequence of every shortcut in the window (disabled ones too: they are
    enabled by a selection, and then the clash is real)."""
    owners: list[QObject] = [*window.findChildren(QAction), *window.findChildren(QShortcut)]
    owners += [b for b in window.findChildren(QAbstractButton) if not b.shortcut().isEmpty()]
    found = []
    for owner in dict.fromkeys(owners):
        for sequence in _sequences(owner):
            if sequence.isEmpty():
                continue
            for scope, context in _scopes(owner, window):
                keys = sequence.toString(QKeySequence.SequenceFormat.PortableText)
                found.append(Binding(keys, owner, scope, context))
    return found


def _contains(ancestor: QWidget, widget: QWidget) -> bool:
    return ancestor is widget or ancestor.isAncestorOf(widget)


def _address(widget: QWidget) -> int:
    """The C++ object's address: PySide may hand out a new wrapper for a Qt-made widget
    (a QTabWidget's inner stack) on each call, so neither `is` nor id() identifies it."""
    return shiboken6.getCppPointer(widget)[0]


def _pages(widget: QWidget) -> dict[int, int]:
    """For each QStackedWidget above `widget` (QTabWidget uses one): the page it is on."""
    pages: dict[int, int] = {}
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget):
            pages[_address(parent)] = _address(child)
        child, parent = parent, parent.parentWidget()
    return pages


def _can_show_together(a: QWidget, b: QWidget) -> bool:
    """False when a stacked widget shows one of them only by hiding the other."""
    pages_a, pages_b = _pages(a), _pages(b)
    return all(pages_a[k] == pages_b[k] for k in pages_a.keys() & pages_b.keys())


def _focus_overlaps(a: Binding, b: Binding) -> bool:
    """Is there a focus widget for which both contexts apply?"""
    wide = (Context.WindowShortcut, Context.ApplicationShortcut)
    if a.context in wide or b.context in wide:
        return True
    if a.context == Context.WidgetShortcut and b.context == Context.WidgetShortcut:
        return a.scope is b.scope
    if a.context == Context.WidgetShortcut:
        return _contains(b.scope, a.scope)
    if b.context == Context.WidgetShortcut:
        return _contains(a.scope, b.scope)
    return _contains(a.scope, b.scope) or _contains(b.scope, a.scope)


def clashes(found: list[Binding]) -> list[str]:
    problems = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if a.keys != b.keys or a.owner is b.owner:
                continue
            if _focus_overlaps(a, b) and _can_show_together(a.scope, b.scope):
                problems.append(f"{a.keys}: {a.describe()} and {b.describe()}")
    return problems


def _everything_built(window: MainWindow, qtbot) -> None:
    """Open what builds lazily: a second tab, the response panels, the log dock."""
    window.new_tab()
    window.new_tab()
    for index in range(window.tabs.count()):
        window.tabs.widget(index).response_view.parts  # noqa: B018 - built on first access
    window.log_dock  # noqa: B018
    qtbot.wait(50)


def test_no_two_shortcuts_share_a_key_where_both_can_be_active(window, qtbot):
    _everything_built(window, qtbot)
    found = bindings(window)
    keys = {b.keys for b in found}
    # The walk sees the shortcuts that matter here (it would pass vacuously otherwise).
    assert {"Del", "Ctrl+Shift+S", "Ctrl+Tab", "Ctrl+S", "Ctrl+F", "Ctrl+C"} <= keys
    problems = clashes(found)
    assert not problems, "ambiguous shortcuts:\n" + "\n".join(problems)


def test_the_walk_catches_a_clash(window, qtbot):
    """The checker itself: a window-wide shortcut on a key the tree also uses is caught."""
    _everything_built(window, qtbot)
    extra = QShortcut(QKeySequence("F2"), window.tabs)  # the tree's Rename key
    try:
        assert any(line.startswith("F2:") for line in clashes(bindings(window)))
    finally:
        extra.setParent(None)


def test_next_and_previous_tab_by_keyboard_and_menu(window, qtbot):
    window.new_tab()
    window.new_tab()
    assert window.tabs.count() >= 3
    count = window.tabs.count()
    window.tabs.setCurrentIndex(0)
    url = window.current_tab().editor.url_edit
    url.setFocus()
    qtbot.keyClick(url, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1
    window.next_tab_action.trigger()  # File ▸ Next tab
    assert window.tabs.currentIndex() == 2 % count
    window.previous_tab_action.trigger()
    assert window.tabs.currentIndex() == 1
    url = window.current_tab().editor.url_edit
    url.setFocus()
    qtbot.keyClick(
        url,
        Qt.Key.Key_Backtab,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.tabs.currentIndex() == 0
    window.previous_tab_action.trigger()  # wraps around
    assert window.tabs.currentIndex() == count - 1


def _answer_next_modal(qtbot, seen: list[tuple[type, str]], answer) -> None:
    """When a modal dialog opens (from inside the key press), record it and answer it."""

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, poll)
            return
        # What it was and said, read now: a static QMessageBox is gone once answered.
        text = modal.text() if isinstance(modal, QMessageBox) else modal.windowTitle()
        seen.append((type(modal), text))
        answer(modal)

    QTimer.singleShot(0, poll)


def test_del_in_the_collections_tree_asks_then_deletes(window, qtbot):
    sidebar = window.panels.sidebar
    root = window.workspace.default_root.resolve()
    with qtbot.waitSignal(sidebar.finished, timeout=10_000) as created:
        assert sidebar.new_request("Doomed request")  # written off the GUI thread
    rel = created.args[1]
    assert rel and (root / rel).is_file()
    window.panels.collections_dock.show()
    window.panels.collections_dock.raise_()
    sidebar.select(root, rel)
    sidebar.view.setFocus()
    qtbot.waitUntil(sidebar.view.hasFocus, timeout=2000)

    # First answer Cancel: the file stays.
    seen: list[tuple[type, str]] = []
    _answer_next_modal(
        qtbot, seen, lambda box: box.button(QMessageBox.StandardButton.Cancel).click()
    )
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0][0] is QMessageBox and "Doomed request" in seen[0][1]
    assert (root / rel).is_file()

    seen.clear()
    window.activateWindow()  # the closed box leaves no active window behind (offscreen)
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    sidebar.view.setFocus()
    qtbot.waitUntil(sidebar.view.hasFocus, timeout=2000)
    _answer_next_modal(qtbot, seen, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    qtbot.waitUntil(lambda: not (root / rel).exists(), timeout=5000)


def test_ctrl_shift_s_opens_save_as(window, qtbot):
    url = window.current_tab().editor.url_edit
    url.setText("http://127.0.0.1:9/save-as")
    url.setFocus()
    seen: list[tuple[type, str]] = []
    _answer_next_modal(qtbot, seen, lambda dialog: dialog.reject())
    qtbot.keyClick(
        url, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0][0] is SaveRequestDialog


def test_ctrl_shift_s_opens_save_as_with_focus_in_the_response_body(window, qtbot, live_server):
    """The body view's own Save… no longer takes Ctrl+Shift+S from the window."""
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/api/todos")
    with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
        window.send_action.trigger()
    body = tab.response_view.body_view
    qtbot.waitUntil(lambda: "title" in body.plain_text(), timeout=10_000)
    body.text_view.setFocus()
    qtbot.waitUntil(body.text_view.hasFocus, timeout=2000)
    seen: list[tuple[type, str]] = []
    _answer_next_modal(qtbot, seen, lambda dialog: dialog.reject())
    qtbot.keyClick(
        body.text_view,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0][0] is SaveRequestDialog


def test_del_in_the_history_list_deletes_the_selected_entry(window, qtbot, live_server):
    """Del was the history Delete button's, window-wide; now it belongs to the list."""
    tab = window.current_tab()
    for path in ("/get", "/uuid"):
        tab.editor.url_edit.setText(f"{live_server}{path}")
        with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
            window.send_action.trigger()
    history = window.workspace.history
    window.workspace.finish_history_writes()
    panel = window.panels.history_panel
    qtbot.waitUntil(lambda: history.count() == 2, timeout=5000)
    panel.refresh()
    window.panels.history_dock.show()
    window.panels.history_dock.raise_()
    newest = panel.tree.topLevelItem(0).child(0)
    panel.tree.setCurrentItem(newest)
    _focus_on(window, qtbot, panel.tree)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: history.count() == 1, timeout=5000)
    # Del elsewhere (the URL field) deletes no history.
    _focus_on(window, qtbot, tab.editor.url_edit)
    qtbot.keyClick(tab.editor.url_edit, Qt.Key.Key_Delete)
    qtbot.wait(50)
    assert history.count() == 1


def _focus_on(window, qtbot, widget) -> None:
    window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
