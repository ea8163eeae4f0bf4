"""The collection runner in the window, run against the real practice server: failures
first with the right totals, data-file iterations, cancel, rerun failed, the JUnit
export, a result opened as a response, and results arriving in batches."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Assertion, Capture, Operator, Request, Subject
from explorer.core.storage.collection_files import save_collection
from explorer.ui.runner.results_model import COL_CHECKS, COL_EXPAND, COL_REQUEST, ROW_ROLE
from explorer.ui.runner.runner_window import RunnerWindow


def status_is(code: int) -> Assertion:
    return Assertion(Subject.STATUS, Operator.EQ, str(code))


def get(name: str, url: str, *checks: Assertion) -> RequestItem:
    return RequestItem(Request(method="GET", url=url, name=name, assertions=checks))


def open_collection(window, tmp_path: Path, collection: Collection) -> Path:
    folder = tmp_path / "runs" / collection.name.replace(" ", "-")
    save_collection(collection, folder)
    return window.workspace.open_collection(folder).root


def run_and_wait(qtbot, runner: RunnerWindow, timeout: int = 30_000) -> None:
    with qtbot.waitSignal(runner.worker.finished, timeout=timeout):
        runner.setup.run_button.click()


def open_runner(window, root: Path, rel: str = "") -> RunnerWindow:
    runner = window.run_actions.run(root, rel)
    assert runner is not None
    return runner


def click_marker(qtbot, runner: RunnerWindow, row: int) -> None:
    """Click the expand marker of model row `row`, as a user would."""
    results = runner.results.list
    results.scroll_to(row)
    rect = results.view.visualRect(results.shown.index(results.window_row(row), COL_EXPAND))
    qtbot.mouseClick(results.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def top_texts(runner: RunnerWindow) -> list[str]:
    """Each listed result as "passed name" or "failed name", top to bottom."""
    model = runner.results.model
    found = []
    for row in range(model.rowCount()):
        result = model.index(row, 0).data(ROW_ROLE)
        state = "passed" if result.passed else "failed"
        found.append(f"{state} {model.index(row, COL_REQUEST).data()}")
    return found


def test_a_failing_assertion_is_listed_first_and_counted(qtbot, window, tmp_path, live_server):
    collection = Collection(
        "Checks",
        items=(
            get("Health", f"{live_server}/health", status_is(200)),
            get("Created?", f"{live_server}/status/200", status_is(201)),
            get("Teapot", f"{live_server}/status/418", status_is(418)),
        ),
    )
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    run_and_wait(qtbot, runner)

    texts = top_texts(runner)
    assert len(texts) == 3
    assert texts[0] == "failed Created?"
    assert texts[1:] == ["passed Health", "passed Teapot"]
    totals = runner.results.model.totals
    assert (totals.requests, totals.passed, totals.failed, totals.errors) == (3, 2, 1, 0)
    assert (totals.assertions_passed, totals.assertions_failed) == (2, 1)
    assert runner.results.tiles["failed"].value.text() == "1"
    assert runner.results.tiles["requests"].value.text() == "3 / 3"
    assert runner.results.state_label.text() == "Finished with failures"
    shown = runner.results.list.shown  # what the table paints: the same, failure first
    assert [shown.item(r, COL_REQUEST).text() for r in range(3)] == ["Created?", "Health", "Teapot"]
    # Expanded, the failed result shows its assertion with expected and actual.
    model = runner.results.model
    click_marker(qtbot, runner, 0)
    assert model.rowCount() == 4
    assert model.index(1, COL_REQUEST).data() == "status == 201"
    detail = model.index(1, COL_CHECKS).data()
    assert "expected 201" in detail and "actual 200" in detail
    assert model.index(2, COL_REQUEST).data() == "Health"  # the next result, below it
    # Failures only hides the passes (the failure stays expanded).
    runner.results.failures_only.setChecked(True)
    assert model.rowCount() == 2
    assert model.index(1, COL_REQUEST).data() == "status == 201"
    click_marker(qtbot, runner, 0)
    assert model.rowCount() == 1


def test_a_data_file_runs_one_iteration_per_row_with_its_values(
    qtbot, window, tmp_path, live_server
):
    collection = Collection("Data", items=(get("Code", f"{live_server}/status/{{{{code}}}}"),))
    root = open_collection(window, tmp_path, collection)
    data = tmp_path / "codes.csv"
    data.write_text("code,label\n200,ok\n201,created\n404,missing\n", encoding="utf-8")
    runner = open_runner(window, root)
    setup = runner.setup
    setup.data_picker.set_path(str(data))
    setup.data_picker.changed.emit()
    qtbot.waitUntil(lambda: setup.data_rows != (), timeout=10_000)
    assert setup.data_message.text().startswith("3 rows")
    assert setup.preview_table.rowCount() == 3
    assert setup.preview_table.item(1, 0).text() == "201"
    assert not setup.iterations_spin.isEnabled()

    run_and_wait(qtbot, runner)
    rows = sorted(runner.results.model.all_rows(), key=lambda r: r.iteration)
    assert [(r.iteration, r.status) for r in rows] == [(1, 200), (2, 201), (3, 404)]


def test_cancel_stops_the_run(qtbot, window, tmp_path, live_server):
    items = tuple(get(f"Slow {i}", f"{live_server}/delay/0.4") for i in range(20))
    root = open_collection(window, tmp_path, Collection("Slow", items=items))
    runner = open_runner(window, root)
    runner.setup.run_button.click()
    qtbot.waitUntil(lambda: runner.results.model.totals.requests >= 1, timeout=15_000)
    with qtbot.waitSignal(runner.worker.finished, timeout=10_000):
        runner.results.cancel_button.click()
    assert runner.results.model.totals.requests < 20
    assert runner.results.state_label.text() == "Cancelled"
    assert not runner.worker.running
    assert runner.setup.run_button.isEnabled()


def test_rerun_failed_runs_only_the_failed_requests(qtbot, window, tmp_path, live_server):
    collection = Collection(
        "Rerun",
        items=(
            get("One", f"{live_server}/status/200", status_is(200)),
            Folder("Inner", items=(get("Two", f"{live_server}/status/500", status_is(200)),)),
            get("Three", f"{live_server}/status/204", status_is(204)),
        ),
    )
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    run_and_wait(qtbot, runner)
    assert runner.results.model.totals.requests == 3
    assert runner.results.rerun_button.isEnabled()

    with qtbot.waitSignal(runner.worker.finished, timeout=30_000):
        runner.results.rerun_button.click()
    rows = runner.results.model.all_rows()
    assert [(r.name, r.folder, r.status) for r in rows] == [("Two", "Inner", 500)]


@pytest.mark.parametrize("kind", ["junit", "json", "html"])
def test_export_writes_the_report_off_the_gui_thread(qtbot, window, tmp_path, live_server, kind):
    collection = Collection(
        "Report",
        items=(
            get("Fine", f"{live_server}/health", status_is(200)),
            get("Wrong", f"{live_server}/status/404", status_is(200)),
        ),
    )
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    run_and_wait(qtbot, runner)
    target = tmp_path / f"report.{kind}"
    runner.ask_report_path = lambda: (str(target), kind)
    written: list[Path] = []
    runner.report_written = written.append
    seen_threads: list[threading.Thread] = []
    real_run = runner.queue.run

    def spy(work, on_done=None, on_error=None):
        def noted():
            seen_threads.append(threading.current_thread())
            return work()

        real_run(noted, on_done, on_error)

    runner.queue.run = spy
    runner.results.export_button.click()
    qtbot.waitUntil(lambda: written == [target], timeout=10_000)
    assert seen_threads and seen_threads[0] is not threading.main_thread()
    if kind == "junit":
        failures = list(ElementTree.parse(target).getroot().iter("failure"))
        assert len(failures) == 1
        assert "expected" in (failures[0].get("message", "") + (failures[0].text or ""))
    elif kind == "json":
        data = json.loads(target.read_text(encoding="utf-8"))
        assert "Wrong" in json.dumps(data) and "Fine" in json.dumps(data)
    else:
        page = target.read_text(encoding="utf-8")
        assert page.lstrip().lower().startswith("<!doctype html") and "Wrong" in page


def test_a_theme_switch_recolours_the_results(qtbot, window, tmp_path, live_server):
    from explorer.ui.widgets.palette import DARK, LIGHT
    from explorer.ui.widgets.theme import Theme

    collection = Collection(
        "Colours", items=(get("Wrong", f"{live_server}/status/500", status_is(200)),)
    )
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    window.set_theme(Theme.DARK)
    run_and_wait(qtbot, runner)
    item = runner.results.list.shown.item(0, COL_REQUEST)
    qtbot.waitUntil(lambda: item.foreground().color().name() == DARK.error, timeout=5_000)
    window.set_theme(Theme.LIGHT)
    qtbot.waitUntil(
        lambda: (
            runner.results.list.shown.item(0, COL_REQUEST).foreground().color().name()
            == LIGHT.error
        ),
        timeout=5_000,
    )


def test_open_as_response_shows_it_in_a_tab(qtbot, window, tmp_path, live_server):
    collection = Collection("Open", items=(get("Teapot", f"{live_server}/status/418"),))
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    run_and_wait(qtbot, runner)
    results = runner.results.list
    rect = results.view.visualRect(results.shown.index(0, COL_REQUEST))
    qtbot.mouseClick(results.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert results.current == 0
    assert runner.results.open_button.isEnabled()
    runner.results.open_button.click()

    tab = window.current_tab()
    assert window.workspace_tabs.binding(tab).root == root
    assert tab.editor.request().name == "Teapot"
    assert "418" in tab.response_view.summary.status_label.text()


def test_results_reach_the_model_in_batches(qtbot, window, tmp_path, live_server):
    items = tuple(get(f"R{i}", f"{live_server}/health", status_is(200)) for i in range(80))
    root = open_collection(window, tmp_path, Collection("Many", items=items))
    runner = open_runner(window, root)
    inserted: list[int] = []
    model = runner.results.model
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append(last - first + 1))
    run_and_wait(qtbot, runner)
    assert sum(inserted) == 80
    # Not one insertion per result: the worker's results are handed over per tick.
    assert len(inserted) < 80
    assert max(inserted) > 1
    assert model.batches == len(inserted)
    # The list shows a screenful; the keys move through all the results.
    results = runner.results.list
    assert results.shown.rowCount() <= results.visible_rows() + 1 < 80
    results.view.setFocus()
    qtbot.keyClick(results.view, Qt.Key.Key_End)
    assert results.current == 79 and results.offset > 0
    assert results.shown.item(results.window_row(79), COL_REQUEST).text() == "R79"
    qtbot.keyClick(results.view, Qt.Key.Key_Up)
    assert results.current == 78
    qtbot.keyClick(results.view, Qt.Key.Key_Home)
    assert (results.current, results.offset) == (0, 0)


@pytest.mark.parametrize("suffix", [".json"])
def test_a_json_data_file_is_previewed(qtbot, window, tmp_path, live_server, suffix):
    collection = Collection("Json", items=(get("Code", f"{live_server}/status/{{{{code}}}}"),))
    root = open_collection(window, tmp_path, collection)
    data = tmp_path / f"codes{suffix}"
    data.write_text(json.dumps([{"code": "200"}, {"code": "202"}]), encoding="utf-8")
    runner = open_runner(window, root)
    runner.setup.data_picker.set_path(str(data))
    runner.setup.data_picker.changed.emit()
    qtbot.waitUntil(lambda: len(runner.setup.data_rows) == 2, timeout=10_000)
    assert runner.setup.data_message.text().startswith("2 rows")


def test_captured_values_chain_and_a_secret_one_is_masked(qtbot, window, tmp_path, live_server):
    token = "s3cret-token-value"
    collection = Collection(
        "Chain",
        items=(
            RequestItem(
                Request(
                    name="Login",
                    url=f"{live_server}/get?token={token}",
                    captures=(Capture("token", Subject.JSONPATH, "$.args.token", secret=True),),
                )
            ),
            get(
                "Me",
                f"{live_server}/get?auth={{{{token}}}}",
                Assertion(Subject.JSONPATH, Operator.EQ, "nope", argument="$.args.auth"),
            ),
        ),
    )
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    run_and_wait(qtbot, runner)
    model = runner.results.model
    texts = top_texts(runner)
    assert texts == ["failed Me", "passed Login"]
    # Both expanded: the capture shows the mask; the failed assertion's actual value
    # (the token sent on by the chain) is masked too.
    click_marker(qtbot, runner, 0)
    click_marker(qtbot, runner, 2)
    shown = [
        model.index(row, column).data() or ""
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]
    assert "= •••" in shown
    assert any(text.startswith("expected nope · actual") for text in shown)
    assert not any(token in text for text in shown)


def test_a_collection_with_scripts_asks_for_trust_first(qtbot, window, tmp_path, live_server):
    from explorer.application.scripting import ScriptTrust
    from explorer.core.model import Scripts

    check = "expect(response.status).to_equal(200)\n"
    collection = Collection(
        "Scripted",
        items=(
            RequestItem(
                Request(
                    name="Health",
                    url=f"{live_server}/health",
                    scripts=Scripts(post_response=check),
                )
            ),
        ),
    )
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    asked: list[str] = []
    runner.ask_trust = lambda name, folder, places: asked.append(name) or "without"
    run_and_wait(qtbot, runner)
    assert asked == ["Scripted"]
    assert "not trusted" in runner.results.run_note.text()
    assert runner.results.model.totals.assertions_passed == 0  # the script did not run

    runner.ask_trust = lambda name, folder, places: asked.append(name) or "trust"
    run_and_wait(qtbot, runner, timeout=60_000)
    assert asked == ["Scripted", "Scripted"]
    trust = ScriptTrust(window.workspace.data_dir / "script-trust.json")  # a Send's too
    assert trust.is_trusted(root, window.workspace.collections[root].collection)
    assert runner.results.model.totals.assertions_passed == 1  # the script's expect
    assert runner.results.run_note.text() == ""

    # Trusted now: the next run does not ask.
    run_and_wait(qtbot, runner, timeout=60_000)
    assert asked == ["Scripted", "Scripted"]
    # Cancel at the question runs nothing.
    trust.revoke(root)
    runner.ask_trust = lambda name, folder, places: asked.append(name) or "cancel"
    before = runner.summary
    runner.setup.run_button.click()
    qtbot.waitUntil(lambda: len(asked) == 3, timeout=10_000)
    assert runner.summary is before and not runner.worker.running
    assert runner.setup.run_button.isEnabled()


def test_a_result_whose_response_was_not_kept_says_so(qtbot, window, tmp_path, live_server):
    items = tuple(get(f"R{i}", f"{live_server}/health", status_is(200)) for i in range(3))
    root = open_collection(window, tmp_path, Collection("Kept", items=items))
    runner = open_runner(window, root)
    run_and_wait(qtbot, runner)
    assert runner.store.kept() == 1  # passes: only the latest
    # R0 sent by hand first: the tab then shows that Send's response, not the run's.
    infos = window.workspace.collections[root].items.values()
    rel = next(i.rel for i in infos if isinstance(i.item, RequestItem) and i.item.name == "R0")
    sent = window.workspace_tabs.open_request(root, rel)
    assert sent is not None
    with qtbot.waitSignal(sent.runner.finished, timeout=10_000):
        sent.send()
    assert sent.response_view.summary.status_label.text() != ""
    runner.results.list.set_current(0)  # R0: an earlier pass
    runner.results.open_button.click()
    tab = window.current_tab()
    notice = tab.findChild(QWidget, "tabNotice")
    assert notice is not None and "was not kept" in notice.label.text()
    assert tab.response_view.summary.status_label.text() == ""


def test_a_request_edited_after_the_runner_opened_runs_as_edited(
    qtbot, window, tmp_path, live_server
):
    collection = Collection("Edits", items=(get("Code", f"{live_server}/status/200"),))
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    rel = next(iter(window.workspace.collections[root].items))
    edited = Request(method="GET", url=f"{live_server}/status/202", name="Code")
    window.workspace.save_request(root, rel, edited, inherit_headers=True)
    run_and_wait(qtbot, runner)
    assert [r.status for r in runner.results.model.all_rows()] == [202]


def test_captures_marked_for_the_environment_are_written_there(
    qtbot, window, tmp_path, live_server
):
    capture = Capture("token", Subject.JSONPATH, "$.args.token", to_environment=True)
    collection = Collection(
        "Env",
        items=(
            RequestItem(
                Request(name="Login", url=f"{live_server}/get?token=t-42", captures=(capture,))
            ),
        ),
        environments=(Environment("dev", (Variable("base", "x"),)),),
    )
    root = open_collection(window, tmp_path, collection)
    runner = open_runner(window, root)
    runner.setup.environment_combo.setCurrentText("dev")
    run_and_wait(qtbot, runner)

    def written() -> bool:
        environment = window.workspace.collections[root].environment("dev")
        return any(v.name == "token" and v.value == "t-42" for v in environment.variables)

    qtbot.waitUntil(written, timeout=10_000)
    names = [v.name for v in window.workspace.collections[root].environment("dev").variables]
    assert names == ["base", "token"]


def test_the_engine_s_garbage_collections_run_on_the_gui_thread(
    qtbot, window, tmp_path, live_server
):
    """The engine collects garbage every 16 MiB of bodies checked; in the window that
    happens on the GUI thread (a collection on the run's thread could free a Qt object
    there, and Qt aborts)."""
    import gc

    threads: list[threading.Thread] = []

    def note(phase: str, _info: dict) -> None:
        if phase == "start":
            threads.append(threading.current_thread())

    size = 6 * 1024 * 1024  # three of them pass the engine's 16 MiB
    items = tuple(get(f"Big {i}", f"{live_server}/range/{size}", status_is(200)) for i in range(3))
    root = open_collection(window, tmp_path, Collection("Big", items=items))
    runner = open_runner(window, root)
    gc.callbacks.append(note)
    try:
        run_and_wait(qtbot, runner)
        qtbot.waitUntil(lambda: bool(threads), timeout=5_000)
    finally:
        gc.callbacks.remove(note)
    assert runner.results.model.totals.passed == 3
    assert all(thread is threading.main_thread() for thread in threads)


def test_past_the_list_s_bound_results_are_counted_not_listed(
    qtbot, window, tmp_path, live_server, monkeypatch
):
    from explorer.ui.runner import results_model

    monkeypatch.setattr(results_model, "MAX_ROWS", 2)
    items = tuple(get(f"R{i}", f"{live_server}/health", status_is(200)) for i in range(5))
    root = open_collection(window, tmp_path, Collection("Bound", items=items))
    runner = open_runner(window, root)
    run_and_wait(qtbot, runner)
    model = runner.results.model
    assert (model.totals.requests, model.totals.passed) == (5, 5)
    assert model.rowCount() == 2 and model.unlisted == 3
    assert "3 results are counted but not listed" in runner.results.kept_note.text()
