"""`import DIR`: a Bruno collection folder converted and written with --into; a folder
that is not one says what it saw; `run` still reads our own collection folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli import main

FIXTURE = Path(__file__).parents[1] / "core" / "formats" / "fixtures" / "bruno" / "shop"


def test_import_a_bruno_folder_into_a_new_collection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "shop"
    assert main(["import", str(FIXTURE), "--into", str(into)]) == 0
    out, err = capsys.readouterr()
    assert "GET     {{baseUrl}}/products?page=1&size={{pageSize}}  Catalog/List products" in out
    assert "imported 10 request(s) into" in err
    assert "note: Bruno assertions: converted 21 of 22" in err
    assert (into / "files" / "receipt.txt").read_bytes() == b"receipt #7\ntotal 12.50\n"
    assert (into / "environments" / "local.yaml").is_file()
    # And it is our collection now: `run` lists it (an unreachable base URL fails fast).
    assert main(["run", str(into), "--var", "baseUrl=http://127.0.0.1:9", "--timeout", "2"]) == 1
    out, _ = capsys.readouterr()
    assert "List products" in out


def test_a_folder_that_is_not_a_collection_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path)]) == 2
    _, err = capsys.readouterr()
    assert f"no bruno.json or opencollection.yml in {tmp_path}" in err
    assert main(["import", str(FIXTURE), "--format", "postman"]) == 2
    _, err = capsys.readouterr()
    assert "this is a bruno collection folder, not postman" in err
