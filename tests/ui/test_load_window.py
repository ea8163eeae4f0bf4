"""The load test window on real widgets and a real child process: progress lines update
the charts and tables, Stop sends SIGINT and the window says "stopped", a failed
threshold is shown, a bad line is one line in the window, saved runs are listed and two
compare. The child here is tests/support/fake_load.py, which speaks the protocol; the
end-to-end test with the real command is in tests/ui/test_load_end_to_end.py."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

from explorer.core.load_runs.saved import list_runs, new_run_folder, save_run
from explorer.ui.load.load_window import LoadTarget, LoadWindow

FAKE = str(Path(__file__).resolve().parents[1] / "support" / "fake_load.py")


@pytest.fixture
def load_window(qtbot, tmp_path):
    def make(mode: str) -> LoadWindow:
        target = LoadTarget(
            root=tmp_path / "collection",
            name="Practice / Items",
            environments=("local", "staging"),
            active_environment="local",
            data_dir=tmp_path / "data",
        )
        window = LoadWindow(target)
        window.command = lambda args: (sys.executable, [FAKE, mode, *args])
        qtbot.addWidget(window)
        window.show()
        return window

    return make


def cell(table, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def test_a_run_draws_its_lines_shows_a_failed_threshold_and_is_saved(qtbot, load_window):
    window = load_window("run")
    window.setup.add_threshold("p95 > 50 ms")
    assert window.setup.environment.currentText() == "local"
    window.setup.start_button.click()
    qtbot.waitUntil(lambda: window.state == "failed", timeout=5000)

    assert window.state_label.text() == "Thresholds failed"
    assert window.thresholds_label.isVisible()
    assert "<b>FAILED</b> — fail if p95&gt;50ms: actual 100 ms" in window.thresholds_label.text()
    assert window.timeline.elapsed == [1.0, 2.0, 3.0]  # every stats line, in order
    assert window.rps_chart.xs == [1.0, 2.0, 3.0]
    assert window.timeline.rps == [100.0, 100.0, 100.0]  # counted: 100 more requests a second
    assert [line.label for line in window.latency_chart.lines] == ["p50", "p95", "p99"]
    assert [line.label for line in window.errors_chart.lines] == ["http"]
    table = window.request_table
    assert [cell(table, r, 0) for r in range(table.rowCount())] == [
        "GET items", "POST login", "Total",
    ]  # fmt: skip
    assert cell(table, 2, 1) == "300" and cell(table, 2, 5) == "100 ms"
    assert cell(window.error_table, 0, 2) == "status 503"
    assert window.tables.tabText(1) == "Errors (3)"
    assert "300 requests" in window.summary.text()
    assert window.setup.start_button.isEnabled() and not window.setup.stop_button.isEnabled()

    # Saved: the reports the command wrote, run.json, listed in Saved runs.
    qtbot.waitUntil(lambda: len(window.past.runs) == 1, timeout=5000)
    folder = window.folder
    assert folder is not None and folder.parent == window.target.data_dir / "load-runs"
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "run.json", "stats.csv"]
    saved = window.past.runs[0]
    assert saved.name == "Practice / Items" and saved.report == folder / "report.html"
    assert saved.setup == "10 users at 5/s · 30 s · local"  # the form's settings, saved
    assert cell(window.past.table, 0, 7) == "thresholds failed"
    window.past.table.selectRow(0)
    opened = []
    window.past.open_url = lambda url: opened.append(url.toLocalFile()) or True
    window.past.report_button.click()
    assert opened == [str(folder / "report.html")]
    window.grab()  # paints every chart with its lines


def test_stop_sends_sigint_and_a_bad_line_is_one_line(qtbot, load_window):
    window = load_window("wait")
    window.setup.start_button.click()
    qtbot.waitUntil(lambda: window.problem_label.isVisible(), timeout=5000)
    assert window.problem_label.text() == (
        "bad progress line: not JSON: Traceback (most recent call last): not a progress line"
    )
    qtbot.waitUntil(lambda: len(window.timeline) == 1, timeout=5000)
    assert window.state == "running" and window.setup.stop_button.isEnabled()
    assert not window.setup.users.isEnabled()  # settings are fixed while it runs
    assert not window.setup.processes.isEnabled()

    window.setup.stop_button.click()
    assert window.state_label.text() == "Stopping… writing the reports"
    assert window.setup.stop_button.text() == "Kill"
    qtbot.waitUntil(lambda: window.state == "stopped", timeout=5000)
    assert window.state_label.text() == "Stopped"  # the fake writes "finished" only on SIGINT
    assert window.finished is not None and window.finished.reason == "stopped"
    assert window.setup.stop_button.text() == "Stop" and not window.setup.stop_button.isEnabled()


def test_a_second_stop_kills_a_child_deaf_to_sigint(qtbot, load_window):
    window = load_window("stubborn")
    window.setup.start_button.click()
    qtbot.waitUntil(lambda: len(window.timeline) == 1, timeout=5000)
    window.setup.stop_button.click()
    assert window.process.is_running() and window.setup.stop_button.text() == "Kill"
    window.setup.stop_button.click()
    qtbot.waitUntil(lambda: window.state == "stopped", timeout=5000)
    assert window.state_label.text() == "Stopped (ended at once: no reports)"


def test_a_command_that_cannot_run_says_why_and_leaves_no_folder(qtbot, load_window):
    window = load_window("broken")
    window.setup.start_button.click()
    qtbot.waitUntil(lambda: window.state == "error", timeout=5000)
    assert window.state_label.text() == "Did not run"
    assert window.problem_label.text() == "error: no collection at nowhere"  # its one line
    qtbot.waitUntil(lambda: window.folder is not None and not window.folder.exists(), timeout=5000)


def test_a_bad_threshold_is_marked_and_nothing_starts(qtbot, load_window):
    window = load_window("run")
    window.setup.add_threshold("p95 quick")
    window.setup.start_button.click()
    assert window.state == "ready"
    assert "is not a threshold like p95>200ms" in window.setup.message.text()


def test_two_saved_runs_compare(qtbot, load_window):
    window = load_window("run")
    data = window.target.data_dir
    for minute, (p95, rps) in enumerate(((100.0, 40.0), (150.0, 30.0))):
        folder = new_run_folder(data, "Items", datetime(2026, 1, 1, 10, minute))
        line = {
            "event": "finished", "reason": "duration", "elapsed": 10.0,
            "total": {"requests": 400, "failures": 0, "rps": rps, "p50": 10, "p95": p95},
            "by_request": [{"name": "GET items", "requests": 400, "rps": rps, "p95": p95}],
        }  # fmt: skip
        setup = f"{10 * (minute + 1)} users at 5/s · 30 s"
        save_run(folder, line, "Items", f"2026-01-01 10:0{minute}:00", setup)
    window.past.show_runs(list_runs(data))
    assert window.past.table.rowCount() == 2 and not window.past.compare_button.isEnabled()
    assert cell(window.past.table, 0, 2) == "20 users at 5/s · 30 s"  # newest first
    window.past.table.selectAll()
    assert window.past.compare_button.isEnabled()
    with qtbot.waitSignal(window.past.compared):
        window.past.compare_button.click()
    table = window.past.comparison
    rows = {cell(table, r, 0).strip(): [cell(table, r, c) for c in (1, 2, 3)]
            for r in range(table.rowCount())}  # fmt: skip
    assert rows["Requests/s"] == ["40.0/s", "30.0/s", "-25.0 %"]
    assert rows["p95"] == ["100 ms", "150 ms", "+50.0 %"]  # the totals' first, then …
    assert "GET items" in rows and rows["rps"] == ["40.0/s", "30.0/s", "-25.0 %"]
    title = window.past.comparison_title.text()
    assert "Baseline: 2026-01-01 10:00:00 Items (10 users at 5/s · 30 s)" in title
    assert "Compared: 2026-01-01 10:01:00 Items (20 users at 5/s · 30 s)" in title


def test_a_target_without_requests_says_so_before_any_run(qtbot, tmp_path):
    target = LoadTarget(root=tmp_path, name="Scratch", request_count=0, data_dir=tmp_path / "data")
    window = LoadWindow(target)
    qtbot.addWidget(window)
    assert window.state == "empty" and window.state_label.text() == "Nothing to load"
    assert "holds no saved requests" in window.summary.text()
    assert not window.setup.start_button.isEnabled()
    window.start()  # a shortcut or a stray call: still nothing
    assert window.state == "empty" and not window.process.is_running()


def _saved_form(data: Path, name: str, **values: object) -> None:
    from explorer.core.load_runs.command import LoadSettings, form_of

    line = {"event": "finished", "reason": "duration", "elapsed": 1.0,
            "total": {"requests": 1, "failures": 0}}  # fmt: skip
    form = form_of(LoadSettings(target=data, **values))  # type: ignore[arg-type]
    save_run(new_run_folder(data, name, datetime(2026, 1, 1, 9, 0)), line, name, "t", "", form)


def test_the_form_starts_from_the_last_run_of_the_same_target(qtbot, tmp_path):
    data = tmp_path / "data"
    _saved_form(data, "Practice / Items", users=40, duration_s=None, iterations=7,
                environment="staging", thresholds=("p95>200ms",), processes=2)  # fmt: skip
    window = LoadWindow(LoadTarget(tmp_path, "Practice / Items", environments=("local",
                        "staging"), active_environment="local", data_dir=data))  # fmt: skip
    qtbot.addWidget(window)
    setup = window.setup
    qtbot.waitUntil(lambda: setup.users.value() == 40, timeout=5000)
    assert setup.mode.currentText() == "Iterations per user" and setup.length.value() == 7
    assert setup.environment.currentText() == "staging" and setup.processes.value() == 2
    assert [row.edit.text() for row in setup.thresholds] == ["p95>200ms"]
    assert "last run of this target" in window.summary.text()
    assert not setup.touched  # filled by the window, not typed


def test_what_the_user_typed_first_is_not_overwritten_by_the_last_run(qtbot, tmp_path):
    data = tmp_path / "data"
    _saved_form(data, "Practice / Items", users=40)
    window = LoadWindow(LoadTarget(tmp_path, "Practice / Items", data_dir=data))
    qtbot.addWidget(window)
    window.setup.users.setValue(3)  # before the saved form is read
    window.queue.finish(5000)
    qtbot.wait(50)  # the answer's delivery to the GUI thread
    assert window.setup.users.value() == 3 and window.setup.touched


def test_a_saved_form_out_of_range_is_clamped_by_the_form(qtbot, tmp_path):
    from explorer.core.load_runs.command import LoadSettings, settings_from_form

    window = LoadWindow(LoadTarget(tmp_path, "Items", data_dir=tmp_path / "data"))
    qtbot.addWidget(window)
    hostile = {"users": 2**70, "spawn_rate": -5, "duration_s": 1e300, "processes": 10**6}
    assert window.setup.apply(settings_from_form(hostile, LoadSettings(target=tmp_path)))
    assert window.setup.users.value() == 100_000 and window.setup.processes.value() == 64
    assert window.setup.spawn_rate.value() == 0.1 and window.setup.length.value() == 7 * 24 * 3600
