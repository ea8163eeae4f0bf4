"""A file a request sends, named by a Windows path from the machine the export was made
on (seen in a real Insomnia v5 export: C:\\Users\\…\\Cadastro.png), is reported at import:
on this machine it names nothing, and the send would only fail later."""

from __future__ import annotations

import json

from explorer.core.formats import convert


def _postman(src: str) -> str:
    part = {"key": "photo", "type": "file", "src": src}
    request = {
        "method": "POST",
        "url": "http://h/up",
        "body": {"mode": "formdata", "formdata": [part]},
    }
    return json.dumps(
        {
            "info": {"name": "P", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [{"name": "Upload", "request": request}],
        }
    )  # fmt: skip


def test_a_windows_path_of_a_sent_file_is_reported():
    report = convert(_postman("C:\\Users\\ana\\Cadastro.png")).result.report
    assert (
        "1 file(s) the requests send are named by a Windows path from another machine "
        "(C:\\Users\\ana\\Cadastro.png): choose them again in the request's Body tab"
    ) in report


def test_a_relative_path_is_not_reported():
    report = convert(_postman("uploads/Cadastro.png")).result.report
    assert not any("Windows path" in line for line in report)
