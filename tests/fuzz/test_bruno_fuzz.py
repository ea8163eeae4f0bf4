"""Property-based fuzzing of the Bruno folder importer and the .bru writer.

The importer: the fixture collection's files (bruno.json, collection.bru, folder.bru,
requests, environments) with text inserted, cut or replaced (braces, `'''`, `~`, quotes,
lone surrogates, huge runs), converted in memory. The property: a valid result (text
that can be written, folders within bounds) or one FormatError with a one-line message,
within a time bound; a malformed request file is reported and skipped, never fatal.

Bruno's exported JSON: the mutations of the importers' fuzz test, through `convert`.

The writer: any rows (names, values over several lines) written as a block read back
unchanged. `make fuzz` sets FUZZ_EXAMPLES to run many more.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.bruno.files import FolderFiles
from explorer.core.bruno.importer import import_bruno
from explorer.core.bruno.lang import dict_block, parse_bru, text_block, unwritable_key
from explorer.core.collection import Folder, walk_requests
from explorer.core.formats.common import FormatError
from tests.fuzz.test_importers_fuzz import _check, mutated_documents

FIXTURE = Path(__file__).parents[1] / "core" / "formats" / "fixtures" / "bruno" / "shop"
SOURCES = {
    str(path.relative_to(FIXTURE)): path.read_text(encoding="utf-8")
    for path in sorted(FIXTURE.rglob("*"))
    if path.is_file() and path.suffix in (".bru", ".json")
}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
SECONDS_PER_EXAMPLE = 20
PIECES = ["{", "}", "\n}", "\n}\n", "'''", "\n  '''\n", "~", '"', ":", "[", "]", "@file(",
          "\ud800", "\n", "  ", "get {", "body:json {", "vars:secret [",
          "x" * 5000, "{" * 500]  # fmt: skip


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no guard can swallow it."""


@pytest.fixture(autouse=True)
def _alarm() -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise Hang(f"an import took longer than {SECONDS_PER_EXAMPLE} s")

    previous = signal.signal(signal.SIGALRM, ring)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=EXAMPLES or examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


@st.composite
def mutated_folders(draw: st.DrawFn) -> dict[str, str]:
    files = dict(SOURCES)
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        name = draw(st.sampled_from(sorted(files)))
        text = files[name]
        at = draw(st.integers(min_value=0, max_value=len(text)))
        insert = draw(st.one_of(st.text(max_size=8), st.sampled_from(PIECES)))
        cut = draw(st.integers(min_value=0, max_value=4))
        files[name] = text[:at] + insert + text[at + cut :]
    return files


@_settings(150)
@given(mutated_folders())
def test_a_mutated_bruno_folder_imports_or_fails_with_one_line(files: dict[str, str]) -> None:
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_EXAMPLE)
    try:
        result = import_bruno(FolderFiles("shop", files))
    except FormatError as error:
        assert "\n" not in str(error) and error.message.strip()
        return
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    collection = result.collection
    for path, item in walk_requests(collection):
        request = item.request
        for text in (request.name, request.url, request.body.text, *path):
            text.encode("utf-8", "surrogatepass")
    for line in result.report:
        assert line.strip()
    assert all(isinstance(item, (Folder, type(item))) for item in collection.items)


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\n\r"),
    min_size=1,
    max_size=12,
).filter(lambda n: not unwritable_key(n) and not n.startswith("@"))
VALUES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
    max_size=30,
).filter(lambda v: v.strip() == v and "'''" not in v)


@_settings(200)
@given(st.lists(st.tuples(NAMES, VALUES, st.booleans()), min_size=1, max_size=5))
def test_written_rows_read_back_unchanged(rows: list[tuple[str, str, bool]]) -> None:
    block = parse_bru(dict_block("headers", rows)).get("headers")
    assert block is not None
    assert [(r.name, r.value, r.enabled) for r in block.rows] == rows


@_settings(200)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
        max_size=200,
    )
)
def test_a_written_text_block_reads_back_unchanged(text: str) -> None:
    text = text.lstrip("\n")  # Bruno's grammar drops new lines right after `{`
    block = parse_bru(text_block("docs", text)).get("docs")
    assert block is not None and block.text == text


# ---- Bruno's exported JSON, through the guarded entry point ------------------------------


@_settings(120)
@given(text=mutated_documents("bruno/shop.bruno.json", "json"), forced=st.booleans())
def test_a_mutated_bruno_export_imports_or_fails_with_one_line(text: str, forced: bool) -> None:
    _check(text, "bruno" if forced else None, "shop.bruno.json")
