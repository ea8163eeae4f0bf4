"""Atomic writes and change detection."""

from __future__ import annotations

import os
import stat

import pytest

from explorer.core.atomic import remove_stale_temps, write_bytes_atomic, write_text_atomic
from explorer.core.storage.watch import diff, snapshot


def test_write_replaces_content_and_keeps_mode(tmp_path):
    target = tmp_path / "f.yaml"
    write_text_atomic(target, "one")
    os.chmod(target, 0o640)
    write_text_atomic(target, "two")
    assert target.read_text() == "two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


def test_failed_write_leaves_old_file_and_no_temp(tmp_path):
    target = tmp_path / "f.bin"
    write_bytes_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_stale_temps_of_dead_writers_are_removed_live_ones_kept(tmp_path):
    target = tmp_path / "s.json"
    dead = tmp_path / ".s.json.tmp-999999999-abcd"
    mine = tmp_path / f".s.json.tmp-{os.getpid()}-abcd"
    dead.write_text("x")
    mine.write_text("x")
    assert remove_stale_temps(target) == 1
    assert not dead.exists() and mine.exists()


def test_snapshot_and_diff_see_external_changes(tmp_path):
    (tmp_path / "a.yaml").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yaml").write_text("b")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")
    before = snapshot(tmp_path)
    assert set(before) == {tmp_path / "a.yaml", tmp_path / "sub" / "b.yaml"}
    (tmp_path / "a.yaml").write_text("changed, longer")
    (tmp_path / "sub" / "b.yaml").unlink()
    (tmp_path / "c.yaml").write_text("c")
    (tmp_path / ".c.yaml.tmp-1-ab").write_text("temp")
    changes = diff(before, snapshot(tmp_path))
    assert changes.added == (tmp_path / "c.yaml",)
    assert changes.removed == (tmp_path / "sub" / "b.yaml",)
    assert changes.modified == (tmp_path / "a.yaml",)
    assert not diff(before, before)
