"""Explain this response: findings about one HTTP exchange, each with a severity, plain
words, the specification sections it rests on and the lesson that teaches it.

Passive: it judges what was exchanged and sends nothing (REDbot, the reference for
breadth, also sends conditional and range requests of its own). The rules live one
module per part of HTTP and are listed here by name, so that a rule is found where its
category says.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from explorer.core.explain.facts import ExchangeFacts, facts_from_response
from explorer.core.explain.findings import Category, Finding, Pointer, Rule, Severity

__all__ = [
    "Category",
    "ExchangeFacts",
    "Finding",
    "Pointer",
    "Rule",
    "Severity",
    "all_rules",
    "explain",
    "facts_from_response",
]

# The most findings one exchange can produce: a hostile response (a thousand Set-Cookie
# lines) must not make a list nobody can read or a report that grows without bound.
MAX_FINDINGS = 200

_RULE_MODULES = (
    "status",
    "content",
    "problem",
    "redirects",
    "timing",
    "caching",
    "conditional",
    "cookies",
    "auth",
    "security",
    "cors",
)


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the order the Explain tab lists categories."""
    import importlib

    rules: list[Rule] = []
    for name in _RULE_MODULES:
        module = importlib.import_module(f"explorer.core.explain.rules_{name}")
        rules.extend(module.RULES.rules)
    ids = [rule.id for rule in rules]
    duplicates = {rule_id for rule_id in ids if ids.count(rule_id) > 1}
    if duplicates:
        raise RuntimeError(f"explain rules registered twice: {sorted(duplicates)}")
    return tuple(rules)


def explain(facts: ExchangeFacts, silenced: Iterable[str] = ()) -> list[Finding]:
    """Every finding about `facts`, most serious first; rules in `silenced` (ids) are not
    run. A rule that fails on odd input is skipped: advice must never break a send."""
    quiet = set(silenced)
    findings: list[Finding] = []
    for rule in all_rules():
        if rule.id in quiet:
            continue
        try:
            notes = list(rule.check(facts))
        except Exception:  # noqa: BLE001 - one broken rule must not hide the others
            continue
        for note in notes:
            findings.append(
                Finding(rule, note.severity, note.summary, note.explanation, note.pointer)
            )
            if len(findings) >= MAX_FINDINGS:
                break
        if len(findings) >= MAX_FINDINGS:
            break
    findings.sort(key=lambda finding: finding.severity.rank)
    return findings
