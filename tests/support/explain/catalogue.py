"""The rule catalogue of docs/EXPLAIN.md, made from `explorer.core.explain.all_rules()`.

One table per category: rule id, the severities it can report, title, references,
lesson and REDbot's equivalent (from tests/support/explain/redbot_map.py); and the tables of
REDbot's active checks and of the known differences of the comparison with REDbot. The
doc keeps each between two markers; tests/test_explain_doc.py fails when one is not
current.

    python -m tests.support.explain.catalogue          # print the tables
    python -m tests.support.explain.catalogue --write  # rewrite them in docs/EXPLAIN.md
"""

from __future__ import annotations

import contextlib
import inspect
import re
import sys
from pathlib import Path

from explorer.core.explain import Rule, all_rules
from explorer.core.explain.findings import Category, Severity
from tests.support.explain.redbot_map import (
    ACTIVE,
    KNOWN,
    OURS_NARROWER,
    REDBOT_NARROWER,
    TIMING_DEPENDENT,
    redbot_equivalent,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "EXPLAIN.md"
_SEVERITY = re.compile(r"Severity\.(ERROR|WARNING|INFO)\b")


def _sources(check: object) -> str:
    """The check's source, and that of the functions of its module it calls (a check
    often words its notes in a helper)."""
    try:
        source = inspect.getsource(check)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""
    module = inspect.getmodule(check)
    code = getattr(check, "__code__", None)
    for name in code.co_names if code else ():
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == getattr(module, "__name__", ""):
            with contextlib.suppress(OSError, TypeError):
                source += inspect.getsource(helper)
    return source


def severities(rule: Rule) -> str:
    """The severities the rule's check can report, read from its source and its
    helpers' ("warning", "info–warning"), most serious last; "—" when none is named."""
    found = {Severity[name] for name in _SEVERITY.findall(_sources(rule.check))}
    if not found:
        return "—"
    ordered = sorted(found, key=lambda severity: -severity.rank)
    return "–".join(severity.value for severity in ordered)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _references(rule: Rule) -> str:
    return "; ".join(f"[{_cell(ref.label)}]({ref.url})" for ref in rule.references) or "—"


def catalogue() -> str:
    """The Markdown tables, one per category, in the order the Explain tab lists them."""
    rules = all_rules()
    out: list[str] = []
    for category in Category:
        chosen = [rule for rule in rules if rule.category is category]
        if not chosen:
            continue
        out += [
            f"### {category.value}",
            "",
            "| Rule | Severity | Title | References | Lesson | REDbot |",
            "|---|---|---|---|---|---|",
        ]
        for rule in chosen:
            out.append(
                f"| `{rule.id}` | {severities(rule)} | {_cell(rule.title)} | "
                f"{_references(rule)} | {rule.lesson or '—'} | {redbot_equivalent(rule.id)} |"
            )
        out.append("")
    total = len(rules)
    out.append(f"{total} rules in {len({rule.category for rule in rules})} categories.")
    return "\n".join(out)


def active_checks() -> str:
    """REDbot's notes from requests of its own, and the rule that covers the same ground
    from the response the user got."""
    out = ["| REDbot note | What REDbot does | Our rule |", "|---|---|---|"]
    for name, (rule_id, how) in ACTIVE.items():
        out.append(f"| `{name}` | {_cell(how)} | {f'`{rule_id}`' if rule_id else '—'} |")
    return "\n".join(out)


def known_differences() -> str:
    """Where the explainer and REDbot differ on purpose, and why: rules whose scope is
    not the notes', then single responses."""
    out = ["| Rule | Where | Why |", "|---|---|---|"]
    for rule_id, pair in sorted(REDBOT_NARROWER.items()):
        notes = ", ".join(f"`{name}`" for name in sorted(pair.notes))
        out.append(f"| `{rule_id}` | more than {notes} | {_cell(pair.why)} |")
    for rule_id, pair in sorted(OURS_NARROWER.items()):
        notes = ", ".join(f"`{name}`" for name in sorted(pair.notes))
        out.append(f"| `{rule_id}` | less than {notes} | {_cell(pair.why)} |")
    for (rule_id, label), why in sorted({**KNOWN, **TIMING_DEPENDENT}.items()):
        out.append(f"| `{rule_id}` | {_cell(label)} | {_cell(why)} |")
    return "\n".join(out)


def sections() -> dict[str, str]:
    """Every generated part of the doc, by the name its markers carry."""
    return {"rules": catalogue(), "active": active_checks(), "known": known_differences()}


def start(name: str) -> str:
    return f"<!-- generated:{name} (python -m tests.support.explain.catalogue --write) -->"


def end(name: str) -> str:
    return f"<!-- end:{name} -->"


def documented(text: str, name: str) -> str:
    """What the doc holds between the markers of `name` ("" when they are missing)."""
    if start(name) not in text or end(name) not in text:
        return ""
    return text.split(start(name), 1)[1].split(end(name), 1)[0].strip("\n")


def write(path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8")
    for name, body in sections().items():
        before, rest = text.split(start(name), 1)
        after = rest.split(end(name), 1)[1]
        text = f"{before}{start(name)}\n{body}\n{end(name)}{after}"
    path.write_text(text, encoding="utf-8")


def main(arguments: list[str]) -> int:
    if arguments == ["--write"]:
        write()
    else:
        print("\n\n".join(sections().values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
