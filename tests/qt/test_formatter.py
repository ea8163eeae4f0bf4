"""The Formatter: child process for large bodies, in-process for small ones, stale
results dropped, failures reported, child processes gone at teardown."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QProcess

from explorer.core.text.content import ContentError, ContentKind, json_folds, pretty_json
from explorer.core.text.format_worker import FormatJob
from explorer.qt.formatter import Formatter

PRETTY = FormatJob("pretty", ContentKind.JSON)


def _body(records: int, tag: str = "x") -> bytes:
    return json.dumps(
        [{"id": i, "tag": tag, "list": [1, 2, {"k": i}]} for i in range(records)]
    ).encode()


@pytest.fixture
def formatter(qtbot):
    fmt = Formatter()
    yield fmt
    fmt.shutdown()
    assert not fmt.findChildren(QProcess) or all(
        p.state() == QProcess.ProcessState.NotRunning for p in fmt.findChildren(QProcess)
    )


def _collect(fmt: Formatter) -> dict[str, list]:
    seen: dict[str, list] = {"first": [], "finished": [], "failed": []}
    fmt.first_screen_ready.connect(seen["first"].append)
    fmt.finished.connect(seen["finished"].append)
    fmt.failed.connect(seen["failed"].append)
    return seen


def test_large_body_is_formatted_in_a_child_process(qtbot, formatter, tmp_path):
    body = _body(60000)
    path = tmp_path / "big.json"
    path.write_bytes(body)
    seen = _collect(formatter)
    formatter.start(PRETTY, path=path)
    with qtbot.waitSignal(formatter.finished, timeout=30000):
        pass
    result = seen["finished"][0]
    assert not result.in_process
    assert seen["first"] == [result.buffer]
    expected = pretty_json(body)
    assert result.buffer.complete and result.buffer.size == len(expected)
    assert result.buffer.read(0, result.buffer.size) == expected
    assert result.buffer.line_count == expected.count(b"\n") + 1
    assert len(result.folds) == 1 + 60000 * 3  # the array; per record: itself, "list", {"k"}
    # Mapped from the child's file, not read into the GUI process; the file is unlinked
    # once mapped, and the text file goes with the buffer.
    assert isinstance(result.folds.starts, memoryview) and result.folds.pages is not None
    assert (result.folds.starts, result.folds.ends) == json_folds(expected)
    folder = result.buffer.source.path.parent
    assert [p.name.split("-")[0] for p in folder.iterdir()] == ["output"]
    assert result.first_screen <= result.text_done <= result.done
    result.buffer.close()
    assert list(folder.iterdir()) == []
    assert not formatter.is_running()


def test_small_body_is_formatted_in_process(qtbot, formatter):
    seen = _collect(formatter)
    formatter.start(PRETTY, data=b'{"a":[1]}')
    with qtbot.waitSignal(formatter.finished, timeout=5000):
        pass
    result = seen["finished"][0]
    assert result.in_process
    assert result.buffer.read(0, result.buffer.size) == b'{\n  "a": [\n    1\n  ]\n}'


def test_a_second_body_replaces_the_first(qtbot, formatter, tmp_path):
    first = tmp_path / "first.json"
    first.write_bytes(_body(150000, "first"))
    seen = _collect(formatter)
    formatter.start(PRETTY, path=first)
    second = _body(40000, "second")
    formatter.start(PRETTY, data=second)  # in memory and > 1 MB: written to a temp file
    with qtbot.waitSignal(formatter.finished, timeout=30000):
        pass
    qtbot.wait(300)  # give a stale first result every chance to arrive
    assert len(seen["finished"]) == 1
    result = seen["finished"][0]
    assert result.buffer.read(0, result.buffer.size) == pretty_json(second)
    assert all(b"first" not in buf.read(0, 4096) for buf in seen["first"])
    result.buffer.close()


def test_cancel_emits_nothing(qtbot, formatter, tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(_body(100000))
    seen = _collect(formatter)
    formatter.start(PRETTY, path=path)
    formatter.cancel()
    qtbot.wait(1500)
    assert seen == {"first": [], "finished": [], "failed": []}


def test_filter_failure_in_the_child_is_reported(qtbot, formatter, tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(json.dumps({"name": "x" * (2 << 20)}).encode())
    seen = _collect(formatter)
    formatter.start(FormatJob("filter", ContentKind.JSON, expression="abs(name)"), path=path)
    with qtbot.waitSignal(formatter.failed, timeout=30000) as blocker:
        pass
    assert "failed" in blocker.args[0]
    assert seen["finished"] == []


_ORPHANED_FORMATTERS = """
import gc, json, sys, tempfile
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from explorer.core.text.content import ContentKind
from explorer.core.text.format_worker import FormatJob
from explorer.qt.formatter import Formatter

