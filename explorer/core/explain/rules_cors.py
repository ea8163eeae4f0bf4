"""CORS (the Fetch standard's CORS protocol): would a web page on another origin be
allowed to read this response, and do the Access-Control-* headers say it safely?

An API client is not a browser and ignores CORS, which is exactly why these findings are
useful: the request worked here and will fail in the browser, or it works everywhere
and leaks. A request's Origin header (set by hand, or by a browser) is what the
answers are judged against.
"""

from __future__ import annotations

from collections.abc import Iterator

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.header_syntax import split_list
from explorer.core.explain.references import fetch, rfc

RULES = RuleSet(Category.CORS)
LESSON = "common-mistakes"

CORS_PROTOCOL = fetch("http-cors-protocol", "CORS protocol")
CREDENTIALS = fetch("cors-protocol-and-credentials", "CORS protocol and credentials")
CORS_CHECK = fetch("cors-check", "CORS check")
PREFLIGHT = fetch("cors-preflight-fetch", "CORS-preflight fetch")
ACAO = Pointer("header", "Access-Control-Allow-Origin")
ACAC = Pointer("header", "Access-Control-Allow-Credentials")

# Methods and request headers a browser sends cross-origin without asking first.
SAFELISTED_METHODS = frozenset({"GET", "HEAD", "POST"})
MAX_LISTED = 100  # names read from one Access-Control-* list


def allow_origin(facts: ExchangeFacts) -> str | None:
    """The single Access-Control-Allow-Origin value, None when absent or repeated."""
    values = facts.header_values("Access-Control-Allow-Origin")
    return values[0].strip() if len(values) == 1 else None


def _names(value: str) -> set[str]:
    return {item.strip().lower() for item in split_list(value)[:MAX_LISTED]}


def is_preflight(facts: ExchangeFacts) -> bool:
    """OPTIONS with Access-Control-Request-Method: a browser asking before the real call."""
    return facts.method == "OPTIONS" and bool(facts.request_header("Access-Control-Request-Method"))


@RULES.rule(
    "cors.credentials-with-wildcard",
    "Access-Control-Allow-Origin: * with credentials",
    references=(CREDENTIALS, CORS_CHECK),
    lesson=LESSON,
)
def credentials_with_wildcard(facts: ExchangeFacts) -> Iterator[Note]:
    if allow_origin(facts) != "*":
        return
    if facts.header("Access-Control-Allow-Credentials").strip().lower() != "true":
        return
    yield Note(
        Severity.ERROR,
        "Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true",
        "The two headers cannot be combined: a page that sends cookies or an "
        "Authorization header (`credentials: 'include'`) is refused by the browser's "
        "CORS check whenever the answer says `*`, whatever Allow-Credentials says. "
        "Browsers forbid it on purpose: \"any site may read this with the user's "
        "cookies\" would let every site read the user's private data."
        "\n\nFix: to allow credentials, echo one trusted origin (checked against an "
        "allow list, never copied blindly) and add `Vary: Origin`; for public data, "
        "keep `*` and drop Access-Control-Allow-Credentials.",
        ACAO,
    )


@RULES.rule(
    "cors.vary-origin-missing",
    "An Allow-Origin that echoes the Origin without Vary: Origin",
    references=(
        fetch("cors-protocol-and-http-caches", "CORS protocol and HTTP caches"),
        rfc(9110, "12.5.5", "Vary"),
    ),
    lesson=LESSON,
)
def vary_origin_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.method not in ("GET", "HEAD") or "no-store" in facts.cache_control():
        return
    origin = facts.request_header("Origin").strip()
    allowed = allow_origin(facts)
    if not origin or not allowed or allowed in ("*", "null") or allowed.lower() != origin.lower():
        return
    vary = _names(facts.header("Vary"))
    if "origin" in vary or "*" in vary:
        return
    yield Note(
        Severity.WARNING,
        f"Access-Control-Allow-Origin echoes {origin[:60]} without Vary: Origin",
        "The server picks the Allow-Origin value from the request's Origin, so the "
        "answer differs from site to site. Without `Vary: Origin` a cache (the "
        "browser's, a CDN) stores this answer under the URL alone and hands it to the "
        "next site that asks: a page on another origin then gets "
        f"`Access-Control-Allow-Origin: {origin[:60]}` and is blocked although it may "
        "be allowed, or the reverse."
        "\n\nFix: add `Vary: Origin` to every response whose Allow-Origin depends on "
        "the request.",
        Pointer("header", "Vary"),
    )


