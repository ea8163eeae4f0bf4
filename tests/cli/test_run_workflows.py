"""`python -m explorer run` with assertions, captures, data files and reports, as a whole
process against the real practice server: exit status 0/1/2, the failure line, each
report format, and a `.http` file run directly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import Assertion, Body, BodyKind, Capture, Operator, Request, Subject
from explorer.core.storage.collection_files import CollectionStore

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "analytical"


def cli(*args: str, home: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ, API_EXPLORER_HOME=str(home), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def chained(base: str, me_status: str = "200", name: str = "me") -> Collection:
    """Log in (capturing the token as a secret), then ask who we are with it."""
    login = Request(
        name="login",
        method="POST",
        url="{{base}}/auth/token",
        body=Body(
            kind=BodyKind.RAW,
            text=json.dumps({"username": "ada", "password": "{{password}}"}),
            content_type="application/json",
        ),
        assertions=(Assertion(Subject.STATUS, Operator.EQ, "200"),),
        captures=(Capture("token", Subject.JSONPATH, "$.access_token", secret=True),),
    )
    me = Request(
        name=name,
        url="{{base}}/auth/me",
        headers=(),
        assertions=(
            Assertion(Subject.STATUS, Operator.EQ, me_status),
            Assertion(Subject.JSONPATH, Operator.EQ, "ada", argument="$.username"),
        ),
    )
    from explorer.core.model import Auth, AuthKind

    me = me.with_changes(auth=Auth(kind=AuthKind.BEARER, token="{{token}}"))
    return Collection(
        name="Chained",
        variables=(Variable("base", base),),
        items=(RequestItem(login), RequestItem(me)),
    )


@pytest.fixture
def folder_of(tmp_path):
    def make(collection: Collection) -> Path:
        folder = tmp_path / "collection"
        CollectionStore(folder).save(collection)
        return folder

    return make


def test_a_passing_chain_exits_0_with_every_report(folder_of, live_server, tmp_path):
    folder = folder_of(chained(live_server))
    reports = {kind: tmp_path / f"out.{kind}" for kind in ("junit", "json", "html")}
    result = cli(
        "run", str(folder), "--var", f"password={PASSWORD}",
        *(f"--reporter={kind}:{path}" for kind, path in reports.items()),
        home=tmp_path / "home",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok    200 POST ") and lines[0].endswith("[login]")
    assert lines[1].startswith("ok    200 GET ") and lines[1].endswith("[me]")
    assert lines[-1] == "2 passed, 0 failed (3 of 3 assertions passed)"
    suite = ET.parse(reports["junit"]).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "0"
    document = json.loads(reports["json"].read_text(encoding="utf-8"))
    assert document["totals"]["assertions_passed"] == 3
    assert document["results"][0]["captured"][0] == {
        "variable": "token", "value": "•••", "secret": True, "to_environment": False,
        "message": "", "source": "request",
    }  # fmt: skip


def test_a_wrong_expectation_exits_1_with_one_failure_in_each_report(
    folder_of, live_server, tmp_path
):
    folder = folder_of(chained(live_server, me_status="201", name="<b>me</b> & co"))
    reports = {kind: tmp_path / f"out.{kind}" for kind in ("junit", "json", "html")}
    result = cli(
        "run", str(folder), "--var", f"password={PASSWORD}", "--junit", str(reports["junit"]),
        "--reporter", f"json:{reports['json']}", "--reporter", f"html:{reports['html']}",
        home=tmp_path / "home",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("FAIL  200 GET ") and lines[1].endswith("[<b>me</b> & co]")
    [failure_line] = [line for line in lines if line.startswith("      failed: ")]
    assert "status" in failure_line and "expected 201, actual 200" in failure_line
    assert lines[-1] == "1 passed, 1 failed (2 of 3 assertions passed)"

    failures = ET.parse(reports["junit"]).getroot().iter("failure")
    [failure] = list(failures)
    assert "expected 201, actual 200" in (failure.get("message") or "")
    assert "expected: 201" in (failure.text or "") and "actual: 200" in (failure.text or "")

    document = json.loads(reports["json"].read_text(encoding="utf-8"))
    failed = [a for r in document["results"] for a in r["assertions"] if not a["passed"]]
    assert [(a["expected"], a["actual"]) for a in failed] == [("201", "200")]
    assert document["totals"]["failed"] == 1

    page = reports["html"].read_text(encoding="utf-8")
    failures_part = page.split("<h2>Failures</h2>")[1].split("<h2>All requests</h2>")[0]
    assert failures_part.count('<li class="fail">') == 1  # then again among all requests
    assert "&lt;b&gt;me&lt;/b&gt; &amp; co" in page and "<b>me</b>" not in page
    assert external_references(page) == []


class References(HTMLParser):
    """Every attribute or style that would load something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.style = tag == "style"
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster") or name.startswith("on"):
                self.found.append(f"{name}={value}")

    def handle_data(self, data: str) -> None:
        if self.style and ("url(" in data or "@import" in data):
            self.found.append("style url")


