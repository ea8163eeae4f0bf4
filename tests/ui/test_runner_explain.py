"""The window's runner with "Explain responses": the plan explains, each result's row
counts its findings in the Explain column (hidden for a run that does not explain), its
tooltip names them, the exported report holds them, and nothing fails because of them;
the rules silenced in the Explain tabs (Preferences ▸ Explain) are silent in a run too.
Against the practice server's /mistakes/ endpoint with the real rules."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Assertion, Body, BodyKind, Operator, Request, Subject
from explorer.core.storage.collection_files import save_collection
from explorer.ui.runner.results_model import COL_FINDINGS, ROW_ROLE
from explorer.ui.runner.runner_window import RunnerWindow

RULE = "status.created-without-location"


def open_runner(window, tmp_path: Path, base: str) -> RunnerWindow:
    request = Request(
        method="POST",
        url=f"{base}/mistakes/created-without-location",
        name="Create",
        body=Body(BodyKind.RAW, text='{"name": "Lamp"}', content_type="application/json"),
        assertions=(Assertion(Subject.STATUS, Operator.EQ, "201"),),
    )
    folder = tmp_path / "runs" / "explained"
    save_collection(Collection("Explained", items=(RequestItem(request),)), folder)
    root = window.workspace.open_collection(folder).root
    runner = window.run_actions.run(root, "")
    assert runner is not None
    return runner


def run_and_wait(qtbot, runner: RunnerWindow) -> None:
    with qtbot.waitSignal(runner.worker.finished, timeout=30_000):
        runner.setup.run_button.click()


def test_explained_results_count_their_findings_and_pass(qtbot, window, tmp_path, live_server):
    runner = open_runner(window, tmp_path, live_server)
    header = runner.results.view.horizontalHeader()
    run_and_wait(qtbot, runner)  # without Explain: no column, no findings
    assert header.isSectionHidden(COL_FINDINGS)
    model = runner.results.model
    assert model.index(0, 0).data(ROW_ROLE).result.findings == ()

    runner.setup.explain_check.setChecked(True)
    run_and_wait(qtbot, runner)
    assert not header.isSectionHidden(COL_FINDINGS) and runner.summary is not None
    row = model.index(0, 0).data(ROW_ROLE)
    assert row.passed and runner.summary.passed  # findings never fail a request
    [finding] = [f for f in row.result.findings if f.rule_id == RULE]
    marks = {"error": "✖", "warning": "⚠"}
    assert f"{marks[finding.severity.value]} 1" in model.index(0, COL_FINDINGS).data()
    tooltip = model.index(0, COL_FINDINGS).data(Qt.ItemDataRole.ToolTipRole)
    assert f"{RULE}: {finding.summary}" in tooltip
    shown = runner.results.list.shown.item(0, COL_FINDINGS)  # what the table paints
    assert shown.text() == model.index(0, COL_FINDINGS).data()

    from explorer.application.reports import write_report

    report = tmp_path / "report.json"
    write_report("json", report, runner.summary)
    [result] = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert RULE in [f["rule"] for f in result["findings"]]


def test_rules_silenced_in_the_explain_tabs_are_silent_in_a_run(
    qtbot, window, tmp_path, live_server
):
    from explorer.qt.explain_silencing import silenced_rules

    runner = open_runner(window, tmp_path, live_server)
    runner.setup.explain_check.setChecked(True)
    holder = silenced_rules()
    before = holder.ids()
    holder.silence(RULE)
    try:
        run_and_wait(qtbot, runner)
    finally:
        holder.set_ids(before)
    row = runner.results.model.index(0, 0).data(ROW_ROLE)
    assert row.answered and RULE not in [f.rule_id for f in row.result.findings]
