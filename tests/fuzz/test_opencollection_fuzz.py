"""Property-based fuzzing of the OpenCollection importer (the bundled file), with the
mutations and the property of `test_importers_fuzz`: a valid result or one one-line
FormatError, within a time bound. `make fuzz` runs many more."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.test_importers_fuzz import (  # noqa: F401 - _alarm is an autouse fixture
    EXAMPLES,
    _alarm,
    _check,
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
