"""The workspace's one cookie jar: loaded on first use, written when it changed.

Every send of every tab uses the jar this store holds, so a login in one tab counts in
all of them. It is read from its file the first time a send (or the cookie manager)
needs it, on that worker thread, never before the window's first paint: the jar
module loads requests. `save_if_changed` writes it atomically (0600) after a send that
changed it and when the workspace closes, from whichever thread calls it.

An unreadable file is never lost and never stops a send: it is renamed aside, the jar
starts empty, and `problem` says so in one line for the status bar.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.core.http.cookie_jar import SharedJar


class CookieStore:
    """One cookie file and the jar read from it (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.problem = ""  # the last load or save failure, one line; "" when none
        self._jar: SharedJar | None = None
        self._saved = 0  # the jar's change count the file holds
        self._keep_file = False  # an unreadable file that could not be moved aside
        self._load_lock = threading.Lock()
        self._save_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._jar is not None

    def jar(self) -> SharedJar:
        """The jar, read from the file on the first call (slow: call it off the GUI
        thread the first time)."""
        with self._load_lock:
            if self._jar is None:
                self._jar = self._load()
            return self._jar

    def _load(self) -> SharedJar:
        from explorer.core.atomic import set_aside
        from explorer.core.http.cookie_jar import CookieFileError, SharedJar, load_jar

        try:
            return load_jar(self.path)
        except CookieFileError as error:
            try:
                aside = set_aside(self.path)
            except OSError as move_error:
                # Left where it is and never written over: this session's cookies
                # are kept in memory only.
                self._keep_file = True
                self.problem = f"The cookie file {self.path} {error}; it could not be moved "
                self.problem += f"aside ({move_error.strerror}): cookies are not saved."
            else:
                self.problem = f"The cookie file {self.path.name} {error}: it was kept as "
                self.problem += f"{aside.name} and the jar starts empty."
            return SharedJar()

    def save_if_changed(self) -> bool:
        """Write the jar when it changed since it was last written (or read). True when
        written; on failure `problem` says why (the jar stays as it is)."""
        from explorer.core.http.cookie_jar import save_jar

        jar = self._jar
        if jar is None or self._keep_file:
            return False
        with self._save_lock:
            if jar.changes == self._saved:
                return False
            try:
                self._saved = save_jar(jar, self.path)
            except OSError as error:
                self.problem = f"The cookies could not be saved: {error.strerror or error}"
                return False
            self.problem = ""
            return True
