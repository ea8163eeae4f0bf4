"""Conditional requests (RFC 9110 §13, RFC 9111 §4.3): did the server honour the
validator the request sent, and does its 304 or 412 say what it must?

Judged only from the exchange the user made: a request that carried If-None-Match or
If-Modified-Since is exactly the check REDbot makes with a request of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.header_syntax import EntityTag, entity_tag, entity_tags, http_date
from explorer.core.explain.references import rfc

RULES = RuleSet(Category.CONDITIONAL)
LESSON = "cacheability"

# The request headers that can turn a GET into a 304 (RFC 9110 §13.1.2, §13.1.3).
NOT_MODIFIED_CONDITIONS = ("If-None-Match", "If-Modified-Since")
# Every precondition (RFC 9110 §13.1); If-Range only ever changes 206 into 200.
PRECONDITIONS = ("If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since")
# Bound on the tags read from one If-None-Match / If-Match list.
MAX_TAGS = 100


def _request_tags(facts: ExchangeFacts, name: str) -> list[EntityTag]:
    return entity_tags(facts.request_header(name))[:MAX_TAGS]


def weakly_matches(tags: list[EntityTag], current: EntityTag) -> bool:
    """If-None-Match compares weakly: W/"a" matches "a" (RFC 9110 §8.8.3.2)."""
    return any(tag.value == current.value and tag.value != "*" for tag in tags)


@RULES.rule(
    "conditional.same-etag-200",
    "If-None-Match answered 200 with the very ETag it sent",
    references=(
        rfc(9110, "13.1.2", "If-None-Match"),
        rfc(9110, "8.8.3.2", "Comparison"),
        rfc(9110, "15.4.5", "304 Not Modified"),
    ),
    lesson=LESSON,
)
def same_etag_200(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 200 or facts.method not in ("GET", "HEAD"):
        return
    sent = _request_tags(facts, "If-None-Match")
    etag = facts.header("ETag")
    if not sent or not etag:
        return
    current = entity_tag(etag)
    if not weakly_matches(sent, current):
        return
    yield Note(
        Severity.WARNING,
        f"If-None-Match: {etag.strip()[:60]} matched, yet the server sent the whole body",
        'The request said "I already have the version with this ETag" and the response '
        "carries that same ETag, so nothing changed: the server should have answered "
        "`304 Not Modified` with an empty body. It sent everything again, so revalidation "
        "saves nothing, for every client and cache."
        "\n\nFix: compare `If-None-Match` with the current ETag and answer 304 when they "
        "match; most frameworks do it once the ETag is set on the response object. Check "
        "that no layer in front of the server drops `If-None-Match`.",
        Pointer("header", "ETag"),
    )


@RULES.rule(
    "conditional.not-modified-without-etag",
    "304 Not Modified without the ETag the 200 would carry",
    references=(
        rfc(9110, "15.4.5", "304 Not Modified"),
        rfc(9111, "4.3.4", "Freshening Stored Responses upon Validation"),
    ),
    lesson=LESSON,
)
def not_modified_without_etag(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 304:
        return
    sent = _request_tags(facts, "If-None-Match")
    if not sent or sent[0].value == "*":
        return
    etag = facts.header("ETag")
    if not etag:
        yield Note(
            Severity.WARNING,
            "304 Not Modified without an ETag, though the request validated by ETag",
            "A 304 must repeat the headers the full 200 would have carried, `ETag` among "
            "them (RFC 9110 §15.4.5): caches use the 304's headers to update the copy they "
            "keep (RFC 9111 §4.3.4). Without the ETag a cache cannot be sure which stored "
            "response the 304 confirms, and some clients drop the validator and download "
            "everything next time."
            "\n\nFix: send the same `ETag` (and `Cache-Control`, `Vary`) in the 304 as in "
            "the 200.",
            Pointer("header", "ETag"),
        )
        return
    current = entity_tag(etag)
    if current.well_formed and not weakly_matches(sent, current):
        yield Note(
            Severity.WARNING,
            f"304 Not Modified names ETag {etag.strip()[:60]}, which the request did not send",
            '304 means "the copy you named is still current", and its ETag says which '
            "one that is. This ETag matches none of the tags in `If-None-Match`, so the "
            "answer contradicts itself: the client's copy may be outdated while it is told "
            "to keep using it."
            "\n\nFix: answer 304 only when the current ETag is among those sent.",
            Pointer("header", "ETag"),
        )


@RULES.rule(
    "conditional.unrequested-304",
    "304 Not Modified to a request that was not conditional",
    references=(rfc(9110, "15.4.5", "304 Not Modified"), rfc(9110, "13.1", "Preconditions")),
    lesson=LESSON,
)
def unrequested_304(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 304:
        return
    if any(facts.request_header(name) for name in NOT_MODIFIED_CONDITIONS):
        return
    yield Note(
        Severity.ERROR,
        "304 Not Modified, but the request sent neither If-None-Match nor If-Modified-Since",
        '304 only answers a conditional GET or HEAD: it means "the copy you told me '
        'about is still current, use it". This request told the server about no copy, '
        "so a client that holds none is left with an empty response and nothing to show."
        "\n\nFix: send 200 with the body unless the request carries `If-None-Match` or "
        "`If-Modified-Since`.",
        Pointer("status"),
    )


@RULES.rule(
    "conditional.modified-since-ignored",
    "If-Modified-Since answered 200 although nothing changed since that date",
    references=(rfc(9110, "13.1.3", "If-Modified-Since"), rfc(9110, "13.2.2", "Precedence")),
    lesson=LESSON,
)
def modified_since_ignored(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 200 or facts.method not in ("GET", "HEAD"):
        return
    if facts.request_header("If-None-Match"):
        return  # If-None-Match wins; If-Modified-Since must then be ignored (§13.1.3)
    since_raw = facts.request_header("If-Modified-Since")
    since = http_date(since_raw) if since_raw else None
    modified = http_date(facts.header("Last-Modified"))
    if since is None or modified is None or modified > since:
        return
    yield Note(
        Severity.WARNING,
        "If-Modified-Since answered with the whole body, though Last-Modified is not newer",
        "The request asked for the body only if it changed after "
        f"`{since_raw.strip()[:40]}`; the response's Last-Modified "
        f"(`{facts.header('Last-Modified').strip()[:40]}`) is not later, so the server "
        "could have answered `304 Not Modified` with no body. Sending everything again "
        "wastes the transfer revalidation is meant to save."
        "\n\nFix: compare the dates on the server (to the second) and answer 304.",
        Pointer("header", "Last-Modified"),
    )


@RULES.rule(
    "conditional.precondition-failed",
    "412 Precondition Failed: what the failed condition means",
    references=(
        rfc(9110, "15.5.13", "412 Precondition Failed"),
        rfc(9110, "13.1.1", "If-Match"),
        rfc(9110, "13.1.4", "If-Unmodified-Since"),
    ),
    lesson=LESSON,
)
def precondition_failed(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status != 412:
        return
    sent = [name for name in PRECONDITIONS if facts.request_header(name)]
    if not sent:
        return  # status.precondition-failed-without-condition says what is wrong then
    yield Note(
        Severity.INFO,
        f"412: the {sent[0]} you sent no longer holds",
        f'The request said "only do this if `{sent[0]}` still holds" and it does not: '
        "usually someone else changed the resource since you read it, and the server "
        "refused so that you do not overwrite their change (the lost-update problem)."
        "\n\nWhat to do: GET the resource again, take its new `ETag`, reapply your "
        "change and retry with the new `If-Match`.",
        Pointer("status"),
    )
