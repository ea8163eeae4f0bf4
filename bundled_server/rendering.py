"""Jinja helpers shared by every HTML page: interface strings and inline code."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, g
from markupsafe import Markup, escape

UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "brand": "API Explorer practice server",
        "lessons": "Lessons",
        "endpoints": "Endpoints",
        "openapi": "OpenAPI",
        "health": "Health",
        "try_it": "Try it",
        "request": "Request",
        "expect": "What you should see",
        "look_at": "Look at",
        "keeps": "Keeps",
        "from_earlier": "from an earlier step",
        "from_step": "from an earlier step (step {step})",
        "step": "Step {step}",
        "no_follow": "Sent without following redirects: the response is the 3xx itself.",
        "previous": "Previous",
        "next": "Next",
        "all_lessons": "All lessons",
        "intro": (
            "A small REST API that runs on your own machine and explains itself. Every "
            "lesson below shows one idea of REST with requests you can send from API "
            "Explorer (or curl) and the exact response to expect."
        ),
        "endpoints_intro": (
            "Every route, grouped by the lesson it belongs to. The machine-readable "
            "description is at /openapi.json and /openapi.yaml."
        ),
        "footer": (
            "Runs only on this computer. Data lives in memory; POST /admin/reset restores it."
        ),
        "method": "Method",
        "path": "Path",
        "what": "What it does",
        "language": "Language",
        "problem_type": "Problem type",
    },
    "ko": {
        "brand": "API Explorer 연습 서버",
        "lessons": "강의",
        "endpoints": "엔드포인트",
        "openapi": "OpenAPI",
        "health": "상태 확인",
        "try_it": "직접 해 보기",
        "request": "요청",
        "expect": "기대하는 응답",
        "look_at": "볼 곳",
        "keeps": "보관",
        "from_earlier": "앞 단계에서 보관한 값",
        "from_step": "앞 단계에서 보관한 값 ({step}단계)",
        "step": "{step}단계",
        "no_follow": "리다이렉트를 따라가지 않고 보냅니다. 응답은 3xx 그 자체입니다.",
        "previous": "이전",
        "next": "다음",
        "all_lessons": "전체 강의",
        "intro": (
            "내 컴퓨터에서 실행되면서 스스로를 설명하는 작은 REST API입니다. 아래 강의마다 "
            "REST의 개념 하나를 다루고, API Explorer(또는 curl)로 보낼 요청과 "
            "돌아올 응답을 그대로 보여 줍니다."
        ),
        "endpoints_intro": (
            "모든 경로를 관련된 강의별로 묶었습니다. 기계가 읽을 수 있는 명세는 "
            "/openapi.json 과 /openapi.yaml 에 있습니다."
        ),
        "footer": (
            "이 컴퓨터에서만 실행됩니다. 데이터는 메모리에 있으며 "
            "POST /admin/reset 으로 되돌릴 수 있습니다."
        ),
        "method": "메서드",
        "path": "경로",
        "what": "설명",
        "language": "언어",
        "problem_type": "문제 유형",
    },
}

_CODE = re.compile(r"`([^`]+)`")


def inline_code(text: str) -> Markup:
    """Escape ``text`` first, then turn `backticks` into <code> (safe by construction)."""
    escaped = str(escape(text))
    return Markup(_CODE.sub(r"<code>\1</code>", escaped))


def _globals() -> dict[str, Any]:
    lang = g.get("lang", "en")
    return {"ui": UI_TEXT[lang], "lang": lang}


def init_app(app: Flask) -> None:
    """Register the filter and the context processor."""
    app.add_template_filter(inline_code, "inline_code")
    app.context_processor(_globals)
