"""What Find looks for in a document's bytes, and the fastest way to look for it.

Every way gives exactly the matches of `compile_query`'s pattern (leftmost,
non-overlapping):

- one needle and `bytes.find` (about 1.3-1.8 GB/s): when case matters, when nothing in
  the query has a case ("요청 200"), and for an ASCII query, on the window lowered with
  `bytes.lower`;
- a query with letters only a Unicode case fold matches ("Cafétéria"): `bytes.find` of
  an *anchor*, a run of 3 bytes or more that `bytes.lower` folds (ASCII, and characters
  without case), the one with the fewest hits in each window, then the pattern matched
  at the one place each hit allows. The pattern alone
  has no literal to skip to and ran at about 190 MB/s on such a query;
- the pattern alone otherwise: every letter cased and non-ASCII ("ЗАПРОС"), where the
  regex's own scan for the first byte was the fastest (about 800 MB/s), or letters whose
  cases differ in UTF-8 length (the dotless i and I), where a hit does not say where a match starts.

`bytes.lower` changes the bytes A-Z only, so offsets in a lowered window are offsets in
the text, and multi-byte UTF-8 is left alone. tests/bench/bench_find.py measures each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


def _variants(ch: str) -> list[bytes]:
    """The UTF-8 encodings a case-insensitive search accepts for `ch`."""
    variants = sorted({ch, ch.lower(), ch.upper()} - {""}, key=lambda v: (len(v), v))
    variants = [v for v in variants if len(v) == 1] or [ch]
    return [v.encode("utf-8") for v in variants]


def compile_query(query: str, case_sensitive: bool) -> tuple[re.Pattern[bytes], int]:
    """A bytes pattern for the query and the longest match it can produce, in bytes.

    Case-insensitive search folds non-ASCII letters too: each letter becomes an
    alternation of its lower- and upper-case UTF-8 encodings.
    """
    if case_sensitive:
        raw = query.encode("utf-8")
        return re.compile(re.escape(raw)), len(raw)
    parts, longest = [], 0
    for ch in query:
        encoded = _variants(ch)
        longest += max(len(e) for e in encoded)
        if len(encoded) == 1:
            parts.append(re.escape(encoded[0]))
        else:
            parts.append(b"(?:" + b"|".join(re.escape(e) for e in encoded) + b")")
    return re.compile(b"".join(parts)), longest


MIN_RUN = 3  # bytes: a shorter foldable run makes a poor needle


@dataclass(frozen=True)
class Anchor:
    """A needle found with `bytes.find` on the lowered window; a match starts `before`
    bytes ahead of a hit."""

    needle: bytes
    before: int


MAX_ANCHORS = 4  # runs counted in each window to pick the rarest
SAMPLE = 64 << 10  # bytes of a window in which they are counted


def anchors_of(query: str) -> tuple[Anchor, ...]:
    """The anchors of a case-insensitive non-ASCII query: its runs of characters
    `bytes.lower` folds that are 3 bytes or more, longest first. None when there are
    none, or when its letters' cases differ in length (then a hit does not say where a
    match starts)."""
    variants = [_variants(ch) for ch in query]
    if any(len({len(v) for v in chars}) > 1 for chars in variants):
        return ()
    widths = [len(chars[0]) for chars in variants]
    # `bytes.lower` folds a character when it is ASCII or has no case at all.
    foldable = [ch.isascii() or len(chars) == 1 for ch, chars in zip(query, variants, strict=True)]
    runs: list[tuple[int, Anchor]] = []
    first: int | None = None
    for index, ok in enumerate([*foldable, False]):
        if ok and first is None:
            first = index
        elif not ok and first is not None:
            length = sum(widths[first:index])
            # A byte or two ("a" of "éa") hits nearly everywhere; and where every
            # letter is cased ("ЗАПРОС"), the regex's own scan was the fastest.
            if length >= MIN_RUN:
                anchor = Anchor(_lower_ascii(query[first:index]), sum(widths[:first]))
                runs.append((length, anchor))
            first = None
    runs.sort(key=lambda run: -run[0])
    return tuple(anchor for _length, anchor in runs[:MAX_ANCHORS])


def _lower_ascii(text: str) -> bytes:
    return "".join(ch.lower() if ch.isascii() else ch for ch in text).encode("utf-8")


@dataclass(frozen=True)
class FindQuery:
    """A compiled query: `matches(window, cut)` yields its matches in a window."""

    pattern: re.Pattern[bytes]
    longest: int  # bytes of the longest match (windows overlap by one less)
    needle: bytes | None  # the whole query as one literal …
    lowered: bool  # … looked for in the lowered window
    anchors: tuple[Anchor, ...]

    @classmethod
    def compile(cls, query: str, case_sensitive: bool) -> FindQuery:
        pattern, longest = compile_query(query, case_sensitive)
        if case_sensitive or all(len(_variants(ch)) == 1 for ch in query):
            # Case matters, or nothing has a case ("요청 200"): the bytes as they are.
            return cls(pattern, longest, query.encode("utf-8"), False, ())
        if query.isascii():
            return cls(pattern, longest, query.lower().encode("ascii"), True, ())
        return cls(pattern, longest, None, False, anchors_of(query))

    @property
    def literal(self) -> bool:
        """True when `bytes.find` does the scanning (large windows pay off)."""
        return self.needle is not None or bool(self.anchors)

    def matches(self, data: bytes, cut: int) -> Iterator[tuple[int, int]]:
        """Non-overlapping (start, end) of the query in `data` that start before `cut`."""
        if self.needle is not None:
            needle = self.needle
            haystack = data.lower() if self.lowered else data
            at = haystack.find(needle)
            while 0 <= at < cut:
                yield at, at + len(needle)
                at = haystack.find(needle, at + len(needle))
            return
        if self.anchors:
            yield from self._anchored(data, cut)
            return
        for match in self.pattern.finditer(data):
            if match.start() >= cut:
                break
            if match.end() > match.start():
                yield match.start(), match.end()

    def _anchored(self, data: bytes, cut: int) -> Iterator[tuple[int, int]]:
        haystack = data.lower()
        # The rarest run in the window's first 64 KiB ("ria" of "Cafétéria" where
        # "café" is common): counting that is cheap next to matching at every hit.
        anchor = self.anchors[0]
        if len(self.anchors) > 1:
            anchor = min(self.anchors, key=lambda a: haystack.count(a.needle, 0, SAMPLE))
        free = 0  # where the next match may start (they do not overlap)
        # Hits nearly everywhere ("éé" in a run of "é") would cost more than the regex:
        # past this many, the regex scans the rest of the window.
        budget = max(1024, len(data) >> 5)
        for count, at in enumerate(_hits(haystack, anchor.needle)):
            if count > budget:
                for match in self.pattern.finditer(data, free):
                    if match.start() >= cut:
                        return
                    yield match.start(), match.end()
                return
            start = at - anchor.before
            if start >= cut:
                return
            if start < free:
                continue
            found = self.pattern.match(data, start)
            if found is not None:
                yield start, found.end()
                free = found.end()


def _hits(haystack: bytes, needle: bytes) -> Iterator[int]:
    at = haystack.find(needle)
    while at >= 0:
        yield at
        at = haystack.find(needle, at + 1)
