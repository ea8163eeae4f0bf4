"""The autosaved session of open tabs."""

from __future__ import annotations

import os
import stat

import pytest

from explorer.core.model import Auth, AuthKind, Request
from explorer.core.storage.errors import FileFormatError
from explorer.core.storage.session import DraftTab, Session, load_session, save_session
from tests.core.storage.collection_samples import every_request


def test_session_round_trip(tmp_path):
    tabs = tuple(
        DraftTab(item.request, collection=str(tmp_path / "c"), item=f"r{i}.yaml", modified=True)
        for i, item in enumerate(every_request())
    )
    tabs += (
        DraftTab(
            Request(url="scratch", auth=Auth(AuthKind.BEARER, token="typed")), inherit_headers=False
        ),
    )
    session = Session(tabs=tabs, active_tab=3, active_environment="staging")
    path = tmp_path / "data" / "session.json"
    save_session(path, session)
    assert load_session(path) == session
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_missing_session_is_empty_and_corrupt_one_is_reported(tmp_path):
    assert load_session(tmp_path / "none.json") == Session()
    path = tmp_path / "session.json"
    path.write_text('{"tabs": [\n  oops')
    with pytest.raises(FileFormatError) as info:
        load_session(path)
    assert info.value.problem.line == 2
