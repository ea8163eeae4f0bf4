"""What the explainer says about one HTTP exchange: findings, their rules and references.

A *rule* is one thing worth knowing about HTTP (a 201 should say where the new resource
is); a *finding* is that rule applied to one exchange, worded for it ("201 Created, but
no Location header"). Findings never block anything: they are advice, silenced per rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from explorer.core.explain.facts import ExchangeFacts


class Severity(StrEnum):
    """How much a finding matters, as REDbot grades its notes (bad, warning, info)."""

    ERROR = "error"  # breaks the protocol: clients or caches will misbehave
    WARNING = "warning"  # allowed but risky, or a common mistake with a known cost
    INFO = "info"  # worth knowing, nothing to fix

    @property
    def rank(self) -> int:
        """0 for the most serious, for sorting."""
        return list(Severity).index(self)


class Category(StrEnum):
    """The part of HTTP a rule is about, as the Explain tab groups findings."""

    STATUS = "Status"
    CONTENT = "Content"
    CACHING = "Caching"
    CONDITIONAL = "Conditional requests"
    COOKIES = "Cookies"
    SECURITY = "Security headers"
    CORS = "CORS"
    PROBLEM = "Problem details"
    REDIRECTS = "Redirects"
    TIMING = "Timing"
    AUTH = "Authentication"


@dataclass(frozen=True)
class Reference:
    """A section of a specification, e.g. RFC 9110 §15.3.2 "201 Created"."""

    document: str  # "RFC 9110", "Fetch"
    section: str  # "15.3.2", "" for the whole document
    title: str
    url: str

    @property
    def label(self) -> str:
        where = f" §{self.section}" if self.section else ""
        return f"{self.document}{where} {self.title}".strip()


PointerKind = Literal["status", "header", "cookie", "body", "timing", "redirects", "explain"]


@dataclass(frozen=True)
class Pointer:
    """A part of a response to show: the status line, a header by name, a cookie by name,
    the body (`name` a JSONPath, may be empty), a timing phase ("dns", "connect", "tls",
    "send", "wait", "download"), the redirect chain, or a finding of the Explain tab
    (`name` a rule id). Lessons point with it too ("look at the ETag")."""

    kind: PointerKind
    name: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}" if self.name else self.kind

    @classmethod
    def parse(cls, text: str) -> Pointer:
        """ "header:ETag" → Pointer("header", "ETag"); ValueError for an unknown kind."""
        kind, _, name = text.strip().partition(":")
        kind = kind.strip()
        if kind not in _POINTER_KINDS:
            raise ValueError(f"unknown response part {kind!r} (expected one of {_KINDS_TEXT})")
        return cls(kind, name.strip())  # type: ignore[arg-type]


_POINTER_KINDS = ("status", "header", "cookie", "body", "timing", "redirects", "explain")
_KINDS_TEXT = ", ".join(_POINTER_KINDS)


@dataclass(frozen=True)
class Note:
    """What one check says about one exchange, in words specific to it."""

    severity: Severity
    summary: str  # one line: "201 Created, but no Location header"
    explanation: str  # plain sentences: why it matters and what to do
    pointer: Pointer | None = None


Check = Callable[["ExchangeFacts"], Iterable[Note]]


@dataclass(frozen=True)
class Rule:
    """One rule: a stable id (what a user silences), a title for lists, the sections of
    the specifications it rests on, the lesson that teaches it, and the check."""

    id: str  # "status.created-without-location": category.kebab-name, never renamed
    category: Category
    title: str
    references: tuple[Reference, ...]
    lesson: str | None
    check: Check = field(repr=False, compare=False)


@dataclass(frozen=True)
class Finding:
    """A rule's note about one exchange: what the Explain tab and the reports show."""

    rule: Rule
    severity: Severity
    summary: str
    explanation: str
    pointer: Pointer | None = None

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON reports."""
        return {
            "rule": self.rule.id,
            "category": self.rule.category.value,
            "severity": self.severity.value,
            "summary": self.summary,
            "explanation": self.explanation,
            "references": [{"label": ref.label, "url": ref.url} for ref in self.rule.references],
            "lesson": self.rule.lesson,
            "pointer": str(self.pointer) if self.pointer else None,
        }


class RuleSet:
    """The rules of one module, registered with a decorator:

    RULES = RuleSet(Category.STATUS)

    @RULES.rule("status.created-without-location", "201 Created without Location",
                references=(rfc(9110, "15.3.2", "201 Created"),), lesson="http-methods")
    def created_without_location(facts: ExchangeFacts) -> Iterator[Note]:
        if facts.status == 201 and not facts.header("Location"):
            yield Note(Severity.WARNING, "...", "...", Pointer("status"))
    """

    def __init__(self, category: Category) -> None:
        self.category = category
        self.rules: list[Rule] = []

    def rule(
        self,
        rule_id: str,
        title: str,
        *,
        references: tuple[Reference, ...] = (),
        lesson: str | None = None,
    ) -> Callable[[Check], Check]:
        prefix = _CATEGORY_PREFIX[self.category]
        if not rule_id.startswith(prefix + "."):
            raise ValueError(f"rule {rule_id!r} must start with {prefix!r}.")

        def register(check: Check) -> Check:
            self.rules.append(Rule(rule_id, self.category, title, references, lesson, check))
            return check

        return register


_CATEGORY_PREFIX = {
    Category.STATUS: "status",
    Category.CONTENT: "content",
    Category.CACHING: "caching",
    Category.CONDITIONAL: "conditional",
    Category.COOKIES: "cookies",
    Category.SECURITY: "security",
    Category.CORS: "cors",
    Category.PROBLEM: "problem",
    Category.REDIRECTS: "redirects",
    Category.TIMING: "timing",
    Category.AUTH: "auth",
}
