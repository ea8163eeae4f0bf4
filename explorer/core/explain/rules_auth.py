"""Authentication: how credentials travel and how a server asks for them (RFC 9110 §11,
Basic in RFC 7617, Bearer tokens in RFC 6750).

Credentials are judged by where they went, never by their value: no rule here quotes an
Authorization header.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.header_syntax import split_list, unquote
from explorer.core.explain.references import rfc

RULES = RuleSet(Category.AUTH)
LESSON = "statelessness"  # the lesson that logs in with a token and with a session

# Schemes whose credentials can be replayed as they are by anyone who reads them.
REPLAYABLE = frozenset({"basic", "bearer"})


def challenges(value: str) -> list[tuple[str, dict[str, str]]]:
    """A WWW-Authenticate value as (scheme, parameters) pairs, scheme in lower case:
    'Basic realm="a", charset="UTF-8", Bearer' → [("basic", {...}), ("bearer", {})].
    A member "Scheme name=value" starts a challenge; a bare "name=value" continues the
    one before (RFC 9110 §11.6.1). A token68 ("Negotiate abc==") is kept as no params."""
    found: list[tuple[str, dict[str, str]]] = []
    for item in split_list(value)[:64]:
        head, space, rest = item.partition(" ")
        if space and "=" not in head:
            params: dict[str, str] = {}
            found.append((head.lower(), params))
            item = rest.strip()
        elif "=" not in item:
            found.append((item.lower(), {}))
            continue
        if found and item and not _TOKEN68.match(item):
            name, _, param = item.partition("=")
            if name.strip():
                found[-1][1].setdefault(name.strip().lower(), unquote(param))
    return found


_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*$")  # RFC 9110 §11.2: "abc==", not "a=b"


def _loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _sent(facts: ExchangeFacts) -> Iterator[tuple[str, str]]:
    """(url, Authorization scheme) of every request of the exchange that carried one."""
    for hop in facts.hops:
        for key, value in hop.sent.headers:
            if key.lower() == "authorization":
                yield hop.url, value.strip().partition(" ")[0].lower()
    scheme = facts.request_header("Authorization").strip().partition(" ")[0].lower()
    if scheme:
        yield facts.url, scheme


@RULES.rule(
    "auth.credentials-over-http",
    "Replayable credentials sent over plain http",
    references=(
        rfc(7617, "4", "Basic: Security Considerations"),
        rfc(6750, "5.3", "Bearer: Summary of Recommendations"),
        rfc(9110, "17.16.1", "Credentials and Cleartext"),
    ),
    lesson=LESSON,
)
def credentials_over_http(facts: ExchangeFacts) -> Iterator[Note]:
    for url, scheme in _sent(facts):
        parts = urlsplit(url)
        if parts.scheme.lower() != "http" or scheme not in REPLAYABLE:
            continue
        if _loopback(parts.hostname or ""):
            continue  # never left this computer
        kind = "a password (Basic)" if scheme == "basic" else "a bearer token"
        yield Note(
            Severity.WARNING,
            f"Authorization with {kind} went to {parts.hostname} over plain http",
            f"The request to `{url}` carried {kind} without TLS. Basic credentials are "
            "only base64, not encrypted, and a bearer token works for whoever holds it: "
            "anyone on the path (the café's Wi-Fi, a proxy, a log) can read it and use it "
            "as you until it expires or the password changes.\n\nFix: use `https://`; "
            "if the API has no https, treat the credential as already leaked.",
        )
        return


@RULES.rule(
    "auth.bearer-error-missing",
    "A rejected bearer token answered without error=",
    references=(
        rfc(6750, "3", "The WWW-Authenticate Response Header Field"),
        rfc(6750, "3.1", "Error Codes"),
    ),
    lesson=LESSON,
)
def bearer_error_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 401:
        return
    if facts.request_header("Authorization").strip().partition(" ")[0].lower() != "bearer":
        return
    bearer = [
        params
        for scheme, params in challenges(facts.header("WWW-Authenticate"))
        if scheme == "bearer"
    ]
    if not bearer or any("error" in params for params in bearer):
        return
    yield Note(
        Severity.INFO,
        "401 to a bearer token, but the challenge has no error= saying what was wrong",
        "The request sent a token and the server refused it without saying why. RFC 6750 "
        'asks for `error="invalid_token"` (expired, revoked or malformed), '
        '`error="insufficient_scope"` (a valid token without the right scope, better as '
        '403) or `error="invalid_request"`: a client library refreshes the token on '
        "`invalid_token` and asks the user again only when that fails.\n\nFix: add "
        '`error="invalid_token"` (and `error_description`) to the Bearer challenge.',
        Pointer("header", "WWW-Authenticate"),
    )


@RULES.rule(
    "auth.basic-challenge-incomplete",
    "A Basic challenge without realm or charset",
    references=(
        rfc(7617, "2", "The 'Basic' Authentication Scheme"),
        rfc(7617, "2.1", "The 'charset' auth-param"),
    ),
    lesson=LESSON,
)
def basic_challenge_incomplete(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status not in (401, 407):
        return
    header = "WWW-Authenticate" if facts.status == 401 else "Proxy-Authenticate"
    for scheme, params in challenges(facts.header(header)):
        if scheme != "basic":
            continue
        if "realm" not in params:
            yield Note(
                Severity.WARNING,
                "Basic challenge without a realm",
                "RFC 7617 requires `realm` in a Basic challenge: it names the protection "
                "space, so a browser can say what the login is for and a client can reuse "
                'the same credentials for every URL of that realm.\n\nFix: `Basic realm="…"`.',
                Pointer("header", header),
            )
        elif "charset" not in params:
            yield Note(
                Severity.INFO,
                'Basic challenge without charset="UTF-8"',
                'Without `charset="UTF-8"` a client does not know how to encode a '
                "password with letters beyond ASCII (é, 한, ß) before base64; browsers "
                "differ, so such a password works in one and fails in another.\n\nFix: "
                'add `charset="UTF-8"` to the Basic challenge.',
                Pointer("header", header),
            )
        return
