""" "Assert this" and "Capture as variable…" on a value of the response (a JSON value of
the body, a header, a cookie): the menu entries, the question for the variable's name,
and the rows they make. The request's Tests tab receives the rows (the response region
only emits them: it does not know the request editor)."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.core.text.json_location import JsonLocation, literal_expected

AskName = Callable[[QWidget, str], "str | None"]
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
MAX_NAME = 64
# A value longer than this makes a poor expected cell: the row asserts that it exists.
MAX_EXPECTED = 1024
MAX_SHOWN = 60  # characters of the row named in the menu


def suggested_name(text: str) -> str:
    """A variable name made from a key, header or cookie name: `X-Request-Id` ->
    `X-Request-Id`, `access token` -> `access_token`; "value" when nothing is left."""
    name = _NOT_NAME.sub("_", text).strip("_.-")[:MAX_NAME]
    return name or "value"


def ask_variable_name(parent: QWidget, suggested: str) -> str | None:
    """Ask for the captured variable's name (None: the user cancelled)."""
    name, ok = QInputDialog.getText(
        parent, "Capture as variable", "Variable name (used as {{name}} by the next requests):",
        QLineEdit.EchoMode.Normal, suggested,
    )  # fmt: skip
    name = name.strip().strip("{}").strip()
    return name if ok and name else None


def add_value_actions(
    menu: QMenu,
    enabled: bool,
    on_assert: Callable[[], None],
    on_capture: Callable[[], None],
    why_not: str = "",
    row: Assertion | None = None,
) -> tuple[QAction, QAction]:
    """Add the two entries to `menu` (disabled, with `why_not` as their tip, when the
    place clicked holds no value); `row`, the assertion "Assert this" would add, is
    named in its text."""
    from explorer.core.checks.evaluate import describe

    menu.addSeparator()
    text = "Assert this"
    if row is not None:
        said = describe(row)
        text += ": " + (said if len(said) <= MAX_SHOWN else said[: MAX_SHOWN - 1] + "…")
    assert_action = menu.addAction(text)
    capture_action = menu.addAction("Capture as variable…")
    for action, slot in ((assert_action, on_assert), (capture_action, on_capture)):
        action.setEnabled(enabled)
        if not enabled and why_not:
            action.setToolTip(why_not)
            action.setStatusTip(why_not)
        action.triggered.connect(lambda _checked=False, s=slot: s())
    menu.setToolTipsVisible(True)
    return assert_action, capture_action


def json_assertion(location: JsonLocation) -> Assertion:
    """`jsonpath <path> == <value>` for a whole scalar, `isType object|list` for a
    container, `exists` for a value too long to be an expected cell."""
    path = location.jsonpath
    if location.kind != "scalar":
        kind = "object" if location.kind == "object" else "list"
        return Assertion(Subject.JSONPATH, Operator.IS_TYPE, kind, path)
    if not location.complete or len(location.text) > MAX_EXPECTED:
        return Assertion(Subject.JSONPATH, Operator.EXISTS, "", path)
    value = location.value()
    expected = literal_expected(value) if isinstance(value, str) else location.text
    return Assertion(Subject.JSONPATH, Operator.EQ, expected, path)


def named_assertion(subject: Subject, name: str, value: str, repeated: bool) -> Assertion:
    """`header X == v` or `cookie n == v`; a header sent more than once is a list, so
    it is asserted to contain the value."""
    if len(value) > MAX_EXPECTED:
        return Assertion(subject, Operator.EXISTS, "", name)
    operator = Operator.CONTAINS if repeated else Operator.EQ
    return Assertion(subject, operator, literal_expected(value), name)


def json_capture(variable: str, location: JsonLocation) -> Capture:
    return Capture(variable, Subject.JSONPATH, location.jsonpath)


def named_capture(variable: str, subject: Subject, name: str) -> Capture:
    return Capture(variable, subject, name)