def external_references(page: str) -> list[str]:
    parser = References()
    parser.feed(page)
    return parser.found


def test_a_secret_capture_never_reaches_output_or_reports(folder_of, live_server, tmp_path):
    folder = folder_of(chained(live_server))
    reports = [tmp_path / f"out.{kind}" for kind in ("junit", "json", "html")]
    result = cli(
        "run", str(folder), "--secret", "password",
        *(f"--reporter={p.suffix[1:]}:{p}" for p in reports),
        home=tmp_path / "home", env={"password": PASSWORD},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # The token the server issues for ada: ask for one the same way, then search.
    import requests

    token = requests.post(
        f"{live_server}/auth/token", json={"username": "ada", "password": PASSWORD}, timeout=10
    ).json()["access_token"]
    prefix = token.split(".")[0]  # the signed claims differ by the second; the header part not
    texts = [result.stdout, result.stderr, *(p.read_text(encoding="utf-8") for p in reports)]
    for text in texts:
        assert PASSWORD not in text
        assert prefix not in text


def test_data_file_iterations_bail_and_delay(folder_of, live_server, tmp_path):
    echo = Request(
        name="echo",
        url="{{base}}/get?who={{who}}",
        assertions=(Assertion(Subject.JSONPATH, Operator.EQ, "ada", argument="$.args.who"),),
    )
    folder = folder_of(
        Collection("Data", variables=(Variable("base", live_server),), items=(RequestItem(echo),))
    )
    data = tmp_path / "rows.json"
    data.write_text(json.dumps([{"who": "ada"}, {"who": "grace"}, {"who": "ada"}]))
    result = cli("run", str(folder), "--data", str(data), home=tmp_path / "home")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    requests = [line for line in lines if line.startswith(("ok ", "FAIL "))]
    assert [line.split("[")[-1] for line in requests] == [
        "echo, iteration 1]",
        "echo, iteration 2]",
        "echo, iteration 3]",
    ]
    assert "expected ada, actual grace" in result.stdout
    assert lines[-1].startswith("2 passed, 1 failed")

    bailed = cli("run", str(folder), "--data", str(data), "--bail", "--delay", "10",
                 home=tmp_path / "home")  # fmt: skip
    assert bailed.returncode == 1
    assert bailed.stdout.splitlines()[-1] == (
        "1 passed, 1 failed (1 of 2 assertions passed); stopped at the first failure (--bail)"
    )

    repeated = cli("run", str(folder), "--iterations", "2", "--var", "who=ada",
                   home=tmp_path / "home")  # fmt: skip
    assert repeated.returncode == 0 and repeated.stdout.splitlines()[-1].startswith("2 passed")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--reporter", "xml:out.xml"), "unknown report kind 'xml' (known: junit, json, html)"),
        (("--reporter", "junit"), "expected KIND:PATH"),
        (("--iterations", "0"), "expected 1 to 1,000,000"),
        (("--delay", "soon"), "expected milliseconds"),
        (("--data", "/no/such/rows.csv"), "/no/such/rows.csv: no such file"),
    ],
)
def test_usage_errors_exit_2_on_one_line(folder_of, tmp_path, args, words):
    folder = folder_of(Collection("Empty"))
    result = cli("run", str(folder), *args, home=tmp_path / "home")
    assert result.returncode == 2, result.stdout
    assert result.stderr.strip().count("\n") == 0 and words in result.stderr


