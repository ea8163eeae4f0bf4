"""The autosaved session: open tabs with their unsaved edits, and the active environment.

Written often (0.1 s after an edit, while typing goes on), so it must be cheap and
crash-proof: one JSON file replaced atomically; a SIGKILL at any moment leaves the
previous or the new version. The window takes a snapshot (`Session`, immutable) on its
thread and a `SessionWriter` writes it on another, so the window never waits for the
disk. Drafts may hold credentials the user typed, so the file is readable by its owner
only.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.core.atomic import make_private_dir, remove_stale_temps, write_text_atomic
from explorer.core.model import AuthKind, Request
from explorer.core.storage import codec
from explorer.core.storage.errors import FileFormatError, Problem

_VERSION = 1
FILE_MODE = 0o600


@dataclass(frozen=True)
class DraftTab:
    """One open tab: its request as edited, and where it is saved (if anywhere).

    `collection` is the collection folder, `item` the request's relative path in it;
    both empty for a scratch tab. `inherit_headers` belongs to the collection item.
    """

    request: Request
    collection: str = ""
    item: str = ""
    inherit_headers: bool = True
    modified: bool = False  # differs from the saved file
    # The history entry of the tab's last response (0: none), shown again on restore.
    response_entry: int = 0


@dataclass(frozen=True)
class Session:
    """Everything needed to bring the workspace back after a restart or a crash."""

    tabs: tuple[DraftTab, ...] = ()
    active_tab: int = -1
    active_environment: str = ""
    # The folder of the collection the active environment lives in ("" in older files:
    # the environment is then found by its name).
    active_environment_collection: str = ""


def save_session(path: str | os.PathLike[str], session: Session) -> None:
    """Write the session atomically (previous version or new one, never half)."""
    document = {
        "version": _VERSION,
        "active_tab": session.active_tab,
        "active_environment": session.active_environment,
        "active_environment_collection": session.active_environment_collection,
        "tabs": [_tab_to_data(tab) for tab in session.tabs],
    }
    target = Path(path)
    make_private_dir(target.parent)
    write_text_atomic(target, json.dumps(document, ensure_ascii=False), mode=FILE_MODE)


class SessionWriter:
    """Writes snapshots of the session to `path`, newest wins.

    `offer` (any thread, cheap) records the latest snapshot; `write_latest` (any thread,
    usually a background one) writes it unless it is already on disk. Writes are
    serialised, and an older snapshot is never written over a newer one, whichever
    thread gets there first.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._latest: tuple[int, Session] | None = None
        self._offered = 0
        self._written = 0
        self._offer_lock = threading.Lock()
        self._write_lock = threading.Lock()

    def offer(self, session: Session) -> None:
        """Make `session` the one to write next."""
        with self._offer_lock:
            self._offered += 1
            self._latest = (self._offered, session)

    def write_latest(self) -> bool:
        """Write the newest snapshot offered, if it is not on disk yet; True if written.
        Raises OSError when the file cannot be written (the snapshot stays pending)."""
        with self._write_lock:
            with self._offer_lock:
                latest = self._latest
            if latest is None or latest[0] <= self._written:
                return False
            save_session(self.path, latest[1])
            self._written = latest[0]
            return True

    @property
    def pending(self) -> bool:
        """Whether a snapshot was offered that is not on disk yet."""
        with self._offer_lock:
            return self._offered > self._written


def load_session(path: str | os.PathLike[str]) -> Session:
    """The saved session; an empty one when there is none. Raises FileFormatError when
    the file is not a session (it is then left as it is)."""
    target = Path(path)
    remove_stale_temps(target)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return Session()
    try:
        document = json.loads(raw)
        return Session(
            tabs=tuple(_tab_from_data(item) for item in document.get("tabs", [])),
            active_tab=int(document.get("active_tab", -1)),
            active_environment=str(document.get("active_environment", "")),
            active_environment_collection=str(document.get("active_environment_collection", "")),
        )
    except json.JSONDecodeError as exc:
        raise FileFormatError(Problem(target, exc.msg, exc.lineno, exc.colno)) from exc
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise FileFormatError(Problem(target, f"not a session file: {exc}")) from exc


def _tab_to_data(tab: DraftTab) -> dict[str, Any]:
    return {
        "request": codec.request_to_data(tab.request),
        "collection": tab.collection,
        "item": tab.item,
        "inherit_headers": tab.inherit_headers,
        "modified": tab.modified,
        "response_entry": tab.response_entry,
    }


def _tab_from_data(data: dict[str, Any]) -> DraftTab:
    request, _ = codec.request_from_data(data["request"], AuthKind.NONE)
    return DraftTab(
        request=request,
        collection=str(data.get("collection", "")),
        item=str(data.get("item", "")),
        inherit_headers=bool(data.get("inherit_headers", True)),
        modified=bool(data.get("modified", False)),
        response_entry=max(int(data.get("response_entry", 0) or 0), 0),
    )
