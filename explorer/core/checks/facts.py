"""The facts of one response that assertions and captures look at, read once, bounded.

A response body may be spooled to a file and be larger than memory should hold for a
check: at most `limit` bytes of it are read. Assertions about the body then see
`body_complete=False` and fail saying so, instead of judging the part they got.
"""

from __future__ import annotations

from explorer.core.checks.results import ResponseFacts
from explorer.core.http.exchange import Response
from explorer.core.http.response_meta import cookies_set

# The most of a body the checks read: beyond it a JSON parse, an XPath tree or a regular
# expression would cost more memory and time than a check of one response should. It is
# also the bound on what a regular expression runs over (Python's `re` has no timeout).
CHECK_BODY_LIMIT = 64 * 1024 * 1024


def facts_from_response(response: Response, limit: int = CHECK_BODY_LIMIT) -> ResponseFacts:
    """What checks may look at in `response`: status, headers, cookies set along the
    redirect chain (the final response's last), at most `limit` bytes of the body, time,
    size and the number of redirects followed."""
    body, complete = response.read_body_head(limit)
    # Hidden hops (a Digest challenge's 401) have no Location: not redirects.
    redirects = [hop for hop in response.hops if hop.location]
    return ResponseFacts(
        status=response.status,
        reason=response.reason,
        http_version=_version(response.http_version),
        url=response.url,
        headers=response.headers,
        body=body,
        body_size=response.body_size,
        body_complete=complete,
        elapsed_ms=response.elapsed_ms,
        redirects=len(redirects),
        redirect_statuses=tuple(hop.status for hop in redirects),
        cookies=tuple((cookie.name, cookie.value) for cookie in cookies_set(response)),
        content_type=response.content_type,
    )


def _version(http_version: str) -> str:
    """ "HTTP/1.1" → "1.1", "HTTP/2" → "2": what a `version` assertion compares."""
    text = http_version.strip()
    return text[5:] if text.upper().startswith("HTTP/") else text