def spin(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

app = QCoreApplication(sys.argv)
folder = Path(tempfile.mkdtemp())
for round_ in range(6):
    path = folder / f"big{round_}.json"
    path.write_bytes(json.dumps([{"id": i, "tag": "x" * 20} for i in range(60000)]).encode())
    fmt = Formatter()  # no parent: Python owns it, as in a test or a dialog's helper
    fmt.start(FormatJob("pretty", ContentKind.JSON), path=path)
    spin(200)
    fmt.shutdown()  # the killed child's exit and its deferred delete come later
    del fmt
    gc.collect()
    spin(300)
print("survived")
"""


def test_a_dropped_formatter_is_not_freed_twice_by_its_childs_deferred_delete(tmp_path):
    # Regression: slots were lambdas holding the Formatter, connected to its own child
    # QProcess. The child's deferred delete released the last reference, freeing the
    # Formatter, which deleted the child a second time: SIGSEGV or SIGBUS in whatever
    # event loop ran next (it crashed test_runner.py about one run in three).
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _ORPHANED_FORMATTERS],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"


def test_a_body_over_the_stream_size_comes_through_the_child_as_the_whole_formatter_makes_it(
    qtbot, formatter, tmp_path
):
    # Over format_worker.STREAM_FROM (4 MiB): formatted a window at a time (json_stream),
    # inside an object so the stream enters a level; text, lines and folds as before.
    records = [{"id": i, "tag": "caf\u00e9", "list": [1.5, {"k": i}]} for i in range(90000)]
    body = json.dumps({"meta": {"n": 1}, "data": records}).encode()
    assert len(body) > 4 << 20
    path = tmp_path / "big.json"
    path.write_bytes(body)
    seen = _collect(formatter)
    formatter.start(PRETTY, path=path)
    with qtbot.waitSignal(formatter.finished, timeout=30000):
        pass
    result = seen["finished"][0]
    expected = pretty_json(body)
    assert result.notice == ""
    assert result.buffer.read(0, result.buffer.size) == expected
    assert result.buffer.line_count == expected.count(b"\n") + 1
    starts, ends = json_folds(expected)
    assert (result.folds.starts, result.folds.ends) == (starts, ends)
    result.buffer.close()


def test_invalid_json_over_the_stream_size_is_shown_as_received_with_the_reason(
    qtbot, formatter, tmp_path
):
    body = b"[" + b'{"id": 1, "name": "x"},' * 200000 + b'{"id": 2,}]'
    path = tmp_path / "bad.json"
    path.write_bytes(body)
    seen = _collect(formatter)
    formatter.start(PRETTY, path=path)
    with qtbot.waitSignal(formatter.finished, timeout=30000):
        pass
    result = seen["finished"][0]
    with pytest.raises(ContentError) as whole:
        pretty_json(body)
    assert result.notice == f"{whole.value.message}; showing the body as received."
    assert result.buffer.read(0, result.buffer.size) == body
    assert result.folds is None
    result.buffer.close()
