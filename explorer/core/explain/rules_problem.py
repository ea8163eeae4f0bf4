"""Problem details (RFC 9457): errors a program can read.

`application/problem+json` gives every error the same shape (`type`, `title`, `status`,
`detail`, `instance`), so one piece of client code can handle the errors of any API
that uses it. These rules check that shape, suggest it where an API invented its own,
and catch the framework's HTML error page sent to a client that asked for JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from explorer.core.explain import header_syntax
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.references import rfc
from explorer.core.explain.rules_content import has_body, is_json_type, parse_json, sniff
from explorer.core.explain.rules_status import label, phrase, shown

RULES = RuleSet(Category.PROBLEM)
LESSON = "uniform-interface"

PROBLEM_JSON = "application/problem+json"
_MEMBERS = ("type", "title", "status", "detail", "instance")
# The characters a URI reference may hold (RFC 3986 §2), percent-escapes included.
_URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


def _type_name(value: object) -> str:
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), "null")


@RULES.rule(
    "problem.structure",
    "An application/problem+json body that breaks RFC 9457",
    references=(
        rfc(9457, "3", "The Problem Details JSON Object"),
        rfc(9457, "3.1.1", '"type"'),
        rfc(9457, "3.1.2", '"status"'),
        rfc(9457, "4.2.1", "about:blank"),
    ),
    lesson=LESSON,
)
def structure(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.media_type != PROBLEM_JSON or not has_body(facts):
        return
    if not facts.body_complete:
        return  # a problem document over the explain bound is not one to judge
    parsed, document = parse_json(facts)
    if not parsed:
        yield Note(
            Severity.ERROR,
            "application/problem+json whose body is not JSON",
            "A client that sees this type hands the body to a JSON parser to read the "
            "error's title and detail; it fails, and the user sees a parse error instead "
            "of the problem.\n\nFix: serialise the problem with a JSON library.",
            Pointer("body"),
        )
        return
    if not isinstance(document, dict):
        yield Note(
            Severity.ERROR,
            f"A problem document must be a JSON object, this one is {_type_name(document)}",
            "RFC 9457 defines a problem as an object with members such as `title` and "
            "`detail`. A client looking for them in an array or a string finds nothing.",
            Pointer("body", "$"),
        )
        return
    yield from _status_member(facts, document)
    yield from _type_member(facts, document)
    for name in ("title", "detail", "instance"):
        if name in document and not isinstance(document[name], str):
            yield Note(
                Severity.WARNING,
                f'"{name}" is {_type_name(document[name])}, not a string',
                f"RFC 9457 says a member of the wrong type must be ignored, so clients drop "
                f'this "{name}" and show the error without it.',
                Pointer("body", f"$.{name}"),
            )


def _status_member(facts: ExchangeFacts, document: dict[str, object]) -> Iterator[Note]:
    if "status" not in document:
        return
    status = document["status"]
    if isinstance(status, bool) or not isinstance(status, int | float):
        yield Note(
            Severity.WARNING,
            f'"status" is {_type_name(status)} ({shown(str(status), 20)}), not a number',
            'RFC 9457 makes "status" a JSON number, the same as the HTTP status code. '
            'Clients that compare it with the code find `"404"` is not `404` and ignore it.',
            Pointer("body", "$.status"),
        )
    elif status != facts.status:
        yield Note(
            Severity.WARNING,
            f'The problem says "status": {status:g}, the response is {label(facts)}',
            'The "status" member only repeats the HTTP status code, for clients that see '
            "the document after a proxy or log lost the real one. When the two disagree, "
            "code that reads the header and code that reads the body handle the same error "
            "differently.\n\nFix: set both from one value.",
            Pointer("body", "$.status"),
        )


def _type_member(facts: ExchangeFacts, document: dict[str, object]) -> Iterator[Note]:
    kind = document.get("type", "about:blank")
    if not isinstance(kind, str):
        yield Note(
            Severity.WARNING,
            f'"type" is {_type_name(kind)}, not a URI string',
            'The "type" member names the kind of problem with a URI (`about:blank` when '
            'there is nothing more to say than the status). Clients ignore a "type" that is '
            "not a string and fall back to about:blank, losing what kind of error it was.",
            Pointer("body", "$.type"),
        )
        return
    if not kind or not _URI_REFERENCE.fullmatch(kind):
        yield Note(
            Severity.WARNING,
            f'"type": {kind[:60]!r} is not a URI',
            'The "type" member is a URI reference (`https://example.com/probs/out-of-credit`'
            ", or `/probs/out-of-credit`). Spaces and other characters outside URIs make "
            "clients that resolve or compare it fail; use a slug-like path.",
            Pointer("body", "$.type"),
        )
        return
    title = document.get("title")
    standard = phrase(facts.status)
    if kind == "about:blank" and isinstance(title, str) and standard:
        if title.strip().lower() != standard.lower():
            yield Note(
                Severity.INFO,
                f'"type": "about:blank" with a title of its own ({title[:40]!r})',
                'about:blank means "this problem is just the status code", and its title '
                f'should then be the status phrase ("{standard}"). A specific title asks '
                'for a problem type of its own: give it a "type" URI, so clients can '
                "recognise this kind of error without reading the English.",
                Pointer("body", "$.title"),
            )


@RULES.rule(
    "problem.not-labelled",
    "An error in problem-details shape sent as application/json",
    references=(rfc(9457, "3", "The Problem Details JSON Object"),),
    lesson=LESSON,
)
def not_labelled(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status < 400 or facts.media_type != "application/json" or not has_body(facts):
        return
    parsed, document = parse_json(facts)
    if not parsed or not isinstance(document, dict):
        return
    members = [name for name in _MEMBERS if name in document]
    if len(members) < 2 or not ({"title", "detail"} & set(members)):
        return
    yield Note(
        Severity.INFO,
        f"This error looks like problem details ({', '.join(members)}) but is labelled "
        "application/json",
        "Its body already has the RFC 9457 shape. Sending it as "
        "`Content-Type: application/problem+json` tells clients so: generic error handlers "
        "(and this tool) then show its title and detail without knowing your API.",
        Pointer("header", "Content-Type"),
    )


def _accepts_json_not_html(facts: ExchangeFacts) -> bool:
    """True when the request's Accept names a JSON type and not HTML: a program asked."""
    accept = facts.request_header("Accept")
    wants_json = wants_html = False
    for item in header_syntax.split_list(accept):
        media, params = header_syntax.media_type(item)
        if params.get("q", "1").strip() in ("0", "0.0", "0.00", "0.000"):
            continue
        wants_json = wants_json or is_json_type(media)
        wants_html = wants_html or media in ("text/html", "application/xhtml+xml")
    return wants_json and not wants_html


@RULES.rule(
    "problem.html-error-for-json-client",
    "An HTML error page to a request that asked for JSON",
    references=(rfc(9110, "12.5.1", "Accept"), rfc(9457, "3", "The Problem Details JSON Object")),
    lesson=LESSON,
)
def html_error_for_json_client(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status < 400 or not has_body(facts) or not _accepts_json_not_html(facts):
        return
    if facts.media_type not in ("text/html", "application/xhtml+xml") and sniff(facts) != "html":
        return
    yield Note(
        Severity.WARNING,
        f"{label(facts)} as an HTML page, though the request asked for JSON",
        f"The request said `Accept: {shown(facts.request_header('Accept'), 60)}`: a program is "
        "asking, and it cannot read a web page. This is usually the framework's default "
        "error page (or a proxy's), sent before the API's own error handling ran. The "
        "client now shows a JSON parse error or a wall of HTML instead of the reason.\n\nFix: "
        "register an error handler that answers JSON (ideally application/problem+json) "
        "for every status, including 404, 405 and 500.",
        Pointer("body"),
    )
