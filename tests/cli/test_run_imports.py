"""`python -m explorer run` imports what a run needs when it needs it: the checks' query
libraries only when a check of theirs is evaluated, the scripting module only for a
collection with scripts, the report writers only when a report (or a failure's text) is
written. A run of plain GETs pays for none of them (BENCHMARKS.md: Runs with assertions).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Assertion, Operator, Request, Scripts, Subject
from explorer.core.storage.collection_files import CollectionStore

ROOT = Path(__file__).resolve().parents[2]
NOT_FOR_PLAIN_CHECKS = (
    "jsonpath",
    "jmespath",
    "lxml",
    "jsonschema",
    "referencing",
    "regex",  # the time-limited regular expressions of regex checks and filters
    "explorer.application.scripting",
    "explorer.core.scripting.process",
    "explorer.application.reports",
    "explorer.application.importing",
)
# Run `python -m explorer ARGS` as runpy does; at exit, say which of those were imported.
PROBE = (
    "import atexit, runpy, sys\n"
    f"watched = {NOT_FOR_PLAIN_CHECKS!r}\n"
    "atexit.register(lambda: print('IMPORTED:', *[m for m in watched if m in sys.modules]))\n"
    "sys.argv = ['explorer', *sys.argv[1:]]\n"
    "runpy.run_module('explorer', run_name='__main__', alter_sys=True)\n"
)
STATUS = Assertion(Subject.STATUS, Operator.EQ, "200")
HEADER = Assertion(Subject.HEADER, Operator.CONTAINS, "json", argument="Content-Type")
NAME = Assertion(Subject.JSONPATH, Operator.EQ, "Practice Library", argument="$.library.name")


def imported_by_run(tmp_path: Path, url: str, *requests: Request) -> tuple[set[str], str]:
    folder = tmp_path / "checks"
    items = tuple(RequestItem(request) for request in requests)
    CollectionStore(folder).save(Collection(name="checks", items=items))
    env = dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home"))
    env.pop("COVERAGE_PROCESS_CONFIG", None)  # coverage would import more
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "run", str(folder)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("IMPORTED:"), result.stdout + result.stderr
    return set(last.split()[1:]), result.stdout + result.stderr


def test_status_and_header_checks_import_no_query_library_scripting_or_reports(
    tmp_path, live_server
):
    request = Request(name="json", url=f"{live_server}/json", assertions=(STATUS, HEADER))
    imported, output = imported_by_run(tmp_path, live_server, request, request)
    assert "2 passed, 0 failed (4 of 4 assertions passed)" in output
    assert imported == set()


def test_a_simple_jsonpath_check_does_not_import_python_jsonpath(tmp_path, live_server):
    request = Request(name="json", url=f"{live_server}/json", assertions=(STATUS, NAME))
    imported, output = imported_by_run(tmp_path, live_server, request)
    assert "1 passed, 0 failed (2 of 2 assertions passed)" in output
    assert imported == set()


def test_what_a_run_uses_is_imported_when_it_is_used(tmp_path, live_server):
    """The probe sees imports: a JMESPath check, a JSONPath filter query, a regular
    expression, a failed assertion's text and a (skipped, untrusted) script bring their
    modules in."""
    checks = (
        Assertion(Subject.JMESPATH, Operator.EQ, "Practice Library", argument="library.name"),
        Assertion(Subject.JSONPATH, Operator.EXISTS, argument="$..name"),
        Assertion(Subject.STATUS, Operator.EQ, "201"),
        Assertion(Subject.BODY, Operator.MATCHES, "Practice"),
    )
    scripted = Request(name="json", url=f"{live_server}/json", assertions=checks)
    scripted = scripted.with_changes(scripts=Scripts(pre_request="x = 1"))
    imported, output = imported_by_run(tmp_path, live_server, scripted)
    assert "0 passed, 1 failed (3 of 4 assertions passed)" in output
    assert {"jmespath", "jsonpath", "regex", "explorer.application.scripting"} <= imported
    assert "explorer.application.reports" in imported
