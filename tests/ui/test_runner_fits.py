"""The runner fits a 1280x720 screen whatever its totals say: figures that grow with a
run (10,000 / 10,000) once widened the window to 1378 px, past the screen's edge."""

from __future__ import annotations

from explorer.ui.runner.results_view import RunResults

# A 1280 px screen less the runner's setup column (300 px) and the splitter.
RESULTS_WIDTH = 1280 - 300 - 10


def test_large_totals_do_not_widen_the_results(qtbot):
    results = RunResults()
    qtbot.addWidget(results)
    for name, text in (
        ("requests", "10,000 / 10,000"),
        ("passed", "10,000"),
        ("failed", "10,000"),
        ("errors", "10,000"),
        ("assertions", "20,000 ✓  20,000 ✗"),
        ("elapsed", "21.24 s"),
    ):
        results.tiles[name].set_value(text)
    results.state_label.setText("Finished with failures")
    assert results.minimumSizeHint().width() <= RESULTS_WIDTH
    assert results.header.sizeHint().width() <= RESULTS_WIDTH  # the figures are not cut
