"""Which of REDbot's notes say what which of the explainer's rules say.

REDbot 2.7.1 (its checks are in the `httplint` library it depends on) names each note by
its class, like `CREATED_WITHOUT_LOCATION`. The comparison
(tests/e2e/test_explain_vs_redbot.py) and the rule catalogue (docs/EXPLAIN.md) read
these tables:

- `SAME`: a rule and the REDbot notes that judge the same thing from the same response.
  Compared both ways: when REDbot reports one of the notes, we report the rule, and
  when we report the rule, REDbot reports one of the notes.
- `REDBOT_NARROWER`: a rule and REDbot notes that judge part of what the rule judges.
  Compared one way: when REDbot reports one of the notes, we report the rule.
- `OURS_NARROWER`: a rule that judges part of what REDbot's notes judge. Compared one
  way: when we report the rule, REDbot reports one of the notes.
- `GOOD_NOTE_ABSENT`: a rule about a missing header, and REDbot's "good" note for that
  header being there. Compared one way: when we say it is missing, REDbot must not
  praise it.
- `ACTIVE`: REDbot notes that come from requests REDbot makes of its own (a conditional
  GET, a Range request, a gzip request): out of the comparison's scope, since the
  explainer judges the exchange it is given and sends nothing. With the rule that
  covers the same ground from a response the user got, where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

SAME: dict[str, frozenset[str]] = {
    "status.created-without-location": frozenset({"CREATED_WITHOUT_LOCATION"}),
    "status.redirect-without-location": frozenset({"REDIRECT_WITHOUT_LOCATION"}),
    "status.partial-without-content-range": frozenset({"PARTIAL_WITHOUT_RANGE"}),
    # REDbot reads a 204/304 as ending at its headers, so the body it carries shows up as
    # data after the message (EXTRA_DATA), or as content on it (CONTENT_NOT_ALLOWED,
    # BODY_NOT_ALLOWED) when a Content-Length announces it.
    "status.no-content-with-body": frozenset(
        {"CONTENT_NOT_ALLOWED", "BODY_NOT_ALLOWED", "EXTRA_DATA"}
    ),
    "content.type-mismatch": frozenset({"CONTENT_TYPE_MISMATCH"}),
    "content.charset-wrong": frozenset(
        {"CHARSET_MISMATCH", "CHARSET_UNDECODABLE", "CHARSET_IMPLICIT_MISMATCH"}
    ),
    "content.length-mismatch": frozenset({"CL_INCORRECT"}),
    "caching.contradicting-directives": frozenset(
        {"CC_CONFLICTING", "STORE_PRIVATE_PUBLIC_CONFLICT"}
    ),
    "caching.expires-and-max-age": frozenset({"CC_AND_EXPIRES"}),
    "caching.heuristic-freshness": frozenset({"FRESHNESS_HEURISTIC"}),
    "caching.no-cache-without-validator": frozenset({"FRESHNESS_NO_CACHE_NO_VALIDATOR"}),
    # httplint's SET_COOKIE_NOT_SECURE is about SameSite=None without Secure; REDbot has
    # no note for an https cookie without Secure (cookies.secure-missing).
    "cookies.samesite-none-without-secure": frozenset({"SET_COOKIE_NOT_SECURE"}),
    # Beyond the list, rules modelled on REDbot's own status and field checks.
    "status.created-by-safe-method": frozenset({"CREATED_SAFE_METHOD"}),
    "status.method-in-allow": frozenset({"STATUS_405_METHOD_IN_ALLOW"}),
    "status.range-not-requested": frozenset({"PARTIAL_NOT_REQUESTED", "STATUS_416_WITHOUT_RANGE"}),
    "status.unsatisfiable-without-length": frozenset({"STATUS_416_WITHOUT_CONTENT_RANGE"}),
    "status.content-range-out-of-place": frozenset({"CONTENT_RANGE_MEANINGLESS"}),
    "status.precondition-failed-without-condition": frozenset({"STATUS_412_WITHOUT_PRECONDITION"}),
    "status.not-acceptable-without-negotiation": frozenset({"STATUS_406_WITHOUT_NEGOTIATION"}),
    "status.not-modified-without-date": frozenset({"NO_DATE_304"}),
    "status.location-out-of-place": frozenset({"LOCATION_UNDEFINED"}),
    "content.length-with-transfer-encoding": frozenset({"CL_AND_TE_PRESENT"}),
    "caching.vary-star": frozenset({"VARY_ASTERISK"}),
    "status.nonstandard-code": frozenset(
        {"STATUS_NONSTANDARD", "STATUS_RESERVED", "STATUS_DEPRECATED", "STATUS_IM_A_TEAPOT"}
    ),
    "cors.multiple-origins": frozenset({"ACAO_MULTIPLE_VALUES"}),
    # httplint checks the value's syntax first: anything but `true` is BAD_SYNTAX there.
    "cors.credentials-not-true": frozenset(
        {"ACAC_NOT_TRUE", "BAD_SYNTAX@field-access-control-allow-credentials"}
    ),
    "cors.null-origin": frozenset({"CORS_ORIGIN_NULL"}),
    "security.nosniff-invalid": frozenset({"CONTENT_TYPE_OPTIONS_UNKNOWN"}),
    "security.frame-options-invalid": frozenset(
        {"FRAME_OPTIONS_UNKNOWN", "FRAME_OPTIONS_ALLOW_FROM"}
    ),
    "cookies.prefix-violation": frozenset(
        {
            "SET_COOKIE_PREFIX_HOST_BAD_DOMAIN",
            "SET_COOKIE_PREFIX_HOST_BAD_PATH",
            "SET_COOKIE_PREFIX_SECURE_MISSING",
        }
    ),
    "caching.public-with-authorization": frozenset({"STORE_PUBLIC_AUTH"}),
}


@dataclass(frozen=True)
class OneWay:
    """REDbot notes that cover more, or less, than a rule, and why the scopes differ."""

    notes: frozenset[str]
    why: str


# caching.no-validators has no REDbot note: REDbot names only the no-cache case, which
# is caching.no-cache-without-validator (in SAME).
REDBOT_NARROWER: dict[str, OneWay] = {
    "caching.bad-last-modified": OneWay(
        frozenset({"LM_FUTURE"}),
        "REDbot names a Last-Modified in the future here, and one that is not a date "
        "with its note for any bad date field (BAD_DATE_SYNTAX); the rule says both.",
    ),
}

OURS_NARROWER: dict[str, OneWay] = {
    "redirects.relative-location": OneWay(
        frozenset({"LOCATION_NOT_ABSOLUTE"}),
        "REDbot notes a relative Location on any status (a 201, a 200); the rule speaks "
        "of redirects, whose Location the client resolves to follow it. A Location on a "
        "200 is status.location-out-of-place's, and a relative one on a 201 is as legal "
        "as on a 3xx (RFC 9110 §10.2.2).",
    ),
}

GOOD_NOTE_ABSENT: dict[str, str] = {
    "security.nosniff-missing": "CONTENT_TYPE_OPTIONS",
    "security.csp-missing": "CONTENT_SECURITY_POLICY",
    "security.hsts-missing": "HSTS_VALID",
}

# REDbot note -> (the rule that judges the same from a response the user got, or "",
# what REDbot does to find it).
ACTIVE: dict[str, tuple[str, str]] = {
    "MISSING_HDRS_304": (
        "conditional.not-modified-without-etag",
        "sends If-None-Match itself and checks the 304 repeats ETag, Cache-Control …",
    ),
    "INM_304": ("", "sends If-None-Match with the ETag and expects 304"),
    "INM_FULL": ("", "If-None-Match answered with the full body"),
    "INM_DUP_ETAG_STRONG": (
        "conditional.same-etag-200",
        "the same strong ETag on a changed body, seen across its own requests",
    ),
    "INM_DUP_ETAG_WEAK": ("", "the same weak ETag on a changed body"),
    "INM_STATUS": ("", "If-None-Match answered with an unexpected status"),
    "INM_UNKNOWN": ("", "If-None-Match answered in full, the body had changed"),
    "IMS_304": ("", "sends If-Modified-Since and expects 304"),
    "IMS_FULL": ("", "If-Modified-Since answered with the full body"),
    "IMS_STATUS": ("", "If-Modified-Since answered with an unexpected status"),
    "IMS_UNKNOWN": ("", "If-Modified-Since answered in full, the body had changed"),
    "MISSING_HDRS_206": (
        "status.partial-without-content-range",
        "sends a Range request itself and checks the 206's headers",
    ),
    "RANGE_CORRECT": ("", "sends a Range request and checks the bytes"),
    "RANGE_INCORRECT": ("", "the bytes of its Range request are wrong"),
    "RANGE_FULL": ("", "its Range request got the whole body"),
    "RANGE_CHANGED": ("", "its Range request got another representation"),
    "RANGE_CL_FULL": ("", "the partial response's Content-Length is the full one"),
    "RANGE_INCORRECT_LENGTH": ("", "Content-Range's total disagrees with the body"),
    "RANGE_NEG_MISMATCH": ("", "ranges and compression disagree"),
    "RANGE_STATUS": ("", "its Range request got an unexpected status"),
    "UNKNOWN_RANGE": ("", "Accept-Ranges names an unknown unit"),
    "CONNEG_GZIP_GOOD": ("", "sends Accept-Encoding: gzip and compares"),
    "CONNEG_GZIP_BAD": ("", "gzip made the body larger"),
    "CONNEG_NO_GZIP": ("", "no gzip on its Accept-Encoding request"),
    "CONNEG_NO_VARY": (
        "caching.vary-missing",
        "compares a gzip and an identity answer; negotiated without Vary",
    ),
    "VARY_INCONSISTENT": ("", "Vary differs between its negotiated requests"),
    "VARY_HEADER_MISMATCH": ("", "a header differs between its negotiated requests"),
    "VARY_STATUS_MISMATCH": ("", "the status differs between its negotiated requests"),
    "VARY_ETAG_DOESNT_CHANGE": (
        "",
        "the ETag is the same for the gzip and identity bodies",
    ),
    "VARY_BODY_MISMATCH": ("", "the bodies differ between its negotiated requests"),
}


# (rule id, case label of the comparison) -> why the explainer and REDbot differ there on
# purpose. The comparison fails on a difference not listed here, and on one listed here
# that no longer happens.
# REDbot 2.7.1 makes its response linter without the request it sent (in
# redbot/resource/fetch.py, `HttpResponseLinter()` gets no `related` request), so every
# check of httplint that needs the request is skipped inside REDbot.
_NO_REQUEST = (
    "REDbot 2.7.1 never hands its response linter the request it sent, so httplint's "
    "{note} (which needs the request: {needs}) never runs inside REDbot; the explainer "
    "judges the request as sent."
)
KNOWN: dict[tuple[str, str], str] = {
    ("status.created-by-safe-method", "crafted: 201 to a GET"): _NO_REQUEST.format(
        note="CREATED_SAFE_METHOD", needs="its method"
    ),
    ("status.method-in-allow", "crafted: 405 listing the method"): _NO_REQUEST.format(
        note="STATUS_405_METHOD_IN_ALLOW", needs="its method"
    ),
    ("status.range-not-requested", "crafted: 206 not asked for"): _NO_REQUEST.format(
        note="PARTIAL_NOT_REQUESTED", needs="whether it sent Range"
    ),
    ("status.unsatisfiable-without-length", "crafted: 416 without Content-Range"): (
        _NO_REQUEST.format(note="STATUS_416_WITHOUT_CONTENT_RANGE", needs="its Range")
    ),
    (
        "status.precondition-failed-without-condition",
        "crafted: 412 without a condition",
    ): _NO_REQUEST.format(
        note="STATUS_412_WITHOUT_PRECONDITION", needs="whether it sent If-Match …"
    ),
    ("cors.null-origin", "crafted: null origin"): _NO_REQUEST.format(
        note="CORS_ORIGIN_NULL", needs="its Origin"
    ),
    ("caching.public-with-authorization", "crafted: public to an authorized request"): (
        _NO_REQUEST.format(note="STORE_PUBLIC_AUTH", needs="its Authorization")
    ),
    ("content.type-mismatch", "mistake: JSON as HTML"): (
        "REDbot sniffs the body by the WHATWG MIME Sniffing standard, which has no "
        "pattern for JSON, so JSON text labelled text/html passes; the explainer parses "
        "the body, finds a JSON document and says the label hides it."
    ),
}


# (rule id, case label) -> why REDbot sees the same thing only sometimes. Compared one
# way there: when REDbot reports the note, we must report the rule.
TIMING_DEPENDENT: dict[tuple[str, str], str] = {
    ("status.no-content-with-body", "mistake: 204 with a body"): (
        "REDbot sees the body of a 204 only when it arrives in the same read as the "
        "headers (EXTRA_DATA); the server writes the two separately, so under load REDbot "
        "may have finished with the response first. The explainer reads the Content-Length "
        "that announces the body, every time."
    ),
}


def redbot_equivalent(rule_id: str) -> str:
    """What REDbot reports for the same thing, in words for the catalogue."""
    if rule_id in SAME:
        return ", ".join(f"`{name}`" for name in sorted(SAME[rule_id]))
    if rule_id in REDBOT_NARROWER:
        names = sorted(REDBOT_NARROWER[rule_id].notes)
        return ", ".join(f"`{name}`" for name in names) + " (part of it)"
    if rule_id in OURS_NARROWER:
        names = sorted(OURS_NARROWER[rule_id].notes)
        return ", ".join(f"`{name}`" for name in names) + " (more than it)"
    if rule_id in GOOD_NOTE_ABSENT:
        return f"no `{GOOD_NOTE_ABSENT[rule_id]}` (its good note)"
    active = sorted(name for name, (rule, _how) in ACTIVE.items() if rule == rule_id)
    if active:
        return ", ".join(f"`{name}`" for name in active) + " (active check)"
    return "—"
