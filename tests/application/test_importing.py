"""Importing into a new collection through the application layer, without Qt: real
files, a real secret store, a real history database and real converter processes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from explorer.application.converting import (
    Conversion,
    ImportSource,
    ParseCancelled,
    convert_for_preview,
)
from explorer.application.importing import (
    FormatError,
    WriteFailed,
    convert,
    har_exchanges,
    import_new_collection,
    pasted_text,
    read_import_file,
    record_exchanges,
    write_new_collection,
)
from explorer.core.collection import walk_requests
from explorer.core.formats import MAX_IMPORT_BYTES
from explorer.core.storage.collection_files import load_collection
from explorer.core.storage.history import History
from explorer.core.storage.secrets import SecretStore

FIXTURES = Path(__file__).resolve().parents[1] / "core" / "formats" / "fixtures"
PASSWORD = "pa55-w0rd-q9"
CURL = f"curl -u ada:{PASSWORD} https://h.example/items -H 'Accept: application/json'"


def files_holding(folder: Path, value: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and value in p.read_text("utf-8")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfeG\x00E\x00T\x00", "This is not UTF-8 text (byte 0)"),
        (b"\x00" * (MAX_IMPORT_BYTES + 1), "larger than 200 MB"),
    ],
)
def test_a_file_that_cannot_be_imported_is_one_line(tmp_path, data, message):
    source = tmp_path / "bad.http"
    source.write_bytes(data)
    with pytest.raises(FormatError) as caught:
        read_import_file(source)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_missing_files_folders_and_empty_text_are_one_line(tmp_path):
    for path, message in ((tmp_path / "nope", "no such file"), (tmp_path, "is a folder")):
        with pytest.raises(FormatError, match=message):
            read_import_file(path)
    with pytest.raises(FormatError, match="nothing to import"):
        pasted_text(" \n\t")


def test_a_bom_is_dropped(tmp_path):
    source = tmp_path / "c.sh"
    source.write_bytes("\ufeffcurl https://h.example/x".encode())
    assert read_import_file(source) == "curl https://h.example/x"


def test_a_new_collection_is_written_with_its_credentials_in_the_secret_store(tmp_path):
    secrets = SecretStore(tmp_path / "secrets.json")
    imported = convert(CURL, filename="login.sh")
    written = import_new_collection(imported, tmp_path / "collections", secrets)
    assert written.folder.parent == tmp_path / "collections"
    assert "moved 1 credential" in written.credentials
    assert written.exchanges == ()
    assert files_holding(written.folder, PASSWORD) == []
    loaded = load_collection(written.folder)
    assert loaded.problems == ()
    assert [item.request.url for _f, item in walk_requests(loaded.collection)] == [
        "https://h.example/items"
    ]
    filled = secrets.fill(loaded.collection_key, loaded.collection)
    assert PASSWORD in {variable.value for variable in filled.variables if variable.secret}
    # A second import of the same name gets a folder of its own.
    again = import_new_collection(imported, tmp_path / "collections", secrets)
    assert again.folder != written.folder


def test_a_folder_in_use_is_refused_and_left_as_it_was(tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(WriteFailed, match="not empty") as caught:
        write_new_collection(convert(CURL).result, busy, SecretStore(tmp_path / "s.json"))
    assert caught.value.folder == busy
    assert sorted(p.name for p in busy.iterdir()) == ["keep.txt"]


def test_har_exchanges_go_into_a_real_history(tmp_path):
    text = read_import_file(FIXTURES / "har" / "browser.har")
    imported = convert(text, filename="browser.har")
    written = import_new_collection(imported, tmp_path / "c", SecretStore(tmp_path / "s.json"))
    assert len(written.exchanges) == len(imported.har_entries) > 0
    assert written.exchanges == har_exchanges(imported.har_entries)
    history = History(tmp_path / "history.sqlite3")
    try:
        assert record_exchanges(history, written.exchanges) == len(written.exchanges)
        stored = history.search()
    finally:
        history.close()
    assert sorted(s.url for s in stored) == sorted(e.url for e in imported.har_entries)


def test_a_preview_conversion_gives_what_the_entry_point_gives(tmp_path):
    source = tmp_path / "requests.http"
    source.write_text("GET https://h.example/a\n\n###\nPOST https://h.example/b\n")
    parsed = convert_for_preview(ImportSource(path=source, filename=source.name), Conversion())
    expected = convert(source.read_text(), filename=source.name, base_dir=tmp_path)
    assert parsed.imported() == expected
    assert parsed.format == "http"


def test_a_cancelled_preview_conversion_stops_at_once(tmp_path):
    import threading

    rows = "".join(f"  /items/{i}:\n    get: {{summary: item {i}}}\n" for i in range(300_000))
    source = tmp_path / "huge.yaml"
    source.write_text("openapi: 3.0.0\ninfo: {title: Huge, version: '1'}\npaths:\n" + rows)
    conversion = Conversion()
    outcome: list[BaseException] = []

    def wait() -> None:
        try:
            convert_for_preview(ImportSource(path=source), conversion)
        except BaseException as error:  # noqa: BLE001 - recorded for the assertion
            outcome.append(error)

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.5)  # well inside the parse
    started = time.monotonic()
    conversion.cancel()
    waiter.join(10)
    assert not waiter.is_alive()
    assert time.monotonic() - started < 5
    assert len(outcome) == 1 and isinstance(outcome[0], ParseCancelled)
