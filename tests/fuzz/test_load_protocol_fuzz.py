"""Property-based fuzzing of what a load test reads: the `--progress json` lines the
window reads from the child (core/load_runs/progress), a saved run's run.json
(core/load_runs/saved), and the command line's durations and thresholds.

The properties: any line, any JSON value, any run.json gives an event or a one-line
`ProtocolError` (a listed run with its problem), never another exception; what is
read is bounded (rows, text); a duration or threshold is parsed or refused with a
ValueError. `make fuzz` sets FUZZ_EXAMPLES to run many more.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.application.load.plan import parse_duration
from explorer.application.load.thresholds import parse_threshold
from explorer.core.load_runs.command import (
    FORM_FIELDS,
    LoadSettings,
    settings_from_form,
    threshold_problem,
)
from explorer.core.load_runs.progress import (
    MAX_ERRORS,
    MAX_REQUESTS,
    MAX_TEXT,
    Finished,
    ProtocolError,
    Started,
    Stats,
    parse_line,
    parse_object,
)
from explorer.core.load_runs.saved import RUN_FILE, read_run

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    ["event", "users", "spawn_rate", "requests", "elapsed", "total", "by_request", "errors",
     "thresholds", "reports", "reason", "name", "kind", "message", "count", "rule",
     "passed", "actual", "rps", "p50", "p95", "p99", "failures"]
)  # fmt: skip
EVENTS = st.sampled_from(["started", "stats", "finished", "other", None, 3])
# Objects shaped like the protocol's, with any value in any field.
SHAPED = st.recursive(
    st.fixed_dictionaries({"event": EVENTS}, optional={k: VALUES for k in ("users", "elapsed")})
    | SCALARS,
    lambda inner: (
        st.dictionaries(KEYS, inner | VALUES, max_size=6).map(lambda d: {"event": "stats", **d})
        | st.lists(inner, max_size=4)
    ),
    max_leaves=25,
)


def _bounded(event: object) -> None:
    assert isinstance(event, Started | Stats | Finished)
    if isinstance(event, Started):
        assert len(event.requests) <= MAX_REQUESTS
        assert all(len(name) <= MAX_TEXT for name in event.requests)
    else:
        assert len(event.by_request) <= MAX_REQUESTS and len(event.errors) <= MAX_ERRORS
        assert all(len(row.name) <= MAX_TEXT for row in event.by_request)


@settings(max_examples=EXAMPLES or 300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_any_line_is_an_event_or_a_protocol_error(line):
    try:
        event = parse_line(line)
    except ProtocolError as error:
        assert "\n" not in str(error)
        return
    _bounded(event)


@settings(max_examples=EXAMPLES or 400, deadline=None)
@given(SHAPED | VALUES)
def test_any_object_is_an_event_or_a_protocol_error(data):
    try:
        event = parse_object(data)
    except ProtocolError as error:
        assert "\n" not in str(error)
        return
    _bounded(event)
    # The same object as a line reads the same (JSON without NaN: the command writes none).
    try:
        line = json.dumps(data, allow_nan=False)
    except ValueError:
        return
    assert parse_line(line) == event


@settings(
    max_examples=EXAMPLES or 150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content=st.binary(max_size=300) | SHAPED.map(lambda d: json.dumps(d).encode()))
def test_any_run_file_is_listed_never_raised(tmp_path: Path, content: bytes):
    folder = tmp_path / "20260101-120000-Items"
    folder.mkdir(exist_ok=True)
    (folder / RUN_FILE).write_bytes(content)
    run = read_run(folder)
    assert (run.finished is None) == bool(run.problem)
    assert "\n" not in run.problem and len(run.name) <= 200 and len(run.setup) <= 200


RULES = r"\s*(p50|p95|p99|errors|rps)\s*[<>]\s*\d{1,6}(\.\d+)?\s*(ms|s|%)?\s*"


@settings(max_examples=EXAMPLES or 300, deadline=None)
@given(st.text(max_size=24) | st.from_regex(RULES, fullmatch=True))
def test_any_threshold_is_parsed_or_refused_in_one_line(text):
    problem = threshold_problem(text)
    assert "\n" not in problem
    try:
        rule = parse_threshold(text)
    except ValueError as error:
        assert str(error)
        return
    assert rule.limit >= 0 and rule.measure in ("p50", "p95", "p99", "errors", "rps")


@settings(max_examples=EXAMPLES or 300, deadline=None)
@given(st.text(max_size=16) | st.from_regex(r"\d{1,9}(\.\d+)?(ms|s|m|h)?", fullmatch=True))
def test_any_duration_is_parsed_or_refused(text):
    try:
        seconds = parse_duration(text)
    except ValueError as error:
        assert str(error)
        return
    assert 0 <= seconds <= 7 * 24 * 3600


@settings(max_examples=EXAMPLES or 200, deadline=None)
@given(st.dictionaries(st.sampled_from([*FORM_FIELDS, "other"]), VALUES, max_size=10))
def test_any_saved_form_gives_settings_of_the_right_types(form):
    settings = settings_from_form(form, LoadSettings(target=Path("/c")))
    assert isinstance(settings.users, int) and isinstance(settings.processes, int)
    assert 0 <= settings.users <= 10**9 and 0 <= settings.iterations <= 10**9
    assert isinstance(settings.spawn_rate, float) and math.isfinite(settings.spawn_rate)
    assert settings.duration_s is None or math.isfinite(settings.duration_s)
    assert all(isinstance(rule, str) for rule in settings.thresholds)
    assert len(settings.thresholds) <= 20 and len(settings.data_file) <= 1000
