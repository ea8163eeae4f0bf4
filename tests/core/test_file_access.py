"""Files named by a collection's requests: relative paths inside the collection folder,
anything outside it (absolute, `..`, through a symbolic link) found, approvals kept
outside the collection. Real files and real symbolic links in tmp_path."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from explorer.core.model import Body, BodyKind, Options, Part, Request
from explorer.core.resolve.file_access import (
    FileApprovals,
    files_outside,
    files_used,
    resolve_request_files,
)


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """(collection folder with data/in.txt, an outside folder with secret.txt)."""
    root = tmp_path / "collection"
    (root / "data").mkdir(parents=True)
    (root / "data" / "in.txt").write_text("inside")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("outside")
    return root, outside


def binary(path: str) -> Request:
    return Request(method="POST", body=Body(kind=BodyKind.BINARY, file=path))


def test_a_relative_path_is_taken_inside_the_collection_folder(layout, tmp_path, monkeypatch):
    root, _outside = layout
    monkeypatch.chdir(tmp_path)  # not the collection folder: the cwd must not matter
    resolved = resolve_request_files(binary("data/in.txt"), root)
    assert resolved.body.file == str(root / "data" / "in.txt")
    assert files_outside(resolved, root) == []


@pytest.mark.parametrize(
    "written",
    ["{outside}/secret.txt", "../outside/secret.txt", "data/../../outside/secret.txt"],
    ids=["absolute", "dot-dot", "dot-dot-inside-path"],
)
def test_paths_that_leave_the_folder_are_found(layout, written):
    root, outside = layout
    request = resolve_request_files(binary(written.format(outside=outside)), root)
    assert files_outside(request, root) == [(outside / "secret.txt").resolve()]


def test_a_symbolic_link_that_leaves_the_folder_is_found_by_its_real_path(layout):
    root, outside = layout
    os.symlink(outside / "secret.txt", root / "data" / "link.txt")
    os.symlink(outside, root / "linked-dir")
    os.symlink(root / "data" / "in.txt", root / "inner-link.txt")  # stays inside: fine
    for written in ("data/link.txt", "linked-dir/secret.txt"):
        request = resolve_request_files(binary(written), root)
        assert files_outside(request, root) == [(outside / "secret.txt").resolve()]
    assert files_outside(resolve_request_files(binary("inner-link.txt"), root), root) == []


def test_the_collection_folder_itself_reached_through_a_link_is_inside(layout, tmp_path):
    root, _outside = layout
    os.symlink(root, tmp_path / "alias")
    request = resolve_request_files(binary("data/in.txt"), tmp_path / "alias")
    assert files_outside(request, tmp_path / "alias") == []


def test_every_kind_of_file_a_request_can_read_is_checked(layout):
    root, outside = layout
    secret = str(outside / "secret.txt")
    request = Request(
        body=Body(
            kind=BodyKind.MULTIPART,
            parts=(
                Part("inside", file="data/in.txt"),
                Part("upload", file=secret),
                Part("off", file="/etc/hostname", enabled=False),  # not sent: not asked
                Part("text", value="/etc/hostname"),  # a value, not a file
            ),
            file="/etc/hostname",  # binary file of another body kind: not sent
        ),
        options=Options(ca_bundle="../outside/ca.pem", client_cert="c.pem", client_key="~/k"),
    )
    resolved = resolve_request_files(request, root)
    assert files_used(resolved) == [
        str(root / "data/in.txt"),
        secret,
        str(root / "../outside/ca.pem"),
        str(root / "c.pem"),
        str(Path("~/k").expanduser()),
    ]
    assert files_outside(resolved, root) == [
        Path(secret).resolve(),
        (outside / "ca.pem").resolve(),
        Path("~/k").expanduser().resolve(),
    ]
    # Without TLS verification the CA bundle is not read, so it is not asked about.
    unverified = resolved.with_changes(options=Options(verify_tls=False, ca_bundle="/etc/x"))
    assert Path("/etc/x") not in files_outside(unverified, root)


def test_approvals_are_kept_per_collection_folder_outside_it_and_private(layout, tmp_path):
    root, outside = layout
    store_path = tmp_path / "data-dir" / "file_approvals.json"
    approvals = FileApprovals(store_path)
    assert approvals.approved(root) == set()
    secret = (outside / "secret.txt").resolve()
    approvals.approve(root, [secret])
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert FileApprovals(store_path).approved(root) == {secret}
    # The same collection reached through a link is the same collection...
    os.symlink(root, tmp_path / "alias")
    assert FileApprovals(store_path).approved(tmp_path / "alias") == {secret}
    # ...another folder (e.g. another clone) is asked again.
    other = tmp_path / "clone"
    other.mkdir()
    assert FileApprovals(store_path).approved(other) == set()
    # A damaged file approves nothing rather than failing.
    store_path.write_text("{not json")
    assert FileApprovals(store_path).approved(root) == set()
    store_path.write_text(json.dumps({"collections": {str(root.resolve()): "not a list"}}))
    assert FileApprovals(store_path).approved(root) == set()
