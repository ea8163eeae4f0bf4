"""Hurl's own integration tests, run with `python -m explorer run FILE`.

A selection of Hurl's tests_ok cases is vendored in tests/fixtures/hurl (see NOTICE.md
there: sources, licence) with the Flask routes Hurl tests them against, which
tests/support/hurl_server.py serves on 127.0.0.1. Each file runs as Hurl's own CI runs
it (localhost:8000 rewritten to our port) and must pass: exit status 0. A copy with one
wrong expectation must exit 1 with exactly one failure.

Where this app deliberately or knowingly differs from Hurl, the lines or entries that
show the difference are taken out of the copy that runs, each with its reason, below:
the differences stay written down and visible, and everything else of the file runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.hurl_server import FIXTURES, HurlServer, hurl_server

ROOT = Path(__file__).parents[2]
SELECTED = (
    "assert_json.hurl",
    "assert_match.hurl",
    "assert_regex.hurl",
    "assert_status_code.hurl",
    "assert_xpath.hurl",
    "basic_authentication_per_request.hurl",
    "captures.hurl",
    "cookies.hurl",
    "filter.hurl",
    "follow_redirect_option.hurl",
    "form_params.hurl",
    "multipart_form_data.hurl",
    "post_multilines.hurl",
    "post_xml.hurl",
    "querystring_params.hurl",
)
# Variables Hurl's CI passes on its command line for a test.
VARIABLES = {"cookies.hurl": ("name=Bruce",)}


@dataclass(frozen=True)
class Drop:
    """Lines (exact text) or whole entries (from their request line) left out of the
    copy that runs, and why."""

    reason: str
    lines: tuple[str, ...] = ()
    entries: tuple[str, ...] = ()


_ONE_NODE = (
    "Hurl turns a JSONPath result of one node into that value before its filters; the "
    "checks compare a one-node result as that node, but a filter (count) still sees the list"
)
KNOWN_DIFFERENCES: dict[str, tuple[Drop, ...]] = {
    "assert_json.hurl": (
        Drop(
            _ONE_NODE,
            lines=('jsonpath "$.list_in_list[*]" count == 3        # 1 result: [1, 2, 3]',),
        ),
    ),
    "captures.hurl": (
        Drop(
            "a capture keeps text: an XPath node set captured is not a list afterwards",
            entries=("GET http://localhost:8000/captures-xml",),
        ),
    ),
    "cookies.hurl": (
        Drop(
            "a Cookie header typed on the request replaces the jar's cookies (Hurl sends both)",
            entries=("GET http://localhost:8000/cookies/assert-that-cookie2-is-valueA-and-valueB",),
        ),
    ),
    "follow_redirect_option.hurl": (
        Drop(
            "the Cookie header typed on a request is not carried to another host "
            "(curl's cookie engine sends [Cookies] there)",
            entries=("GET http://localhost:8000/follow-redirect-basic-auth?change_host=true",),
        ),
    ),
    "post_multilines.hurl": (
        Drop(
            "{{templates}} in a ```raw string are replaced (the model has no raw body)",
            entries=("POST http://localhost:8000/post-multilines-raw",),
        ),
    ),
}
_REQUEST_LINE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) ")


def runnable(text: str, drops: tuple[Drop, ...]) -> str:
    """`text` without the lines and entries `drops` name (each must be there)."""
    lines = text.split("\n")
    for drop in drops:
        for wanted in drop.lines:
            assert wanted in lines, f"not in the file: {wanted}"
            lines = [line for line in lines if line != wanted]
        for start in drop.entries:
            assert start in lines, f"no entry: {start}"
            kept: list[str] = []
            skipping = False
            for line in lines:
                if _REQUEST_LINE.match(line):
                    skipping = line == start
                if not skipping:
                    kept.append(line)
            lines = kept
    return "\n".join(lines)


@pytest.fixture(scope="module")
def server() -> Iterator[HurlServer]:
    with hurl_server() as running:
        yield running


def run_file(
    path: Path, tmp_path: Path, variables: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    options = [part for value in variables for part in ("--var", value)]
    return subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(path), *options],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home")),
    )


def write_copy(server: HurlServer, name: str, folder: Path) -> Path:
    """The test as it runs here: on our port, its known differences taken out, beside
    the data files it sends."""
    for data in ("data.txt", "data.html"):
        (folder / data).write_bytes((FIXTURES / data).read_bytes())
    path = folder / name
    original = (FIXTURES / name).read_text(encoding="utf-8")
    text = server.on_port(runnable(original, KNOWN_DIFFERENCES.get(name, ())))
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", SELECTED)
def test_hurl_integration_file_passes(server, tmp_path, name):
    path = write_copy(server, name, tmp_path)
    done = run_file(path, tmp_path, VARIABLES.get(name, ()))
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 failed " in done.stdout
    assert "FAIL" not in done.stdout


def test_one_wrong_expectation_is_exactly_one_failure(server, tmp_path):
    path = write_copy(server, "filter.hurl", tmp_path)
    text = path.read_text(encoding="utf-8")
    right = 'jsonpath "$.list" nth 1 == 2\n'
    assert text.count(right) == 1
    path.write_text(text.replace(right, 'jsonpath "$.list" nth 1 == 3\n'), encoding="utf-8")
    done = run_file(path, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    failures = [line for line in done.stdout.splitlines() if line.strip().startswith("failed:")]
    assert len(failures) == 1, done.stdout
    assert "nth 1 == 3" in failures[0] and "actual 2" in failures[0]


def test_every_vendored_test_is_selected_and_every_difference_still_applies():
    assert sorted(SELECTED) == sorted(p.name for p in FIXTURES.glob("*.hurl"))
    for name, drops in KNOWN_DIFFERENCES.items():
        runnable((FIXTURES / name).read_text(encoding="utf-8"), drops)  # each one is there
