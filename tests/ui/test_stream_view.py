"""The live table of a stream's messages: batches, following the newest, bounded."""

from __future__ import annotations

import threading

import pytest

from explorer.core.streams import StreamMessage
from explorer.qt.stream_batcher import StreamBatcher
from explorer.ui.response.streams import stream_view
from explorer.ui.response.streams.stream_view import StreamView, pretty, preview


def messages(count: int, start: int = 0) -> list[StreamMessage]:
    return [
        StreamMessage(at_ms=float(i), direction="in", type="tick", data=f'{{"n": {i}}}', id=str(i))
        for i in range(start, start + count)
    ]


@pytest.fixture
def view(qtbot):
    widget = StreamView("Events")
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    return widget


def test_a_batch_is_one_insertion_and_the_table_follows_the_newest(qtbot, view):
    view.show()
    inserted = []
    view.model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    view.append(messages(500))
    view.append(messages(500, 500))
    assert inserted == [(0, 499), (500, 999)]
    assert view.model.rowCount() == 1000
    bar = view.table.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0
    assert view.summary.text() == "1,000 messages"


def test_a_reader_scrolled_up_stays_where_they_are(qtbot, view):
    view.show()
    view.append(messages(300))
    view.table.verticalScrollBar().setValue(0)
    view.append(messages(300, 300))
    assert view.table.verticalScrollBar().value() == 0


def test_the_oldest_are_let_go_past_the_bound(monkeypatch, view):
    monkeypatch.setattr(stream_view, "MAX_KEPT_MESSAGES", 100)
    view.append(messages(80))
    view.append(messages(50, 80))
    assert view.model.rowCount() == 100
    assert view.model.message(0).id == "30"
    assert view.model.dropped == 30
    assert "oldest 30 let go" in view.summary.text()


def test_the_selected_message_is_shown_whole_and_pretty(view):
    view.append([StreamMessage(0.0, "out", "text", '{"a": [1, 2]}', size=13)])
    view.table.selectRow(0)
    assert view.detail.toPlainText() == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    assert view.model.data(view.model.index(0, stream_view.DIRECTION)) == "↑"


def test_preview_and_pretty_of_odd_data():
    assert preview("one\ntwo") == "one…"
    assert preview("x" * 500) == "x" * 200 + "…"
    assert preview("short") == "short"
    assert pretty("not json") == "not json"


def test_the_batcher_hands_over_messages_from_another_thread_in_batches(qtbot):
    batcher = StreamBatcher()
    batches: list[list[StreamMessage]] = []
    batcher.arrived.connect(batches.append)

    def produce() -> None:
        for message in messages(20_000):
            batcher.put(message)

    thread = threading.Thread(target=produce)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: sum(map(len, batches)) == 20_000, timeout=5000)
    batcher.stop()
    assert [m.id for batch in batches for m in batch] == [str(i) for i in range(20_000)]
    assert len(batches) < 100  # a few batches, not one signal per message


def test_a_resize_while_following_keeps_following(qtbot, view):
    # A taller table moved the bottom below the bar's value: the next batch stayed
    # where the table was (the old look at the bar before each batch).
    view.show()
    view.append(messages(300))
    view.resize(600, 200)
    qtbot.wait(1)
    view.append(messages(300, 300))
    bar = view.table.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0
