"""``/lessons/<name>``: one page per REST idea, in English or Korean.

The prose and the example requests live in ``data/lessons.yaml``; this module only
picks the language (``?lang=`` or ``Accept-Language``) and renders the template.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml
from flask import Blueprint, render_template

from .negotiation import use_language
from .problems import Problem

bp = Blueprint("lessons", __name__, url_prefix="/lessons")


@functools.cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Every lesson by name, in teaching order."""
    text = resources.files(__package__).joinpath("data", "lessons.yaml").read_text("utf-8")
    lessons: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return lessons


def localised(name: str, lang: str) -> dict[str, Any]:
    """One lesson's text in ``lang``, with its language-neutral example requests."""
    lesson = catalogue()[name]
    text = lesson[lang]
    tries = [
        {**attempt, "expect": attempt["expect"][lang], "goal": attempt.get("goal", {}).get(lang)}
        for attempt in lesson.get("tries", [])
    ]
    return {"name": name, **text, "tries": tries}


def summaries(lang: str) -> list[dict[str, Any]]:
    """Name, title and summary of every lesson, for the index."""
    return [
        {"name": name, "title": lesson[lang]["title"], "summary": lesson[lang]["summary"]}
        for name, lesson in catalogue().items()
    ]


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
