"""The lessons, read from the practice server's own `data/lessons.yaml`, so the window and
the server's pages never say different things.

The file is found with `importlib.util.find_spec("bundled_server")`, which locates the
package without running it (running it would import Flask into the window's process).
Reading is bounded (file size, counts, text lengths) and cached on the file's size and
modification time; a file that does not have the expected shape gives one `LessonsError`
naming where (`$.cacheability.tries[1].look_at`), never a traceback.

The shape (see HELPERS.md of issue #16 and the file's own header):

    slug:
      en: {title, summary, paragraphs: [text, …]}
      ko: {title, summary, paragraphs: [text, …]}
      tries:
        - method, path, headers: ["Name: value", …], body,
          expect: {en, ko}, goal: {en, ko},         (goal optional)
          look_at: "header:ETag",                    (optional: a response Pointer)
          capture: {etag: "header:ETag", …}          (optional: values later tries use
                                                      as {{etag}})
          follow_redirects: false                    (optional: show the 3xx itself)
"""

from __future__ import annotations

import functools
import html
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.explain.findings import Pointer
from explorer.core.graphql.interchange import json_body_as_graphql
from explorer.core.model import (
    Body,
    BodyKind,
    Capture,
    MessageKind,
    Options,
    Pair,
    Request,
    SavedMessage,
    Stream,
    Subject,
    is_websocket,
)

LANGUAGES = ("en", "ko")  # what every lesson is written in; English first
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}

# Bounds: the real file is about 60 KB with 14 lessons of a few tries each.
MAX_FILE_BYTES = 1024 * 1024
MAX_LESSONS = 64
MAX_PARAGRAPHS = 40
MAX_TRIES = 24
MAX_HEADERS = 32
MAX_CAPTURES = 16
MAX_TEXT = 16_000  # characters of one title, paragraph, body or expectation

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_METHOD = re.compile(r"[A-Z]{1,16}")
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*\}\}")
_CODE = re.compile(r"`([^`]+)`")

# What a capture may read, as a Pointer kind: the capture row's subject.
_CAPTURE_SUBJECTS = {
    "status": Subject.STATUS,
    "header": Subject.HEADER,
    "cookie": Subject.COOKIE,
    "body": Subject.JSONPATH,  # "body:" alone: the whole body (Subject.BODY)
    "redirects": Subject.REDIRECTS,
}


class LessonsError(Exception):
    """The lessons cannot be read: one line that says what and where."""


