"""``/lessons/<name>``: one page per lesson, in English or Korean.

The prose and the example requests live in ``data/lessons.yaml`` (the app's Learn panel
reads the same file); this module picks the language (``?lang=`` or ``Accept-Language``),
turns each try's ``look_at`` and ``capture`` into a sentence, and renders the template.
A ``{{name}}`` in a try is a value an earlier try of the lesson captured: the page marks
it and says which step it comes from, since a reader of the page copies it by hand.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml
from flask import Blueprint, render_template
from markupsafe import Markup, escape

from .negotiation import use_language
from .problems import Problem

bp = Blueprint("lessons", __name__, url_prefix="/lessons")

VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

# The names of the Timing tab's phases in the app (explorer/ui/response/timing_view.py).
_PHASES = {
    "dns": "DNS lookup",
    "connect": "TCP connect",
    "tls": "TLS handshake",
    "send": "Request sent",
    "wait": "Waiting (TTFB)",
    "download": "Content download",
}

# What a pointer ("header:ETag", see explorer/core/explain/findings.Pointer) names, as a
# phrase: {name} is the part after the colon, {phase} the Timing tab's name for it.
_POINTER_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "status": "the status line",
        "header": "the `{name}` header",
        "cookie": "the cookie `{name}`",
        "body": "`{name}` in the body",
        "body-whole": "the body",
        "timing": "the {phase} phase in the Timing tab",
        "redirects": "the redirect hops in the Redirects tab",
        "explain": "the finding `{name}` in the Explain tab",
    },
    "ko": {
        "status": "상태 줄",
        "header": "`{name}` 헤더",
        "cookie": "쿠키 `{name}`",
        "body": "본문의 `{name}`",
        "body-whole": "본문",
        "timing": "Timing 탭의 {phase} 단계",
        "redirects": "Redirects 탭의 리다이렉트 단계",
        "explain": "Explain 탭의 `{name}` 항목",
    },
}


@functools.cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Every lesson by name, in teaching order."""
    text = resources.files(__package__).joinpath("data", "lessons.yaml").read_text("utf-8")
    lessons: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return lessons


def describe_pointer(pointer: str, lang: str) -> str:
    """ "header:ETag" → "the `ETag` header" (in `lang`); `backticks` for inline_code."""
    kind, _, name = pointer.strip().partition(":")
    words = _POINTER_WORDS[lang]
    if kind == "body" and not name.strip():
        kind = "body-whole"
    phrase = words.get(kind)
    if phrase is None:
        return f"`{pointer}`"
    name = name.strip()
    return phrase.format(name=name, phase=_PHASES.get(name, name))


def _localised_try(attempt: dict[str, Any], lang: str, kept: dict[str, int]) -> dict[str, Any]:
    """One try in `lang`, with its pointer in words, what it keeps, and where each
    {{name}} it uses was kept (`kept`: name → the 1-based step that captured it)."""
    text = " ".join([attempt["path"], *attempt.get("headers", []), attempt.get("body", "")])
    used = list(dict.fromkeys(VARIABLE.findall(text)))
    look_at = attempt.get("look_at")
    return {
        **attempt,
        "expect": attempt["expect"][lang],
        "goal": attempt.get("goal", {}).get(lang),
        "look_at": describe_pointer(look_at, lang) if look_at else None,
        "captures": [
            {"name": name, "source": describe_pointer(where, lang)}
            for name, where in attempt.get("capture", {}).items()
        ],
        "uses": [{"name": name, "step": kept.get(name)} for name in used],
    }


def localised(name: str, lang: str) -> dict[str, Any]:
    """One lesson's text in ``lang``, with its example requests."""
    lesson = catalogue()[name]
    kept: dict[str, int] = {}
    tries = []
    for step, attempt in enumerate(lesson.get("tries", []), 1):
        tries.append(_localised_try(attempt, lang, kept))
        kept.update(dict.fromkeys(attempt.get("capture", {}), step))
    return {"name": name, **lesson[lang], "tries": tries}


def summaries(lang: str) -> list[dict[str, Any]]:
    """Name, title and summary of every lesson, for the index."""
    return [
        {"name": name, "title": lesson[lang]["title"], "summary": lesson[lang]["summary"]}
        for name, lesson in catalogue().items()
    ]


@bp.app_template_filter("mark_captured")
def mark_captured(text: str, note: str) -> Markup:
    """Escape ``text``, then set each {{name}} apart, titled with ``note``."""
    title = escape(note)
    return Markup(
        VARIABLE.sub(
            lambda m: f'<span class="captured" title="{title}">{{{{{m.group(1)}}}}}</span>',
            str(escape(text)),
        )
    )


@bp.get("/")
def index() -> str:
    """The lesson list on its own page."""
    lang = use_language()
    return render_template("lessons_index.html", lang=lang, lessons=summaries(lang))


@bp.get("/<name>")
def lesson(name: str) -> str:
    """One lesson page."""
    lang = use_language()
    if name not in catalogue():
        raise Problem(404, f"There is no lesson called {name!r}; GET /lessons/ lists them.")
    names = list(catalogue())
    position = names.index(name)
    neighbours = {
        "previous": localised(names[position - 1], lang) if position > 0 else None,
        "next": localised(names[position + 1], lang) if position + 1 < len(names) else None,
    }
    return render_template(
        "lesson.html", lang=lang, lesson=localised(name, lang), neighbours=neighbours
    )
