"""The response body viewer: Pretty / Raw / Hex / Preview of a body of any size, with
find (Ctrl+F), a JMESPath filter for JSON, word wrap, copy and save; and, on a value of
a JSON body, "Assert this" and "Capture as variable…" (its exact JSONPath is worked out
from the fold ranges: `core/text/json_location`).

Formatting happens in `Formatter` (a child process for large bodies); the text is shown
by `TextViewport`, which paints only the visible lines of the formatted file.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core import heap
from explorer.core.http import spool
from explorer.core.text.content import (
    SNIFF_SIZE,
    ContentInfo,
    ContentKind,
    FilterError,
    PreviewKind,
    compile_filter,
    decode_text,
    detect,
)
from explorer.core.text.fold_map import FoldMap
from explorer.core.text.format_worker import FormatJob
from explorer.core.text.json_location import (
    LINE_LIMIT,
    FoldTree,
    JsonLocation,
    LocationError,
    line_of,
    locate,
    parse_jsonpath,
)
from explorer.core.text.mapped_arrays import MappedArrays
from explorer.core.text.memory_budget import available_memory, filter_refusal
from explorer.core.text.text_buffer import ByteSource, HexDocument, TextBuffer
from explorer.core.units import human_size
from explorer.qt.background import BackgroundQueue
from explorer.qt.formatter import FormatResult, Formatter
from explorer.qt.search import SearchEngine
from explorer.ui.response.find_bar import FindBar
from explorer.ui.response.preview import HTML_PREVIEW_LIMIT, PreviewPane
from explorer.ui.response.text_viewport import COPY_LIMIT, TextViewport
from explorer.ui.response.value_actions import (
    add_value_actions,
    ask_variable_name,
    json_assertion,
    json_capture,
    suggested_name,
)
from explorer.ui.widgets.elided_label import ElidedLabel
from explorer.ui.widgets.feedback import open_in_browser
from explorer.ui.widgets.theme import palette

MODES = ("pretty", "raw", "hex", "preview")
_MODE_LABELS = {"pretty": "Pretty", "raw": "Raw", "hex": "Hex", "preview": "Preview"}
_TREE_STEP = 2000  # folds placed between clock checks (about 1 ms)
_TREE_SLICE_S = 0.004
_EXTENSIONS = {
    ContentKind.JSON: ".json",
    ContentKind.XML: ".xml",
    ContentKind.HTML: ".html",
    ContentKind.TEXT: ".txt",
}


class _Entry:
    """A formatted text of this body (pretty, raw or a filter result)."""

    def __init__(self, buffer: TextBuffer) -> None:
        self.buffer = buffer
        self.folds = FoldMap()
        self.notice = ""
        self.complete = False
        self.tree: FoldTree | None = None  # how its folds nest (pretty JSON), once built


class BodyView(QWidget):
    """Shows one response body. Call `set_body`, `clear`; `shutdown` at teardown.

    Signals: `formatted()` when the shown text is complete, `saved(str path)`,
    `save_failed(str message)`, `assert_requested(Assertion)` and
    `capture_requested(Capture)` from the context menu of a JSON value, and
    `paths_ready()` once the values of a pretty JSON body can be located.
    """

    formatted = Signal()
    saved = Signal(str)
    save_failed = Signal(str)
    assert_requested = Signal(object)
    capture_requested = Signal(object)
    paths_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Response body")
        self.formatter = Formatter(self)
        self.search = SearchEngine(self)
        self.text_view = TextViewport(self)
        self.preview = PreviewPane(self)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self._data: bytes | None = None
        self._path: Path | None = None
        self._info: ContentInfo | None = None
        self._source: ByteSource | None = None
        self._entries: dict[str, _Entry] = {}
        self._job_key = ""
        self._mode = "pretty"
        self._filter_key = ""
        # A JSONPath to show once the pretty text's folds are known (see reveal_path).
        self._pending_path: tuple[str | int, ...] | None = None
        # Find previous that wraps round to the last match while the search has not
        # reached the end yet: the offset it was asked from (see find_previous).
        self._previous_from: int | None = None
        # Saves run off the GUI thread, one after another (a large body is a file copy).
        self._saves = BackgroundQueue(self)
        # Replaceable in tests: asks the captured variable's name (None: cancelled).
        self.ask_name = ask_variable_name
        # Replaceable in tests: the bytes of memory free for a filter (None: unknown).
        self.available_memory: Callable[[], int | None] = available_memory
        # Replaceable in tests: hands a link to the user's browser (False: none started).
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._build()
        self._connect()
        self.clear()

    # -- construction --------------------------------------------------------------

    def _build(self) -> None:
        self.mode_buttons: dict[str, QToolButton] = {}
        self._mode_group = QButtonGroup(self)
        modes = QHBoxLayout()
        modes.setSpacing(0)
        for mode in MODES:
            button = QToolButton(self)
            button.setText(_MODE_LABELS[mode])
            button.setCheckable(True)
            button.setAccessibleName(f"{_MODE_LABELS[mode]} view")
            button.setToolTip(f"Show the body as {_MODE_LABELS[mode]}")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self._mode_group.addButton(button)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        self.wrap_box = QCheckBox("Wrap", self)
        self.wrap_box.setAccessibleName("Word wrap")
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter JSON: $.items[*].name or items[].name")
        self.filter_edit.setToolTip(
            "Starting with $: JSONPath (RFC 9535), e.g. $.items[?@.active].name\n"
            "Otherwise: JMESPath, e.g. items[?active].name\n"
            "Enter applies it; an empty box shows the whole body."
        )
        self.filter_edit.setAccessibleName("JSON filter expression")
        self.filter_edit.setClearButtonEnabled(True)
        self.copy_button = self._tool(
            "Copy", "Copy the body shown to the clipboard (the filter result when filtered)"
        )
        self.save_button = self._tool("Save\u2026", "Save body to a file")
        self.find_button = self._tool("Find", "Find in body (Ctrl+F)")
        # A tool bar, not a row: what does not fit in a narrow pane (or at large text
        # sizes) moves into its » menu instead of holding the pane at 476 px.
        self.toolbar = QToolBar(self)
        self.toolbar.setAccessibleName("Body tools")
        self.toolbar.setContentsMargins(6, 2, 6, 2)
        mode_strip = QWidget(self.toolbar)
        modes.setContentsMargins(0, 0, 8, 0)
        mode_strip.setLayout(modes)
        self.toolbar.addWidget(mode_strip)
        self.toolbar.addWidget(self.wrap_box)
        self.filter_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("$.items[*]") + 40)
        self.filter_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toolbar.addWidget(self.filter_edit)
        for button in (self.find_button, self.copy_button, self.save_button):
            self.toolbar.addWidget(button)
        self.filter_error = QLabel(self)
        self.filter_error.setAccessibleName("Filter error")
        self.filter_error.setWordWrap(True)
        self.filter_error.setContentsMargins(8, 0, 8, 2)
        self.filter_error.hide()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.text_view)
        self.stack.addWidget(self.preview)
        # An empty body gets a sentence, not an empty editor with a lone line number "1".
        self.empty_label = QLabel("", self)
        self.empty_label.setAccessibleName("Empty body")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("emptyBody")
        self.stack.addWidget(self.empty_label)
        # Elided, never wider than the pane: a long message used to widen the response
        # pane and move the splitter.
        self.status = ElidedLabel("", self)
        self.status.setAccessibleName("Body status")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName("Formatting progress")
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        bottom = QHBoxLayout()
        bottom.setContentsMargins(8, 2, 8, 2)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress_bar)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.toolbar)
        outer.addWidget(self.filter_error)
        outer.addWidget(self.find_bar)
        outer.addWidget(self.stack, 1)
        outer.addLayout(bottom)

    def _tool(self, text: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _connect(self) -> None:
        for mode, button in self.mode_buttons.items():
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
        self.wrap_box.toggled.connect(self.text_view.set_word_wrap)
        self._filter_timer = QTimer(self, singleShot=True, interval=400)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textEdited.connect(lambda _: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self.apply_filter)
        self.copy_button.clicked.connect(self.copy_body)
        self.save_button.clicked.connect(self.save_body)
        self.find_button.clicked.connect(self.open_find)
        self.formatter.first_screen_ready.connect(self._on_first_screen)
        self.formatter.progress.connect(self._on_progress)
        self.formatter.finished.connect(self._on_format_finished)
        self.formatter.failed.connect(self._on_format_failed)
        self.find_bar.query_changed.connect(self._on_query)
        self.find_bar.next_requested.connect(self.find_next)
        self.find_bar.previous_requested.connect(self.find_previous)
        self.find_bar.closed.connect(self._on_find_closed)
        self.preview.open_requested.connect(self._open_link)
        self.preview.link_refused.connect(self._set_status)
        self.preview.link_hovered.connect(self._on_link_hovered)
        self.text_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.text_view.customContextMenuRequested.connect(self._on_context_menu)
        self.search.updated.connect(self._on_search_updated)
        self.text_view.copy_refused.connect(
            lambda size: self._set_status(
                f"The selection is {human_size(size)}: too large for the clipboard; "
                "use Save body instead."
            )
        )
        # Only while the body has focus, and never a key the window uses: Qt fires
        # neither of two shortcuts that share a key (Ctrl+Shift+S is Save request as…,
        # Ctrl+Shift+G, the standard Find previous on Linux, is Generate code…).
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.open_find),
            (QKeySequence("F3"), self.find_next),
            (QKeySequence("Ctrl+G"), self.find_next),
            (QKeySequence("Shift+F3"), self.find_previous),
        ):
            shortcut = QShortcut(keys, self, slot)
            # Set apart: PySide ignores a context passed together with a slot.
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- public API ----------------------------------------------------------------

    def set_body(
        self, data: bytes | None, path: Path | None, content_type: str, url: str = ""
    ) -> None:
        """Show a body held in memory (`data`) or spooled to a file (`path`); `url`, where
        it came from, is what the preview's relative links resolve against."""
        self.clear()
        self.preview.base_url = url
        self._data, self._path = data, path
        self._source = ByteSource(data=data or b"") if path is None else ByteSource(path=path)
        info = detect(content_type, self._source.read(0, SNIFF_SIZE))
        self._info = info
        for mode, button in self.mode_buttons.items():
            button.setEnabled(self._mode_available(mode))
        self.filter_edit.setEnabled(info.kind is ContentKind.JSON)
        self.copy_button.setEnabled(info.is_text or info.preview is PreviewKind.IMAGE)
        self.save_button.setEnabled(True)
        self.find_button.setEnabled(True)
        if info.preview is PreviewKind.IMAGE and info.kind is ContentKind.BINARY:
            mode = "preview"
        else:
            mode = "pretty" if info.is_text else "hex"
        self._mode = ""
        if self._source.size == 0:
            self._show_empty("The response has no body.")
            return
        self.set_mode(mode)

    def _show_empty(self, sentence: str) -> None:
        for button in self.mode_buttons.values():
            button.setEnabled(False)
        for widget in (
            self.filter_edit, self.copy_button, self.save_button, self.find_button,
            self.wrap_box,
        ):  # fmt: skip
            widget.setEnabled(False)
        self.empty_label.setText(sentence)
        self.stack.setCurrentWidget(self.empty_label)
        # Not "application/octet-stream · no body": with nothing sent there is no type.
        self._set_status("No body")

    def explain_empty(self, sentence: str) -> None:
        """Say why the body is empty (the response's status knows: 204, 304, HEAD)."""
        if self._source is not None and self._source.size == 0:
            self.empty_label.setText(sentence)

    def is_empty(self) -> bool:
        """True when the body shown is empty (the sentence is shown instead)."""
        return self.stack.currentWidget() is self.empty_label

    def clear(self) -> None:
        """Show nothing; stop formatting and searching; release files."""
        self.formatter.cancel()
        self.search.cancel()
        self.text_view.set_search(None)
        self.text_view.set_document(None)
        for entry in self._entries.values():
            entry.buffer.close()
        self._entries.clear()
        self._job_key = ""
        self._filter_key = ""
        self._pending_path = None
        if self._source is not None:
            self._source.close()
        self._data, self._path, self._info, self._source = None, None, None, None
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.filter_error.hide()
        self.progress_bar.hide()
        # The count belonged to the old body: a new one is searched afresh.
        self.find_bar.set_count("")
        for button in self.mode_buttons.values():
            button.setEnabled(False)
            button.setChecked(False)
        for widget in (self.filter_edit, self.copy_button, self.save_button):
            widget.setEnabled(False)
        self._set_status("No body")
        self.stack.setCurrentWidget(self.text_view)

    def shutdown(self) -> None:
        """Stop the formatter's child process and wait for saves (call at teardown)."""
        self.clear()
        self.formatter.shutdown()
        self._saves.wait(10_000)

    def plain_text(self, limit: int = 4 * 1024 * 1024) -> str:
        """The text shown (at most `limit` bytes of it), for tests and accessibility."""
        document = self.text_view.document()
        if document is None:
            return ""
        lines = []
        size = 0
        for line in range(document.line_count):
            chunk = document.read(*document.line_span(line))
            size += len(chunk)
            if size > limit:
                break
            lines.append(chunk.decode("utf-8", "replace"))
        return "\n".join(lines)

    def mode(self) -> str:
        """The mode shown: pretty, raw, hex or preview."""
        return self._mode

    def info(self) -> ContentInfo | None:
        """What the body was detected to be."""
        return self._info

    def set_mode(self, mode: str) -> None:
        """Switch between pretty, raw, hex and preview."""
        if mode not in MODES or not self._mode_available(mode) or self._info is None:
            return
        self._mode = mode
        self.mode_buttons[mode].setChecked(True)
        self.wrap_box.setEnabled(mode != "preview")
        if mode == "preview":
            self._show_preview()
            return
        self.stack.setCurrentWidget(self.text_view)
        if mode == "hex":
            assert self._source is not None
            self._show_document(HexDocument(self._source), "hex", FoldMap())
            self._set_status(self._describe(f"{self._source.size:,} bytes"))
            return
        key = self._filter_key if (mode == "pretty" and self._filter_key) else mode
        self._show_entry(key)

    def is_formatting(self) -> bool:
        """True while the shown text is still being produced."""
        return self.formatter.is_running()

    # -- text modes ----------------------------------------------------------------

    def _mode_available(self, mode: str) -> bool:
        info = self._info
        if info is None:
            return False
        if mode in ("pretty", "raw"):
            return info.is_text
        if mode == "preview":
            return info.preview is not PreviewKind.NONE
        return True

    def _show_entry(self, key: str) -> None:
        entry = self._entries.get(key)
        if entry is not None:
            self._display(entry)
            return
        assert self._info is not None
        info = self._info
        if key.startswith("filter:"):
            job = FormatJob("filter", info.kind, info.charset, key[len("filter:") :])
        else:
            job = FormatJob(key, info.kind, info.charset)
        self._job_key = key
        self.text_view.set_document(None)
        self._set_status(self._describe("Formatting\u2026"))
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.formatter.start(job, data=self._data if self._path is None else None, path=self._path)

    def _current_key(self) -> str:
        if self._mode == "pretty" and self._filter_key:
            return self._filter_key
        return self._mode

    def _display(self, entry: _Entry) -> None:
        assert self._info is not None
        syntax = self._info.kind.value if self._mode == "pretty" or self._filter_key else "text"
        if self._current_key().startswith("filter:"):
            syntax = "json"
        self._show_document(entry.buffer, syntax, entry.folds)
        self._describe_entry(entry)

    def _show_document(self, doc: TextBuffer | HexDocument, syntax: str, folds: FoldMap) -> None:
        self.text_view.set_document(doc, syntax, folds)
        query = self.find_bar.edit.text() if self.find_bar.isVisible() else ""
        self.search.start(doc, query, self.find_bar.case.isChecked())
        self.text_view.set_search(self.search if query else None)

    def _describe_entry(self, entry: _Entry) -> None:
        count = entry.buffer.line_count
        lines = f"{count:,} line{'' if count == 1 else 's'}"
        state = "" if entry.complete else " so far\u2026"
        filtered = self._current_key().startswith("filter:")
        # The summary's Size is the body as received; the text shown may be larger
        # (pretty printing adds indentation) or smaller (a filter): the footer says which
        # number is which, so the two never seem to disagree.
        body = self._source.size if self._source is not None else entry.buffer.size
        detail = f"body {human_size(body)}"
        if filtered:
            detail += f" \u00b7 filter result {human_size(entry.buffer.size)}"
        elif self._mode == "pretty" and entry.buffer.size != body:
            detail += f" \u00b7 pretty text {human_size(entry.buffer.size)}"
        text = self._describe(f"{detail} \u00b7 {lines}{state}")
        if filtered:
            text = "Filtered \u00b7 " + text
        if entry.notice:
            text += f" \u2014 {entry.notice}"
        self._set_status(text)

    def _describe(self, detail: str) -> str:
        info = self._info
        if info is None:
            return detail
        parts = [info.mime]
        if info.charset:
            parts.append(info.charset.upper())
        parts.append(detail)
        return " \u00b7 ".join(parts)

    def _on_first_screen(self, buffer: TextBuffer) -> None:
        entry = _Entry(buffer)
        self._entries[self._job_key] = entry
        if self._job_key == self._current_key():
            self._display(entry)

    def _on_progress(self, done: int, total: int) -> None:
        entry = self._entries.get(self._job_key)
        if entry is None:
            return
        if entry.buffer is self.text_view.document():
            self.text_view.document_changed()
        if total:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(1000 * done / max(1, total)))

    def _on_format_finished(self, result: FormatResult) -> None:
        entry = self._entries.get(self._job_key)
        self.progress_bar.hide()
        if entry is None:
            return
        entry.complete = True
        entry.notice = result.notice
        if result.folds is not None and len(result.folds):
            entry.folds = FoldMap(result.folds.starts, result.folds.ends, result.folds.pages)
        if entry.buffer is self.text_view.document():
            self.text_view.document_changed()
            self.text_view.set_folds(entry.folds)
            self._describe_entry(entry)
            self.search.resume()
        if self._job_key == "pretty" and self._info is not None:
            if self._info.kind is ContentKind.JSON:
                self._build_tree(entry)
        self.formatted.emit()

    def _build_tree(self, entry: _Entry) -> None:
        """Work out how the folds nest (O(folds)) in short slices of the GUI thread, and
        slower while a find is running. Not on a thread: for a 1 GiB body (10 million
        folds, ~6 s) a worker held the GIL against the window for 100-400 ms at a time.
        The fold arrays are shared as they are: nothing changes them once handed over.
        Folds mapped from the formatter's file get their parents and indexes in a mapped
        scratch file too, and each slice gives back the pages it touched: the pass reads
        and writes 156 MB for a 1 GiB body, none of which need stay in the window."""
        folds = entry.folds
        storage = None
        if folds.pages is not None:
            scratch = MappedArrays.scratch(spool.process_folder(), len(folds.starts), ("i", "I"))
            storage = (scratch.views[0], scratch.views[1])
            pages: tuple[MappedArrays, ...] = (folds.pages, scratch)
        else:
            pages = ()
        tree = FoldTree(folds.starts, folds.ends, build=False, storage=storage)

        def step() -> None:
            if self._entries.get("pretty") is not entry:
                return  # another body, or cleared
            deadline = time.perf_counter() + _TREE_SLICE_S
            while not tree.build(_TREE_STEP):
                if time.perf_counter() >= deadline:
                    for mapped in pages:
                        mapped.drop_pages()
                    QTimer.singleShot(0 if self.search.complete else 30, self, step)
                    return
            for mapped in pages:
                mapped.drop_pages()
            if pages:
                heap.trim()  # what formatting and the build left free in the heap
            entry.tree = tree
            if self._pending_path is not None:
                path, self._pending_path = self._pending_path, None
                if self._current_key() == "pretty":  # not if Raw or a filter came since
                    self._select_path(entry, path)
            self.paths_ready.emit()

        QTimer.singleShot(0, self, step)

    def _on_format_failed(self, message: str) -> None:
        self.progress_bar.hide()
        if self._job_key.startswith("filter:"):
            self._show_filter_error(message)
            self._filter_key = ""
            self._show_entry("pretty")
            return
        self._set_status(f"Could not format the body: {message}")

    # -- filter --------------------------------------------------------------------

    def apply_filter(self) -> None:
        """Filter the JSON body with the expression in the filter box (empty: no filter)."""
        self._filter_timer.stop()
        if self._info is None or self._info.kind is not ContentKind.JSON:
            return
        expression = self.filter_edit.text().strip()
        self.filter_error.hide()
        if not expression:
            self._filter_key = ""
        else:
            try:
                compile_filter(expression)
            except FilterError as exc:
                # The previous filter's result would read as this expression's: show the
                # whole body under the error instead.
                self._show_filter_error(exc.message)
                self._filter_key = ""
                self._mode = "pretty"
                self.set_mode("pretty")
                return
            # A filter holds the whole document as objects (in the child): say so rather
            # than start one the machine cannot hold (core/text/memory_budget).
            size = self._source.size if self._source is not None else 0
            refusal = filter_refusal(size, self.available_memory())
            if refusal:
                self._show_filter_error(refusal)
                self._filter_key = ""
                self._mode = "pretty"
                self.set_mode("pretty")
                return
            self._filter_key = f"filter:{expression}"
        self._mode = "pretty"
        self.set_mode("pretty")

    def _show_filter_error(self, message: str) -> None:
        self.filter_error.setStyleSheet(f"color: {palette().error};")
        self.filter_error.setText(f"Filter: {message}")
        self.filter_error.show()

    def filter_message(self) -> str:
        """The inline filter error shown, or ""."""
        return self.filter_error.text() if self.filter_error.isVisibleTo(self) else ""

    # -- preview -------------------------------------------------------------------

    def _show_preview(self) -> None:
        info, source = self._info, self._source
        assert info is not None and source is not None
        self.stack.setCurrentWidget(self.preview)
        if info.preview is PreviewKind.IMAGE:
            ok = self.preview.show_image(self._data, self._path, source.size)
            self._set_status(self._describe(human_size(source.size)) if ok else "")
        elif source.size > HTML_PREVIEW_LIMIT:
            self.preview.show_message(
                f"This HTML is {human_size(source.size)}; the preview renders up to "
                f"{human_size(HTML_PREVIEW_LIMIT)}. Use Pretty or Raw to read it."
            )
        else:
            self.preview.show_html(decode_text(source.read(0, source.size), info.charset))
            self._set_status(self._describe("rendered offline: scripts and remote content off"))

    def _open_link(self, url: str) -> None:
        self._set_status(open_in_browser(url, self.open_url)[0])

    def _on_link_hovered(self, url: str) -> None:
        if url:
            self._set_status(f"Click to open in your browser: {url}")
        elif self._info is not None and self._mode == "preview":
            self._set_status(self._describe("rendered offline: scripts and remote content off"))

    # -- find ----------------------------------------------------------------------

    def open_find(self) -> None:
        """Show the find bar (Ctrl+F)."""
        if self._mode == "preview" and self._mode_available("pretty"):
            self.set_mode("pretty")
        self.find_bar.open_bar()

    def _on_query(self, query: str, case_sensitive: bool) -> None:
        self.text_view.current_match = -1
        self._previous_from = None
        self.search.start(self.text_view.document(), query, case_sensitive)
        self.text_view.set_search(self.search if query else None)

    def _on_search_updated(self) -> None:
        count, current = self.search.count, self.text_view.current_match
        if not self.search.query:
            self.find_bar.set_count("")
            return
        if self._previous_from is not None:
            if self.search.complete:
                at, self._previous_from = self._previous_from, None
                if count == 0:
                    self.find_bar.set_count("No matches")
                self._go_to_match(self.search.index_before(at))
                self.text_view.viewport().update()
            return
        more = "" if self.search.complete else "+"
        if count == 0:
            self.find_bar.set_count("No matches" if self.search.complete else "Searching\u2026")
        elif current >= 0:
            self.find_bar.set_count(f"{current + 1:,} of {count:,}{more}")
        else:
            self.find_bar.set_count(f"{count:,}{more} matches")
            doc = self.text_view.document()
            if doc is not None:
                top = doc.line_span(self.text_view.first_visible_line())[0]
                self._go_to_match(self.search.index_after(top))
        self.text_view.viewport().update()

    def _go_to_match(self, index: int) -> None:
        if index < 0:
            return
        self.text_view.current_match = index
        self.text_view.select_range(self.search.starts[index], self.search.ends[index])
        more = "" if self.search.complete else "+"
        self.find_bar.set_count(f"{index + 1:,} of {self.search.count:,}{more}")

    def find_next(self) -> None:
        """Select the next match after the caret (F3 / Enter)."""
        self.find_bar.flush()
        self._previous_from = None
        start, end = self.text_view.selection()
        at = end if self.text_view.current_match >= 0 else start
        self._go_to_match(self.search.index_after(at))

    def find_previous(self) -> None:
        """Select the previous match before the caret (Shift+F3 / Shift+Enter)."""
        self.find_bar.flush()
        at, search = self.text_view.selection()[0], self.search
        if search.query and not search.complete and (not search.starts or search.starts[0] >= at):
            # It wraps round to the last match, which is not known until the search has
            # reached the end (seconds into a 1 GiB body): go there when it has.
            self._previous_from = at
            self.find_bar.set_count("Searching to the end\u2026")
            return
        self._previous_from = None
        self._go_to_match(search.index_before(at))

    def _on_find_closed(self) -> None:
        self._previous_from = None
        self.search.start(None, "", False)
        self.text_view.set_search(None)
        self.text_view.setFocus()

    # -- copy and save -------------------------------------------------------------

    def copy_body(self) -> bool:
        """Copy what is shown: the filter's result while a JSON filter is applied, else
        the whole body (text decoded with its charset, or the image)."""
        info, source = self._info, self._source
        if info is None or source is None:
            return False
        if self._current_key().startswith("filter:"):
            return self._copy_filtered()
        if info.preview is PreviewKind.IMAGE and info.kind is ContentKind.BINARY:
            image = self.preview.image_view.image
            if image.isNull():
                return False
            QGuiApplication.clipboard().setImage(image)
            return True
        if source.size > COPY_LIMIT:
            self._set_status(
                f"The body is {human_size(source.size)}: too large for the clipboard; "
                "use Save body instead."
            )
            return False
        QGuiApplication.clipboard().setText(decode_text(source.read(0, source.size), info.charset))
        self._set_status(self._describe(f"copied {human_size(source.size)}"))
        return True

    def _copy_filtered(self) -> bool:
        """Copy the filter result shown; never the whole body in its place."""
        entry = self._entries.get(self._current_key())
        if entry is None or not entry.complete:
            self._set_status("The filter is still running; copy again when it is done.")
            return False
        size = entry.buffer.size
        if size > COPY_LIMIT:
            self._set_status(
                f"The filtered result is {human_size(size)}: too large for the clipboard."
            )
            return False
        QGuiApplication.clipboard().setText(entry.buffer.read(0, size).decode("utf-8", "replace"))
        self._set_status(self._describe(f"copied the filtered result, {human_size(size)}"))
        return True

    def suggested_file_name(self) -> str:
        """A file name for Save, from the kind of body."""
        info = self._info
        if info is None:
            return "body"
        if info.preview is PreviewKind.IMAGE:
            return "body." + info.mime.split("/")[-1].split("+")[0].replace("jpeg", "jpg")
        return "body" + _EXTENSIONS.get(info.kind, ".bin")

    def save_body(self) -> None:
        """Ask where to save the body, then save it."""
        if self._source is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save body", self.suggested_file_name())
        if name:
            self.save_body_to(Path(name))

    def save_body_to(self, target: Path) -> None:
        """Write the exact body bytes to `target` on the background queue; a spooled body
        is copied file to file. Emits `saved` or `save_failed` on the GUI thread."""
        if self._data is None and self._path is None:
            return
        data, path = self._data, self._path  # bytes and a path: safe to hand to a thread

        def work() -> None:
            if path is not None:
                shutil.copyfile(path, target)
            else:
                target.write_bytes(data or b"")

        self._set_status(f"Saving to {target}\u2026")
        self._saves.run(
            work,
            on_done=lambda _result: self._on_saved(target),
            on_error=lambda error: self._on_save_failed(target, error),
        )

    def _on_saved(self, target: Path) -> None:
        self._set_status(f"Saved to {target}")
        self.saved.emit(str(target))

    def _on_save_failed(self, target: Path, error: Exception) -> None:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        message = f"Could not save to {target}: {reason}"
        self._set_status(message)
        self.save_failed.emit(message)

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    # -- assert this / capture as variable -----------------------------------------

    def location_at_line(self, line: int) -> JsonLocation:
        """The JSON value shown on document line `line` of the Pretty view. Raises
        LocationError (one line) where there is none, or none that can be located yet."""
        info = self._info
        if info is None or info.kind is not ContentKind.JSON:
            raise LocationError("Assert this works on a JSON body")
        if self._mode != "pretty" or self._filter_key:
            raise LocationError("Assert this works in the Pretty view, without a filter")
        entry = self._entries.get("pretty")
        if entry is None or not entry.complete or entry.tree is None:
            raise LocationError("The body is still being formatted; try again in a moment")
        document = entry.buffer

        def read(number: int) -> tuple[bytes, bool]:
            start, end = document.line_span(number)
            return document.read(start, min(end, start + LINE_LIMIT)), end - start <= LINE_LIMIT

        if not 0 <= line < document.line_count:
            raise LocationError("there is no value here")
        return locate(line, entry.tree, read)

    def reveal_path(self, jsonpath: str) -> bool:
        """Show the JSON value at `jsonpath` (`$.items[0].id`, as the Explain tab and the
        lessons name a part of the body): the Pretty view without a filter, scrolled to
        the value's line, which is selected. A body still being formatted is scrolled
        once its folds are known. False only when a JSON body has no such value; a body
        not shown as JSON (or a path that names no one value) is left as it is."""
        info = self._info
        if info is None or info.kind is not ContentKind.JSON:
            return True
        try:
            path = parse_jsonpath(jsonpath)
        except LocationError:
            return True
        if self._filter_key:
            self.filter_edit.clear()
            self.apply_filter()
        elif self._mode != "pretty":
            self.set_mode("pretty")
        entry = self._entries.get("pretty")
        if entry is None or not entry.complete or entry.tree is None:
            self._pending_path = path  # built() selects it
            return True
        return self._select_path(entry, path)

    def _select_path(self, entry: _Entry, path: tuple[str | int, ...]) -> bool:
        assert entry.tree is not None
        document = entry.buffer

        def read(number: int) -> tuple[bytes, bool]:
            start, end = document.line_span(number)
            return document.read(start, min(end, start + LINE_LIMIT)), end - start <= LINE_LIMIT

        try:
            # Bounded: a pointer deep into a huge array gives up rather than stall.
            line = line_of(path, entry.tree, read, limit=20_000)
        except LocationError:
            return False
        start, end = document.line_span(line)
        head = document.read(start, min(end, start + LINE_LIMIT))
        self.text_view.select_range(start + len(head) - len(head.lstrip(b" ")), end)
        return True

    def value_menu(self, pos: QPoint | QPointF) -> QMenu:
        """The context menu for a point of the text: Copy, Select all, and the value
        actions for the JSON value there."""
        menu = QMenu(self)
        menu.addActions(self.text_view.actions())
        try:
            location: JsonLocation | None = self.location_at_line(
                self.text_view.line_at(QPointF(pos))
            )
            why = ""
        except LocationError as error:
            location, why = None, str(error)
            why = why[:1].upper() + why[1:]
        add_value_actions(
            menu,
            location is not None,
            lambda: self._assert_value(location),
            lambda: self._capture_value(location),
            why,
            json_assertion(location) if location is not None else None,
        )
        return menu

    def _on_context_menu(self, pos: QPoint) -> None:
        menu = self.value_menu(pos)
        menu.exec(self.text_view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _assert_value(self, location: JsonLocation | None) -> None:
        if location is not None:
            self.assert_requested.emit(json_assertion(location))

    def _capture_value(self, location: JsonLocation | None) -> None:
        if location is None:
            return
        keys = [part for part in location.path if isinstance(part, str)]
        name = self.ask_name(self, suggested_name(keys[-1] if keys else "value"))
        if name:
            self.capture_requested.emit(json_capture(name, location))
