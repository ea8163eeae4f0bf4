"""What a Postman export cannot carry is reported wherever a collection is exported: the
application's export and `export --to postman` (a note line each); the export dialog's
test is tests/ui/test_export_dialog_losses.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explorer.application.exporting import collection_export, write_collection
from explorer.application.importing import write_new_collection
from explorer.core.collection import Collection, RequestItem
from explorer.core.formats import ImportResult
from explorer.core.model import Assertion, Operator, Request, Subject

ROOT = Path(__file__).resolve().parents[3]
PAGE = Request(
    url="http://localhost/page",
    name="Page",
    assertions=(
        Assertion(Subject.STATUS, Operator.EQ, "200"),
        Assertion(Subject.XPATH, Operator.EXISTS, argument="//h1"),
    ),
)
COLLECTION = Collection("Pages", (RequestItem(PAGE),))
LOSS = (
    "The assertion `xpath //h1 exists` of the request 'Page' was not exported: "
    "the subject xpath has no Postman form."
)


def test_the_application_returns_the_losses(tmp_path: Path) -> None:
    assert collection_export(COLLECTION, "postman").report == (LOSS,)
    # .http carries the status check in a JetBrains handler; XPath has no form there.
    assert collection_export(COLLECTION, "http").report == (
        "The assertion `xpath //h1 exists` of the request 'Page' was not exported: "
        "the subject xpath has no JetBrains form.",
        "1 request(s) have a JetBrains response handler (`> {% … %}`): JetBrains and "
        "httpyac run it; VS Code's REST Client does not support handlers.",
    )
    assert "client.assert(response.status === 200" in collection_export(COLLECTION, "http").text
    assert collection_export(Collection("Empty"), "http").report == ()
    assert write_collection(COLLECTION, "postman", tmp_path / "p.json").report == (LOSS,)
    assert "pm.response.to.have.status(200);" in (tmp_path / "p.json").read_text()


def test_the_command_line_prints_them_as_notes(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_new_collection(ImportResult(COLLECTION), folder, None)
    out = tmp_path / "pages.postman_collection.json"
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "export", str(folder), "--to", "postman", "--out",
         str(out)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"note: {LOSS}" in done.stderr.splitlines()
    assert out.exists()