@RULES.rule(
    "cors.multiple-origins",
    "Access-Control-Allow-Origin with more than one origin",
    references=(fetch("http-access-control-allow-origin", "Access-Control-Allow-Origin"),),
    lesson=LESSON,
)
def multiple_origins(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("Access-Control-Allow-Origin")
    joined = ", ".join(value.strip() for value in values)
    if len(values) < 2 and "," not in joined and " " not in joined.strip():
        return
    yield Note(
        Severity.ERROR,
        f"Access-Control-Allow-Origin lists several origins: {joined[:80]}",
        "Access-Control-Allow-Origin holds exactly one origin, `*` or `null`. Browsers "
        "compare the whole value with the page's origin, so a list never matches and "
        "every cross-origin read fails."
        "\n\nFix: keep the list of allowed sites on the server, check the request's "
        "Origin against it and send back only that one origin (with `Vary: Origin`).",
        ACAO,
    )


@RULES.rule(
    "cors.null-origin",
    "Access-Control-Allow-Origin: null",
    references=(CORS_PROTOCOL, fetch("concept-origin-opaque", "opaque origin")),
    lesson=LESSON,
)
def null_origin(facts: ExchangeFacts) -> Iterator[Note]:
    if allow_origin(facts) != "null":
        return
    yield Note(
        Severity.WARNING,
        "Access-Control-Allow-Origin: null lets sandboxed and local pages in",
        "Pages with no real origin (sandboxed iframes, `data:` URLs, files opened from "
        "disk, some redirects) all send `Origin: null`. Allowing `null` therefore "
        "allows every one of them, including a sandboxed frame any attacker can create "
        "on their own site."
        "\n\nFix: allow real origins (`https://app.example`) instead.",
        ACAO,
    )


@RULES.rule(
    "cors.credentials-not-true",
    "Access-Control-Allow-Credentials with a value other than true",
    references=(
        fetch("http-access-control-allow-credentials", "Access-Control-Allow-Credentials"),
    ),
    lesson=LESSON,
)
def credentials_not_true(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("Access-Control-Allow-Credentials")
    if not values or (len(values) == 1 and values[0].strip() == "true"):
        return
    shown = ", ".join(v.strip() for v in values)[:40] or "(empty)"
    yield Note(
        Severity.WARNING,
        f'Access-Control-Allow-Credentials: {shown} is not "true"',
        "The only value this header has is `true`, in lower case. Browsers treat "
        "anything else (`false`, `TRUE`, `yes`) exactly like no header: credentialed "
        "requests from other origins are refused."
        "\n\nFix: to refuse them, leave the header out; to allow them, send exactly "
        "`Access-Control-Allow-Credentials: true`.",
        ACAC,
    )


@RULES.rule(
    "cors.preflight-without-methods",
    "A preflight answer that does not allow the method asked for",
    references=(PREFLIGHT, fetch("cors-safelisted-method", "CORS-safelisted method")),
    lesson=LESSON,
)
def preflight_without_methods(facts: ExchangeFacts) -> Iterator[Note]:
    if not is_preflight(facts) or not 200 <= facts.status < 300 or allow_origin(facts) is None:
        return
    wanted = facts.request_header("Access-Control-Request-Method").strip()
    if wanted.upper() in SAFELISTED_METHODS:
        return
    allowed = {name.upper() for name in _names(facts.header("Access-Control-Allow-Methods"))}
    credentialed = facts.header("Access-Control-Allow-Credentials").strip() == "true"
    if wanted.upper() in allowed or ("*" in allowed and not credentialed):
        return
    missing = not facts.has_header("Access-Control-Allow-Methods")
    yield Note(
        Severity.WARNING,
        f"Preflight for {wanted[:20]}, but Access-Control-Allow-Methods "
        + ("is missing" if missing else "does not list it"),
        f"Before a cross-origin {wanted[:20]} the browser asks with this OPTIONS "
        "request (a preflight) and goes ahead only if the answer lists the method in "
        "Access-Control-Allow-Methods; GET, HEAD and POST need no listing. This answer "
        f"allows the origin but not {wanted[:20]}, so the real request is never sent "
        "and the page sees a CORS error."
        f"\n\nFix: `Access-Control-Allow-Methods: {wanted[:20]}`, with the other "
        "methods the API accepts.",
        Pointer("header", "Access-Control-Allow-Methods"),
    )


@RULES.rule(
    "cors.preflight-without-headers",
    "A preflight answer that does not allow the request headers asked for",
    references=(
        PREFLIGHT,
        fetch("cors-safelisted-request-header", "CORS-safelisted request-header"),
    ),
    lesson=LESSON,
)
def preflight_without_headers(facts: ExchangeFacts) -> Iterator[Note]:
    if not is_preflight(facts) or not 200 <= facts.status < 300 or allow_origin(facts) is None:
        return
    asked = _names(facts.request_header("Access-Control-Request-Headers"))
    if not asked:
        return
    allowed = _names(facts.header("Access-Control-Allow-Headers"))
    credentialed = facts.header("Access-Control-Allow-Credentials").strip() == "true"
    if "*" in allowed and not credentialed:
        allowed |= asked - {"authorization"}  # "*" never covers Authorization
    missing = sorted(asked - allowed)
    if not missing:
        return
    listed = ", ".join(missing)[:80]
    yield Note(
        Severity.WARNING,
        f"Preflight asked to send {listed}, which Access-Control-Allow-Headers does not allow",
        "The page wants to send these headers cross-origin (Authorization, a JSON "
        "Content-Type, a custom X- header …), so the browser asked first. The answer "
        "must name each of them in Access-Control-Allow-Headers, or the browser "
        "cancels the real request with a CORS error."
        "\n\nFix: list them in `Access-Control-Allow-Headers`; `*` does not cover "
        "Authorization and means nothing on credentialed requests.",
        Pointer("header", "Access-Control-Allow-Headers"),
    )


@RULES.rule(
    "cors.origin-not-allowed",
    "The request's Origin is not allowed: a browser would block the page",
    references=(CORS_CHECK, CORS_PROTOCOL),
    lesson=LESSON,
)
def origin_not_allowed(facts: ExchangeFacts) -> Iterator[Note]:
    origin = facts.request_header("Origin").strip()
    if not origin:
        return
    values = facts.header_values("Access-Control-Allow-Origin")
    allowed = allow_origin(facts)
    if len(values) > 1 or (allowed and (allowed == "*" or allowed.lower() == origin.lower())):
        return  # allowed, or cors.multiple-origins has it
    if allowed in (None, "") and not values:
        what = "the answer has no Access-Control-Allow-Origin"
    else:
        what = f"the answer allows {str(allowed)[:60]} only"
    kind = "preflight" if is_preflight(facts) else "response"
    yield Note(
        Severity.INFO,
        f"A page on {origin[:60]} could not read this {kind}: {what}",
        "This client ignores CORS, so the request worked here. A browser enforces it: "
        f"a script on {origin[:60]} gets a CORS error instead of this answer"
        + (" and never sends the real request" if kind == "preflight" else "")
        + ". If that is CORS doing its job, nothing needs fixing."
        "\n\nFix, if that page should have access: answer with "
        f"`Access-Control-Allow-Origin: {origin[:60]}` and `Vary: Origin`.",
        ACAO,
    )
