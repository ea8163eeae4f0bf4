"""Request tabs and the workspace: which collection item a tab shows, saving it,
preparing its sends (through `explorer.application.sending`, as `run` does) and having
them recorded in the history, and the autosaved session of open tabs. The window is
seen only as a `TabHost`.

The request editor may not show every field of a request (e.g. a form body, or auth
while that editor is being built). A tab therefore keeps the request as loaded and as
the editor first showed it; a field the user did not touch is saved as loaded, so
opening and saving a request never drops what the editor cannot display.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QMessageBox, QTabWidget, QWidget

from explorer.application.editing import merge_edit
from explorer.application.history import response_from_history
from explorer.application.sending import PreparedSend, SendOptions, effective, prepare_send
from explorer.core.auth.tokens import Token
from explorer.core.collection import RequestItem
from explorer.core.http.exchange import ErrorKind, Response, SendError
from explorer.core.model import Auth, AuthKind, Options, Request
from explorer.core.resolve.credentials import MovedCredential, describe
from explorer.core.resolve.file_access import FileApprovals
from explorer.core.resolve.inheritance import (
    FolderNotFoundError,
    InheritedChecks,
    auth_source,
    header_sources,
    inherited_checks,
)
from explorer.core.resolve.variables import Scope, VariableProblem
from explorer.core.storage.errors import ConflictError, FileFormatError, StorageError
from explorer.core.storage.history import HistoryEntry
from explorer.core.storage.session import DraftTab, Session, SessionWriter, load_session
from explorer.qt.background import BackgroundQueue
from explorer.qt.oauth_flow import WindowOAuth, set_window_oauth
from explorer.qt.preference_store import network_defaults
from explorer.qt.runner import AfterSend
from explorer.qt.workspace import Workspace
from explorer.ui.dialogs.conflict_dialog import ask_conflict
from explorer.ui.dialogs.save_dialog import SaveRequestDialog, SaveTarget
from explorer.ui.widgets.variable_highlight import (
    VariableHighlighter,
    highlight_variables,
    looked_in,
    refresh_variables,
)
from explorer.ui.window.request_tab import RequestTab
from explorer.ui.window.send_checks import CheckOutcome, SendChecks, check_work, has_checks
from explorer.ui.window.send_scripts import ScriptPlan, SendScripts, runnable
from explorer.ui.window.tab_host import TabHost
from explorer.ui.window.tab_notice import LocationBar, TabNotice

# Drafts reach the disk at most this long after an edit, typing or not (the timer is
# not pushed back by more typing), so a crash loses at most the last 0.3 s: 0.1 s here,
# the time to take a snapshot and write it off the GUI thread, and some slack for a
# busy event loop.
AUTOSAVE_MS = 100
LARGE_BODY = 256 * 1024  # history bodies above this are shown only when asked
SaveDone = Callable[[bool], None]  # told whether a queued save reached the disk


@dataclass
class Binding:
    """What a tab is: a request of a collection (root + rel) or a scratch request."""

    root: Path | None = None
    rel: str = ""
    inherit_headers: bool = True
    original: Request = field(default_factory=Request)  # as loaded or last saved
    shown: Request = field(default_factory=Request)  # what the editor made of `original`
    highlighters: list[VariableHighlighter] = field(default_factory=list)
    location: LocationBar | None = None
    stale: bool = False  # the file changed on disk while the tab had unsaved edits
    response_entry: int = 0  # the history entry of the response the tab shows (0: none)

    @property
    def saved_in_collection(self) -> bool:
        return self.root is not None and bool(self.rel)


def show_moved_credentials(tab: RequestTab, moved: tuple[MovedCredential, ...]) -> None:
    """Tell the user, where they look, which saved credentials are now secret variables."""
    fields = {"auth password": "password", "auth token": "token", "auth API key": "API key"}
    in_auth = {fields[m.field]: m.variable for m in moved if m.field in fields}
    if in_auth:
        tab.editor.auth_editor.show_moved(in_auth)
    tab.editor.show_note(
        f"Saved; {describe(moved)} (values in the local secret store, not in the file)."
    )


class WorkspaceTabs(QObject):
    """Connects the window's request tabs to the workspace.

    It knows the window only as a `TabHost` (its tab area, a way to open a tab, its
    status bar), and lives as long as the workspace it belongs to."""

    save_finished = Signal(object, bool)  # tab, whether its queued save reached the disk
    cookies_requested = Signal()  # a tab's response asked to manage the cookie jar
    compare_requested = Signal(object)  # RequestTab: compare its response with another
    lesson_requested = Signal(str)  # a response's finding asked for its lesson (a slug)
    explain_settings_requested = Signal()  # an Explain tab's Manage…: Preferences ▸ Explain

    def __init__(self, host: TabHost, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.host = host
        self.workspace = workspace
        self.bindings: dict[RequestTab, Binding] = {}
        # Tabs whose save is queued or being written, with who waits for its outcome.
        self._saving: dict[RequestTab, list[SaveDone]] = {}
        self.closing = False  # set at close: outcomes are no longer asked about
        self._variable_problems: list[VariableProblem] = []
        self._variable_scopes: list[Scope] = []
        self._restoring = False
        # The preview tab: opened by a single click in the collections tree, replaced by
        # the next one until it is edited, sent, or double-clicked (then pinned).
        self.preview: RequestTab | None = None
        # Replaceable in tests: each returns what the user chose.
        self.confirm_unresolved: Callable[[list[str]], bool] = self._ask_unresolved
        self.ask_save_target: Callable[[str, Path, str], SaveTarget | None] = self._ask_target
        self.resolve_conflict: Callable[[ConflictError], str] = self._ask_conflict
        # (send, remember for this collection) for files outside a collection's folder.
        self.confirm_files: Callable[[list[Path], str], tuple[bool, bool]] = self._ask_files
        self.file_approvals = FileApprovals(workspace.data_dir / "file_approvals.json")
        self._approving: dict[Path, set[Path]] = {}  # approvals being written, by collection
        self.send_checks = SendChecks(workspace, self._status)
        self.send_scripts = SendScripts(workspace, self._dialog_parent, self._status)
        # OAuth 2.0: the Auth tab's token panel and the token each Send needs.
        self.oauth = WindowOAuth(self, workspace.secrets, self._resolved_request)
        set_window_oauth(self.oauth)
        self._oauth_tokens: dict[RequestTab, Token] = {}  # fetched for the send being prepared
        self._plans: dict[RequestTab, ScriptPlan] = {}  # decided before a send's prepare
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self._drafts = SessionWriter(workspace.session_path)
        self._draft_writes = BackgroundQueue(self)
        workspace.collection_reloaded.connect(self._on_collection_reloaded)
        # A queued write nobody else waits for (pruning the history, say) that failed.
        workspace.write_failed.connect(lambda why: self._status(f"Not written: {why}", 10_000))
        workspace.item_moved.connect(self._on_item_moved)
        workspace.environments_changed.connect(self.refresh_variables)
        workspace.active_environment_changed.connect(self._on_environment_changed)
        workspace.captured_changed.connect(self.refresh_variables)

    # ---- tabs --------------------------------------------------------------------------

    @property
    def tab_widget(self) -> QTabWidget:
        """The window's tab area."""
        return self.host.tabs

    def _dialog_parent(self) -> QWidget:
        """The window the tabs are in: the parent of this object's dialogs."""
        return self.host.tabs.window()

    def _status(self, text: str, timeout_ms: int) -> None:
        self.host.statusBar().showMessage(text, timeout_ms)

    def tabs(self) -> list[RequestTab]:
        """The open request tabs, in order."""
        found: list[RequestTab] = []
        for index in range(self.tab_widget.count()):
            widget = self.tab_widget.widget(index)
            if isinstance(widget, RequestTab):
                found.append(widget)
        return found

    def attach(self, tab: RequestTab) -> None:
        """Take care of a newly created tab (a scratch request until bound)."""
        shown = tab.editor.request()
        binding = Binding(original=shown, shown=shown)
        self.bindings[tab] = binding
        tab.runner.use_cookies(self.workspace.cookies)  # one jar for every tab
        tab.response_view.manage_cookies_requested.connect(self.cookies_requested)
        tab.response_view.compare_requested.connect(lambda t=tab: self.compare_requested.emit(t))
        tab.response_view.lesson_requested.connect(self.lesson_requested)
        tab.response_view.explain_settings_requested.connect(self.explain_settings_requested)
        tab.prepare_hook = lambda request, t=tab: self.prepare(t, request)
        tab.after_hook = lambda prepared, t=tab: self._after_send(t, prepared)
        tab.pre_send_hook = lambda edited, go, t=tab: self._pre_send(t, edited, go)
        tab.editor.prepare_hook = lambda request, done, t=tab: self.prepare_aside(t, request, done)
        tab.editor.collection_root = lambda t=tab: self._root(t)
        tab.checks_finished.connect(
            lambda _p, _r, outcome, latest, t=tab: self._on_checked(t, outcome, latest)
        )
        tab.exchange_finished.connect(lambda p, r, t=tab: self._on_finished(t, p, r))
        tab.exchange_failed.connect(lambda p, e, t=tab: self._on_failed(t, p, e))
        tab.editor.changed.connect(self._on_edited)
        tab.destroyed.connect(lambda _obj=None, t=tab: self._forget(t))
        binding.location = LocationBar(tab)
        tab.insert_bar(0, binding.location)
        self._install_highlighters(tab, binding)
        self._update_location(tab)

    def _install_highlighters(self, tab: RequestTab, binding: Binding) -> None:
        # Every editor of the tab, those built now and (through the editor's hook) the
        # parts built when their tab is first opened.
        def scopes(t: RequestTab = tab) -> list[Scope]:
            return self.workspace.scopes(self._root(t))

        tab.editor.variable_scopes = scopes
        tab.editor.inherited_checks = lambda request, t=tab: self.inherited_checks(t, request)
        highlight_variables(tab.editor, scopes)
        # The request line (method, URL, Send) sits above the split, outside the editor.
        highlight_variables(tab.editor.request_line, scopes)
        found = [
            *tab.editor.findChildren(VariableHighlighter),
            *tab.editor.request_line.findChildren(VariableHighlighter),
        ]
        binding.highlighters = list(dict.fromkeys(found))  # the line may still be inside

    def _forget(self, tab: RequestTab) -> None:
        self.bindings.pop(tab, None)
        if self.preview is tab:
            self.preview = None

    def binding(self, tab: RequestTab) -> Binding:
        """The binding of `tab` (a scratch binding when it has none yet)."""
        if tab not in self.bindings:
            self.attach(tab)
        return self.bindings[tab]

    def _root(self, tab: RequestTab) -> Path | None:
        binding = self.bindings.get(tab)
        return binding.root if binding is not None else None

    def full_request(self, tab: RequestTab) -> Request:
        """The tab's request as it would be saved (fields the editor cannot show kept)."""
        binding = self.binding(tab)
        return merge_edit(binding.original, binding.shown, tab.editor.request())

    def title(self, tab: RequestTab) -> str:
        """The tab's title: the saved name when it has one, else method and path."""
        binding = self.bindings.get(tab)
        name = binding.original.name if binding is not None else ""
        if name:
            return f"{tab.editor.request().method} {name}"
        return tab.title()

    def find_tab(self, root: Path, rel: str) -> RequestTab | None:
        """The open tab showing the request at (root, rel)."""
        for tab, binding in self.bindings.items():
            if binding.root == root and binding.rel == rel:
                return tab
        return None

    def load_into(
        self,
        tab: RequestTab,
        request: Request,
        root: Path | None,
        rel: str,
        inherit_headers: bool = True,
    ) -> None:
        """Show a request in `tab` as saved, bound to (root, rel)."""
        binding = self.binding(tab)
        binding.root, binding.rel, binding.inherit_headers = root, rel, inherit_headers
        binding.original = request
        binding.stale = False
        tab.load(request, saved=True)
        binding.shown = tab.editor.request()
        self._update_location(tab)
        self.refresh_variables()
        tab.title_changed.emit(self.title(tab))

    def open_request(self, root: Path, rel: str) -> RequestTab | None:
        """Show the request at (root, rel) in a tab that stays (a double click, Enter):
        its tab if open (pinned if it was the preview), else a new (or the current blank)
        tab."""
        existing = self.find_tab(root, rel)
        if existing is not None:
            self.pin(existing)
            self.tab_widget.setCurrentWidget(existing)
            return existing
        info = self.workspace.info(root, rel)
        if info is None or not isinstance(info.item, RequestItem):
            return None
        tab = self._blank_current() or self.host.new_tab()
        self.load_into(tab, info.item.request, root, rel, info.item.inherit_headers)
        self.tab_widget.setCurrentWidget(tab)
        self.schedule_save()
        return tab

    def preview_request(self, root: Path, rel: str) -> RequestTab | None:
        """Show the request at (root, rel) in the preview tab (a single click): its tab
        if open; else the preview tab, unless it was edited, is sending or saving (it is
        then pinned and a new preview tab opens)."""
        existing = self.find_tab(root, rel)
        if existing is not None:
            self.tab_widget.setCurrentWidget(existing)
            return existing
        info = self.workspace.info(root, rel)
        if info is None or not isinstance(info.item, RequestItem):
            return None
        tab = self.preview if self.preview in self.bindings else None
        if tab is not None and (
            tab.is_modified() or tab.editor.busy or self.is_saving(tab) or tab.in_flight
        ):
            self.pin(tab)
            tab = None
        if tab is None:
            tab = self._blank_current() or self.host.new_tab()
        else:
            tab.runner.cancel()
            tab.response_view.clear()  # the response of the request it showed before
            for notice in tab.findChildren(TabNotice):  # and what was said about it
                notice.deleteLater()
            tab.last_response, tab.last_error = None, None
            self.binding(tab).response_entry = 0
        self.load_into(tab, info.item.request, root, rel, info.item.inherit_headers)
        self._set_preview(tab)
        self.tab_widget.setCurrentWidget(tab)
        self.schedule_save()
        return tab

    def pin(self, tab: RequestTab) -> None:
        """`tab` stays open: a later single click no longer replaces it."""
        if self.preview is tab:
            self._set_preview(None)

    def _set_preview(self, tab: RequestTab | None) -> None:
        self.preview = tab
        bar = self.tab_widget.tabBar()
        setter = getattr(bar, "set_preview", None)  # the window's RequestTabBar
        if callable(setter):
            setter(self.tab_widget.indexOf(tab) if tab is not None else -1)

    def _blank_current(self) -> RequestTab | None:
        widget = self.tab_widget.currentWidget()
        if not isinstance(widget, RequestTab) or widget.is_modified():
            return None
        binding = self.binding(widget)
        # Blank whatever its options: a new tab starts with the Preferences' defaults.
        blank = binding.original.with_changes(options=Options())
        if binding.root is not None or blank != Request():
            return None
        if widget.last_response is not None or widget.editor.request().url:
            return None
        return widget

    # ---- saving ------------------------------------------------------------------------

    def save(
        self, tab: RequestTab, target: SaveTarget | None = None, then: SaveDone | None = None
    ) -> bool:
        """Save the tab into its collection file (asking where for a new request). The
        file is written off the GUI thread: True means the write was queued, and its
        outcome follows on the GUI thread as `then(ok)` and `save_finished(tab, ok)` —
        the tab marked saved once the file is on disk, or left modified with the reason
        in the status bar. False when nothing was queued (the user cancelled)."""
        if tab in self._saving:  # one write per tab at a time: this one follows it
            self._saving[tab].append(lambda ok: self._save_again(tab, target, then, ok))
            return True
        binding = self.binding(tab)
        request = self.full_request(tab)
        if not binding.saved_in_collection or target is not None:
            return self._save_new(tab, request, target, then)
        assert binding.root is not None
        if binding.stale:
            path = binding.root / binding.rel
            choice = self.resolve_conflict(
                ConflictError(path, "changed on disk while this tab had unsaved edits")
            )
            if choice == "reload":
                self.reload_from_disk(tab)
            if choice != "overwrite":
                return False
        self._saving[tab] = [then] if then is not None else []
        # The drafts go to disk (the tab as modified, with what is being saved) before
        # the file does: a crash between the two writes then finds the file older than
        # the draft, never the draft older than the file (the draft would come back as
        # an unsaved edit over the newer save).
        self._drafts.offer(self.session())
        self._write(tab, binding.root, binding.rel, request, force=False, drafts_first=True)
        return True

    def _save_again(
        self, tab: RequestTab, target: SaveTarget | None, then: SaveDone | None, ok: bool
    ) -> None:
        # A save asked for while the tab's previous one was being written.
        if not ok or tab not in self.bindings or not self.save(tab, target, then):
            if then is not None:
                then(False)

    def is_saving(self, tab: RequestTab) -> bool:
        """Whether a save of `tab` is queued or being written."""
        return tab in self._saving

    def _save_new(
        self,
        tab: RequestTab,
        request: Request,
        target: SaveTarget | None,
        then: SaveDone | None,
    ) -> bool:
        binding = self.binding(tab)
        if target is None:
            default_root = binding.root or self.workspace.default_root.resolve()
            target = self.ask_save_target(request.name or tab.title(), default_root, "")
        if target is None:
            return False
        root, folder_rel, name = target
        request = request.with_changes(name=name)
        if request.auth.kind == AuthKind.NONE and binding.root is None:
            request = request.with_changes(auth=Auth(kind=AuthKind.INHERIT))
        if root not in self.workspace.collections:
            self._status(f"Not saved: the collection {root} is not open", 8000)
            return False
        shown = tab.editor.request()
        self._saving[tab] = [then] if then is not None else []
        self.workspace.add_item_later(
            root,
            folder_rel,
            RequestItem(request, binding.inherit_headers),
            lambda written: self._saved(tab, root, written.rel, request, shown),
            lambda error: self._save_failed(tab, error),
        )
        return True

    def _write(
        self,
        tab: RequestTab,
        root: Path,
        rel: str,
        request: Request,
        force: bool,
        drafts_first: bool = False,
    ) -> None:
        shown = tab.editor.request()  # what the file will hold, as the editor shows it
        self.workspace.save_request_later(
            root,
            rel,
            request,
            self.binding(tab).inherit_headers,
            lambda written: self._saved(tab, root, written.rel, request, shown),
            lambda error: self._write_failed(tab, root, rel, request, error),
            force=force,
            before=self._write_drafts_quietly if drafts_first else None,
        )

    def _write_drafts_quietly(self) -> None:
        """The newest drafts snapshot, on the saving thread; a failure is left to the
        next autosave to report (the file's save goes on)."""
        with contextlib.suppress(OSError):
            self._drafts.write_latest()

    def _write_failed(
        self, tab: RequestTab, root: Path, rel: str, request: Request, error: Exception
    ) -> None:
        if not isinstance(error, ConflictError) or self.closing or tab not in self.bindings:
            self._save_failed(tab, error)
            return
        choice = self.resolve_conflict(error)  # the file changed on disk: ask, then retry
        if choice == "overwrite":
            self._write(tab, root, rel, request, force=True)
            return
        if choice == "reload":
            self.reload_from_disk(tab)
        self._save_done(tab, False)

    def _save_failed(self, tab: RequestTab, error: Exception) -> None:
        """The write failed: the tab keeps its edits (still modified), the status bar
        says why in one line."""
        reason = " ".join(str(error).split())
        self._status(f"Not saved: {reason}", 10_000)
        self._save_done(tab, False)

    def _save_done(self, tab: RequestTab, ok: bool) -> None:
        for then in self._saving.pop(tab, []):
            then(ok)
        self.save_finished.emit(tab, ok)

    def _saved(
        self, tab: RequestTab, root: Path, rel: str, request: Request, shown: Request
    ) -> None:
        """The file is on disk: the tab is bound to it and, unless the user typed on
        while it was written, marked saved."""
        if tab not in self.bindings:  # closed meanwhile: the file is written all the same
            self._save_done(tab, True)
            return
        binding = self.binding(tab)
        typed_on = tab.editor.request() != shown
        moved = self.workspace.last_moved
        info = self.workspace.info(root, rel) if moved else None
        if info is not None and isinstance(info.item, RequestItem) and not typed_on:
            # Credentials went to secret variables: show the `{{name}}` the file holds.
            request = info.item.request
            tab.load(request, saved=True)
            show_moved_credentials(tab, moved)
            shown = tab.editor.request()
        binding.root, binding.rel, binding.original = root, rel, request
        binding.shown = shown
        binding.stale = False
        tab.mark_saved(shown)  # edits typed since stay marked as not saved
        tab.title_changed.emit(self.title(tab))
        self._update_location(tab)
        self._status(f"Saved “{request.name}” in {root / rel}", 5000)
        self.schedule_save()
        self._save_done(tab, True)

    def reload_from_disk(self, tab: RequestTab) -> None:
        """Throw away the tab's edits and show the request as its file holds it now."""
        binding = self.binding(tab)
        if binding.root is None:
            return
        try:
            self.workspace.reload(binding.root)
        except (StorageError, OSError) as exc:
            self._report("Reload", exc)
            return
        info = self.workspace.info(binding.root, binding.rel)
        if info is not None and isinstance(info.item, RequestItem):
            # As the file says now, whether it inherits headers too (as `run` reads it).
            self.load_into(
                tab, info.item.request, binding.root, binding.rel, info.item.inherit_headers
            )

    # ---- sending -----------------------------------------------------------------------

    def prepare(self, tab: RequestTab, edited: Request) -> PreparedSend | None:
        """The send for `tab` (prepared by `explorer.application.sending`, as `run`
        prepares it); None when the user chose not to send with unresolved variables or
        with files outside the collection."""
        binding = self.binding(tab)
        written = merge_edit(binding.original, binding.shown, edited)
        place = self.workspace.place(binding.root, binding.rel, binding.inherit_headers)
        network = SendOptions(network=network_defaults(self.workspace.settings))
        scopes = self.workspace.scopes(binding.root)
        prepared = prepare_send(written, place, scopes, network)
        token = self._oauth_tokens.pop(tab, None)
        if token is not None and prepared.request.auth.kind == AuthKind.OAUTH2:
            from explorer.application.oauth import with_token

            prepared = with_token(prepared, token)
        missing = prepared.unresolved
        self._variable_problems = list(prepared.problems)  # what the question explains
        self._variable_scopes = scopes  # and where it looked
        if missing and not self.confirm_unresolved(missing):
            return None
        if binding.root is not None and prepared.outside_files:
            if not self._files_approved(binding.root, list(prepared.outside_files)):
                return None
        return prepared

    def prepare_aside(
        self, tab: RequestTab, edited: Request, done: Callable[[PreparedSend | None], None]
    ) -> None:
        """`edited` prepared as `tab`'s Send would be, for a request made beside it (the
        GraphQL body's schema fetch): the OAuth 2.0 token first, then `prepare`; not the
        request's scripts, which are for the request itself."""

        def prepared(request: Request | None) -> None:
            done(
                None if request is None or tab not in self.bindings else self.prepare(tab, request)
            )

        self._with_oauth_token(tab, prepared)(edited)

    def _files_approved(self, root: Path, outside: list[Path]) -> bool:
        """Whether the collection at `root` may send the files `outside` its folder:
        they need the user's approval, once or for good."""
        approved = self.file_approvals.approved(root) | self._approving.get(root, set())
        asked = [path for path in outside if path not in approved]
        if not asked:
            return True
        opened = self.workspace.collections.get(root)
        send, remember = self.confirm_files(asked, opened.name if opened else root.name)
        if send and remember:
            self._remember_approval(root, asked)
        return send

    def _remember_approval(self, root: Path, files: list[Path]) -> None:
        """Write the approval off the GUI thread; until it is on disk, the files count as
        approved here (a second send does not ask again)."""
        approvals = self.file_approvals
        pending = self._approving.setdefault(root, set())
        pending.update(files)

        def written(_none: None) -> None:
            pending.difference_update(files)

        def failed(error: Exception) -> None:
            pending.difference_update(files)
            self._status(f"The approval was not remembered: {error}", 10_000)

        self.workspace.run_later(lambda: approvals.approve(root, files), written, failed)

    def inherited_checks(self, tab: RequestTab, request: Request) -> InheritedChecks | None:
        """The assertions, captures and scripts `request` gets in `tab`'s place, its
        folders' and collection's first (None for a request in no collection)."""
        binding = self.binding(tab)
        place = self.workspace.place(binding.root, binding.rel, binding.inherit_headers)
        if place.collection is None:
            return None
        try:
            return inherited_checks(place.collection, place.folder_path, request)
        except FolderNotFoundError:
            return None

    def effective(self, tab: RequestTab, request: Request) -> Request:
        """`request` with the auth and headers it inherits from its folders and collection."""
        binding = self.binding(tab)
        place = self.workspace.place(binding.root, binding.rel, binding.inherit_headers)
        return effective(request, place)

    def _checks_of(self, tab: RequestTab, written: Request) -> InheritedChecks:
        binding = self.binding(tab)
        place = self.workspace.place(binding.root, binding.rel, binding.inherit_headers)
        try:
            return inherited_checks(place.collection, place.folder_path, written)
        except FolderNotFoundError:  # the folder went away meanwhile: its own checks
            return inherited_checks(None, (), written)

    def _pre_send(
        self, tab: RequestTab, edited: Request, go: Callable[[Request | None], None]
    ) -> None:
        """Before preparing: whether the request's scripts may run (asked once per
        collection), and its pre-request scripts, off the GUI thread."""
        self.pin(tab)  # a request that was sent stays open
        go = self._with_oauth_token(tab, go)
        binding = self.binding(tab)
        written = merge_edit(binding.original, binding.shown, edited)
        rows = runnable(self._checks_of(tab, written).scripts)
        if not rows:
            self._plans[tab] = ScriptPlan()
            go(edited)
            return
        place = self.workspace.place(binding.root, binding.rel, binding.inherit_headers)

        def decided(plan: ScriptPlan, request: Request | None) -> None:
            if tab not in self.bindings:
                return  # closed meanwhile
            self._plans[tab] = plan
            go(None if request is None else (edited if request is written else request))

        def failed(error: str, console: tuple[str, ...]) -> None:
            if tab in self.bindings:
                self._script_failed(tab, error, console)

        self.send_scripts.begin(place.collection, place.root, rows, written, decided, failed)

    def _with_oauth_token(
        self, tab: RequestTab, go: Callable[[Request | None], None]
    ) -> Callable[[Request | None], None]:
        """`go`, after the OAuth 2.0 token of a request with OAUTH2 auth was taken from
        the secret store, refreshed or fetched off the GUI thread (application/oauth);
        `prepare` then attaches it. A token it cannot get ends the Send with its line."""

        def then(request: Request | None) -> None:
            if request is None or tab not in self.bindings:
                go(request)
                return
            resolved = self._resolved_request(tab, request.auth, request)
            auth = resolved.auth
            if auth.kind != AuthKind.OAUTH2:
                go(request)
                return

            def got(token: Token | None) -> None:
                if tab not in self.bindings:
                    return
                if token is not None:
                    self._oauth_tokens[tab] = token
                go(request)

            def failed(message: str) -> None:
                if tab not in self.bindings:
                    return
                tab.response_view.show_error(
                    SendError(ErrorKind.OTHER, message, "Nothing was sent.")
                )
                self._status(message, 10_000)
                go(None)

            from explorer.core.auth.oauth2 import Connection

            connection = Connection.of(resolved.options)
            self.oauth.jobs.ensure(auth, self.oauth.token_store(), got, failed, connection)

        return then

    def _resolved_request(
        self, widget: QObject, auth: Auth, request: Request | None = None
    ) -> Request:
        """The request of the tab holding `widget` with `auth`, as it is sent: inherited
        auth merged in, variables resolved with that tab's scopes, the network defaults
        applied (its token endpoint is reached the same way)."""
        tab = widget if isinstance(widget, RequestTab) else None
        tab = tab or next((t for t in self.bindings if t.isAncestorOf(widget)), None)  # type: ignore[arg-type]
        binding = self.bindings.get(tab) if tab is not None else None
        if binding is None:
            root, place = None, self.workspace.place(None, "", True)
        else:
            root = binding.root
            place = self.workspace.place(binding.root, binding.rel, binding.inherit_headers)
        written = (request or Request()).with_changes(auth=auth)
        network = SendOptions(network=network_defaults(self.workspace.settings))
        return prepare_send(written, place, self.workspace.scopes(root), network).request

    def _script_failed(self, tab: RequestTab, error: str, console: tuple[str, ...]) -> None:
        """A pre-request script failed: the request is not sent; say why where the
        response would be."""
        shown = "\n".join(console[-20:])
        printed = f"What the scripts printed:\n{shown}" if shown else "They printed nothing."
        message = f"Pre-request script failed: {error}"
        tab.response_view.show_error(
            SendError(ErrorKind.OTHER, message, f"Nothing was sent. {printed}")
        )
        self._status(f"Pre-request script failed: {error}", 10_000)

    def _after_send(self, tab: RequestTab, prepared: PreparedSend) -> AfterSend | None:
        """The work on the response of `prepared` for the worker thread: its checks
        (the request's own and those it inherits) and post-response scripts, or None
        when there is nothing to do."""
        binding = self.binding(tab)
        checks = self._checks_of(tab, prepared.written)
        plan = self._plans.pop(tab, ScriptPlan())
        if not has_checks(checks) and not plan.shows_console:
            return None
        scopes = self.workspace.scopes(binding.root)
        return check_work(checks, scopes, binding.root, plan, prepared.request)

    def _on_checked(self, tab: RequestTab, outcome: CheckOutcome, latest: bool) -> None:
        # Only the response the tab shows feeds the next sends: a superseded one's
        # checks arrive late and would overwrite newer values.
        if latest:
            self.send_checks.keep(self._root(tab), outcome)

    def _on_finished(self, tab: RequestTab, prepared: PreparedSend, response: Response) -> None:
        self.workspace.record_send(
            prepared, response, self._not_stored, lambda entry: self._recorded(tab, entry)
        )
        self.schedule_save()

    def _on_failed(self, tab: RequestTab, prepared: PreparedSend, error: SendError) -> None:
        # The request as written is recorded (to reopen it); the URL and headers as
        # sent show where it went, secret values redacted by the history.
        if error.kind == ErrorKind.CANCELLED:
            return
        self.workspace.record_failed_send(
            prepared, error.message, self._not_stored, lambda entry: self._recorded(tab, entry)
        )

    def _recorded(self, tab: RequestTab, entry_id: int) -> None:
        """The tab's last exchange is in the history: the session remembers its entry,
        so a restart shows the response again."""
        binding = self.bindings.get(tab)
        if binding is not None:
            binding.response_entry = entry_id
            self.schedule_save()

    def _not_stored(self, error: Exception) -> None:
        self._status(f"Not stored in the history: {error}", 8000)

    # ---- history -----------------------------------------------------------------------

    def open_history(self, entry_id: int) -> RequestTab | None:
        """Open a history entry as an editable tab with its response."""
        entry = self.workspace.history.get(entry_id)
        if entry is None:
            return None
        summary = entry.summary
        request = entry.request or Request(method=summary.method, url=summary.url)
        tab = self._blank_current() or self.host.new_tab()
        self.load_into(tab, request, None, "")
        self.binding(tab).response_entry = entry_id
        self.show_entry(tab, entry)
        self.tab_widget.setCurrentWidget(tab)
        return tab

    def show_entry(self, tab: RequestTab, entry: HistoryEntry, restored: bool = False) -> None:
        """Show the response of a history entry in `tab`: a body over `LARGE_BODY` only
        when asked, a body the history cut short with a note saying so."""
        summary = entry.summary
        if summary.status == 0:
            tab.response_view.show_error(SendError(ErrorKind.OTHER, summary.error or "Failed"))
            return
        large = len(entry.response_body) > LARGE_BODY
        tab.response_view.show_response(response_from_history(entry, with_body=not large))
        tab.last_response = response_from_history(entry, with_body=True)  # to compare
        notes = []
        if entry.response_body_truncated:
            notes.append(f"Only the first {len(entry.response_body):,} bytes were stored.")
        if large:
            size = f"{len(entry.response_body) / 1024 / 1024:.1f} MB"

            def show_body(t: RequestTab = tab, e: HistoryEntry = entry) -> None:
                t.response_view.show_response(response_from_history(e, with_body=True))

            notice = TabNotice(
                f"The stored response body ({size}) is not shown yet. " + " ".join(notes),
                [("Show body", show_body)],
                "Large body notice",
                tab,
                warning=False,
            )
            tab.insert_bar(1, notice)
            notice.show()
        elif notes and restored:  # said in the tab: several tabs come back at once
            notice = TabNotice(
                f"Restored from the history. {notes[0]}",
                [("Dismiss", lambda: None)],
                "Cut body notice",
                tab,
                warning=False,
            )
            tab.insert_bar(1, notice)
            notice.show()
        elif notes:
            self._status(notes[0], 8000)

    # ---- variables and inheritance -----------------------------------------------------

    def refresh_variables(self) -> None:
        """Re-colour variables and re-describe inheritance in every tab."""
        for tab in list(self.bindings):
            refresh_variables(tab.editor)
            refresh_variables(tab.editor.request_line)  # the URL, outside the editor
            self._update_location(tab)

    def _on_environment_changed(self, _name: str) -> None:
        self.refresh_variables()
        self.schedule_save()

    def _update_location(self, tab: RequestTab) -> None:
        binding = self.bindings.get(tab)
        if binding is None or binding.location is None:
            return
        info = self.workspace.info(binding.root, binding.rel) if binding.root else None
        opened = self.workspace.collections.get(binding.root) if binding.root else None
        if info is None or opened is None:
            binding.location.setText("Not saved in a collection · Ctrl+S saves it")
            binding.location.setToolTip("")
            self._set_automatic_headers(tab)
            tab.editor.refresh_inherited_checks()
            return
        request = self.full_request(tab)
        item = RequestItem(request, binding.inherit_headers)
        path = " › ".join((opened.name, *info.folder_path, binding.original.name))
        parts = [path]
        auth, source = auth_source(opened.collection, info.folder_path, item)
        if request.auth.kind == AuthKind.INHERIT:
            parts.append(f"auth: {auth.kind.value} from {source.label}")
        inherited = [
            s
            for s in header_sources(opened.collection, info.folder_path, item)
            if s.source.kind != "request"
        ]
        active = [s for s in inherited if not s.overridden]
        if inherited:
            parts.append(f"{len(active)} inherited header(s)")
        binding.location.setText("  ·  ".join(parts))
        tips = [f"{opened.root / binding.rel}"]
        for s in inherited:
            note = " (overridden by the request)" if s.overridden else ""
            tips.append(f"{s.header.name}: {s.header.value} — from {s.source.label}{note}")
        binding.location.setToolTip("\n".join(tips))
        self._set_automatic_headers(tab)
        tab.editor.refresh_inherited_checks()

    def _set_automatic_headers(self, tab: RequestTab) -> None:
        """The Headers tab's "Added automatically" list shows the headers the request
        inherits (read-only, "inherited from Shop / Users"), worked out from the request
        as edited, so a header typed over an inherited one takes its place at once."""
        tab.editor.inherited_headers = lambda request, t=tab: self.inherited_header_rows(t, request)
        tab.editor.refresh_automatic_headers()

    def inherited_header_rows(
        self, tab: RequestTab, request: Request
    ) -> list[tuple[str, str, str]]:
        """(name, value, "inherited from …") of each header `request`, edited in `tab`,
        inherits and does not override; none for a request in no collection."""
        binding = self.bindings.get(tab)
        if binding is None or binding.root is None:
            return []
        info = self.workspace.info(binding.root, binding.rel)
        opened = self.workspace.collections.get(binding.root)
        if info is None or opened is None:
            return []
        item = RequestItem(request, binding.inherit_headers)
        try:
            sources = header_sources(opened.collection, info.folder_path, item)
        except FolderNotFoundError:
            return []
        rows = []
        for s in sources:
            if s.source.kind == "request" or s.overridden:
                continue
            where = " / ".join((opened.name, *s.source.path))
            rows.append((s.header.name, s.header.value, f"inherited from {where}"))
        return rows

    # ---- collection changes ------------------------------------------------------------

    def _on_item_moved(self, root: Path, rel: str, new_root: Path, new_rel: str) -> None:
        for tab, binding in self.bindings.items():
            if binding.root != root or not binding.rel:
                continue
            if binding.rel == rel or binding.rel.startswith(rel + "/"):
                binding.root, binding.rel = new_root, new_rel + binding.rel[len(rel) :]
                info = self.workspace.info(binding.root, binding.rel)
                if info is not None and isinstance(info.item, RequestItem):
                    # A rename changes the name only: keep the tab's edits.
                    binding.original = replace(binding.original, name=info.item.name)
                tab.title_changed.emit(self.title(tab))
                self._update_location(tab)
        self.schedule_save()

    def _on_collection_reloaded(self, root: Path) -> None:
        """Files changed on disk: clean tabs follow, modified tabs are told."""
        for tab, binding in list(self.bindings.items()):
            if binding.root != root or not binding.rel:
                continue
            info = self.workspace.info(root, binding.rel)
            if info is None or not isinstance(info.item, RequestItem):
                self._notice(
                    tab,
                    f"The file of “{binding.original.name}” was removed or renamed on disk. "
                    "Ctrl+S saves this tab as a new request.",
                    [],
                )
                binding.rel = ""
                tab.title_changed.emit(self.title(tab))
                continue
            on_disk = (info.item.request, info.item.inherit_headers)
            if on_disk == (binding.original, binding.inherit_headers):
                continue  # a change to whether it inherits headers counts too
            if not tab.is_modified():
                self.load_into(tab, info.item.request, root, binding.rel, info.item.inherit_headers)
                self._status(f"“{info.item.name}” changed on disk and was reloaded", 5000)
            else:
                binding.stale = True
                self._notice(
                    tab,
                    f"“{info.item.name}” changed on disk. Your unsaved edits are kept; "
                    "saving will ask before overwriting the file.",
                    [("Reload from disk", lambda t=tab: self.reload_from_disk(t))],
                )
        self.refresh_variables()

    def _notice(self, tab: RequestTab, text: str, actions: list) -> None:
        notice = TabNotice(text, [*actions, ("Dismiss", lambda: None)], "File changed notice", tab)
        tab.insert_bar(1, notice)
        notice.show()
        self._status(text, 8000)

    # ---- session -----------------------------------------------------------------------

    def _on_edited(self) -> None:
        self.schedule_save()

    def schedule_save(self) -> None:
        """Autosave the session `AUTOSAVE_MS` after the first change not yet saved."""
        if not self._restoring and not self.autosave_timer.isActive():
            self.autosave_timer.start()

    def autosave(self) -> None:
        """Snapshot the session here (cheap: immutable requests) and write it on the
        drafts thread, so the window never waits for the disk."""
        self._drafts.offer(self.session())
        self._draft_writes.run(self._drafts.write_latest, None, self._drafts_not_saved)

    def _drafts_not_saved(self, error: Exception) -> None:
        self._status(f"Drafts could not be saved: {error}", 8000)

    def session(self) -> Session:
        """The open tabs with their edits, the active tab and environment."""
        drafts = []
        for tab in self.tabs():
            binding = self.binding(tab)
            drafts.append(
                DraftTab(
                    request=self.full_request(tab),
                    collection=str(binding.root) if binding.root else "",
                    item=binding.rel,
                    inherit_headers=binding.inherit_headers,
                    modified=tab.is_modified(),
                    response_entry=binding.response_entry,
                )
            )
        return Session(
            tabs=tuple(drafts),
            active_tab=self.tab_widget.currentIndex(),
            active_environment=self.workspace.active_environment,
            active_environment_collection=str(self.workspace.active_environment_root or ""),
        )

    def save_session(self) -> None:
        """Write the session file now, on this thread (at quit, and for tests)."""
        self.autosave_timer.stop()
        self._drafts.offer(self.session())
        try:
            self._drafts.write_latest()
        except OSError as exc:
            self._status(f"Drafts could not be saved: {exc}", 8000)

    def restore_session(self) -> int:
        """Open the tabs of the last session; return how many were restored."""
        try:
            session = load_session(self.workspace.session_path)
        except FileFormatError as exc:
            self._report("Restore tabs", exc)
            return 0
        self._restoring = True
        restored: list[RequestTab] = []
        try:
            for draft in session.tabs:
                restored.append(self._restore_tab(draft))
            # After the tabs: their collections are open by now.
            home = session.active_environment_collection
            self.workspace.restore_environment(
                session.active_environment, Path(home) if home else None
            )
        finally:
            self._restoring = False
        # The index counts the restored tabs only: a blank tab the window opened before
        # the workspace came is not one of them (and is closed after this).
        if 0 <= session.active_tab < len(restored):
            self.tab_widget.setCurrentWidget(restored[session.active_tab])
        drafts = zip(restored, session.tabs, strict=True)
        self._restore_responses({t: d.response_entry for t, d in drafts if d.response_entry > 0})
        return len(restored)

    def _restore_responses(self, entries: dict[RequestTab, int]) -> None:
        """Show each restored tab's last response, read from the history off the GUI
        thread (bounded as the history bounds it; see `show_entry`)."""
        if not entries:
            return
        history = self.workspace.history
        wanted = dict(entries)

        def read() -> dict[RequestTab, HistoryEntry]:
            found = {tab: history.get(entry_id) for tab, entry_id in wanted.items()}
            return {tab: entry for tab, entry in found.items() if entry is not None}

        def show(found: dict[RequestTab, HistoryEntry]) -> None:
            for tab, entry in found.items():
                binding = self.bindings.get(tab)
                if binding is None or tab.last_response is not None or tab.in_flight:
                    continue  # closed, or sent again meanwhile
                if tab.editor.busy:
                    continue
                binding.response_entry = entry.summary.id
                self.show_entry(tab, entry, restored=True)

        def failed(error: Exception) -> None:
            self._status(f"The last responses could not be read from the history: {error}", 8000)

        self.workspace.run_later(read, show, failed)

    def _restore_tab(self, draft: DraftTab) -> RequestTab:
        tab = self.host.new_tab()
        root = Path(draft.collection) if draft.collection else None
        if root is not None and root not in self.workspace.collections and root.is_dir():
            try:
                self.workspace.open_collection(root)
            except (StorageError, OSError) as exc:
                self._status(f"{root}: {exc}", 8000)
        info = self.workspace.info(root, draft.item) if root and draft.item else None
        if info is not None and isinstance(info.item, RequestItem):
            self.load_into(tab, info.item.request, root, draft.item, info.item.inherit_headers)
            # A draft equal to the file is what a save wrote just before a crash.
            if draft.modified and draft.request != self.full_request(tab):
                tab.load(draft.request, saved=False)
        else:
            binding = self.binding(tab)
            binding.root = root if root in self.workspace.collections else None
            binding.original = draft.request
            tab.load(draft.request, saved=not draft.modified)
            binding.shown = tab.editor.request()
            self._update_location(tab)
        tab.title_changed.emit(self.title(tab))
        return tab

    # ---- dialogs (replaceable in tests) ------------------------------------------------

    def _report(self, what: str, error: Exception) -> None:
        QMessageBox.warning(self._dialog_parent(), what, f"{what} failed:\n{error}")

    def _ask_unresolved(self, names: list[str]) -> bool:
        # Each problem names the variable at fault: undefined, a cycle, too deep, too large.
        lines = [p.message for p in self._variable_problems if p.name in names]
        listed = "\n".join(lines[:8] or [f"{{{{{n}}}}}" for n in names[:8]])
        more = "\n…" if len(lines) > 8 else ""
        where = f"Looked in {looked_in(self._variable_scopes)}.\n\n"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Unresolved variables",
            f"Some variables cannot be expanded:\n{listed}{more}\n\n{where}"
            "They would be sent as written. Define them in Variables and environments, "
            "or choose another environment in the toolbar.",
            parent=self._dialog_parent(),
        )
        send = box.addButton("Send anyway", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is send

    def _ask_files(self, files: list[Path], collection: str) -> tuple[bool, bool]:
        if len(files) == 1:
            text = f"Send {files[0]}, which is outside the collection “{collection}”?"
        else:
            listed = "\n".join(f"  {path}" for path in files[:10])
            more = f"\n  … and {len(files) - 10} more" if len(files) > 10 else ""
            text = (
                f"Send these files, which are outside the collection “{collection}”?\n"
                f"{listed}{more}"
            )
        box = QMessageBox(QMessageBox.Icon.Warning, "File outside the collection", text,
                          parent=self._dialog_parent())  # fmt: skip
        box.setInformativeText(
            "A collection that was imported or cloned can name any file on this computer."
        )
        send = box.addButton("Send", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setCheckBox(QCheckBox("Remember for this collection", box))
        box.exec()
        return box.clickedButton() is send, box.checkBox().isChecked()

    def _ask_target(self, name: str, root: Path, folder: str) -> SaveTarget | None:
        dialog = SaveRequestDialog(self.workspace, name, root, folder, self._dialog_parent())
        return dialog.target() if dialog.exec() else None

    def _ask_conflict(self, error: ConflictError) -> str:
        return ask_conflict(self._dialog_parent(), error, "the file")
