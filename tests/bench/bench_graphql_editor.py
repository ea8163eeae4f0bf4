"""The GraphQL editor: what a keystroke costs on the GUI thread, and the work kept off it.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_graphql_editor.py

A schema of GitHub's size (1,600 types of 20 fields, built from its own introspection
result) and documents of 2 KB, 20 KB and 200 KB (many operations; the cursor in the
last). Measured on the real QueryEdit, offscreen: each keystroke of typing a field name
(`na`) inside the last selection set, from the key press to the completion list shown
and the line re-coloured; then, off the GUI thread in the window, building the schema
from the introspection JSON and validating each document. Medians of 5 runs.

Goal: a keystroke under 16 ms (one frame) at every size.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import table  # noqa: E402

ROUNDS = 5
TYPES = 1600


def big_sdl() -> str:
    lines = []
    for number in range(TYPES):
        fields = [f"  field{f}: String" for f in range(17)]
        fields += [f"  next: Type{(number + 1) % TYPES}", "  id: ID!", "  name: String!"]
        lines.append(f"type Type{number} {{\n" + "\n".join(fields) + "\n}")
    lines.append("type Query { node(id: ID!): Type0\n  items: [Type1!]! }")
    return "\n".join(lines)


def document(size: int) -> str:
    unit = "query Q{n}($id: ID!) {{ node(id: $id) {{ id name next {{ id field1 }} }} }}\n"
    parts, total, n = [], 0, 0
    while total < size:
        part = unit.format(n=n)
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts) + "query Last { items { id "


def main() -> int:
    from graphql import build_schema, graphql_sync
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from explorer.core.graphql.schema import INTROSPECTION_QUERY, schema_from_introspection
    from explorer.core.graphql.validation import validate_document
    from explorer.ui.request.graphql.highlighter import GraphQLHighlighter
    from explorer.ui.request.graphql.query_edit import QueryEdit

    app = QApplication(sys.argv[:1])
    introspection = json.dumps(
        {"data": graphql_sync(build_schema(big_sdl()), INTROSPECTION_QUERY).data}
    )
    builds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        schema = schema_from_introspection(introspection)
        builds.append(time.perf_counter() - started)
    rows = [
        [
            "schema from introspection (worker)",
            f"{len(introspection) / 1e6:.1f} MB",
            f"{statistics.median(builds) * 1000:.0f} ms",
        ]
    ]
    from explorer.ui.request.graphql.schema_browser import SchemaBrowser

    browser = SchemaBrowser()
    browser.resize(500, 600)
    browser.show()
    fills, searches = [], []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        browser.set_schema(schema)
        app.processEvents()
        fills.append(time.perf_counter() - started)
        browser.search.setText("field1")
        started = time.perf_counter()
        browser._fill()
        app.processEvents()
        searches.append(time.perf_counter() - started)
        browser.search.clear()
    rows.append(
        [
            "schema browser filled (GUI thread, once)",
            f"{TYPES:,} types",
            f"{statistics.median(fills) * 1000:.0f} ms",
        ]
    )
    rows.append(
        [
            "schema browser search 'field1' (after a 120 ms pause)",
            "",
            f"{statistics.median(searches) * 1000:.0f} ms",
        ]
    )
    browser.close()
    for size in (2_000, 20_000, 200_000):
        text = document(size)
        editor = QueryEdit()
        GraphQLHighlighter(editor.document())
        editor.schema = schema
        editor.resize(700, 500)
        editor.show()
        editor.setPlainText(text)
        editor.moveCursor(editor.textCursor().MoveOperation.End)
        app.processEvents()
        keys = []
        for _ in range(ROUNDS):
            for key in "na":
                started = time.perf_counter()
                QTest.keyClicks(editor, key)
                app.processEvents()
                keys.append(time.perf_counter() - started)
            assert editor.completion_popup_visible(), editor.candidates()
            QTest.keyClick(editor, Qt.Key.Key_Escape)
            QTest.keyClick(editor, Qt.Key.Key_Backspace)
            QTest.keyClick(editor, Qt.Key.Key_Backspace)
        checks = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            validate_document(schema, text, "", "Last")
            checks.append(time.perf_counter() - started)
        rows.append(
            [
                f"keystroke, document of {size // 1000} KB (GUI thread)",
                "",
                f"{statistics.median(keys) * 1000:.1f} ms (max {max(keys) * 1000:.1f})",
            ]
        )
        rows.append(
            [
                f"validation, document of {size // 1000} KB (worker)",
                "",
                f"{statistics.median(checks) * 1000:.0f} ms",
            ]
        )
        editor.close()
    print(table(f"GraphQL editor ({TYPES:,} types)", ["what", "input", "median"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
