"""Status semantics: what each status code promises, and the header or request that must
come with it (RFC 9110 §15, RFC 6585 §4).

A status code is a contract with every client and cache on the way: 201 says "here is
where the new thing lives", 405 says "these are the methods that work". The rules here
check that the parts of the contract a client needs are present, and that the answer
fits the question that was asked (a 206 to a request that asked for no range).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http import HTTPStatus

from explorer.core.explain import header_syntax
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.references import rfc

RULES = RuleSet(Category.STATUS)
LESSON = "http-methods"

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
_REDIRECTS = (301, 302, 303, 307, 308)
_NEGOTIATION = ("Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language")
_PRECONDITIONS = ("If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")
# Content-Range: bytes first-last/complete, or bytes */complete (RFC 9110 §14.4).
_CONTENT_RANGE = re.compile(r"bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*", re.IGNORECASE)
# How much of a multipart/byteranges body is searched for its parts' headers.
_MULTIPART_SCAN = 256 * 1024


def label(facts: ExchangeFacts) -> str:
    """ "201 Created": the status with the server's reason phrase, or the standard one."""
    return f"{facts.status} {phrase(facts.status, facts.reason)}".strip()


def shown(text: str, limit: int = 60) -> str:
    """`text` fit for a one-line summary: control characters (a header value from a
    hostile server or a file) become spaces, and a long value ends in "…"."""
    clean = "".join(char if char.isprintable() else " " for char in text[: limit * 2])
    clean = clean.strip()
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def phrase(status: int, reason: str = "") -> str:
    if reason.strip():
        return shown(reason)
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def has_no_content(facts: ExchangeFacts) -> bool:
    """True for the responses HTTP defines without content: 1xx, 204, 205 and 304, and
    every response to HEAD (RFC 9110 §6.4.1)."""
    return facts.method == "HEAD" or 100 <= facts.status < 200 or facts.status in (204, 205, 304)


def content_length(facts: ExchangeFacts) -> int | None:
    """The Content-Length as a number, None when absent, malformed or contradictory."""
    values = {value.strip() for value in facts.header_values("Content-Length")}
    values = {part.strip() for value in values for part in value.split(",")}
    if len(values) != 1:
        return None
    (value,) = values
    return int(value) if value.isdigit() and len(value) < 20 else None


def _lacks(facts: ExchangeFacts, name: str) -> bool:
    """True when the header is absent or only whitespace."""
    return not facts.header(name).strip()


@RULES.rule(
    "status.created-without-location",
    "201 Created without Location",
    references=(rfc(9110, "15.3.2", "201 Created"), rfc(9110, "10.2.2", "Location")),
    lesson=LESSON,
)
def created_without_location(facts: ExchangeFacts) -> Iterator[Note]:
    # A PUT (or PATCH) creates the resource at the URL it was sent to: that URL is the
    # answer, and Location is not needed (RFC 9110 §15.3.2, last sentence).
    if facts.status != 201 or facts.method in ("PUT", "PATCH") or not _lacks(facts, "Location"):
        return
    yield Note(
        Severity.WARNING,
        f"{label(facts)}, but no Location header says where the new item is",
        f"201 means the {facts.method} created something new. Without a Location header, "
        "HTTP says the new resource is the URL the request went to, which for a POST is "
        "usually the collection, not the new item. A client now has to guess the address, "
        "usually by digging an id out of the body in a way only this API understands."
        "\n\nFix: send `Location: /things/42` (relative is fine) with the 201.",
        Pointer("header", "Location"),
    )


