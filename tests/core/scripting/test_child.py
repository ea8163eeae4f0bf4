"""The script child as a real process: answers, limits, isolation of its output."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from explorer.core.scripting import process
from explorer.core.scripting.process import ChildAnswer, run_child
from explorer.core.scripting.protocol import ScriptLimits

REQUEST = {
    "name": "r",
    "method": "GET",
    "url": "http://127.0.0.1:1/a",
    "headers": [["Accept", "*/*"]],
    "params": [["q", "1"]],
    "body": "",
}
RESPONSE = {
    "status": 201,
    "reason": "Created",
    "url": "http://127.0.0.1:1/a",
    "headers": [["Content-Type", "application/json"], ["Set-Cookie", "s=1"]],
    "text": '{"id": 7, "tags": ["a", "b"]}',
    "complete": True,
    "size": 29,
    "elapsed_ms": 12.5,
    "cookies": [["s", "1"]],
}
LABEL = "request pre-request script"


def run(
    code: str | list[str],
    kind: str = "pre",
    limits: ScriptLimits | None = None,
    cwd: Path | None = None,
    variables: dict[str, str] | None = None,
) -> ChildAnswer:
    codes = [code] if isinstance(code, str) else code
    job: dict[str, Any] = {
        "kind": kind,
        "scripts": [{"label": f"layer {i}", "code": c} for i, c in enumerate(codes)]
        if len(codes) > 1
        else [{"label": LABEL, "code": codes[0]}],
        "request": REQUEST,
        "response": RESPONSE if kind == "post" else None,
        "variables": variables or {"base": "http://x"},
    }
    return run_child(job, limits or ScriptLimits(), cwd or Path.cwd())


def test_a_pre_script_changes_the_request_and_sets_variables():
    answer = run(
        "request.headers['x-trace'] = 'abc'\n"
        "request.headers['accept'] = 'application/json'\n"
        "request.url = variables.get('base') + '/b'\n"
        "request.params.add('q', 2)\n"
        "request.body = '{}'\n"
        "variables.set('n', 3)\n"
        "variables.set('token', 's3cret', secret=True)\n"
    )
    assert answer.error == ""
    sent = answer.data["request"]
    assert sent["url"] == "http://x/b"
    assert sent["headers"] == [("Accept", "application/json"), ("x-trace", "abc")]
    assert sent["params"] == [("q", "1"), ("q", "2")]
    assert sent["body"] == "{}"
    assert answer.data["variables_set"] == {"n": "3", "token": "s3cret"}
    assert answer.data["secrets_set"] == ["token"]


def test_a_post_script_reads_the_response_and_records_tests():
    answer = run(
        "with test('created'):\n"
        "    expect(response.status).to_equal(201)\n"
        "with test('id is big'):\n"
        "    expect(response.json()['id']).to_be_above(100)\n"
        "test('header', lambda: expect(response.headers['content-type']).to_contain('json'))\n"
        "@test('cookie')\n"
        "def _():\n"
        "    assert response.cookies['s'] == '2'\n"
        "variables.set('id', response.json()['id'])\n",
        kind="post",
    )
    assert answer.error == ""
    results = {r["label"]: r for r in answer.data["results"]}
    assert results["created"]["passed"] is True
    assert results["header"]["passed"] is True
    failed = results["id is big"]
    assert (failed["passed"], failed["actual"], failed["expected"]) == (False, "7", "> 100")
    assert results["cookie"]["passed"] is False
    assert results["cookie"]["message"].startswith("line 8: AssertionError")
    assert answer.data["variables_set"] == {"id": "7"}


def test_a_failed_expect_outside_a_test_is_a_failed_result_and_stops_the_script():
    answer = run("expect(response.status).to_equal(200)\nprint('not reached')", kind="post")
    assert answer.error == ""
    assert answer.data["console"] == []
    [result] = answer.data["results"]
    assert result == {
        "passed": False,
        "label": "expect(201) to equal 200",
        "actual": "201",
        "expected": "== 200",
        "message": "",
    }


def test_layers_share_the_request_and_variables_and_an_error_stops_the_later_ones():
    answer = run(
        [
            "variables.set('a', 'from outside')\nrequest.headers['X-Layer'] = '0'",
            "request.headers['X-Layer'] += '1'\nvariables.set('b', variables.get('a'))\n1/0",
            "variables.set('c', 'never')",
        ]
    )
    assert answer.error == "layer 1, line 3: ZeroDivisionError: division by zero"
    assert answer.data["variables_set"] == {"a": "from outside", "b": "from outside"}
    assert ["X-Layer", "01"] in [list(h) for h in answer.data["request"]["headers"]]
    # the short traceback names the script's lines only, not the child's
    assert answer.data["console"] == [
        "Traceback (the script's lines):",
        "  line 3, in <module>",
        "    1/0",
        "ZeroDivisionError: division by zero",
    ]


def test_a_syntax_error_is_one_line_with_its_line_number():
    answer = run("x = 1\nif x = 2:\n    pass\n")
    assert answer.error.startswith(f"{LABEL}, line 2: SyntaxError: ")
    assert "\n" not in answer.error


def test_an_exception_in_a_function_points_at_the_scripts_lines():
    answer = run("def f(d):\n    return d['missing']\n\nf({})\n")
    assert answer.error == f"{LABEL}, line 2: KeyError: 'missing'"
    assert "  line 4, in <module>" in answer.data["console"]
    assert "  line 2, in f" in answer.data["console"]
    assert not any("child.py" in line for line in answer.data["console"])


def test_print_goes_to_the_console_not_into_the_answer():
    answer = run(
        "import os, sys\n"
        "print('hello', 42)\n"
        "console.log('via console', [1])\n"
        "print('to stderr', file=sys.stderr)\n"
        "os.write(1, b'raw bytes on fd 1 {not json')\n"
        "os.write(2, b'raw bytes on fd 2')\n"
        "sys.stdout.write('no newline at the end')\n"
    )
    assert answer.error == ""
    assert answer.data["console"] == [
        "hello 42",
        "via console [1]",
        "to stderr",
        "no newline at the end",
    ]


def test_console_output_is_bounded():
    limits = ScriptLimits(console_lines=50, console_chars=10_000, line_chars=100)
    answer = run("for i in range(100_000):\n    print(i)\nprint('x' * 5000)", limits=limits)
    assert answer.error == ""
    console = answer.data["console"]
    assert len(console) == 51
    assert console[-1] == "… (more output was dropped)"
    long_line = run("print('y' * 5000)", limits=limits).data["console"]
    assert long_line == ["y" * 99 + "…"]
    chars = run("for i in range(1000):\n    print('z' * 90)", limits=limits).data["console"]
    assert sum(len(line) for line in chars) <= 10_000 + 40


def test_an_endless_loop_is_killed_at_the_time_limit():
    started = time.monotonic()
    answer = run("while True:\n    pass\n", limits=ScriptLimits(time_limit=1.0))
    elapsed = time.monotonic() - started
    assert answer.error == "stopped after the time limit of 1 s"
    assert 0.9 < elapsed < 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="setsid, /proc: Linux")
def test_grandchildren_are_killed_with_the_child(tmp_path: Path):
    answer = run(
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "open('pid', 'w').write(str(p.pid))\n"
        "while True:\n    pass\n",
        limits=ScriptLimits(time_limit=2.0),
        cwd=tmp_path,
    )
    assert answer.error.startswith("stopped after the time limit")
    pid = int((tmp_path / "pid").read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS on Linux")
def test_a_memory_bomb_is_stopped_by_the_address_space_limit():
    limits = ScriptLimits(time_limit=30, memory_bytes=256 * 1024 * 1024)
    answer = run("blocks = []\nwhile True:\n    blocks.append(bytearray(10**6))\n", limits=limits)
    assert answer.error == f"{LABEL}, line 3: MemoryError"
    one_big = run("b = bytearray(2 * 10**9)", limits=limits)
    assert one_big.error == f"{LABEL}, line 1: MemoryError"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_CPU on Linux")
def test_the_cpu_limit_stops_a_child_the_wall_limit_missed(monkeypatch: pytest.MonkeyPatch):
    # The CPU limit is the wall limit plus one: give the wall limit more room to see it.
    monkeypatch.setattr(ScriptLimits, "cpu_seconds", lambda self: 1)
    answer = run("while True:\n    pass\n", limits=ScriptLimits(time_limit=20))
    assert answer.error == "stopped: it used more than 1 s of CPU time"


def test_the_working_directory_is_the_one_given(tmp_path: Path):
    (tmp_path / "fixture.txt").write_text("from the collection")
    answer = run("print(open('fixture.txt').read())", cwd=tmp_path)
    assert answer.data["console"] == ["from the collection"]


def test_the_child_runs_isolated(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", "/nowhere")
    answer = run("import sys\nprint(sys.flags.isolated, sys.flags.no_user_site)\nprint(sys.path)")
    assert answer.data["console"][0] == "1 1"
    assert "/nowhere" not in answer.data["console"][1]
    assert process.PACKAGE_ROOT not in eval(answer.data["console"][1])


def test_sys_exit_zero_ends_a_script_quietly_and_another_code_is_an_error():
    assert run("import sys\nsys.exit()\nvariables.set('a', 1)").error == ""
    assert run("raise SystemExit(3)").error == f"{LABEL}: exit(3)"


def test_input_sees_the_end_at_once():
    answer = run("input()")
    assert answer.error == f"{LABEL}, line 1: EOFError: EOF when reading a line"


def test_a_script_cannot_set_a_form_body():
    job_request = {**REQUEST, "body": None}
    answer = run_child(
        {
            "kind": "pre",
            "scripts": [{"label": LABEL, "code": "request.body = 'x'"}],
            "request": job_request,
            "response": None,
            "variables": {},
        },
        ScriptLimits(),
        Path.cwd(),
    )
    assert answer.error.startswith(
        f"{LABEL}, line 1: AttributeError: this request's body is a form"
    )


@pytest.mark.parametrize(
    ("program", "error"),
    [
        ("import sys; sys.stdout.write('not json')", "answered something unreadable"),
        ("import sys; sys.stdout.write('[1, 2]')", "answered a malformed answer"),
        (
            "import sys, json; sys.stdout.write(json.dumps({'version': 1, 'error': 3}))",
            "answered a malformed error",
        ),
        (
            "import sys, json; sys.stdout.write(json.dumps({'version': 1, 'error': '',"
            " 'console': [], 'variables_set': {'a': 1}}))",
            "answered a malformed variables",
        ),
        ("import sys; sys.stdout.buffer.write(b'\\xff\\xfe')", "answered something unreadable"),
        ("import os; os._exit(4)", "ended without an answer (exit status 4)"),
        ("import os, signal; os.kill(os.getpid(), signal.SIGTERM)", "was killed (SIGTERM)"),
        ("import sys; sys.stdout.write('x' * (9 * 1024 * 1024))", "answered more than allowed"),
    ],
)
def test_a_child_that_answers_badly_gives_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, program: str, error: str
):
    monkeypatch.setattr(process, "BOOTSTRAP", program)
    answer = run("pass")
    assert error in answer.error
    assert "\n" not in answer.error
    assert answer.data == {}


def test_a_child_that_cannot_start_gives_a_one_line_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(process.sys, "executable", "/nonexistent/python")
    answer = run("pass")
    assert answer.error.startswith("the script process could not start: ")


def test_a_round_trip_is_quick():
    """A child start and a trivial script, measured: printed for the report; bounded
    generously (two shared cores)."""
    times = []
    for _ in range(5):
        started = time.perf_counter()
        assert run("pass").error == ""
        times.append((time.perf_counter() - started) * 1000)
    print(f"script child round trip: min {min(times):.0f} ms, all {[round(t) for t in times]}")
    assert min(times) < 2000
    assert os.getpid() > 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="resource limits on Linux")
def test_the_child_dumps_no_core_file():
    answer = run("import resource\nprint(resource.getrlimit(resource.RLIMIT_CORE))")
    assert answer.data["console"] == ["(0, 0)"]
