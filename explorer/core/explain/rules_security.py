"""Security headers: what a browser rendering this response is told to protect against.

The "missing" rules judge only HTML pages (text/html, application/xhtml+xml): an API's
JSON is not rendered, framed or run, so HSTS, CSP and frame protection on it change
little, and saying otherwise would flood every API call with advice. Wrong values are
judged on any response, since a header that is sent should work.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, Reference, RuleSet, Severity
from explorer.core.explain.header_syntax import split_list
from explorer.core.explain.references import fetch, rfc

RULES = RuleSet(Category.SECURITY)
LESSON = "common-mistakes"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# How much of an HTML body is searched for <meta http-equiv="Content-Security-Policy">:
# it belongs in <head>, which comes first.
META_SEARCH = 64 * 1024
_META_CSP = re.compile(rb"<meta[^>]+http-equiv\s*=\s*[\"']?content-security-policy", re.I)

CSP3 = Reference(
    "CSP Level 3", "", "Content Security Policy", "https://www.w3.org/TR/CSP3/#csp-header"
)
FRAME_ANCESTORS = Reference(
    "CSP Level 3", "", "frame-ancestors", "https://www.w3.org/TR/CSP3/#directive-frame-ancestors"
)
HTML_XFO = Reference(
    "HTML",
    "",
    "The X-Frame-Options header",
    "https://html.spec.whatwg.org/multipage/document-lifecycle.html#the-x-frame-options-header",
)
NOSNIFF = fetch("x-content-type-options-header", "X-Content-Type-Options")


def rendered_html(facts: ExchangeFacts) -> bool:
    """An HTML page a browser would show: a 2xx with a body or an error page."""
    if facts.media_type not in HTML_TYPES:
        return False
    return (200 <= facts.status < 300 and facts.status not in (204, 206)) or facts.status >= 400


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def policies(value: str) -> list[dict[str, str]]:
    """A CSP header (several policies joined by commas) as {directive: value} per policy."""
    found: list[dict[str, str]] = []
    for policy in value[:16384].split(","):
        directives: dict[str, str] = {}
        for part in policy.split(";"):
            name, _, rest = part.strip().partition(" ")
            if name and name.lower() not in directives:
                directives[name.lower()] = rest.strip()
        found.append(directives)
    return found


@RULES.rule(
    "security.hsts-missing",
    "An https page without Strict-Transport-Security",
    references=(
        rfc(6797, "6.1", "Strict-Transport-Security Response Header Field Syntax"),
        rfc(6797, "14.6", "Bootstrap MITM Vulnerability"),
    ),
    lesson=LESSON,
)
def hsts_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.scheme != "https" or not rendered_html(facts):
        return
    if facts.has_header("Strict-Transport-Security"):
        return
    host = (urlsplit(facts.url).hostname or "").lower()
    if not host or _ip_literal(host):
        return  # browsers ignore HSTS for IP addresses (RFC 6797 §8.1)
    local = host == "localhost" or host.endswith(".localhost")
    yield Note(
        Severity.INFO if local else Severity.WARNING,
        f"{host} serves this page over https without Strict-Transport-Security",
        "`Strict-Transport-Security` (HSTS) tells the browser to use only https for this "
        "host from now on. Without it, whoever types the address bare or follows an old "
        "http link makes a first plain-http request, and an attacker on the network "
        "(public Wi-Fi) can answer it with a fake page or keep the user on http (SSL "
        "stripping)."
        + (" On localhost this matters little." if local else "")
        + "\n\nFix: once every page of the host works over https, send "
        "`Strict-Transport-Security: max-age=31536000`.",
        Pointer("header", "Strict-Transport-Security"),
    )


@RULES.rule(
    "security.hsts-invalid",
    "Strict-Transport-Security that browsers ignore",
    references=(
        rfc(6797, "6.1.1", "The max-age Directive"),
        rfc(6797, "8.1", "Strict-Transport-Security Response Header Field Processing"),
    ),
    lesson=LESSON,
)
def hsts_invalid(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("Strict-Transport-Security")
    if not values:
        return
    pointer = Pointer("header", "Strict-Transport-Security")
    if facts.scheme != "https":
        yield Note(
            Severity.INFO,
            "Strict-Transport-Security sent over plain http is ignored",
            "A browser only accepts HSTS from a response that came over https (RFC 6797 "
            "§8.1): over http an attacker could forge or strip it. It does no harm here, "
            "but it protects nothing until the site is reached over https."
            "\n\nFix: redirect http to https and send the header on the https responses.",
            pointer,
        )
        return
    directives: dict[str, str] = {}
    for part in values[0][:4096].split(";"):
        name, _, value = part.strip().partition("=")
        directives.setdefault(name.strip().lower(), value.strip().strip('"'))
    max_age = directives.get("max-age")
    if max_age is None or not max_age.isdigit():
        yield Note(
            Severity.WARNING,
            "Strict-Transport-Security without a valid max-age",
            "`max-age` (seconds) is the one required directive of HSTS: it says how long "
            "the browser must remember to use https only. Without a number there, "
            "browsers ignore the whole header and the site is not protected."
            "\n\nFix: `Strict-Transport-Security: max-age=31536000` (one year).",
            pointer,
        )
    elif int(max_age) == 0:
        yield Note(
            Severity.INFO,
            "Strict-Transport-Security: max-age=0 switches HSTS off",
            "`max-age=0` tells browsers to forget the https-only rule for this host. That "
            "is the right way to undo HSTS, but if it is left on by mistake the host is "
            "open to plain-http downgrades again.",
            pointer,
        )


@RULES.rule(
    "security.nosniff-missing",
    "An HTML page without X-Content-Type-Options: nosniff",
    references=(NOSNIFF,),
    lesson=LESSON,
)
def nosniff_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if not rendered_html(facts) or facts.has_header("X-Content-Type-Options"):
        return
    yield Note(
        Severity.INFO,
        "No X-Content-Type-Options: nosniff",
        "Browsers sometimes ignore Content-Type and guess the type from the bytes "
        "(sniffing). For an HTML page the risk is small, but the same server's other "
        "responses (uploads, JSON, text) can be guessed to be HTML or script and run in "
        "your site's name."
        "\n\nFix: send `X-Content-Type-Options: nosniff` on every response; most "
        "frameworks add it with one setting.",
        Pointer("header", "X-Content-Type-Options"),
    )


@RULES.rule(
    "security.nosniff-invalid",
    "X-Content-Type-Options with a value other than nosniff",
    references=(NOSNIFF,),
    lesson=LESSON,
)
def nosniff_invalid(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("X-Content-Type-Options")
    if not values:
        return
    first = (split_list(values[0]) or [""])[0].strip()
    if first.lower() == "nosniff":
        return
    yield Note(
        Severity.WARNING,
        f"X-Content-Type-Options: {first[:40] or '(empty)'} is not nosniff",
        "`nosniff` is the only value this header has. Browsers read the first value and "
        "ignore anything else, so this response gets no protection from content-type "
        "guessing although the header suggests it does."
        "\n\nFix: send exactly `X-Content-Type-Options: nosniff`.",
        Pointer("header", "X-Content-Type-Options"),
    )


@RULES.rule(
    "security.nosniff-without-type",
    "nosniff, but no Content-Type to go by",
    references=(NOSNIFF, rfc(9110, "8.3", "Content-Type")),
    lesson=LESSON,
)
def nosniff_without_type(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.body_size == 0 or facts.status in (204, 304) or facts.method == "HEAD":
        return
    if facts.has_header("Content-Type"):
        return
    first = (split_list(facts.header("X-Content-Type-Options")) or [""])[0].strip()
    if first.lower() != "nosniff":
        return
    yield Note(
        Severity.WARNING,
        "nosniff forbids guessing the type, and there is no Content-Type",
        "`X-Content-Type-Options: nosniff` tells the browser to trust Content-Type and "
        "never guess; this response has a body but no Content-Type. Browsers then refuse "
        "it as a script or stylesheet, and show or download it as unknown data."
        "\n\nFix: send the real type: `Content-Type: application/json`, "
        "`text/html; charset=utf-8` …",
        Pointer("header", "Content-Type"),
    )


@RULES.rule(
    "security.csp-missing",
    "An HTML page without Content-Security-Policy",
    references=(CSP3,),
    lesson=LESSON,
)
def csp_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if not rendered_html(facts) or facts.has_header("Content-Security-Policy"):
        return
    if _META_CSP.search(facts.body[:META_SEARCH]):
        return  # a <meta http-equiv> policy is enforced too (all but frame-ancestors)
    pointer = Pointer("header", "Content-Security-Policy")
    if facts.has_header("Content-Security-Policy-Report-Only"):
        yield Note(
            Severity.INFO,
            "Content-Security-Policy is only reported, not enforced",
            "`Content-Security-Policy-Report-Only` makes browsers report what the policy "
            "would block, and block nothing. That is the right way to try a policy out."
            "\n\nFix: once the reports are quiet, send the policy as "
            "`Content-Security-Policy` so it protects the page.",
            pointer,
        )
        return
    yield Note(
        Severity.WARNING,
        "HTML page without a Content-Security-Policy",
        "A Content-Security-Policy lists where the page may load scripts, styles and "
        "images from. Without one, a single injection bug (a user's comment shown "
        "unescaped) lets an attacker's script run with the page's full rights: read what "
        "the user sees, act as them."
        "\n\nFix: start with `Content-Security-Policy: default-src 'self'`, which blocks "
        "scripts from anywhere else and inline ones, turning many such bugs into "
        "harmless text; loosen it where the page needs more.",
        pointer,
    )


@RULES.rule(
    "security.framing-unprotected",
    "An HTML page other sites may show in a frame",
    references=(FRAME_ANCESTORS, HTML_XFO),
    lesson=LESSON,
)
def framing_unprotected(facts: ExchangeFacts) -> Iterator[Note]:
    if not rendered_html(facts) or facts.has_header("X-Frame-Options"):
        return
    csp = facts.header("Content-Security-Policy")
    if any("frame-ancestors" in policy for policy in policies(csp)):
        return
    yield Note(
        Severity.INFO,
        "Any site may show this page in a frame",
        "Neither `X-Frame-Options` nor CSP `frame-ancestors` is set, so another site can "
        "load this page in an invisible frame over its own buttons and trick the user "
        "into clicking through to it (clickjacking)."
        "\n\nFix: pages with actions (log in, pay, delete) should send "
        "`Content-Security-Policy: frame-ancestors 'self'` (or `'none'`); pages meant "
        "to be embedded can ignore this.",
        Pointer("header", "X-Frame-Options"),
    )


@RULES.rule(
    "security.frame-options-invalid",
    "X-Frame-Options with a value browsers ignore",
    references=(HTML_XFO, rfc(7034, "2.1", "Syntax")),
    lesson=LESSON,
)
def frame_options_invalid(facts: ExchangeFacts) -> Iterator[Note]:
    values = facts.header_values("X-Frame-Options")
    if not values:
        return
    value = ", ".join(values)
    words = {item.strip().lower() for item in split_list(value)}
    if words and words <= {"deny", "sameorigin"} and len(words) == 1:
        return
    allow_from = any(word.startswith("allow-from") for word in words)
    yield Note(
        Severity.WARNING,
        f"X-Frame-Options: {value.strip()[:60]} is not DENY or SAMEORIGIN",
        (
            "`ALLOW-FROM` was never widely supported and today's browsers ignore it, "
            if allow_from
            else "Browsers only understand `DENY` or `SAMEORIGIN` (one of them, once); "
        )
        + "with any other value they treat the header as absent, so the page can be "
        "framed by any site."
        "\n\nFix: send `X-Frame-Options: DENY` or `SAMEORIGIN`; to allow chosen sites, "
        "use `Content-Security-Policy: frame-ancestors 'self' https://partner.example`.",
        Pointer("header", "X-Frame-Options"),
    )
