"""The explainer compared with REDbot, finding by finding, on the same responses.

The responses come from the practice server (every /mistakes/ endpoint and several
correct ones) and from two servers written outside this project: Python's own
`http.server` and the npm package `http-server`, each serving the same folder of a .json,
a .html and a .txt file. For each URL the explainer judges a GET sent by the app's
transport, and REDbot (in its own venv, one child process for every URL, its active
checks off) judges the same request. For each pair of tests/support/explain/redbot_map.SAME:
when REDbot reports the note, we report the rule, and when we report the rule, REDbot
reports the note (one way only for its one-way tables), except in KNOWN, where we
differ on purpose (each with why). KNOWN entries that no longer differ fail too, so the
list stays true, and every rule the tables name must exist.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import selectors
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from explorer.core.explain import Finding, all_rules, explain, facts_from_response
from explorer.core.explain.findings import Severity
from explorer.core.http.transport import Transport
from explorer.core.model import Body, BodyKind, Options, Pair, Request
from tests.support.explain.redbot_cases import CORRECT, CRAFTED, FILES, MISTAKES, crafted_bytes
from tests.support.explain.redbot_map import (
    ACTIVE,
    GOOD_NOTE_ABSENT,
    KNOWN,
    OURS_NARROWER,
    REDBOT_NARROWER,
    SAME,
    TIMING_DEPENDENT,
)
from tests.support.explain.redbot_notes import (
    MISSING,
    RedbotResult,
    Target,
    is_installed,
    redbot_notes,
)
from tests.support.hostile_server import HostileServer
from tests.support.peer_tools import HTTP_SERVER, REDBOT_PYTHON


@pytest.fixture(scope="module")
def crafted_server() -> Iterator[str]:
    """A raw-socket server answering each path of CRAFTED with its bytes."""
    by_path = {
        path: (status, headers, body) for path, _h, status, headers, body, _r in CRAFTED.values()
    }

    def answer(conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = conn.recv(65536)
            if not chunk:
                return
            head += chunk
        path = head.split(b" ", 2)[1].decode("latin-1")
        status, headers, body = by_path.get(
            path, ("404 Not Found", (("Content-Type", "text/plain"),), b"no")
        )
        conn.sendall(crafted_bytes(status, headers, body))

    server = HostileServer(answer)
    try:
        yield server.url().rstrip("/")
    finally:
        server.close()


@dataclass(frozen=True)
class Case:
    label: str  # "practice /mistakes/cors", "http.server /data.json"
    target: Target


@dataclass(frozen=True)
class Compared:
    case: Case
    ours: tuple[Finding, ...]
    redbot: RedbotResult

    @property
    def rule_ids(self) -> set[str]:
        return {finding.rule_id for finding in self.ours}


@pytest.fixture(scope="module")
def served_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("served")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def stdlib_server(served_folder: Path) -> Iterator[str]:
    """Python's own static file server (http.server), on a free port."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = partial(Quiet, directory=str(served_folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def npm_server(served_folder: Path) -> Iterator[str]:
    """The npm package http-server (installed into .tools by `make tools`)."""
    if not HTTP_SERVER.exists():
        pytest.fail("http-server is not installed in .tools: run `make tools`")
    process = subprocess.Popen(
        [str(HTTP_SERVER), str(served_folder), "-a", "127.0.0.1", "-p", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield _announced_url(process)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout:
            process.stdout.close()


def _announced_url(process: subprocess.Popen[bytes], timeout: float = 10.0) -> str:
    """The URL http-server prints under "Available on:" (it picks the free port). Read
    unbuffered, so that select() sees every byte that has not been read yet."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    seen = b""
    try:
        while selector.select(timeout):
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            seen += chunk
            if found := re.search(rb"http://127\.0\.0\.1:(\d+)", seen):
                return f"http://127.0.0.1:{found.group(1).decode()}"
    finally:
        selector.close()
    raise AssertionError("http-server announced no URL: " + seen.decode(errors="replace")[-500:])


def _cases(practice: str, stdlib: str, npm: str, crafted: str) -> list[Case]:
    cases = []
    for label, (path, headers, _rule) in MISTAKES.items():
        method, body = ("POST", '{"name": "Lamp"}') if "created" in path else ("GET", "")
        cases.append(Case(f"mistake: {label}", Target(practice + path, headers, method, body)))
    cases += [Case(f"practice {path}", Target(practice + path)) for path in CORRECT]
    for name, base in (("http.server", stdlib), ("http-server (npm)", npm)):
        cases += [Case(f"{name} /{file}", Target(f"{base}/{file}")) for file in (*FILES, "")]
    for label, (path, headers, *_rest) in CRAFTED.items():
        cases.append(Case(f"crafted: {label}", Target(crafted + path, headers)))
    return cases


def _ours(transport: Transport, target: Target) -> tuple[Finding, ...]:
    """The explainer on the app's own send of `target`; redirects are not followed, so
    it judges the same single response REDbot does."""
    body = Body(BodyKind.RAW, text=target.body) if target.body else Body()
    request = Request(
        method=target.method,
        url=target.url,
        headers=tuple(Pair(name, value) for name, value in target.headers),
        body=body,
        options=Options(follow_redirects=False, timeout=10.0),
    )
    return tuple(explain(facts_from_response(transport.send(request))))


@pytest.fixture(scope="module")
def compared(
    live_server: str, stdlib_server: str, npm_server: str, crafted_server: str
) -> list[Compared]:
    if not is_installed():
        pytest.fail(MISSING)
    cases = _cases(live_server, stdlib_server, npm_server, crafted_server)
    transport = Transport()
    try:
        ours = [_ours(transport, case.target) for case in cases]
    finally:
        transport.close()
    theirs = redbot_notes([case.target for case in cases])
    for case, result in zip(cases, theirs, strict=True):
        assert result.finished and result.error is None, (case.label, result.error)
    return [Compared(c, o, r) for c, o, r in zip(cases, ours, theirs, strict=True)]


def _differences(compared: list[Compared]) -> dict[tuple[str, str], str]:
    """(rule, case) -> what each side said, for every mapped pair where they disagree."""
    found: dict[tuple[str, str], str] = {}
    for item in compared:
        names = item.redbot.names
        for rule_id, notes in SAME.items():
            ours, theirs = rule_id in item.rule_ids, bool(names & notes)
            if ours and not theirs and (rule_id, item.case.label) in TIMING_DEPENDENT:
                continue  # REDbot may or may not have seen it: one way only here
            if ours != theirs:
                said = sorted(names & notes) if theirs else "nothing"
                found[rule_id, item.case.label] = f"we say {ours}, REDbot says {said}"
        for rule_id, one_way in REDBOT_NARROWER.items():
            if names & one_way.notes and rule_id not in item.rule_ids:
                said = sorted(names & one_way.notes)
                found[rule_id, item.case.label] = f"we say False, REDbot says {said}"
        for rule_id, one_way in OURS_NARROWER.items():
            if rule_id in item.rule_ids and not names & one_way.notes:
                found[rule_id, item.case.label] = "we say True, REDbot says nothing"
        for rule_id, good in GOOD_NOTE_ABSENT.items():
            if rule_id in item.rule_ids and good in names:
                found[rule_id, item.case.label] = f"we say missing, REDbot says {good}"
    return found


def test_redbot_ran_passively_on_every_response(compared: list[Compared]) -> None:
    # Every case got a real response from both sides, and none of REDbot's notes comes
    # from its active checks (they are off: the comparison is of the same response).
    assert len(compared) == len(MISTAKES) + len(CORRECT) + 2 * (len(FILES) + 1) + len(CRAFTED)
    for item in compared:
        assert item.redbot.status is not None, item.case.label
        assert not item.redbot.names & set(ACTIVE), item.case.label


def test_every_mistake_draws_its_rule(compared: list[Compared]) -> None:
    for item in compared:
        if item.case.label.startswith("mistake: "):
            rule_id = MISTAKES[item.case.label.removeprefix("mistake: ")][2]
            assert rule_id in item.rule_ids, (item.case.label, sorted(item.rule_ids))


def test_every_crafted_response_draws_its_rule(compared: list[Compared]) -> None:
    for item in compared:
        if item.case.label.startswith("crafted: "):
            rule_id = CRAFTED[item.case.label.removeprefix("crafted: ")][5]
            assert rule_id in item.rule_ids, (item.case.label, sorted(item.rule_ids))


def test_correct_endpoints_draw_no_warning(compared: list[Compared]) -> None:
    for item in compared:
        if item.case.label.startswith("practice "):
            complaints = [f for f in item.ours if f.severity is not Severity.INFO]
            assert complaints == [], (item.case.label, [f.rule_id for f in complaints])


def _paired() -> list[tuple[str, frozenset[str]]]:
    """Every rule with the REDbot notes it is compared with (both ways or one way)."""
    one_way = (*REDBOT_NARROWER.items(), *OURS_NARROWER.items())
    return [*SAME.items(), *((rule, pair.notes) for rule, pair in one_way)]


def _summary(compared: list[Compared], differences: dict[tuple[str, str], str]) -> str:
    """How many findings were compared and how they came out (pytest -s shows it; the
    numbers in docs/EXPLAIN.md come from here)."""
    pairs = (*SAME, *REDBOT_NARROWER, *OURS_NARROWER, *GOOD_NOTE_ABSENT)
    both = sorted(
        f"{rule} @ {item.case.label}"
        for item in compared
        for rule, notes in _paired()
        if rule in item.rule_ids and item.redbot.names & notes
    )
    scope = sorted(
        f"{rule} @ {item.case.label}: "
        + ("REDbot only" if item.redbot.names & pair.notes else "ours only")
        for item in compared
        for rule, pair in (*REDBOT_NARROWER.items(), *OURS_NARROWER.items())
        if (rule in item.rule_ids) != bool(item.redbot.names & pair.notes)
    )
    lines = [
        f"{len(compared)} URLs, {len(pairs)} mapped rules, {len(compared) * len(pairs)} "
        f"comparisons: {len(both)} reported by both, {len(scope)} apart by scope, "
        f"{len(differences)} differences ({sum(key in KNOWN for key in differences)} known), "
        "the rest silent on both",
        *(f"  both: {line}" for line in both),
        *(f"  scope: {line}" for line in scope),
        *(f"  differ: {rule} @ {label}: {said}" for (rule, label), said in differences.items()),
    ]
    return "\n".join(lines)


def test_the_explainer_and_redbot_agree_but_where_known(compared: list[Compared]) -> None:
    differences = _differences(compared)
    print(_summary(compared, differences))
    unexplained = {key: said for key, said in differences.items() if key not in KNOWN}
    assert unexplained == {}, json.dumps({f"{k[0]} @ {k[1]}": v for k, v in unexplained.items()})
    stale = sorted(key for key in KNOWN if key not in differences)
    assert stale == [], "these no longer differ: remove them from KNOWN"


def test_the_map_names_real_rules_and_notes() -> None:
    # A renamed rule or note would make a pair silently compare nothing; a rule in two
    # tables would be compared twice, by two different standards.
    tables = (SAME, REDBOT_NARROWER, OURS_NARROWER, GOOD_NOTE_ABSENT)
    assert sum(len(table) for table in tables) == len({r for table in tables for r in table})
    named = {rule for table in tables for rule in table} | {rule for rule, _ in KNOWN}
    named |= {rule for rule, _ in TIMING_DEPENDENT}
    named |= {rule for rule, _how in ACTIVE.values() if rule}
    named |= {rule for _path, _headers, rule in MISTAKES.values()}
    named |= {case[5] for case in CRAFTED.values()}
    assert named <= {rule.id for rule in all_rules()}, sorted(named - {r.id for r in all_rules()})
    notes = {name for _rule, names in _paired() for name in names}
    notes |= set(GOOD_NOTE_ABSENT.values())
    if not is_installed():
        pytest.fail(MISSING)
    done = subprocess.run(
        [str(REDBOT_PYTHON), "-I", "-c", _NOTE_NAMES],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    known = set(json.loads(done.stdout))
    named = {name.partition("@")[0] for name in notes | set(ACTIVE)}  # NAME@subject
    assert named <= known, sorted(named - known)


_NOTE_NAMES = """
import importlib, inspect, json, pkgutil
import httplint, redbot
from httplint.note import Note
names = set()
for package in (httplint, redbot):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        names |= {n for n, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, Note) and c is not Note}
print(json.dumps(sorted(names)))
"""
