"""The load window's Qt-free parts: the `--progress json` protocol read line by line
(bad lines are one-line errors), the bounded timeline, the saved runs folder and the
comparison of two runs, and the command's arguments."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from explorer.core.load_runs.command import (
    MAX_THRESHOLDS,
    LoadSettings,
    describe,
    load_arguments,
    threshold_problem,
)
from explorer.core.load_runs.compare import Change, compare_requests, compare_totals
from explorer.core.load_runs.progress import (
    MAX_LINE,
    Finished,
    ProtocolError,
    Started,
    Stats,
    parse_line,
)
from explorer.core.load_runs.saved import list_runs, new_run_folder, save_run
from explorer.core.load_runs.series import MAX_POINTS, Timeline


def stats_line(second: float, errors: int = 0, kind: str = "http") -> str:
    return json.dumps(
        {
            "event": "stats",
            "elapsed": second,
            "users": 5,
            "total": {
                "requests": 10,
                "failures": errors,
                "rps": 4.5,
                "p50": 10,
                "p95": 20,
                "p99": None,
            },
            "by_request": [{"name": "GET items", "requests": 10, "failures": 0, "rps": 4.5}],
            "errors": [{"kind": kind, "name": "GET items", "message": "503", "count": errors}],
        }
    )


def finished_data(p95: float, names: dict[str, float]) -> dict:
    return {
        "event": "finished",
        "reason": "duration",
        "elapsed": 2.0,
        "total": {"requests": 100, "failures": 1, "rps": 50.0, "p50": 5, "p95": p95, "p99": 90},
        "by_request": [
            {"name": n, "requests": 50, "failures": 0, "rps": rps, "p50": 5, "p95": p95}
            for n, rps in names.items()
        ],
        "errors": [],
        "thresholds": [{"rule": "p95>200ms", "passed": p95 <= 200, "actual": f"{p95} ms"}],
        "reports": {"html": "/x/report.html"},
        "future_field": [1, 2],  # unknown fields are ignored
    }


def test_each_event_is_read():
    started = parse_line(b'{"event":"started","users":3,"spawn_rate":1.5,"requests":["GET a"]}')
    assert started == Started(users=3, spawn_rate=1.5, requests=("GET a",))
    stats = parse_line(stats_line(2.0, errors=3, kind="weird"))
    assert isinstance(stats, Stats)
    assert stats.total.p99 is None and stats.total.p95 == 20
    assert stats.by_request[0].totals.p50 is None
    assert stats.errors[0].kind == "other"  # an unknown kind is counted, as "other"
    finished = parse_line(json.dumps(finished_data(250, {"GET a": 1})))
    assert isinstance(finished, Finished)
    assert [t.rule for t in finished.failed_thresholds] == ["p95>200ms"]
    assert finished.reports == {"html": "/x/report.html"}


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("Traceback (most recent call last):", "not JSON: Traceback"),
        ("[1, 2]", "not a JSON object"),
        ('{"event": "exploded"}', 'unknown event "exploded"'),
        ('{"event": "stats", "elapsed": "soon"}', "elapsed is not a number"),
        ('{"event": "stats", "total": {"rps": NaN}}', "rps is not a number"),
        ('{"event": "stats", "by_request": {"a": 1}}', "by_request is not a list"),
        ('{"event": "stats", "errors": [1]}', "errors holds something that is not an object"),
        ("[" * 100_000, "not JSON"),
        ("x" * (MAX_LINE + 1), "a progress line of"),
    ],
)
def test_a_bad_line_is_a_one_line_error(line, says):
    with pytest.raises(ProtocolError) as caught:
        parse_line(line)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 200


def test_the_timeline_counts_errors_per_second_by_kind_and_stays_bounded():
    timeline = Timeline()
    for second, errors in ((1, 2), (2, 2), (4, 8)):
        parse = parse_line(stats_line(float(second), errors))
        assert isinstance(parse, Stats)
        timeline.add(parse)
    assert timeline.errors["http"] == [2.0, 0.0, 3.0]  # 6 more over 2 s
    assert timeline.p99 == [None, None, None]
    for second in range(5, 5 + 2 * MAX_POINTS):
        stats = parse_line(stats_line(float(second)))
        assert isinstance(stats, Stats)
        timeline.add(stats)
    assert len(timeline) <= MAX_POINTS
    assert timeline.elapsed[0] == 1.0 and timeline.elapsed[-1] >= 2 * MAX_POINTS  # whole run
    assert all(len(v) == len(timeline) for v in (timeline.rps, timeline.p50, timeline.p99))


def test_runs_are_saved_listed_newest_first_and_compared(tmp_path):
    first = new_run_folder(tmp_path, "Practice / Items", datetime(2026, 1, 2, 10, 0, 0))
    again = new_run_folder(tmp_path, "Practice / Items", datetime(2026, 1, 2, 10, 0, 0))
    assert first.name == "20260102-100000-Practice-Items"
    assert again.name == "20260102-100000-Practice-Items-2"  # never the same folder
    save_run(first, finished_data(100, {"GET a": 40, "GET b": 10}), "Practice / Items", "t1")
    setup = "20 users at 2/s · 30 s"
    save_run(again, finished_data(250, {"GET a": 30, "GET c": 5}), "Practice / Items", "t2", setup)
    (tmp_path / "load-runs" / "20260103-000000-killed").mkdir()
    broken = tmp_path / "load-runs" / "20260104-000000-broken"
    broken.mkdir()
    (broken / "run.json").write_text("{not json")

    runs = list_runs(tmp_path)
    assert [r.started for r in runs] == ["2026-01-04 00:00:00", "2026-01-03 00:00:00", "t2", "t1"]
    assert runs[0].problem.startswith("unreadable run.json") and runs[0].finished is None
    assert runs[1].problem == "not finished (no run.json)"
    assert runs[2].name == "Practice / Items"
    assert runs[2].setup == setup and runs[3].setup == ""  # what differed between them

    before, after = runs[3].finished, runs[2].finished
    assert before is not None and after is not None
    totals = {change.label: change for change in compare_totals(before, after)}
    assert totals["p95"].change == "+150.0 %" and totals["p95"].worse
    assert not totals["p95"].better and not totals["Requests"].better  # a count: neither
    assert totals["Failures"].lower_is_better is None  # a count too: Errors (%) judges
    assert totals["Requests/s"].change == "+0.0 %" and not totals["Requests/s"].worse
    rows = {row.name: row for row in compare_requests(before, after)}
    assert list(rows) == ["GET a", "GET b", "GET c"]
    assert rows["GET a"].rps.change == "-25.0 %" and rows["GET a"].rps.worse
    assert rows["GET b"].rps.change == "gone" and rows["GET c"].p95.change == "new"


def test_the_arguments_of_the_load_command(tmp_path):
    settings = LoadSettings(
        target=tmp_path,
        folders=("Items",),
        users=20,
        spawn_rate=2.5,
        duration_s=None,
        iterations=4,
        think_time_s=0.5,
        environment="staging",
        thresholds=("p95 > 200 ms", "errors>1%"),
        processes=2,
    )
    args = load_arguments(settings, tmp_path / "r.html", tmp_path / "s.csv")
    assert args == [
        "load", str(tmp_path), "--folder", "Items", "--users", "20", "--spawn-rate", "2.5",
        "--iterations", "4", "--think-time", "0.5s", "--env", "staging",
        "--fail-if", "p95>200ms", "--fail-if", "errors>1%", "--workers", "2",
        "--report", f"html:{tmp_path / 'r.html'}", "--report", f"csv:{tmp_path / 's.csv'}",
        "--progress", "json",
    ]  # fmt: skip
    assert threshold_problem("p99 < 1s") == ""
    assert "not a threshold" in threshold_problem("p95 fast")
    assert "in %" in threshold_problem("errors>3ms")
    # Pasted over two lines: still one line where the user looks.
    assert threshold_problem("p95\n>2%") == "“p95 >2%”: a latency is in ms or s"
    assert "\n" not in threshold_problem("0\n0")


def test_what_the_window_loads_is_named_as_the_command_expects():
    from explorer.core.collection import Collection, Folder, RequestItem
    from explorer.core.load_runs.command import LoadSelection, selection
    from explorer.core.model import Request

    one = RequestItem(Request(method="GET", url="http://x/", name="One"))
    inner = Folder(name="Inner", items=(one,))
    collection = Collection(name="Shop", items=(Folder(name="Items", items=(one, inner)), one))
    assert selection(collection, ()) == (LoadSelection(), "Shop")
    assert selection(collection, (0,)) == (LoadSelection(folders=("Items",)), "Shop / Items")
    assert selection(collection, (0, 1, 0)) == (
        LoadSelection(requests=("Items/Inner/One",)),
        "Shop / Items / Inner / One",
    )
    for gone in ((7,), (1, 0)):  # never "all of it" instead
        with pytest.raises(LookupError):
            selection(collection, gone)
    counts = [selection(collection, path)[0].count for path in ((), (0,), (0, 1), (0, 1, 0))]
    assert counts == [3, 2, 1, 1]
    assert selection(Collection(name="Empty", items=(Folder(name="F"),)), ())[0].count == 0


@pytest.mark.parametrize(
    ("before", "after", "lower_is_better", "worse", "better"),
    [
        (100, 80, True, False, True),  # a latency 20 % lower
        (100, 104, True, False, False),  # within 5 %: noise, neither
        (100, 130, True, True, False),
        (40, 30, False, True, False),  # requests per second 25 % fewer
        (0, 12, False, False, True),
        (0, 12, True, True, False),
        (10, 20, None, False, False),  # a count: neither way is good
    ],
)
def test_a_change_is_better_or_worse_beyond_five_per_cent(
    before, after, lower_is_better, worse, better
):
    change = Change("x", before, after, "", lower_is_better)
    assert (change.worse, change.better) == (worse, better)


def test_a_runs_setup_is_described_in_one_line(tmp_path):
    by_time = LoadSettings(target=tmp_path, users=20, spawn_rate=2.5, duration_s=30)
    assert describe(by_time) == "20 users at 2.5/s · 30 s"
    by_count = LoadSettings(
        target=tmp_path, users=1, duration_s=None, iterations=1, think_time_s=0.5,
        environment="Staging", data_file=str(tmp_path / "rows.csv"),
    )  # fmt: skip
    assert describe(by_count) == "1 user at 5/s · 1 iteration · think 0.5 s · Staging · rows.csv"
    assert describe(replace(by_time, processes=2)) == "20 users at 2.5/s · 30 s · 2 processes"


def test_the_form_is_saved_with_a_run_and_read_back_within_bounds(tmp_path):
    from explorer.core.load_runs.command import form_of, settings_from_form
    from explorer.core.load_runs.saved import last_form

    chosen = LoadSettings(
        target=tmp_path, users=40, spawn_rate=2.5, duration_s=None, iterations=7,
        think_time_s=0.25, environment="staging", data_file="/d/rows.csv",
        thresholds=("p95>200ms",), processes=2,
    )  # fmt: skip
    for minute, (name, form) in enumerate(
        [("Items", form_of(chosen)), ("Items", None), ("Other", form_of(LoadSettings(tmp_path)))]
    ):
        folder = new_run_folder(tmp_path, name, datetime(2026, 1, 2, 10, minute))
        save_run(folder, finished_data(100, {"GET a": 1}), name, f"t{minute}", "", form)
    base = LoadSettings(target=tmp_path)
    form = last_form(tmp_path, "Items")  # the newest of that target that kept a form
    assert form is not None and settings_from_form(form, base) == chosen
    assert last_form(tmp_path, "Nothing") is None

    # A run.json edited by hand: wrong types and non-finite numbers keep the defaults,
    # strings and lists are cut.
    hostile = {
        "users": "many", "spawn_rate": float("nan"), "duration_s": float("inf"),
        "iterations": True, "environment": 3, "data_file": "x" * 5000,
        "thresholds": ["p95>1ms"] * 100, "processes": 3.0, "unknown": 1,
    }  # fmt: skip
    read = settings_from_form(hostile, base)
    assert (read.users, read.spawn_rate, read.duration_s, read.iterations) == (10, 5.0, 30.0, 1)
    assert read.environment == "" and len(read.data_file) == 1000 and read.processes == 3
    assert len(read.thresholds) == MAX_THRESHOLDS
