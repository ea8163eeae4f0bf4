"""The JSON file Bruno's Export writes: detected, imported, and read exactly as the
folder Bruno's own code writes from it (@usebruno/cli's createCollectionFromBrunoObject,
run with node) is read; a single .bru file imports as one request."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from explorer.core.formats import FormatError, convert, convert_folder
from tests.support.peer_tools import NODE, ROOT, needs_bru, needs_node

EXPORT = Path(__file__).parents[1] / "formats" / "fixtures" / "bruno" / "shop.bruno.json"
BRUNO_CLI = ROOT / ".tools" / "node_modules" / "@usebruno" / "cli" / "src" / "utils" / "collection"


@needs_node
@needs_bru
def test_the_export_reads_as_the_folder_brunos_code_writes_from_it(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    script = (
        f"const {{createCollectionFromBrunoObject}} = require({json.dumps(str(BRUNO_CLI))});"
        f"const c = JSON.parse(require('fs').readFileSync({json.dumps(str(EXPORT))}, 'utf8'));"
        f"createCollectionFromBrunoObject(c, {json.dumps(str(folder))}, {{format: 'bru'}})"
        ".catch(e => { console.error(e); process.exit(1) });"
    )
    done = subprocess.run([str(NODE), "-e", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    from_folder = convert_folder(folder).result
    imported = convert(EXPORT.read_text(encoding="utf-8"), filename=EXPORT.name)
    assert imported.format == "bruno"
    assert imported.result.collection == from_folder.collection

    def losses(report: tuple[str, ...]) -> list[str]:  # files are copied from a folder only
        return [line for line in report if "files/" not in line]

    assert losses(imported.result.report) == losses(from_folder.report)
    assert (
        "2 file(s) that requests send are not in an exported file" in (imported.result.report[-1])
    )


def test_the_export_is_detected_and_says_what_it_dropped() -> None:
    document = json.loads(EXPORT.read_text(encoding="utf-8"))
    document["environments"][0]["variables"][1]["value"] = "s3cret-in-the-file"
    imported = convert(json.dumps(document))  # no file name: detected by its shape
    assert imported.format == "bruno"
    assert "s3cret" not in repr(imported.result.collection)
    assert "1 secret value(s) in the file were not imported" in "\n".join(imported.result.report)
    names = [item.name for item in imported.result.collection.items]
    assert names == ["Orders", "Products", "Search"]


def test_one_bru_file_imports_as_one_request() -> None:
    text = "meta {\n  name: Ping\n}\n\nget {\n  url: https://h.example/ping\n}\n"
    imported = convert(text, filename="ping.bru")
    assert imported.format == "bruno"
    [item] = imported.result.collection.items
    assert (item.name, item.request.url) == ("Ping", "https://h.example/ping")
    with pytest.raises(FormatError) as raised:
        convert("meta {\n  name Ping\n}\n", format="bruno")
    assert raised.value.location == "line 2, column 3"
