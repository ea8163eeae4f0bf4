"""Load test… in the main window, end to end: the real `python -m explorer load`
(Locust, in a child process) against the practice server, 2 users for 2 seconds, read
live by the window, its reports written and the run saved. Locust never enters the
window's process."""

from __future__ import annotations

import sys

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Assertion, Operator, Request, Subject
from explorer.core.storage.collection_files import save_collection


def test_a_load_test_of_a_folder_runs_the_real_command(qtbot, window, tmp_path, live_server):
    ok = Assertion(Subject.STATUS, Operator.EQ, "200")
    collection = Collection(
        name="Practice",
        items=(
            Folder(
                name="Checks",
                items=(
                    RequestItem(Request(method="GET", url=f"{live_server}/health", name="Health",
                                        assertions=(ok,))),
                    RequestItem(Request(method="GET", url=f"{live_server}/status/503",
                                        name="Down", assertions=(ok,))),
                ),
            ),
            RequestItem(Request(method="GET", url=f"{live_server}/health", name="Not loaded")),
        ),
    )  # fmt: skip
    save_collection(collection, tmp_path / "practice")
    root = window.workspace.open_collection(tmp_path / "practice").root
    assert "&Load test…" in [a.text() for a in window.request_menu.actions()]

    window.panels.sidebar.load_requested.emit(root, "checks")  # its folder on disk
    load = window.run_actions.load_windows[-1]
    assert load.target.folders == ("Checks",) and load.target.name == "Practice / Checks"
    assert load.target.request_count == 2 and load.setup.start_button.isEnabled()
    load.setup.users.setValue(2)
    load.setup.spawn_rate.setValue(2)
    load.setup.length.setValue(2)
    load.setup.processes.setValue(2)  # a Locust master and two workers, from the window
    load.setup.add_threshold("errors>1%")
    load.setup.start_button.click()
    qtbot.waitUntil(lambda: load.state not in ("ready", "starting", "running"), timeout=30_000)

    assert load.state == "failed", load.state_label.text()  # half the requests get 503
    assert load.state_label.text() == "Thresholds failed"
    finished = load.finished
    assert finished is not None and finished.total.requests > 0
    names = sorted(row.name for row in finished.by_request)
    assert names == ["GET Checks/Down", "GET Checks/Health"]
    assert {row.kind for row in finished.errors} == {"assertion"}
    assert len(load.timeline) >= 1  # at least one live stats line was drawn
    qtbot.waitUntil(lambda: len(load.past.runs) == 1, timeout=5000)
    folder = load.folder
    assert folder is not None
    assert {"report.html", "stats.csv", "run.json"} <= {p.name for p in folder.iterdir()}
    assert load.past.runs[0].setup.endswith(" · 2 processes")
    assert "locust" not in sys.modules and "gevent" not in sys.modules
