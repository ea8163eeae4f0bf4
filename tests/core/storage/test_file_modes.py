"""Files holding user data are created 0600 and their directories 0700, whatever the
umask; a file that exists keeps its mode unless the writer insists."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.atomic import make_private_dir, make_private_file, write_text_atomic
from explorer.core.collection import Environment, Variable
from explorer.core.model import Request
from explorer.core.storage.global_variables import save_globals
from explorer.core.storage.secrets import SecretStore
from explorer.core.storage.session import DraftTab, Session, save_session


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_atomic_writes_create_private_files_and_keep_existing_modes(tmp_path):
    new = tmp_path / "new.yaml"
    write_text_atomic(new, "a: 1\n")
    assert mode(new) == 0o600
    shared = tmp_path / "shared.yaml"
    shared.write_text("a: 1\n")
    shared.chmod(0o644)  # the user chose this (e.g. a collection kept in git)
    write_text_atomic(shared, "a: 2\n")
    assert mode(shared) == 0o644 and shared.read_text() == "a: 2\n"
    write_text_atomic(shared, "a: 3\n", mode=0o600)
    assert mode(shared) == 0o600


def test_private_directories_and_files(tmp_path):
    make_private_dir(tmp_path / "a" / "b")
    assert mode(tmp_path / "a" / "b") == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    make_private_dir(loose)
    assert mode(loose) == 0o755  # not ours to change
    make_private_dir(loose, tighten=True)
    assert mode(loose) == 0o700
    settings = tmp_path / "settings.ini"
    settings.write_text("[General]\n")
    settings.chmod(0o644)
    make_private_file(settings)
    assert mode(settings) == 0o600 and settings.read_text() == "[General]\n"


def test_drafts_secrets_and_globals_are_private(tmp_path):
    data = tmp_path / "data"
    save_session(data / "session.json", Session(tabs=(DraftTab(Request(url="http://x/")),)))
    store = SecretStore(data / "secrets.json")
    store.set("collection", "env", "token", "t0k3n")
    save_globals(data / "globals.yaml", Environment("Globals", (Variable("a", "1"),)), store)
    for name in ("session.json", "secrets.json", "globals.yaml"):
        assert mode(data / name) == 0o600, name
    assert mode(data) == 0o700
