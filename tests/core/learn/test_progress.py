"""The learner's progress file: a round trip, a malformed file set aside (never lost),
bounds, and the data folder it lives in."""

from __future__ import annotations

import json
import stat

import pytest

from explorer.core.learn.progress import (
    MAX_FILE_BYTES,
    MAX_TRIES,
    Progress,
    progress_path,
    read_progress,
    write_progress,
)


def test_a_round_trip_keeps_everything(tmp_path):
    path = tmp_path / "deep" / "learn-progress.json"
    progress = (
        Progress(language="ko", offered=True, current="cacheability")
        .with_read("client-server")
        .with_tried("cacheability", 2)
        .with_tried("cacheability", 1)
        .with_tried("cacheability", 2)
    )
    write_progress(progress, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = read_progress(path)
    assert loaded.existed and loaded.problem == ""
    assert loaded.progress == progress
    assert loaded.progress.tried_in("cacheability") == {1, 2}
    assert json.loads(path.read_text("utf-8"))["tried"] == {"cacheability": [1, 2]}


def test_no_file_is_a_fresh_start_that_says_it_did_not_exist(tmp_path):
    loaded = read_progress(tmp_path / "none.json")
    assert loaded.progress == Progress() and not loaded.existed and not loaded.problem


def test_the_default_path_is_in_the_apps_data_folder(isolated_home):
    assert progress_path().parent == isolated_home / "api-explorer"
    write_progress(Progress().with_read("flask"))
    assert read_progress().progress.read == {"flask"}


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b'{"version": 99}',
        b'["a list"]',
        b'{"version": 1, "language": 5}',
        b'{"version": 1, "read": ["Not A Slug"]}',
        b'{"version": 1, "tried": {"x": [0]}}',
        b'{"version": 1, "tried": {"x": [true]}}',
        b'{"version": 1, "offered": "yes"}',
        b'{"version": 1, "read": [' + b",".join([b'"a"'] * 201) + b"]}",
        b" " * (MAX_FILE_BYTES + 1),
    ],
)
def test_a_malformed_file_is_set_aside_and_a_fresh_start_made(tmp_path, content):
    path = tmp_path / "learn-progress.json"
    path.write_bytes(content)
    loaded = read_progress(path)
    assert loaded.existed
    assert loaded.progress == Progress()
    assert loaded.problem.startswith("Learning progress unreadable")
    assert "\n" not in loaded.problem
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("learn-progress.json.unreadable")]
    assert len(kept) == 1 and kept[0].read_bytes() == content  # never lost
    assert not path.exists()


def test_growth_is_bounded():
    progress = Progress()
    for index in range(1, MAX_TRIES + 10):
        progress = progress.with_tried("x", index)
    assert len(progress.tried_in("x")) == MAX_TRIES
    assert len(progress.to_json()) < MAX_FILE_BYTES
    assert Progress().with_tried("x", 1).with_tried("x", 1).tried_in("x") == {1}
