"""The consent page's words, in English and Korean (the lesson pages pick the language
the same way: ``?lang=`` first, then Accept-Language)."""

from __future__ import annotations

SCOPE_WORDS: dict[str, dict[str, str]] = {
    "profile": {
        "en": "See your name and username",
        "ko": "이름과 사용자 이름 보기",
    },
    "read:items": {
        "en": "Read the items you own",
        "ko": "내가 가진 항목 읽기",
    },
    "write:items": {
        "en": "Add items in your name",
        "ko": "내 이름으로 항목 추가하기",
    },
}

CONSENT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "eyebrow": "OAuth 2.0 · authorization request",
        "asks": "{client} wants to use your practice account",
        "lead": (
            "It asks for the permissions below. Approve, and the app gets a short-lived "
            "code that it trades for an access token; it never sees your password."
        ),
        "scopes": "It asks to",
        "client_id": "Client",
        "back_to": "Then your browser goes back to",
        "signed_in": "Signed in as {user}.",
        "sign_in": "Sign in to answer",
        "username": "Username",
        "password": "Password",
        "hint": "Practice users: ada / analytical, grace / cobol1959, alan / enigma.",
        "approve": "Approve",
        "deny": "Deny",
        "wrong_password": "Unknown username or wrong password.",
        "fine_print": (
            "Deny sends the app error=access_denied. Either way this server only runs on "
            "your own computer."
        ),
        "error_title": "This authorization request cannot be answered",
        "error_help": (
            "Nothing was sent back to the app: this server redirects only to an address "
            "the client is registered for. Check the client id and the redirect URI "
            "(http://127.0.0.1 or http://localhost, any port) and start again."
        ),
    },
    "ko": {
        "eyebrow": "OAuth 2.0 · 권한 부여 요청",
        "asks": "{client}에서 내 연습 계정을 사용하려고 합니다",
        "lead": (
            "아래 권한을 요청합니다. 승인하면 앱은 수명이 짧은 코드를 받아 액세스 토큰으로 "
            "바꿉니다. 앱은 내 비밀번호를 보지 못합니다."
        ),
        "scopes": "요청하는 권한",
        "client_id": "클라이언트",
        "back_to": "그다음 브라우저가 돌아갈 주소",
        "signed_in": "{user}(으)로 로그인되어 있습니다.",
        "sign_in": "답하려면 로그인하세요",
        "username": "사용자 이름",
        "password": "비밀번호",
        "hint": "연습용 계정: ada / analytical, grace / cobol1959, alan / enigma.",
        "approve": "승인",
        "deny": "거부",
        "wrong_password": "사용자 이름이 없거나 비밀번호가 틀렸습니다.",
        "fine_print": (
            "거부하면 앱은 error=access_denied 를 받습니다. 어느 쪽이든 이 서버는 내 "
            "컴퓨터에서만 실행됩니다."
        ),
        "error_title": "이 권한 부여 요청에는 답할 수 없습니다",
        "error_help": (
            "앱으로 아무것도 돌려보내지 않았습니다. 이 서버는 클라이언트에 등록된 주소로만 "
            "리다이렉트합니다. 클라이언트 id와 리다이렉트 URI(http://127.0.0.1 또는 "
            "http://localhost, 포트는 아무것이나)를 확인하고 다시 시작하세요."
        ),
    },
}


def consent_text(lang: str) -> dict[str, str]:
    """The page's words in ``lang`` (English for anything else)."""
    return CONSENT_TEXT.get(lang, CONSENT_TEXT["en"])


def scope_words(scope: str, lang: str) -> list[tuple[str, str]]:
    """(scope, what it allows in words) for each scope of a space-separated list."""
    return [
        (name, SCOPE_WORDS.get(name, {}).get(lang) or SCOPE_WORDS.get(name, {}).get("en", name))
        for name in scope.split()
    ]
