"""The command palette's index: every request, history entry, environment and menu
command as an `Entry`, searched by fuzzy match (`fuzzy`), best first.

An entry is matched on its label first (a request's name, a command's text); only when
the label cannot hold the query is the label and detail together tried (collection ▸
folder, method and URL, a history entry's status and time), for a lower score. A kind
prefix typed before the query (">" commands, as in VS Code) limits the search to one
kind. Everything here is plain data built once per palette opening (requests and
commands) or per history load, so a keystroke only walks prepared strings.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path

from explorer.core.palette.fuzzy import (
    MAX_QUERY,
    Prepared,
    Scored,
    Term,
    clean_query,
    match_term,
    match_terms,
)

RESULTS = 50  # rows a search returns
HISTORY_ENTRIES = 2000  # the newest history entries the palette searches
DETAIL_PENALTY = 24  # a match that needs the detail ranks below one in the label
SEPARATOR = "\n"  # between label and detail in the matched text; never typed


class Kind(Enum):
    """What an entry opens. The value is its label in the list."""

    REQUEST = "Request"
    HISTORY = "History"
    ENVIRONMENT = "Environment"
    ACTION = "Command"


# Typed first, a prefix limits the search to one kind (shown in the empty-query hint).
PREFIXES = {">": Kind.ACTION, "#": Kind.HISTORY, "@": Kind.ENVIRONMENT, ":": Kind.REQUEST}
# At an equal match, a saved request comes before a history entry of the same URL.
KIND_BONUS = {Kind.REQUEST: 4, Kind.ACTION: 2, Kind.ENVIRONMENT: 2, Kind.HISTORY: 0}


@dataclass(frozen=True)
class RequestTarget:
    root: Path
    rel: str


@dataclass(frozen=True)
class HistoryTarget:
    entry_id: int


@dataclass(frozen=True)
class EnvironmentTarget:
    key: object  # what the environment selector knows the environment by


@dataclass(frozen=True)
class ActionTarget:
    key: object  # the window's handle on the command


Target = RequestTarget | HistoryTarget | EnvironmentTarget | ActionTarget


@dataclass(frozen=True, eq=False)
class Entry:
    """One row the palette can show: `label` and `detail` are shown and matched,
    `hint` (a shortcut) and `tag` (a method, a status) only shown."""

    kind: Kind
    label: str
    detail: str
    target: Target
    hint: str = ""
    tag: str = ""
    prepared: Prepared = field(init=False, repr=False)
    bonus: int = field(init=False, repr=False)  # KIND_BONUS of its kind, looked up once

    def __post_init__(self) -> None:
        object.__setattr__(self, "prepared", Prepared.of(self.label + SEPARATOR + self.detail))
        object.__setattr__(self, "bonus", KIND_BONUS[self.kind])


@dataclass(frozen=True)
class Result:
    """An entry found by a query, with the positions to highlight in each text."""

    entry: Entry
    score: int
    label_positions: tuple[int, ...] = ()
    detail_positions: tuple[int, ...] = ()


def split_prefix(query: str) -> tuple[Kind | None, str]:
    """The kind a leading prefix asks for (or None) and the rest of the query."""
    stripped = query[:MAX_QUERY].lstrip()
    if stripped[:1] in PREFIXES:
        return PREFIXES[stripped[0]], stripped[1:]
    return None, stripped


def score_entry(entry: Entry, terms: Sequence[Term]) -> Result | None:
    """Match a query (its terms, no prefix) against one entry."""
    found = _match(entry, terms)
    return None if found is None else _result(entry, *found)


def _match(entry: Entry, terms: Sequence[Term]) -> Scored | None:
    """The score of an entry for `terms` (kind bonus and detail penalty included) and
    its matched positions in label + SEPARATOR + detail.

    The label and detail are matched as one text: the walk goes left to right, so a
    term that the label holds is found there first."""
    found = match_terms(terms, entry.prepared)
    if found is None:
        return None
    score, positions = found
    if positions and positions[-1] >= len(entry.label):
        score -= DETAIL_PENALTY
    return score + entry.bonus, positions


def _result(entry: Entry, score: int, positions: tuple[int, ...]) -> Result:
    label_end = len(entry.label)
    detail_start = label_end + len(SEPARATOR)
    return Result(
        entry,
        score,
        tuple(p for p in positions if p < label_end),
        tuple(p - detail_start for p in positions if p >= detail_start),
    )


_NOTHING: Scored = (0, ())
# A match kept for the next keystroke: final score, -label length, -order (the sort
# key), the entry, the last term's positions, the score and positions of the terms
# before it, and the score of all terms without kind bonus or detail penalty. The two
# sets of positions are merged only for the rows shown and when a term is begun.
_Found = tuple[int, int, int, "Entry", tuple[int, ...], Scored, int]


@dataclass(frozen=True)
class _Typed:
    """The last search, for the next keystroke."""

    query: str
    terms: list[Term]
    found: list[_Found]


def _merge(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    if not first:
        return second
    return tuple(sorted(set(first).union(second)))


class PaletteIndex:
    """The entries of each kind, searched together or one kind at a time.

    Typing usually extends the query: every entry that matches "user" also matches
    "use", so a search for a query that extends the previous one walks only the
    previous one's matches, and matches only the term being typed."""

    def __init__(self) -> None:
        self._entries: dict[Kind, list[Entry]] = {kind: [] for kind in Kind}
        self.recent: list[Entry] = []  # chosen in this session, newest first
        self._last: _Typed | None = None
        self.matched = 0  # how many entries the last search matched (it returns `limit`)

    def set_entries(self, kind: Kind, entries: Iterable[Entry]) -> None:
        self._entries[kind] = list(entries)
        self._last = None

    def entries(self, kind: Kind) -> Sequence[Entry]:
        return self._entries[kind]

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._entries.values())

    def remember(self, entry: Entry, keep: int = 8) -> None:
        """Put a chosen entry at the top of what an empty query shows."""
        same = [e for e in self.recent if e.kind is entry.kind and e.target == entry.target]
        self.recent = [entry, *[e for e in self.recent if e not in same][: keep - 1]]

    def search(self, query: str, limit: int = RESULTS) -> list[Result]:
        """The best `limit` entries for `query`, best first (ties: shorter label first,
        then in index order). An empty query lists the recent choices, then the
        newest history entries, then the environments and the commands (or one kind's
        entries with a prefix)."""
        query = query[:MAX_QUERY]
        kind, rest = split_prefix(query)
        terms = clean_query(rest)
        if not terms:
            self._last = None
            self.matched = 0
            return self._browse(kind, limit)
        last = terms[-1]
        found: list[_Found] = []
        append = found.append
        order = 0
        for entry, settled in self._settled(query, terms):
            order -= 1
            scored = match_term(last, entry.prepared)
            if scored is None:
                continue
            raw = settled[0] + scored[0]
            positions = scored[1]
            label = len(entry.label)
            final = raw + entry.bonus
            if positions[-1] >= label or (settled[1] and settled[1][-1] >= label):
                final -= DETAIL_PENALTY
            append((final, -label, order, entry, positions, settled, raw))
        self._last = _Typed(query, terms, found)
        self.matched = len(found)
        best = heapq.nlargest(limit, found, key=lambda item: item[:3])
        return [_result(item[3], item[0], _merge(item[5][1], item[4])) for item in best]

    def _settled(self, query: str, terms: list[Term]) -> Iterable[tuple[Entry, Scored]]:
        """Each entry that can match `query`, with the score and positions of every
        term but the last, which is all a keystroke usually changes.

        When `query` extends the previous query, only that query's matches can match
        it (each term matches a subsequence of what it matched before), and the terms
        before the last were already matched: the same ones (the last term grew), or
        all of them (a new term was begun)."""
        last = self._last
        if last is not None and query.startswith(last.query):
            if terms[:-1] == last.terms[:-1]:
                return [(item[3], item[5]) for item in last.found]
            if terms[:-1] == last.terms:
                return [(item[3], (item[6], _merge(item[5][1], item[4]))) for item in last.found]
        kind, _ = split_prefix(query)
        kinds = [kind] if kind is not None else list(Kind)
        if len(terms) == 1:
            return [(entry, _NOTHING) for each in kinds for entry in self._entries[each]]
        earlier = terms[:-1]
        pairs = []
        for each in kinds:
            for entry in self._entries[each]:
                settled = match_terms(earlier, entry.prepared)
                if settled is not None:
                    pairs.append((entry, settled))
        return pairs

    def _browse(self, kind: Kind | None, limit: int) -> list[Result]:
        if kind is not None:
            return [Result(e, 0) for e in self._entries[kind][:limit]]
        shown: list[Entry] = list(self.recent)
        shown += self._entries[Kind.HISTORY][:8]
        shown += self._entries[Kind.ENVIRONMENT][:8]
        shown += self._entries[Kind.ACTION]
        unique = list(dict.fromkeys(shown))
        return [Result(e, 0) for e in unique[:limit]]


