"""The Learn dock and what it does: lessons and progress loaded off the GUI thread, "Try
it" (the practice server started first when needed, the request opened in a new tab and
sent, the response pointed at), the Python view, and the progress file kept current.

It sees the window only through `LearnHost` (the main window satisfies it as it is) and
a tab only through `TryTab`, so this region imports no other region of the window.
Tries go to the practice server's own URL, never through the active environment, which
they leave as it is; values captured by earlier tries reach later ones through the
window's captured scope, like any capture of a send.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QSettings, Qt, SignalInstance
from PySide6.QtWidgets import QDockWidget, QStatusBar, QTabWidget, QWidget

from explorer.core.learn.catalogue import (
    Attempt,
    Catalogue,
    Lesson,
    attempt_request,
    pointer_words,
)
from explorer.core.learn.progress import Loaded, Progress, read_progress, write_progress
from explorer.qt.background import BackgroundQueue
from explorer.qt.server_controller import (
    DEFAULT_SERVER_PORT,
    SERVER_PORT_SETTING,
    ServerController,
    ServerState,
    configured_port,
)
from explorer.ui.learn.panel import LearnPanel, korean_font_installed

if TYPE_CHECKING:
    from collections.abc import Callable

    from explorer.core.explain.findings import Pointer
    from explorer.core.model import Request
    from explorer.qt.workspace import Workspace


class PointingView(Protocol):
    """A response view that can show a part of its response (`ResponseView`)."""

    def point_at(self, pointer: Pointer) -> bool: ...


class TryTab(Protocol):
    """What a try needs of a request tab (`RequestTab` satisfies it)."""

    @property
    def response_view(self) -> PointingView: ...

    @property
    def exchange_finished(self) -> SignalInstance: ...

    @property
    def exchange_failed(self) -> SignalInstance: ...

    @property
    def destroyed(self) -> SignalInstance: ...

    def load(self, request: Request, saved: bool = True) -> None: ...

    def send(self) -> None: ...

    def is_modified(self) -> bool: ...


class LearnHost(Protocol):
    """What the Learn dock needs of the main window (`MainWindow` satisfies it)."""

    @property
    def settings(self) -> QSettings: ...

    @property
    def server(self) -> ServerController:
        """The practice server's controller (the Server menu's)."""
        ...

    @property
    def workspace(self) -> Workspace | None:
        """For the values captured so far (None before it is attached)."""
        ...

    @property
    def tabs(self) -> QTabWidget:
        """The request tabs (a try sent again shows in its own tab)."""
        ...

    def window(self) -> QWidget: ...

    def addDockWidget(  # noqa: N802 - QMainWindow's name
        self, area: Qt.DockWidgetArea, dockwidget: QDockWidget, /
    ) -> None: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - QMainWindow's name

    def new_tab(self) -> TryTab:
        """Open a new request tab and make it current."""
        ...

    def start_server(self) -> None:
        """Start the practice server as Server ▸ Start does."""
        ...


class LearnDock(QObject):
    """The dock, its panel and the work behind it."""

    def __init__(
        self,
        host: LearnHost,
        has_korean_font: Callable[[], bool] = korean_font_installed,
        progress_file: Path | None = None,
        lessons_file: Path | None = None,
    ) -> None:
        window = host.window()
        super().__init__(window)
        self.host = host
        self.progress_file = progress_file  # None: the data folder's (core/learn/progress)
        self.lessons_file = lessons_file  # None: the practice server's lessons.yaml
        self.progress = Progress()
        self.catalogue: Catalogue | None = None
        self.dock = QDockWidget("Learn", window)
        self.dock.setObjectName("learnDock")
        self.dock.setAccessibleName("Learn")
        self.panel = LearnPanel(self.dock, has_korean_font)
        self.dock.setWidget(self.panel)
        host.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self._queue = BackgroundQueue(self)
        self._wanted = ""  # a lesson asked for before the lessons were loaded
        self._waiting: tuple[str, int] | None = None  # a try waiting for the server
        self._python: QWidget | None = None  # the Python view, made on first use
        self._tabs: dict[tuple[str, int], TryTab] = {}  # the tab each try was sent in

        panel = self.panel
        panel.try_requested.connect(self.try_it)
        panel.python_requested.connect(self.show_python)
        panel.lesson_opened.connect(lambda slug: self._update(current=slug))
        panel.lesson_read.connect(self._on_read)
        panel.language_changed.connect(lambda language: self._update(language=language))
        self.dock.visibilityChanged.connect(self._on_visibility)
        host.server.ready.connect(self._on_server_ready)
        host.server.failed.connect(self._on_server_failed)
        self._queue.run(self._load, self._loaded, self._not_loaded)

    # ---- loading and saving -----------------------------------------------------------

    def _load(self) -> tuple[Catalogue, Loaded]:
        from explorer.core.learn.catalogue import load_catalogue

        return load_catalogue(self.lessons_file), read_progress(self.progress_file)

    def _loaded(self, result: tuple[Catalogue, Loaded]) -> None:
        catalogue, loaded = result
        self.catalogue = catalogue
        self.progress = loaded.progress
        if self._wanted and catalogue.position(self._wanted) >= 0:
            self.progress = self._changed(self.progress, current=self._wanted)
        self.panel.set_catalogue(catalogue, self.progress)
        if loaded.problem:
            self.panel.say(loaded.problem, error=True)

    def _not_loaded(self, error: Exception) -> None:
        from explorer.core.learn.catalogue import LessonsError

        text = str(error) if isinstance(error, LessonsError) else f"{type(error).__name__}"
        self.panel.show_failure(f"The lessons could not be loaded. {text}")

    def finish(self) -> None:
        """Write what is queued (at quit)."""
        self._queue.finish()

    def _changed(self, progress: Progress, **changes: Any) -> Progress:
        from dataclasses import replace

        return replace(progress, **changes)

    def _update(self, **changes: Any) -> None:
        changed = self._changed(self.progress, **changes)
        if changed != self.progress:
            self._save(changed)

    def _save(self, progress: Progress) -> None:
        # Whoever has opened the path needs no offer of it at a later first start.
        progress = progress if progress.offered else self._changed(progress, offered=True)
        self.progress = progress
        self.panel.set_progress(progress)
        path = self.progress_file
        self._queue.run(
            functools.partial(write_progress, progress, path),
            None,
            lambda error: self.panel.say(f"Learning progress not saved: {error}", error=True),
        )

    def _on_read(self, slug: str) -> None:
        self._save(self.progress.with_read(slug))

    def _on_visibility(self, visible: bool) -> None:
        page = self.panel.page
        if not visible:
            page.stop_reading()
        elif page.isVisibleTo(self.panel):  # the lesson, not the path, is shown
            page.resume_reading()

    # ---- showing ----------------------------------------------------------------------

    def show(self, slug: str = "") -> None:
        """Show the dock (and the lesson `slug`, when given)."""
        self.dock.show()
        self.dock.raise_()
        if not slug:
            return
        if self.catalogue is None:
            self._wanted = slug
        elif not self.panel.open_lesson(slug):
            self.panel.say(f"There is no lesson called “{slug}”.", error=True)

    # ---- Try it ----------------------------------------------------------------------

    def _attempt(self, slug: str, index: int) -> tuple[Lesson, Attempt] | None:
        catalogue = self.catalogue
        lesson = catalogue.lesson(slug, self.panel.language) if catalogue is not None else None
        if lesson is None:
            return None
        attempt = next((a for a in lesson.attempts if a.index == index), None)
        return (lesson, attempt) if attempt is not None else None

    def try_it(self, slug: str, index: int) -> None:
        """Open the try in a new tab and send it to the practice server, which is started
        first when it is not running."""
        found = self._attempt(slug, index)
        if found is None:
            return
        lesson, attempt = found
        missing = self._missing(lesson, attempt)
        if missing:
            self.panel.say(missing, error=True)
            return
        server = self.host.server
        if server.state == ServerState.RUNNING and server.url:
            self._send(slug, index, server.url)
            return
        self._waiting = (slug, index)
        self.panel.say("Starting the practice server…")
        if server.state != ServerState.STARTING:
            self.host.start_server()

    def _missing(self, lesson: Lesson, attempt: Attempt) -> str:
        """A line when the try sends a {{name}} that has no value yet, else ""."""
        workspace = self.host.workspace
        if workspace is None or not attempt.uses():
            return ""
        from explorer.core.resolve.variables import lookup

        scopes = workspace.scopes(None)
        for name in attempt.uses():
            if lookup(name, scopes) is not None:
                continue
            source = next(
                (
                    earlier.index
                    for earlier in lesson.attempts
                    if earlier.index < attempt.index and any(n == name for n, _ in earlier.captures)
                ),
                None,
            )
            if source is None:
                return f"Try {attempt.index} sends {{{{{name}}}}}, which has no value yet."
            return (
                f"Try {attempt.index} sends {{{{{name}}}}}: do try {source} first, "
                "it captures that value."
            )
        return ""

    def _on_server_ready(self, url: str) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._send(*waiting, url)

    def _on_server_failed(self, message: str) -> None:
        if self._waiting is not None:
            self._waiting = None
            first = message.strip().splitlines()[0] if message.strip() else "no reason given"
            self.panel.say(f"The practice server did not start: {first}", error=True)

    def _send(self, slug: str, index: int, url: str) -> None:
        found = self._attempt(slug, index)
        if found is None:
            return
        lesson, attempt = found
        name = f"{lesson.title} · {index}"
        tab = self._tab_for(slug, index)
        tab.load(attempt_request(attempt, url, name))
        done = functools.partial(self._on_try_done, slug, index, tab, attempt.look_at)
        tab.exchange_finished.connect(done, Qt.ConnectionType.SingleShotConnection)
        tab.exchange_failed.connect(
            functools.partial(self._on_try_failed, index), Qt.ConnectionType.SingleShotConnection
        )
        self.panel.say(f"Try {index}: sending “{name}”…")
        tab.send()

    def _tab_for(self, slug: str, index: int) -> TryTab:
        """The tab this try was sent in, again, while it is open and unchanged (a try
        sent five times is one tab, not five); else a new tab."""
        key = (slug, index)
        tab = self._tabs.get(key)
        tabs = self.host.tabs
        if isinstance(tab, QWidget) and tabs.indexOf(tab) >= 0 and not tab.is_modified():
            tabs.setCurrentWidget(tab)
            return tab
        tab = self._tabs[key] = self.host.new_tab()
        tab.destroyed.connect(lambda _gone=None, t=tab: self._forget(key, t))
        return tab

    def _forget(self, key: tuple[str, int], tab: TryTab) -> None:
        if self._tabs.get(key) is tab:
            del self._tabs[key]

    def _on_try_done(
        self,
        slug: str,
        index: int,
        tab: TryTab,
        pointer: Pointer | None,
        _prepared: object,
        response: object,
    ) -> None:
        self._save(self.progress.with_tried(slug, index))
        status = getattr(response, "status", "")
        reason = getattr(response, "reason", "")
        line = f"Try {index}: {status} {reason}".rstrip()
        if pointer is not None:
            line += f". Look at {pointer_words(pointer)}."
            tab.response_view.point_at(pointer)
        self.panel.say(line)

    def _on_try_failed(self, index: int, _prepared: object, error: object) -> None:
        message = getattr(error, "message", str(error))
        self.panel.say(f"Try {index} got no response: {message}", error=True)

    # ---- Python ----------------------------------------------------------------------

    def base_url(self) -> str:
        """The practice server's URL, or the one it will have on the configured port."""
        server = self.host.server
        if server.url:
            return server.url
        port = configured_port(self.host.settings.value(SERVER_PORT_SETTING, DEFAULT_SERVER_PORT))
        return f"http://127.0.0.1:{port or DEFAULT_SERVER_PORT}"

    def python_code(self, slug: str, index: int) -> str:
        """The try as a Python script, from the app's code generator: {{names}} and
        secrets are read from environment variables, never written in."""
        from explorer.application.codegen import request_code

        found = self._attempt(slug, index)
        if found is None:
            return ""
        lesson, attempt = found
        request = attempt_request(attempt, self.base_url(), f"{lesson.title} · {index}")
        return request_code("python", request, [])

    def show_python(self, slug: str, index: int) -> None:
        from explorer.ui.learn.python_view import PythonView

        found = self._attempt(slug, index)
        if found is None:
            return
        if self._python is None:
            self._python = PythonView(self.host.window())
        assert isinstance(self._python, PythonView)
        self._python.show_code(f"{found[0].title} · {index}", self.python_code(slug, index))