def test_a_bad_data_file_is_named_with_its_line(folder_of, tmp_path):
    folder = folder_of(Collection("Empty"))
    data = tmp_path / "rows.csv"
    data.write_text("a,b\n1,2,3\n")
    result = cli("run", str(folder), "--data", str(data), home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stderr == f"error: {data}: line 2: 3 values for 2 columns\n"


def test_an_http_file_runs_directly(live_server, tmp_path):
    script = tmp_path / "calls.http"
    script.write_text(
        f"@base = {live_server}\n\n### health\nGET {{{{base}}}}/health\n\n"
        "### missing\nGET {{base}}/status/404\n",
        encoding="utf-8",
    )
    report = tmp_path / "r.xml"
    result = cli("run", str(script), "--junit", str(report), home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok    200 GET ") and "/health" in lines[0]
    assert lines[1].startswith("ok    404 GET ")  # no assertions: a response passes
    assert lines[-1] == "2 passed, 0 failed"
    assert ET.parse(report).getroot().find("testsuite").get("tests") == "2"  # type: ignore[union-attr]


def test_a_hurl_file_without_its_importer_is_refused_clearly(tmp_path, monkeypatch):
    """Should the registry lack a Hurl importer, a .hurl file is not misread as .http."""
    from explorer.application import formats
    from explorer.cli.errors import CommandError
    from explorer.cli.run import collection_from_file

    without = {k: v for k, v in formats.IMPORT_FORMATS.items() if k != "hurl"}
    monkeypatch.setattr(formats, "IMPORT_FORMATS", without)
    script = tmp_path / "calls.hurl"
    script.write_text("GET http://127.0.0.1:1/\nHTTP 200\n")
    with pytest.raises(CommandError) as raised:
        collection_from_file(str(script))
    message = f"{script}: Hurl files cannot be run: no Hurl importer is registered"
    assert str(raised.value) == message


def test_ctrl_c_stops_the_run_and_still_reports(folder_of, live_server, tmp_path):
    """The first SIGINT cancels the send in progress; the results so far are printed
    and written, and the exit status says interrupted (130)."""
    import signal
    import time

    health = Request(name="health", url="{{base}}/health")
    slow = Request(name="slow", url="{{base}}/delay/8")
    folder = folder_of(
        Collection(
            "Slow",
            variables=(Variable("base", live_server),),
            items=(RequestItem(health), RequestItem(slow), RequestItem(health)),
        )
    )
    report = tmp_path / "r.xml"
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "run", str(folder), "--junit", str(report)],
        cwd=ROOT, env=dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home")),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()  # the first request is done: the slow one is going
    assert first.startswith("ok    200 GET ")
    time.sleep(0.3)
    stopped_at = time.perf_counter()
    process.send_signal(signal.SIGINT)
    rest, errors = process.communicate(timeout=30)
    assert time.perf_counter() - stopped_at < 5  # not the 8 s the server takes
    assert process.returncode == 130, errors
    assert errors.splitlines()[-1] == "interrupted" and "Traceback" not in errors
    lines = rest.splitlines()
    assert lines[0].startswith("FAIL  GET ") and "cancelled" in lines[0]
    assert lines[-1] == "1 passed, 1 failed; the run was stopped"
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "2"


def test_an_http_file_chains_a_named_response_into_the_next_request(live_server, tmp_path):
    """`{{login.response.body.$.access_token}}` (a capture once imported) carries the
    token into the next request; its JetBrains handler checks the answer. Without the
    token /auth/me answers 401 and the handler's assertion fails."""
    script = tmp_path / "chain.http"
    login = (
        f"@base = {live_server}\n\n# @name login\nPOST {{{{base}}}}/auth/token\n"
        "Content-Type: application/json\n\n"
        f'{{"username": "ada", "password": "{PASSWORD}"}}\n\n###\n'
    )
    me = (
        "# @name me\nGET {{base}}/auth/me\nAuthorization: Bearer TOKEN\n\n"
        '> {%\nclient.test("me", function() {\n'
        '  client.assert(response.status === 200, "status");\n});\n%}\n'
    )
    script.write_text(login + me.replace("TOKEN", "{{login.response.body.$.access_token}}"))
    result = cli("run", str(script), home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "2 passed, 0 failed (1 of 1 assertions passed)"

    script.write_text(login + me.replace("TOKEN", "not-the-token"))
    result = cli("run", str(script), home=tmp_path / "home")
    assert result.returncode == 1
    assert "actual 401" in result.stdout


def test_a_hurl_file_runs_directly_with_its_captures_and_asserts(live_server, tmp_path):
    from explorer.application.formats import IMPORT_FORMATS

    if "hurl" not in IMPORT_FORMATS:
        pytest.skip("no Hurl importer registered")
    script = tmp_path / "chain.hurl"
    script.write_text(
        f"POST {live_server}/auth/token\nContent-Type: application/json\n"
        f'{{"username": "ada", "password": "{PASSWORD}"}}\nHTTP 200\n'
        '[Captures]\ntoken: jsonpath "$.access_token"\n\n'
        f"GET {live_server}/auth/me\nAuthorization: Bearer {{{{token}}}}\nHTTP 200\n"
        '[Asserts]\njsonpath "$.username" == "ada"\njsonpath "$.username" == "grace"\n'
    )
    result = cli("run", str(script), home=tmp_path / "home")
    assert result.returncode == 1, result.stderr
    [failed] = [line for line in result.stdout.splitlines() if "failed: " in line]
    assert "jsonpath $.username" in failed and "actual ada" in failed and "grace" in failed
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed (3 of 4 assertions passed)"
