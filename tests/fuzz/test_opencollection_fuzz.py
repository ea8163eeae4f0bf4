"""Property-based fuzzing of the OpenCollection importer (the bundled file, and one file
of a collection folder at a time), with the mutations and the property of
`test_importers_fuzz`: a valid result or one one-line FormatError, within a time bound.
`make fuzz` runs many more."""

from __future__ import annotations

import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.formats import FormatError, convert_folder
from tests.fuzz.test_importers_fuzz import (  # noqa: F401 - _alarm is an autouse fixture
    EXAMPLES,
    SECONDS_PER_EXAMPLE,
    _alarm,
    _check,
    _check_result,
    _fuzz_settings,
    mutated_documents,
)

SAMPLE = "opencollection/bundled.yml"
DEFAULT_EXAMPLES = 60  # in the normal suite (a few seconds)


def test_mutated_opencollection() -> None:
    @settings(_fuzz_settings("yaml"), max_examples=EXAMPLES or DEFAULT_EXAMPLES)
    @given(text=mutated_documents(SAMPLE, "yaml"), forced=st.booleans())
    def run(text: str, forced: bool) -> None:
        _check(text, "opencollection" if forced else None, "bundled.yml")

    run()


FOLDER = Path(__file__).parents[1] / "core" / "formats" / "fixtures" / "opencollection" / "folder"
FOLDER_EXAMPLES = 30  # each copies the folder: a little slower per example


@pytest.mark.parametrize("name", ["opencollection.yml", "Trees/list.yml", "Trees/folder.yml"])
def test_mutated_opencollection_folder(name: str) -> None:
    """One file of a collection folder mutated: the folder imports (the file skipped
    and named when it cannot be read) or fails with one one-line FormatError."""

    @settings(_fuzz_settings("yaml"), max_examples=EXAMPLES or FOLDER_EXAMPLES)
    @given(text=mutated_documents(f"opencollection/folder/{name}", "yaml"))
    def run(text: str) -> None:
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary) / "orchard"
            shutil.copytree(FOLDER, folder)
            (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
            signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_EXAMPLE)
            try:
                imported = convert_folder(folder)
            except FormatError as error:
                assert "\n" not in str(error) and error.message.strip()
                return
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            _check_result(imported)

    run()
