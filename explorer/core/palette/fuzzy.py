"""Fuzzy matching as quick-open pickers do it (VS Code, fzf): the query's characters
must appear in the text in order, and a match scores higher when they fall on word
starts, in contiguous runs, at the very start, and in the same case.

Written here rather than taken from a library: rapidfuzz scores edit distance and
substring alignment but gives neither subsequence positions nor word-start bonuses,
which are what a picker ranks and highlights by. The work per text is a handful of
`str.find` calls (C speed) per query character, not a dynamic programme over every
character pair, so a few thousand texts take milliseconds. The price is that the
positions are found by a greedy walk that prefers word starts and runs (two candidate
walks, the better one kept), not by an exhaustive search for the very best alignment.

`Prepared` holds what can be computed once per text (its lower-case form and which
characters start a word), so an index prepares its texts when it is built and every
keystroke only walks them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_QUERY = 64  # characters of a query that are looked at; the rest is ignored
MAX_TERMS = 6  # space-separated terms of a query, each matched on its own
MAX_TEXT = 512  # characters of a text that are searched (labels and details are short)

# Scores, in the spirit of fzf's: every matched character is worth MATCH; starting a
# word adds BOUNDARY (twice for the first character of a term); a character that
# continues a run adds RUN; a gap between matched characters costs GAP_START plus
# GAP_EXTENSION per further skipped character (capped); matching at the very start of
# the text adds PREFIX; the same case as typed adds CASE.
MATCH = 16
BOUNDARY = 10
CAMEL = 8
RUN = 6
GAP_START = 3
GAP_EXTENSION = 1
MAX_GAP_COST = 15
PREFIX = 12
CASE = 1

_WORD_START = re.compile(
    # A letter or digit after anything else (or at the start), or a capital after a
    # small letter (the hump of userId): where a word starts.
    r"(?<![^\W_])[^\W_]|(?<=[a-z])[A-Z]"
)
NOT_START = "\x00"  # stands for "no word starts here" in Prepared.starts


def lower_same_length(text: str) -> str:
    """`text.lower()`, except that a character whose lower case is longer (İ) stays as
    it is, so that positions in the result are positions in `text`."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A text made ready for matching: `lower` is its lower case (same length) and
    `starts` the same with every character that does not start a word replaced by
    NOT_START, so that `starts.find(c)` finds the next word starting with c."""

    text: str
    lower: str
    starts: str

    @classmethod
    def of(cls, text: str) -> Prepared:
        text = text[:MAX_TEXT]
        return cls(text, lower_same_length(text), _word_starts(text))


def _word_starts(text: str) -> str:
    chars = [NOT_START] * len(text)
    for found in _WORD_START.finditer(text):
        chars[found.start()] = found.group()
    return lower_same_length("".join(chars))


@dataclass(frozen=True, slots=True)
class Match:
    """How well a query matched: higher `score` is better; `positions` are the indices
    of the matched characters in the text, ascending."""

    score: int
    positions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One space-separated part of a query, as typed and in lower case."""

    typed: str
    needle: str


def clean_query(query: str) -> list[Term]:
    """The query's terms: control characters dropped, at most MAX_QUERY characters and
    MAX_TERMS terms."""
    visible = "".join(c if c.isprintable() else " " for c in query[:MAX_QUERY])
    return [Term(t, lower_same_length(t)) for t in visible.split()[:MAX_TERMS]]


Scored = tuple[int, tuple[int, ...]]  # a score and the matched positions, ascending


def match_term(term: Term, prepared: Prepared, end: int | None = None) -> Scored | None:
    """Match one term (no spaces) against `prepared.text[:end]`: its score and
    positions, or None.

    Two walks are tried and the better kept: the first contiguous occurrence of the
    whole term that starts a word (or, failing that, the first one), and a subsequence
    walk that takes each character where a word starts unless it continues a run."""
    needle = term.needle
    lower, starts = prepared.lower, prepared.starts
    stop = len(lower) if end is None else end
    # From the end: the last place each character can take with the rest still fitting
    # after it (and, on the way, whether the term is a subsequence at all).
    size = len(needle)
    latest = [0] * size
    bound = stop
    for index in range(size - 1, -1, -1):
        bound = lower.rfind(needle[index], 0, bound)
        if bound < 0:
            return None
        latest[index] = bound
    first = needle[0]
    found = starts.find(first, 0, stop)
    while found >= 0 and not lower.startswith(needle, found, stop):
        found = starts.find(first, found + 1, stop)
    if found >= 0:  # a whole word-start run: no walk can beat it
        run = tuple(range(found, found + size))
        return _score(term.typed, prepared.text, starts, run), run
    best: Scored | None = None
    found = lower.find(needle, 0, stop)
    if found >= 0:
        run = tuple(range(found, found + size))
        best = _score(term.typed, prepared.text, starts, run), run
        if not first.isalnum():
            return best  # "/api": no walk starts on a word, so the run stays best
    if size > 1:
        walked = _walk(needle, lower, starts, latest)
        score = _score(term.typed, prepared.text, starts, walked)
        if best is None or score > best[0]:
            best = score, walked
    return best


def _walk(needle: str, lower: str, starts: str, latest: list[int]) -> tuple[int, ...]:
    """Each character at its next word start where the rest still fits after it (no
    later than `latest`), else at its next occurrence; a character right after the
    previous one is kept there (runs beat jumps)."""
    positions: list[int] = []
    at = 0
    previous = -2
    for index, c in enumerate(needle):
        chosen = lower.find(c, at, latest[index] + 1)  # found: latest[index] holds c
        if chosen != previous + 1 and starts[chosen] == NOT_START:
            start = starts.find(c, chosen + 1, latest[index] + 1)
            if start >= 0:
                chosen = start
        positions.append(chosen)
        previous = chosen
        at = chosen + 1
    return tuple(positions)


def _score(typed: str, text: str, starts: str, positions: tuple[int, ...]) -> int:
    score = 0
    previous = -2
    run_bonus = 0
    for n, position in enumerate(positions):
        bonus = 0
        if starts[position] != NOT_START:
            # A hump (userId) is worth a little less than a word after a space.
            bonus = CAMEL if position and text[position - 1].isalnum() else BOUNDARY
        if position == previous + 1:
            run_bonus = max(run_bonus, bonus, RUN)
            score += MATCH + run_bonus
        else:
            if n:
                score -= min(GAP_START + GAP_EXTENSION * (position - previous - 2), MAX_GAP_COST)
            run_bonus = bonus
            score += MATCH + (2 * bonus if n == 0 else bonus)
        if text[position] == typed[n]:
            score += CASE
        previous = position
    if positions[0] == 0:
        score += PREFIX
    return score


def match(query: str, prepared: Prepared, end: int | None = None) -> Match | None:
    """Match every term of `query` against the text (up to `end`); None when one term
    does not match. The scores add up; the positions are those of all terms, merged."""
    found = match_terms(clean_query(query), prepared, end)
    return None if found is None else Match(*found)


def match_terms(terms: Sequence[Term], prepared: Prepared, end: int | None = None) -> Scored | None:
    """`match` for a query already split by `clean_query`, as a plain pair."""
    if len(terms) == 1:
        return match_term(terms[0], prepared, end)
    total = 0
    positions: set[int] = set()
    for term in terms:
        found = match_term(term, prepared, end)
        if found is None:
            return None
        total += found[0]
        positions.update(found[1])
    return total, tuple(sorted(positions))
