"""HAR entries into the history and back out, through the real SQLite history."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.formats.har import export_har, import_har
from explorer.core.formats.har_history import exchange_from_har, har_from_history
from explorer.core.storage.history import History

BROWSER_HAR = (Path(__file__).parent / "fixtures" / "har" / "browser.har").read_text()


def test_har_responses_go_into_the_history_and_come_back_out(tmp_path):
    imported = import_har(BROWSER_HAR)
    history = History(tmp_path / "history.sqlite3", keep_sensitive=True)
    for entry in imported.entries:
        request, response = exchange_from_har(entry)
        history.add(response, request)
    summaries = history.search()
    assert len(summaries) == len(imported.entries)
    # Entries without a response (status 0) are stored as failures and not exported.
    answered = [e for e in imported.entries if e.status]
    assert answered
    back = [har_from_history(history.get(s.id)) for s in reversed(summaries)]
    back = [entry for entry in back if entry is not None]
    for original, restored in zip(answered, back, strict=True):
        assert (restored.method, restored.url, restored.status) == (
            original.method,
            original.url,
            original.status,
        )
        assert restored.response_body == original.response_body
    document = json.loads(export_har(back))
    assert document["log"]["version"] == "1.2"
    assert len(document["log"]["entries"]) == len(answered)
    history.close()


def test_a_failed_send_is_not_exported(tmp_path):
    from explorer.core.model import Request

    history = History(tmp_path / "h.sqlite3")
    entry_id = history.add_failure(Request(url="http://127.0.0.1:1/"), "refused")
    assert har_from_history(history.get(entry_id)) is None
    assert har_from_history(None) is None
    history.close()
