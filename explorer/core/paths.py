"""Where the app keeps its own files (not the user's collections).

`$API_EXPLORER_HOME` when set (tests and portable use), else the XDG data directory.
The window and the command line both use these, so they share secrets and history.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The app's data directory (created by whoever first writes to it)."""
    explicit = os.environ.get("API_EXPLORER_HOME")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "api-explorer"


def secret_store_path() -> Path:
    """The local secret store (mode 0600), outside every collection folder."""
    return data_dir() / "secrets.json"


def history_path() -> Path:
    return data_dir() / "history.sqlite3"


def session_path() -> Path:
    """Autosaved open tabs and drafts."""
    return data_dir() / "session.json"


def globals_path() -> Path:
    return data_dir() / "globals.yaml"


def script_trust_path() -> Path:
    """Which collections' scripts the user allowed to run on this machine (0600), kept
    outside every collection so that a collection cannot trust itself."""
    return data_dir() / "script-trust.json"
