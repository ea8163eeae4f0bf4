"""docs/EXPLAIN.md's generated tables (the rule catalogue, REDbot's active checks, the
known differences with REDbot) are what tests/support/explain/catalogue makes from the
rules and the REDbot map today: a rule added, renamed or given another reference changes
the doc in the same commit (`python -m tests.support.explain.catalogue --write`)."""

from __future__ import annotations

import pytest

from explorer.core.explain import all_rules
from tests.support.explain.catalogue import DOC, documented, sections, severities


@pytest.mark.parametrize("name", sorted(sections()))
def test_the_generated_part_is_current(name: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert documented(text, name) == sections()[name], (
        f"docs/EXPLAIN.md's {name} table is out of date: "
        "run python -m tests.support.explain.catalogue --write"
    )


def test_every_rule_is_in_the_doc_with_the_severities_it_reports() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"`{rule.id}`" in text, rule.id
        assert severities(rule) != "—", f"{rule.id}: no Severity found in its check"
