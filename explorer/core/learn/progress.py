"""What a learner has done: the lessons read, the tries sent, whether the path was offered
at a first start, and the language chosen. A small JSON file in the app's data folder.

It is written atomically (`core/atomic`) and bounded when read (file size, counts); a
file that cannot be read is renamed aside (never deleted) and a fresh start is made, with
one line saying so: losing a tick mark must never stop the app.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from explorer.core.atomic import make_private_dir, set_aside, write_bytes_atomic
from explorer.core.paths import data_dir

PROGRESS_FILE = "learn-progress.json"
VERSION = 1
MAX_FILE_BYTES = 64 * 1024
MAX_LESSONS = 200  # lessons remembered (the path has 14)
MAX_TRIES = 64  # tries remembered per lesson
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_LANGUAGE = re.compile(r"[a-z]{2}")


@dataclass(frozen=True)
class Progress:
    """The learner's progress; every change makes a new value."""

    read: frozenset[str] = frozenset()
    tried: dict[str, frozenset[int]] = field(default_factory=dict)  # slug -> try numbers
    offered: bool = False  # the first-start offer was shown
    language: str = "en"
    current: str = ""  # the lesson shown last

    def with_read(self, slug: str) -> Progress:
        if slug in self.read or len(self.read) >= MAX_LESSONS:
            return self
        return replace(self, read=self.read | {slug})

    def with_tried(self, slug: str, index: int) -> Progress:
        done = self.tried.get(slug, frozenset())
        if index in done or len(done) >= MAX_TRIES:
            return self
        if slug not in self.tried and len(self.tried) >= MAX_LESSONS:
            return self
        return replace(self, tried={**self.tried, slug: done | {index}})

    def tried_in(self, slug: str) -> frozenset[int]:
        return self.tried.get(slug, frozenset())

    def to_json(self) -> bytes:
        document = {
            "version": VERSION,
            "language": self.language,
            "offered": self.offered,
            "current": self.current,
            "read": sorted(self.read),
            "tried": {slug: sorted(done) for slug, done in sorted(self.tried.items()) if done},
        }
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Progress:
        """The progress in `data`; ValueError (one line) when it is not a progress file."""
        if len(data) > MAX_FILE_BYTES:
            raise ValueError(f"larger than {MAX_FILE_BYTES // 1024} KiB")
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise ValueError(f"not JSON ({error})") from None
        if not isinstance(document, dict) or document.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} progress file")
        language = document.get("language", "en")
        current = document.get("current", "")
        offered = document.get("offered", False)
        read = document.get("read", [])
        tried = document.get("tried", {})
        if not isinstance(language, str) or not _LANGUAGE.fullmatch(language):
            raise ValueError("its language is not a language code")
        if not isinstance(current, str) or (current and not _SLUG.fullmatch(current)):
            raise ValueError("its current lesson is not a lesson's name")
        if not isinstance(offered, bool):
            raise ValueError("its offered flag is not true or false")
        if not isinstance(read, list) or len(read) > MAX_LESSONS:
            raise ValueError(f"its read lessons are not a list of at most {MAX_LESSONS}")
        if not all(isinstance(slug, str) and _SLUG.fullmatch(slug) for slug in read):
            raise ValueError("its read lessons are not lessons' names")
        if not isinstance(tried, dict) or len(tried) > MAX_LESSONS:
            raise ValueError(f"its tries are not a mapping of at most {MAX_LESSONS} lessons")
        tries: dict[str, frozenset[int]] = {}
        for slug, numbers in tried.items():
            if not _SLUG.fullmatch(slug) or not isinstance(numbers, list):
                raise ValueError("its tries are not lists by lesson")
            if len(numbers) > MAX_TRIES or not all(_is_index(n) for n in numbers):
                raise ValueError(f"its tries of {slug} are not at most {MAX_TRIES} numbers")
            tries[slug] = frozenset(numbers)
        return cls(frozenset(read), tries, offered, language, current)


def _is_index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10_000


@dataclass(frozen=True)
class Loaded:
    """What reading the progress file found."""

    progress: Progress
    existed: bool  # a progress file was there (read or set aside)
    problem: str = ""  # one line when it could not be read and was set aside


def progress_path() -> Path:
    """The progress file in the app's data folder."""
    return data_dir() / PROGRESS_FILE


def read_progress(path: Path | None = None) -> Loaded:
    """The progress at `path` (by default `progress_path()`): a fresh one when there is no
    file; one that cannot be read is renamed aside and said in `problem`."""
    target = path if path is not None else progress_path()
    try:
        with target.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return Loaded(Progress(), existed=False)
    except OSError as error:
        return Loaded(Progress(), True, f"Learning progress not read: {error.strerror}.")
    try:
        return Loaded(Progress.from_json(data), existed=True)
    except ValueError as error:
        reason = str(error)
    try:
        aside = set_aside(target)
    except OSError as error:
        return Loaded(
            Progress(), True, f"Learning progress unreadable ({reason}) and not moved aside "
            f"({error.strerror}): starting afresh."
        )  # fmt: skip
    return Loaded(
        Progress(), True, f"Learning progress unreadable ({reason}): kept as {aside.name}, "
        "starting afresh."
    )  # fmt: skip


def write_progress(progress: Progress, path: Path | None = None) -> None:
    """Write `progress` atomically (0600), creating the data folder when needed."""
    target = path if path is not None else progress_path()
    make_private_dir(target.parent)
    write_bytes_atomic(target, progress.to_json())
