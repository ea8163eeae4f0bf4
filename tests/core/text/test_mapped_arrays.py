"""MappedArrays: the formatter's folds file mapped (not read) and unlinked at once, and
scratch arrays in a mapped file; values survive `drop_pages` and outlive the object
that mapped them."""

from __future__ import annotations

from array import array
from bisect import bisect_left

import pytest

from explorer.core.text.fold_map import FoldMap
from explorer.core.text.mapped_arrays import MappedArrays


def _folds_file(path, starts, ends):
    with open(path, "wb") as handle:
        array("I", starts).tofile(handle)
        array("I", ends).tofile(handle)
    return path


def test_the_folds_file_is_mapped_and_gone_from_the_folder(tmp_path):
    starts, ends = list(range(0, 300_000, 3)), list(range(2, 300_002, 3))
    path = _folds_file(tmp_path / "folds", starts, ends)
    pages = MappedArrays.open(path, len(starts))
    assert list(tmp_path.iterdir()) == []  # unlinked: nothing to clean up later
    got_starts, got_ends = pages.views
    assert isinstance(got_starts, memoryview) and got_starts.format == "I"
    assert got_starts.tolist() == starts and got_ends.tolist() == ends
    assert bisect_left(got_starts, 150_000) == 50_000
    pages.drop_pages()  # the pages go back; the values come again from the file
    assert got_starts[-1] == starts[-1] and got_ends[12345] == ends[12345]


def test_folds_work_from_the_mapping_after_its_owner_is_gone(tmp_path):
    path = _folds_file(tmp_path / "folds", [0, 1, 5], [9, 3, 7])
    pages = MappedArrays.open(path, 3)
    folds = FoldMap(*pages.views, pages)
    del pages  # the views keep the mapping alive
    assert folds.fold_at(1) == 3 and folds.fold_at(2) is None
    assert folds.toggle(1) and folds.is_hidden(2) and folds.to_visible(4) == 2
    folds.pages.drop_pages()
    folds.expand_to_show(2)
    assert not folds.is_hidden(2) and folds.fold_at(5) == 7


def test_a_short_or_missing_folds_file_is_refused_in_one_line(tmp_path):
    path = _folds_file(tmp_path / "folds", [0, 1], [4, 3])
    with pytest.raises(ValueError, match="16 bytes, 24 expected"):
        MappedArrays.open(path, 3)
    assert not path.exists()  # still deleted
    with pytest.raises(FileNotFoundError):
        MappedArrays.open(tmp_path / "missing", 3)


def test_no_folds_map_nothing(tmp_path):
    pages = MappedArrays.open(_folds_file(tmp_path / "folds", [], []), 0)
    assert [len(view) for view in pages.views] == [0, 0]
    pages.drop_pages()
    assert FoldMap(*pages.views).fold_at(0) is None


def test_scratch_arrays_keep_what_was_written_after_their_pages_are_dropped(tmp_path):
    scratch = MappedArrays.scratch(tmp_path, 200_000, ("i", "I"))
    assert list(tmp_path.iterdir()) == []
    parent, index = scratch.views
    assert (parent.format, index.format, len(parent)) == ("i", "I", 200_000)
    assert parent[199_999] == 0 and index[0] == 0  # zeroed
    for i in range(0, 200_000, 997):
        parent[i], index[i] = -1 - i, i * 3
    scratch.drop_pages()
    assert all(parent[i] == -1 - i and index[i] == i * 3 for i in range(0, 200_000, 997))
    assert MappedArrays.scratch(tmp_path, 0, ("i",)).views[0].tolist() == []