@dataclass(frozen=True)
class Attempt:
    """One example request of a lesson (a "try"), in one language."""

    index: int  # 1-based, as the panel and the tab's name count them
    method: str
    path: str  # starts with "/"; may hold {{name}} of an earlier try's capture
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    expect: str = ""  # what the learner should see; `code` spans
    goal: str = ""  # what to do or notice first (optional)
    look_at: Pointer | None = None  # the part of the response the lesson talks about
    captures: tuple[tuple[str, Pointer], ...] = ()  # (variable, what it reads)
    follow_redirects: bool = True  # False: the redirect itself is the lesson

    def uses(self) -> tuple[str, ...]:
        """The {{names}} this try sends, each once, in order."""
        texts = [self.path, self.body, *(f"{n}: {v}" for n, v in self.headers)]
        found = [m.group(1) for text in texts for m in _VARIABLE.finditer(text)]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Lesson:
    """One lesson in one language."""

    slug: str
    title: str
    summary: str
    paragraphs: tuple[str, ...] = ()
    attempts: tuple[Attempt, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """Every lesson in teaching order, in each language."""

    slugs: tuple[str, ...]
    by_language: Mapping[str, tuple[Lesson, ...]] = field(repr=False)

    def lessons(self, language: str) -> tuple[Lesson, ...]:
        """The lessons in `language` (English for a language there is none in)."""
        return self.by_language.get(language) or self.by_language[LANGUAGES[0]]

    def lesson(self, slug: str, language: str) -> Lesson | None:
        lessons = self.lessons(language)
        return lessons[self.slugs.index(slug)] if slug in self.slugs else None

    def position(self, slug: str) -> int:
        """0-based place of `slug` in the path; -1 when there is no such lesson."""
        return self.slugs.index(slug) if slug in self.slugs else -1


def lessons_file() -> Path:
    """Where the practice server keeps its lessons; LessonsError when it is not installed."""
    try:
        spec = importlib.util.find_spec("bundled_server")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise LessonsError("The practice server (bundled_server) is not installed.")
    return Path(locations[0]) / "data" / "lessons.yaml"


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The lessons of `path` (by default the practice server's), read once per change of
    the file; LessonsError with one line when they cannot be read."""
    target = path if path is not None else lessons_file()
    try:
        info = target.stat()
    except OSError as error:
        raise LessonsError(f"The lessons cannot be read: {error.strerror} ({target})") from None
    if info.st_size > MAX_FILE_BYTES:
        raise LessonsError(f"The lessons file is larger than {MAX_FILE_BYTES // 1024} KiB.")
    return _load(target, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4)
def _load(path: Path, _mtime_ns: int, _size: int) -> Catalogue:
    try:
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as error:
        raise LessonsError(f"The lessons cannot be read: {error.strerror} ({path})") from None
    if len(data) > MAX_FILE_BYTES:
        raise LessonsError(f"The lessons file is larger than {MAX_FILE_BYTES // 1024} KiB.")
    return parse_catalogue(data.decode("utf-8", "replace"))


def parse_catalogue(text: str) -> Catalogue:
    """The lessons in `text` (the YAML file's content)."""
    from explorer.core.formats.common import FormatError
    from explorer.core.formats.document import load_yaml

    try:
        document = load_yaml(text)
    except FormatError as error:
        raise LessonsError(f"The lessons file is not valid YAML: {error}") from None
    return _Reader().catalogue(document)


class _Reader:
    """Walks the document; every wrong shape is a LessonsError naming its JSON path."""

    def fail(self, message: str, path: str) -> LessonsError:
        return LessonsError(f"The lessons file is malformed at {path}: {message}.")

    def mapping(self, value: Any, path: str, required: bool = True) -> dict[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.fail("expected a mapping", path)
        return value

    def items(self, value: Any, path: str, limit: int) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail("expected a list", path)
        if len(value) > limit:
            raise self.fail(f"more than {limit} entries", path)
        return value

    def text(self, value: Any, path: str, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail("expected text", path)
        result = str(value)
        if len(result) > MAX_TEXT:
            raise self.fail(f"longer than {MAX_TEXT} characters", path)
        if required and not result.strip():
            raise self.fail("empty text", path)
        return result

    def catalogue(self, document: Any) -> Catalogue:
        top = self.mapping(document, "$")
        if not top:
            raise LessonsError("The lessons file holds no lessons.")
        if len(top) > MAX_LESSONS:
            raise self.fail(f"more than {MAX_LESSONS} lessons", "$")
        by_language: dict[str, list[Lesson]] = {language: [] for language in LANGUAGES}
        for slug, entry in top.items():
            path = f"$.{slug}"
            if not _SLUG.fullmatch(slug):
                raise self.fail("a lesson's name is lower-case letters, digits and -", path)
            entry = self.mapping(entry, path)
            tries = self.items(entry.get("tries"), f"{path}.tries", MAX_TRIES)
            for language in LANGUAGES:
                by_language[language].append(self.lesson(slug, entry, tries, language))
        return Catalogue(
            tuple(top), {language: tuple(lessons) for language, lessons in by_language.items()}
        )

    def lesson(self, slug: str, entry: dict[str, Any], tries: list[Any], language: str) -> Lesson:
        path = f"$.{slug}.{language}"
        text = self.mapping(entry.get(language), path)
        paragraphs = self.items(text.get("paragraphs"), f"{path}.paragraphs", MAX_PARAGRAPHS)
        return Lesson(
            slug=slug,
            title=self.text(text.get("title"), f"{path}.title"),
            summary=self.text(text.get("summary"), f"{path}.summary", required=False),
            paragraphs=tuple(
                self.text(p, f"{path}.paragraphs[{i}]") for i, p in enumerate(paragraphs)
            ),
            attempts=tuple(
                self.attempt(attempt, f"$.{slug}.tries[{i}]", i + 1, language)
                for i, attempt in enumerate(tries)
            ),
        )

    def attempt(self, value: Any, path: str, index: int, language: str) -> Attempt:
        entry = self.mapping(value, path)
        method = self.text(entry.get("method", "GET"), f"{path}.method").strip().upper()
        if not _METHOD.fullmatch(method):
            raise self.fail("a method is a word such as GET", f"{path}.method")
        target = self.text(entry.get("path"), f"{path}.path").strip()
        if not target.startswith("/"):
            raise self.fail("a path starts with /", f"{path}.path")
        return Attempt(
            index=index,
            method=method,
            path=target,
            headers=self.headers(entry.get("headers"), f"{path}.headers"),
            body=self.text(entry.get("body"), f"{path}.body", required=False),
            expect=self.localised(entry.get("expect"), f"{path}.expect", language, True),
            goal=self.localised(entry.get("goal"), f"{path}.goal", language, False),
            look_at=self.pointer(entry.get("look_at"), f"{path}.look_at"),
            captures=self.captures(entry.get("capture"), f"{path}.capture"),
            follow_redirects=self.flag(entry.get("follow_redirects", True), path),
        )

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail("expected true or false", f"{path}.follow_redirects")
        return value

    def localised(self, value: Any, path: str, language: str, required: bool) -> str:
        texts = self.mapping(value, path, required)
        return self.text(texts.get(language), f"{path}.{language}", required)

    def headers(self, value: Any, path: str) -> tuple[tuple[str, str], ...]:
        rows = []
        for i, line in enumerate(self.items(value, path, MAX_HEADERS)):
            name, colon, rest = self.text(line, f"{path}[{i}]").partition(":")
            if not colon or not name.strip():
                raise self.fail('a header is written "Name: value"', f"{path}[{i}]")
            rows.append((name.strip(), rest.strip()))
        return tuple(rows)

    def pointer(self, value: Any, path: str) -> Pointer | None:
        if value is None:
            return None
        try:
            return Pointer.parse(self.text(value, path))
        except ValueError as error:
            raise self.fail(str(error), path) from None

    def captures(self, value: Any, path: str) -> tuple[tuple[str, Pointer], ...]:
        entries = self.mapping(value, path, required=False)
        if len(entries) > MAX_CAPTURES:
            raise self.fail(f"more than {MAX_CAPTURES} captures", path)
        found = []
        for name, source in entries.items():
            where = f"{path}.{name}"
            if not _VARIABLE_NAME.fullmatch(name):
                raise self.fail("a variable's name is letters, digits and _", where)
            pointer = self.pointer(source, where)
            if pointer is None or pointer.kind not in _CAPTURE_SUBJECTS:
                kinds = ", ".join(_CAPTURE_SUBJECTS)
                raise self.fail(f"a capture reads one of {kinds}", where)
            if pointer.kind in ("header", "cookie") and not pointer.name:
                raise self.fail(f"name the {pointer.kind} to capture", where)
            found.append((name, pointer))
        return tuple(found)


def capture_rows(attempt: Attempt) -> tuple[Capture, ...]:
    """The try's captures as the model's capture rows: the window's own capture
    mechanism then keeps their values for the {{names}} of later tries."""
    rows = []
    for name, pointer in attempt.captures:
        subject = _CAPTURE_SUBJECTS[pointer.kind]
        argument = pointer.name
        if pointer.kind == "body" and not argument:
            subject = Subject.BODY
        elif pointer.kind == "body" and not argument.startswith("$"):
            argument = "$." + argument  # "body:token" reads $.token
        elif pointer.kind in ("status", "redirects"):
            argument = ""
        rows.append(Capture(name, subject, argument))
    return tuple(rows)


def attempt_request(attempt: Attempt, base_url: str, name: str = "") -> Request:
    """The try as a request to the practice server at `base_url` ("http://127.0.0.1:8765"),
    named `name` (the tab shows it), with its captures as rows."""
    headers = tuple(Pair(header, value) for header, value in attempt.headers)
    content_type = next((v for n, v in attempt.headers if n.lower() == "content-type"), "")
    body = Body()
    if attempt.body:
        body = Body(BodyKind.RAW, text=attempt.body, content_type=content_type or "text/plain")
    request = Request(
        method=attempt.method,
        url=base_url.rstrip("/") + attempt.path,
        headers=headers,
        body=body,
        options=Options(follow_redirects=attempt.follow_redirects),
        name=name,
        captures=capture_rows(attempt),
    )
    # A try of the GraphQL lesson opens in the GraphQL editor; it sends the same JSON.
    return stream_try(json_body_as_graphql(request))


def stream_try(
    request: Request, collect_messages: int = 0, collect_seconds: float = 10.0
) -> Request:
    """A WebSocket try (method WS) with its body as the one saved message, ready to send
    from the Messages tab (a run sends it); any other request as it is. The practice
    server's http:// address serves ws:// too (core/ws maps the scheme)."""
    if not is_websocket(request):
        return request
    text = request.body.text
    messages = (SavedMessage("try", MessageKind.TEXT, text),) if text else ()
    stream = Stream(
        messages=messages, collect_messages=collect_messages, collect_seconds=collect_seconds
    )
    return request.with_changes(body=Body(), stream=stream)


def pointer_words(pointer: Pointer) -> str:
    """What a pointer points at, in words ("the ETag header", "$.id in the body")."""
    name = pointer.name
    match pointer.kind:
        case "status":
            return "the status line"
        case "header":
            return f"the {name} header"
        case "cookie":
            return f"the cookie {name}" if name else "the cookies"
        case "body":
            return f"{name} in the body" if name else "the body"
        case "timing":
            return f"the {name} phase of the timing" if name else "the timing"
        case "redirects":
            return "the redirect chain"
        case _:
            return f"the Explain tab ({name})" if name else "the Explain tab"


def inline_html(text: str, code_style: str = "") -> str:
    """`text` as HTML: escaped first, then `backticks` become <code> (with `code_style`
    as its style attribute), so that nothing in the text can become markup."""
    escaped = html.escape(text, quote=False)
    attribute = f' style="{html.escape(code_style)}"' if code_style else ""
    return _CODE.sub(lambda m: f"<code{attribute}>{m.group(1)}</code>", escaped)