@RULES.rule(
    "status.created-by-safe-method",
    "201 Created in answer to a safe method",
    references=(rfc(9110, "9.2.1", "Safe Methods"), rfc(9110, "15.3.2", "201 Created")),
    lesson=LESSON,
)
def created_by_safe_method(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 201 or facts.method not in _SAFE_METHODS:
        return
    yield Note(
        Severity.WARNING,
        f"{label(facts)} in answer to {facts.method}, a method that must not change anything",
        f"{facts.method} is a safe method: clients, crawlers, link previews and caches "
        "send it freely and repeat it when a connection drops, trusting that it changes "
        "nothing on the server. A resource that creates something on "
        f"{facts.method} will create duplicates every time that happens. Creating belongs "
        "to POST (or PUT to a URL the client chose).",
        Pointer("status"),
    )


@RULES.rule(
    "status.no-content-with-body",
    "A body where HTTP allows none (1xx, 204, 205, 304, HEAD)",
    references=(
        rfc(9110, "6.4.1", "Content Semantics"),
        rfc(9110, "15.3.5", "204 No Content"),
        rfc(9110, "15.4.5", "304 Not Modified"),
        rfc(9110, "8.6", "Content-Length"),
        rfc(9112, "6.3", "Message Body Length"),
    ),
    lesson=LESSON,
)
def no_content_with_body(facts: ExchangeFacts) -> Iterator[Note]:
    if not has_no_content(facts):
        return
    what = f"a response to HEAD ({label(facts)})" if facts.method == "HEAD" else label(facts)
    if facts.body_size > 0 or facts.body:
        yield Note(
            Severity.ERROR,
            f"{what} carried {max(facts.body_size, len(facts.body)):,} bytes of body",
            "HTTP defines this response as having no body at all, so a client stops reading "
            "at the end of the headers. The extra bytes stay in the connection and are read "
            "as the start of the next response, which then fails to parse or, worse, is "
            "answered with the wrong data (one user's data in another's response when a "
            "proxy shares the connection).\n\nFix: send nothing after the headers.",
            Pointer("body"),
        )
        return
    if facts.method == "HEAD" or facts.status == 304:
        return  # Content-Length there describes the body a GET would get: allowed
    length = facts.header("Content-Length").strip()
    if length and length != "0":
        yield Note(
            Severity.ERROR,
            f"{label(facts)} announces a body (Content-Length: {shown(length, 40)})",
            f"A {facts.status} has no body, and HTTP forbids sending Content-Length with it. "
            "Clients disagree on which to believe: one that trusts the status (as this tool "
            "does) stops after the headers, and any body bytes the server sent are then "
            "read as the start of the next response on the connection; one that trusts the "
            "header waits for bytes that may never come.\n\nFix: drop the header, send no body.",
            Pointer("header", "Content-Length"),
        )
    elif length == "0" and facts.status != 205:
        yield Note(
            Severity.INFO,
            f"{label(facts)} with Content-Length: 0",
            f"Harmless in practice, but HTTP says a server must not send Content-Length in "
            f"a {facts.status} response at all: the status already says there is no body.",
            Pointer("header", "Content-Length"),
        )
    if not _lacks(facts, "Transfer-Encoding"):
        yield Note(
            Severity.ERROR,
            f"{label(facts)} with Transfer-Encoding: "
            f"{shown(facts.header('Transfer-Encoding'), 40)}",
            f"A {facts.status} has no body, and HTTP/1.1 forbids Transfer-Encoding in it. A "
            "client that trusts the header reads chunks the status says are not there, and "
            "the connection gets out of step.\n\nFix: no Transfer-Encoding, no body.",
            Pointer("header", "Transfer-Encoding"),
        )


@RULES.rule(
    "status.unauthorized-without-challenge",
    "401 without WWW-Authenticate (407 without Proxy-Authenticate)",
    references=(
        rfc(9110, "15.5.2", "401 Unauthorized"),
        rfc(9110, "11.6.1", "WWW-Authenticate"),
        rfc(9110, "15.5.8", "407 Proxy Authentication Required"),
    ),
    lesson=LESSON,
)
def unauthorized_without_challenge(facts: ExchangeFacts) -> Iterator[Note]:
    header = {401: "WWW-Authenticate", 407: "Proxy-Authenticate"}.get(facts.status)
    if header is None or not _lacks(facts, header):
        return
    who = "server" if facts.status == 401 else "proxy"
    yield Note(
        Severity.ERROR,
        f"{label(facts)}, but no {header} header says how to log in",
        f"A {facts.status} must carry a {header} challenge naming the scheme the {who} "
        f'accepts (`Bearer realm="api"`, `Basic realm="x"`). It is what lets a client '
        "(or a browser, which shows its login box only then) know what credentials to "
        'send, and a token library tell an expired token (`error="invalid_token"`) from '
        "a missing one. Without it the client can only guess.\n\nFix: add "
        f'`{header}: Bearer realm="…"` (or the scheme you use).',
        Pointer("header", header),
    )


@RULES.rule(
    "status.method-not-allowed-without-allow",
    "405 Method Not Allowed without Allow",
    references=(rfc(9110, "15.5.6", "405 Method Not Allowed"), rfc(9110, "10.2.1", "Allow")),
    lesson=LESSON,
)
def method_not_allowed_without_allow(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 405 or facts.has_header("Allow"):
        return  # an empty Allow is legal: "no method works here right now"
    yield Note(
        Severity.ERROR,
        f"{label(facts)} for {facts.method}, but no Allow header lists what does work",
        "A 405 must say which methods the resource supports, in an Allow header "
        "(`Allow: GET, HEAD, POST`). That list is how a client, a generated SDK or a "
        "person with this tool finds the right method without reading the docs; without "
        "it the 405 only says 'not that one'.\n\nFix: send Allow with every 405 (most "
        "frameworks do when the route declares its methods).",
        Pointer("header", "Allow"),
    )


@RULES.rule(
    "status.method-in-allow",
    "405 for a method the Allow header lists",
    references=(rfc(9110, "15.5.6", "405 Method Not Allowed"), rfc(9110, "10.2.1", "Allow")),
    lesson=LESSON,
)
def method_in_allow(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 405 or not facts.has_header("Allow"):
        return
    allowed = {item.upper() for item in header_syntax.split_list(facts.header("Allow"))}
    if facts.method in allowed:
        yield Note(
            Severity.WARNING,
            f"{label(facts)} for {facts.method}, yet Allow lists {facts.method}",
            "The status says the method is not supported and the Allow header says it is. "
            "A client that retries with a method from Allow gets the same refusal again. "
            "Usually the route handler refuses for another reason (permissions, state): "
            "that is a 403 or a 409, not a 405.",
            Pointer("header", "Allow"),
        )


@RULES.rule(
    "status.retry-after-missing",
    "429 or 503 without Retry-After",
    references=(
        rfc(6585, "4", "429 Too Many Requests"),
        rfc(9110, "15.6.4", "503 Service Unavailable"),
        rfc(9110, "10.2.3", "Retry-After"),
    ),
    lesson=LESSON,
)
def retry_after_missing(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status not in (429, 503) or not _lacks(facts, "Retry-After"):
        return
    if facts.status == 429:
        yield Note(
            Severity.WARNING,
            f"{label(facts)}, but no Retry-After says when to try again",
            "The client is told to slow down but not by how much. Well-behaved clients then "
            "guess (often retrying at once, which is what got them limited), badly behaved "
            "ones hammer the server in a loop. `Retry-After: 30` (seconds, or an HTTP date) "
            "turns the refusal into a schedule that SDKs and retry libraries follow "
            "automatically.",
            Pointer("header", "Retry-After"),
        )
    else:
        yield Note(
            Severity.INFO,
            f"{label(facts)} without Retry-After",
            "When the outage has a known end (maintenance, a restart, overload that sheds "
            "in seconds), `Retry-After` tells clients and load balancers when to come "
            "back, instead of every client retrying at once the moment it can. Optional, "
            "but worth sending when you know.",
            Pointer("header", "Retry-After"),
        )


@RULES.rule(
    "status.retry-after-invalid",
    "Retry-After that is neither seconds nor an HTTP date",
    references=(rfc(9110, "10.2.3", "Retry-After"),),
    lesson=LESSON,
)
def retry_after_invalid(facts: ExchangeFacts) -> Iterator[Note]:
    value = facts.header("Retry-After").strip()
    if not value or value.isdigit() or header_syntax.http_date(value) is not None:
        return
    yield Note(
        Severity.WARNING,
        f"Retry-After: {shown(value, 40)} is not a number of seconds or an HTTP date",
        "Retry-After takes either whole seconds (`120`) or an HTTP date "
        "(`Wed, 21 Oct 2026 07:28:00 GMT`). Anything else (`2m`, `1.5`, an ISO date) is "
        "ignored by clients, which then retry on their own schedule.",
        Pointer("header", "Retry-After"),
    )


@RULES.rule(
    "status.redirect-without-location",
    "Redirect without Location",
    references=(rfc(9110, "15.4", "Redirection 3xx"), rfc(9110, "10.2.2", "Location")),
    lesson=LESSON,
)
def redirect_without_location(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status not in _REDIRECTS or not _lacks(facts, "Location"):
        return
    yield Note(
        Severity.ERROR,
        f"{label(facts)}, but no Location header says where to go",
        f"A {facts.status} sends the client somewhere else, and the Location header is the "
        "only place that says where. Without it a client cannot follow: browsers show a "
        "blank page, HTTP libraries (this tool too) hand the redirect to your code as if "
        "it were the answer.\n\nFix: `Location: /new/place`.",
        Pointer("header", "Location"),
    )


def _multipart_parts_without_range(facts: ExchangeFacts, boundary: str) -> tuple[int, int]:
    """(parts seen, parts lacking Content-Range) in the start of a multipart body."""
    body = facts.body[:_MULTIPART_SCAN]
    delimiter = b"--" + boundary.encode("latin-1", "replace")
    pieces = body.split(delimiter)[1:]
    seen = missing = 0
    for piece in pieces[:1000]:
        if piece.startswith(b"--"):
            break  # the closing delimiter
        headers, found, _ = piece.partition(b"\r\n\r\n")
        if not found:
            headers, found, _ = piece.partition(b"\n\n")
        if not found:
            continue  # cut off by the bound
        seen += 1
        if b"content-range:" not in headers.lower():
            missing += 1
    return seen, missing


@RULES.rule(
    "status.partial-without-content-range",
    "206 Partial Content without Content-Range",
    references=(
        rfc(9110, "15.3.7", "206 Partial Content"),
        rfc(9110, "14.4", "Content-Range"),
        rfc(9110, "14.6", "Media Type multipart/byteranges"),
    ),
    lesson=LESSON,
)
def partial_without_content_range(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 206:
        return
    media, params = header_syntax.media_type(facts.header("Content-Type"))
    if media == "multipart/byteranges":
        if not _lacks(facts, "Content-Range"):
            yield Note(
                Severity.WARNING,
                "A multipart 206 with a Content-Range header of its own",
                "In a multipart/byteranges response each part says which range it holds; a "
                "Content-Range on the whole response contradicts that, and a client may take "
                "the whole body for that one range.\n\nFix: Content-Range only inside the parts.",
                Pointer("header", "Content-Range"),
            )
        seen, missing = _multipart_parts_without_range(facts, params.get("boundary", ""))
        if not params.get("boundary"):
            yield Note(
                Severity.ERROR,
                "multipart/byteranges without a boundary parameter",
                "The boundary parameter of Content-Type is what separates the parts; "
                "without it no client can find where one range ends and the next begins.",
                Pointer("header", "Content-Type"),
            )
        elif missing:
            yield Note(
                Severity.ERROR,
                f"{missing} of {seen} parts of this multipart 206 lack Content-Range",
                "Each part of a multipart/byteranges response must say which bytes it holds "
                "(`Content-Range: bytes 0-99/1000`); without it a client cannot put the "
                "pieces back in place and has to throw the response away.",
                Pointer("body"),
            )
        return
    value = facts.header("Content-Range").strip()
    if not value:
        yield Note(
            Severity.ERROR,
            f"{label(facts)} without Content-Range",
            "A 206 carries only part of the resource, and Content-Range "
            "(`bytes 0-99/1000`) is what says which part and how big the whole is. "
            "Without it a download manager or video player cannot place the bytes, and a "
            "cache may store the fragment as if it were the complete file.\n\nFix: send "
            "Content-Range, or answer 200 with the whole body if you do not support ranges.",
            Pointer("header", "Content-Range"),
        )
        return
    match = _CONTENT_RANGE.fullmatch(value[:200])
    if match is None or match.group(1) is None:
        yield Note(
            Severity.WARNING,
            f"Content-Range: {shown(value, 60)} is not a valid byte range",
            "In a 206 it must read `bytes first-last/complete` (`bytes 0-99/1000`, or "
            "`bytes 0-99/*` when the total is unknown). Clients that cannot read it have "
            "to discard the partial body.",
            Pointer("header", "Content-Range"),
        )
        return
    first, last, total = int(match.group(1)), int(match.group(2)), match.group(3)
    if last < first or (total != "*" and last >= int(total)):
        yield Note(
            Severity.ERROR,
            f"Content-Range: {shown(value, 60)} is an impossible range",
            "The last byte must not come before the first, and both must lie inside the "
            "complete length. A client cannot place these bytes.",
            Pointer("header", "Content-Range"),
        )
    elif facts.method != "HEAD" and facts.body_size != last - first + 1:
        yield Note(
            Severity.ERROR,
            f"Content-Range says {last - first + 1:,} bytes, but {facts.body_size:,} arrived",
            "The range in Content-Range and the bytes actually sent disagree, so the client "
            "writes the wrong bytes at the wrong place of the file it is assembling.",
            Pointer("header", "Content-Range"),
        )


@RULES.rule(
    "status.range-not-requested",
    "206 or 416 to a request without Range",
    references=(rfc(9110, "14.2", "Range"), rfc(9110, "15.3.7", "206 Partial Content")),
    lesson=LESSON,
)
def range_not_requested(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status not in (206, 416) or facts.request_header("Range").strip():
        return
    if facts.status == 206:
        yield Note(
            Severity.ERROR,
            f"{label(facts)} to a request without Range",
            "Only a request with a Range header may get part of a resource. A client that "
            "did not ask for a range does not expect one: it takes these bytes for the "
            "whole resource and stores or shows a truncated file.\n\nFix: answer 200 with the "
            "whole body when there is no Range header.",
            Pointer("status"),
        )
    else:
        yield Note(
            Severity.WARNING,
            f"{label(facts)}, but the request asked for no range",
            "416 means 'the range you asked for is outside the resource'. This request "
            "asked for none, so the client has nothing to correct. The right status is "
            "probably 200, or 400 if something else is wrong with the request.",
            Pointer("status"),
        )


@RULES.rule(
    "status.unsatisfiable-without-length",
    "416 without Content-Range: */length",
    references=(rfc(9110, "15.5.17", "416 Range Not Satisfiable"),),
    lesson=LESSON,
)
def unsatisfiable_without_length(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 416:
        return
    value = facts.header("Content-Range").strip()
    match = _CONTENT_RANGE.fullmatch(value[:200]) if value else None
    if match is not None and match.group(1) is None and match.group(3) != "*":
        return
    yield Note(
        Severity.INFO,
        f"{label(facts)} without `Content-Range: bytes */length`",
        "A 416 should say how long the resource really is (`Content-Range: bytes */1000`), "
        "so a client resuming a download can ask again for a range that exists instead of "
        "starting over.",
        Pointer("header", "Content-Range"),
    )


@RULES.rule(
    "status.content-range-out-of-place",
    "Content-Range on a status other than 206 or 416",
    references=(rfc(9110, "14.4", "Content-Range"),),
    lesson=LESSON,
)
def content_range_out_of_place(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status in (206, 416) or _lacks(facts, "Content-Range"):
        return
    yield Note(
        Severity.WARNING,
        f"{label(facts)} carries Content-Range: {shown(facts.header('Content-Range'), 40)}",
        "Content-Range only means something in a 206 (which part this is) or a 416 (how "
        "long the whole is). On a full response a cache or download manager may take the "
        "body for a fragment and try to combine it with others.\n\nFix: drop the header.",
        Pointer("header", "Content-Range"),
    )


@RULES.rule(
    "status.precondition-failed-without-condition",
    "412 to a request without preconditions",
    references=(rfc(9110, "15.5.13", "412 Precondition Failed"),),
    lesson=LESSON,
)
def precondition_failed_without_condition(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 412 or any(facts.request_header(h).strip() for h in _PRECONDITIONS):
        return
    yield Note(
        Severity.WARNING,
        f"{label(facts)}, but the request carried no If-… header",
        "412 means 'a condition you set (If-Match, If-Unmodified-Since…) is false'. This "
        "request set none, so the client cannot tell what to change. If the server requires "
        "a condition the right answer is 428 Precondition Required.",
        Pointer("status"),
    )


@RULES.rule(
    "status.not-acceptable-without-negotiation",
    "406 to a request that did not negotiate",
    references=(rfc(9110, "15.5.7", "406 Not Acceptable"), rfc(9110, "12.5.1", "Accept")),
    lesson=LESSON,
)
def not_acceptable_without_negotiation(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 406 or any(facts.request_header(h).strip() for h in _NEGOTIATION):
        return
    yield Note(
        Severity.WARNING,
        f"{label(facts)}, but the request sent no Accept-… header",
        "406 means 'none of the formats you accept is available'. A request without Accept "
        "accepts anything, so a 406 leaves the client nothing to change. Send the default "
        "representation instead.",
        Pointer("status"),
    )


@RULES.rule(
    "status.not-modified-without-date",
    "304 Not Modified without Date",
    references=(rfc(9110, "15.4.5", "304 Not Modified"), rfc(9110, "6.6.1", "Date")),
    lesson=LESSON,
)
def not_modified_without_date(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 304 or not _lacks(facts, "Date"):
        return
    yield Note(
        Severity.WARNING,
        "304 Not Modified without a Date header",
        "A cache uses a 304's Date to work out the age of the copy it keeps serving; "
        "without it the freshness it computes can be wrong. A 304 must repeat Date (and "
        "ETag, Cache-Control, Expires, Vary) as a 200 would have sent them.",
        Pointer("header", "Date"),
    )


_REPRESENTATION_METADATA = ("Content-Type", "Content-Encoding", "Content-Language")


@RULES.rule(
    "status.not-modified-with-content-headers",
    "304 Not Modified with Content-Type, Content-Encoding or Content-Language",
    references=(
        rfc(9110, "15.4.5", "304 Not Modified"),
        rfc(9111, "4.3.4", "Freshening Stored Responses upon Validation"),
    ),
    lesson=LESSON,
)
def not_modified_with_content_headers(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 304:
        return
    present = [name for name in _REPRESENTATION_METADATA if not _lacks(facts, name)]
    if not present:
        return
    yield Note(
        Severity.INFO,
        f"304 Not Modified with {', '.join(present)}",
        "A 304 has no body, so these headers describe nothing here. A cache that gets the "
        "304 copies its headers onto the response it stored, so a value that differs "
        "from the stored one (a framework's default `text/html` on every 304, say) "
        "relabels the cached body. Send only what a cache should update: ETag, Date, "
        "Cache-Control, Expires, Vary, Content-Location.",
        Pointer("header", present[0]),
    )


@RULES.rule(
    "status.location-out-of-place",
    "Location on a status that gives it no meaning",
    references=(rfc(9110, "10.2.2", "Location"), rfc(9110, "8.7", "Content-Location")),
    lesson=LESSON,
)
def location_out_of_place(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status == 201 or 300 <= facts.status < 400 or _lacks(facts, "Location"):
        return
    if facts.status == 202:
        return  # a status monitor's address: not HTTP's meaning, but a common, clear one
    yield Note(
        Severity.INFO,
        f"{label(facts)} carries Location: {shown(facts.header('Location'), 60)}",
        "HTTP gives Location a meaning only in a 201 (the new resource) and in redirects "
        "(where to go). Here clients ignore it. If it names the URL of the body sent, the "
        "header for that is Content-Location.",
        Pointer("header", "Location"),
    )


_DEPRECATED = {305: "305 Use Proxy", 306: "306 (Unused)"}


@RULES.rule(
    "status.nonstandard-code",
    "A status code that is not standard",
    references=(
        rfc(9110, "15", "Status Codes"),
        rfc(9110, "15.5.19", "418 (Unused)"),
        rfc(9110, "15.4.6", "305 Use Proxy"),
    ),
    lesson=LESSON,
)
def nonstandard_code(facts: ExchangeFacts) -> Iterator[Note]:
    status = facts.status
    if not 100 <= status <= 599:
        yield Note(
            Severity.ERROR,
            f"Status {status} is outside the range HTTP defines (100-599)",
            "Every status code is three digits from 100 to 599; its first digit is its class "
            "(2xx success, 4xx client error…). Clients cannot classify this one and may "
            "treat the response as broken.",
            Pointer("status"),
        )
    elif status in _DEPRECATED:
        yield Note(
            Severity.WARNING,
            f"{_DEPRECATED[status]} is deprecated",
            "Clients ignore it for security reasons (a response must not be able to choose "
            "the proxy a client uses). Use an ordinary redirect or 503.",
            Pointer("status"),
        )
    elif status == 418:
        yield Note(
            Severity.INFO,
            f"{label(facts)}: an April Fools' joke, not part of HTTP",
            "418 comes from RFC 2324, a 1998 joke about coffee pots. HTTP reserves the "
            "number so nobody uses it for something real, and clients treat it as a plain "
            "400. Fine for a test endpoint; a real API should pick a status clients know.",
            Pointer("status"),
        )
    else:
        try:
            HTTPStatus(status)
        except ValueError:
            yield Note(
                Severity.INFO,
                f"Status {status} is not a registered HTTP status code",
                f"Clients that do not know it treat it as {status // 100}00, the generic "
                "code of its class, so anything specific it was meant to say is lost. "
                "Prefer a registered code and put the detail in the body.",
                Pointer("status"),
            )
