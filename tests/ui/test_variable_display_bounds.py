"""The window resolves variables on the GUI thread (colours at every keystroke, hover
tooltips): that work is bounded, and the tooltip names the variable at fault."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QLineEdit

from explorer.core.resolve.variables import Scope
from explorer.ui.widgets.variable_highlight import VariableHighlighter, describe, variable_spans

FAN_OUT = [
    Scope(
        "environment dev",
        {
            **{f"v{i}": f"{{{{v{i + 1}}}}}" * 8 for i in range(15)},
            "v15": "0123456789",
            "a": "<{{b}}>",
            "b": "[{{a}}]",
            "fine": "ok",
        },
    )
]


def timed(work, seconds: float = 20.0):
    result: list = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    started = time.perf_counter()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the GUI thread would be frozen for over {seconds} s"
    return result[0], time.perf_counter() - started


def test_highlighting_a_fan_out_is_bounded_and_flags_cycles():
    text = "{{v0}} {{v1}} {{a}} {{fine}} {{v0}}"
    spans, seconds = timed(lambda: variable_spans(text, FAN_OUT))
    assert seconds < 2  # a frame is 16 ms; a few ms measured, generous for a busy machine
    resolved = {name: ok for _start, _end, name, ok in spans}
    assert resolved == {"v0": True, "v1": True, "a": False, "fine": True}
    # A thousand highlights (a thousand keystrokes) stay cheap too.
    _none, total = timed(lambda: [variable_spans(text, FAN_OUT) for _ in range(200)])
    assert total < 20


def test_tooltips_name_the_variable_at_fault():
    tip, seconds = timed(lambda: describe("v0", FAN_OUT))
    assert seconds < 2
    assert tip.startswith("{{v0}} = ") and "from environment dev" in tip
    assert "too large to show" in tip
    cycle = describe("a", FAN_OUT)
    assert "⚠ {{a}} refers to itself: a → b → a" in cycle
    assert describe("fine", FAN_OUT) == "{{fine}} = ok\nfrom environment dev"


def test_a_line_edit_with_a_fan_out_stays_responsive(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    VariableHighlighter(edit, lambda: FAN_OUT)
    started = time.perf_counter()
    for character in "{{v0}}{{a}}":
        edit.insert(character)
    assert time.perf_counter() - started < 5
    assert edit.text() == "{{v0}}{{a}}"


def test_highlighting_values_full_of_references_stays_within_a_few_milliseconds():
    values = {f"n{i}": "{{nope}}" * 8000 for i in range(300)}
    scopes = [Scope("environment dev", values)]
    text = " ".join(f"{{{{n{i}}}}}" for i in range(300))
    spans, seconds = timed(lambda: variable_spans(text, scopes))
    assert seconds < 2  # about 3 ms here (unbounded: 0.3 s, and 3.6 s for a send)
    assert len(spans) == 300
    tip, seconds = timed(lambda: describe("n299", scopes))
    assert seconds < 2
    assert "⚠ {{n299}} is too complex to show here" in tip