# ---- building entries from plain data ---------------------------------------------------


def request_entry(
    root: Path, rel: str, name: str, method: str, url: str, where: Sequence[str]
) -> Entry:
    """A saved request: its name; collection ▸ folders, method and path as detail (a
    leading {{base_url}} or scheme and host left out: they say little and would match
    half of every query)."""
    place = " ▸ ".join(where)
    path = split_url(url)[1]
    label = name.strip() or f"{method} {path}".strip() or rel
    return Entry(
        Kind.REQUEST,
        label,
        f"{place} · {method} {path}".strip(" ·"),
        RequestTarget(root, rel),
        tag=method,
    )


def history_entry(
    entry_id: int,
    method: str,
    url: str,
    status: int,
    timestamp: float,
    now: datetime | None = None,
    sends: int = 1,
) -> Entry:
    """A history entry: method and path; status, when it was sent and where to as
    detail, and how many sends of the same method and URL it stands for."""
    sent = datetime.fromtimestamp(timestamp)
    now = now or datetime.now()
    when = sent.strftime("%H:%M") if sent.date() == now.date() else sent.strftime("%d %b %H:%M")
    outcome = str(status) if status else "failed"
    origin, path = split_url(url)
    return Entry(
        Kind.HISTORY,
        f"{method} {path}",
        " · ".join(
            part for part in (outcome, when, origin, f"{sends} sends" if sends > 1 else "") if part
        ),
        HistoryTarget(entry_id),
        tag=outcome,
    )


def environment_entry(label: str, where: str, key: object) -> Entry:
    """An environment as the selector shows it, with where it lives."""
    return Entry(Kind.ENVIRONMENT, label, where, EnvironmentTarget(key))


def action_entry(text: str, menu_path: Sequence[str], shortcut: str, key: object) -> Entry:
    """A menu command: its text without mnemonics; the menu it is in; its shortcut."""
    return Entry(
        Kind.ACTION,
        strip_mnemonic(text),
        " ▸ ".join(strip_mnemonic(m) for m in menu_path),
        ActionTarget(key),
        hint=shortcut,
    )


def split_url(url: str) -> tuple[str, str]:
    """A URL as its origin ("{{base_url}}", "https://host:port") and the rest."""
    url = url.strip()
    if url.startswith("{{"):
        end = url.find("}}")
        if end > 0:
            return url[: end + 2], url[end + 2 :] or "/"
    scheme = url.find("://")
    if 0 < scheme < 12:
        slash = url.find("/", scheme + 3)
        return (url, "/") if slash < 0 else (url[:slash], url[slash:])
    return "", url


def strip_mnemonic(text: str) -> str:
    """A menu text as read: "&Save request" -> "Save request", "&&" -> "&"."""
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")
