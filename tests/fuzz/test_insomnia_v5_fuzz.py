"""Property-based fuzzing of the Insomnia v5 importer (collection, design document and
environment file), with the mutations and the property of `test_importers_fuzz`: a valid
result or one one-line FormatError, within a time bound. `make fuzz` runs many more."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.test_importers_fuzz import (  # noqa: F401 - _alarm is an autouse fixture
    EXAMPLES,
    _alarm,
    _check,
    _fuzz_settings,
    mutated_documents,
)

SAMPLES = [
    "insomnia/v5_collection.yaml",
    "insomnia/v5_design.yaml",
    "insomnia/v5_environment.yaml",
]
DEFAULT_EXAMPLES = 40  # per sample in the normal suite (a few seconds in all)


@pytest.mark.parametrize("name", SAMPLES)
def test_mutated_insomnia_v5(name: str) -> None:
    @settings(_fuzz_settings("yaml"), max_examples=EXAMPLES or DEFAULT_EXAMPLES)
    @given(text=mutated_documents(name, "yaml"), forced=st.booleans())
    def run(text: str, forced: bool) -> None:
        _check(text, "insomnia" if forced else None, Path(name).name)

    run()
