"""AWS Signature Version 4 with botocore's signer (botocore.auth.SigV4Auth).

The request is signed as it will go out: method, URL, every text header requests will
send (botocore leaves out hop-by-hop ones and User-Agent) and the SHA-256 of the body.
`s3` uses botocore's S3 signer: the path is not normalised and X-Amz-Content-SHA256 is
sent, as S3 requires; other services get X-Amz-Date (and X-Amz-Security-Token for
temporary credentials) only.

A file body is hashed by reading it once before sending, in botocore's 1 MiB chunks,
and rewound: memory stays flat, and it costs one extra read of the file. Not
UNSIGNED-PAYLOAD: only S3 accepts that, and every other service needs the hash.

The query is canonicalised from its decoded pairs (RFC 3986 encoding, sorted), so that a
query written with other escaping (`,` or `:` left as they are) signs as AWS reads it.
A `+` is a plus sign, not a space.

botocore takes about a fifth of a second to import: it is imported when a request is
signed, never at start-up (core/auth/signing).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.model import AwsSigV4

DEFAULT_REGION = "us-east-1"
# The headers signing adds; a redirect hop takes them off before it is signed again.
ADDED_HEADERS = ("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256")
_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$")


@dataclass(frozen=True)
class Signed:
    """What the signature was computed over, for tests and for a curious user."""

    canonical_request: str
    string_to_sign: str
    signature: str


def service_and_region(settings: AwsSigV4, url: str) -> tuple[str, str]:
    """The service and region to sign for: as set, else read from an AWS host name
    (`dynamodb.eu-west-1.amazonaws.com`, `abc.execute-api.us-east-1.amazonaws.com`) as
    Postman does; the region defaults to us-east-1."""
    service, region = settings.service.strip(), settings.region.strip()
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(".amazonaws.com") and not (service and region):
        labels = host.removesuffix(".amazonaws.com").split(".")
        if labels and _REGION.match(labels[-1]):
            region = region or labels[-1]
            labels = labels[:-1]
        if labels:
            service = service or labels[-1]
    return service, region or DEFAULT_REGION


def settings_problems(settings: AwsSigV4, url: str = "") -> list[str]:
    """What keeps these settings from signing (shown in the Auth tab, raised on send)."""
    problems = []
    if not settings.access_key:
        problems.append("AWS Signature: the access key is empty")
    if not settings.secret_key:
        problems.append("AWS Signature: the secret key is empty")
    if not service_and_region(settings, url)[0]:
        problems.append("AWS Signature: name the service (execute-api, s3, dynamodb, …)")
    return problems


def sign_sigv4(prepared: Any, settings: AwsSigV4, now: datetime.datetime | None = None) -> Signed:
    """Sign the requests.PreparedRequest `prepared` in place; `now` (UTC) fixes the time."""
    from botocore.auth import S3SigV4Auth, SigV4Auth  # type: ignore[import-untyped]
    from botocore.awsrequest import AWSRequest  # type: ignore[import-untyped]
    from botocore.credentials import Credentials  # type: ignore[import-untyped]

    problems = settings_problems(settings, prepared.url)
    if problems:
        raise SendError(ErrorKind.OTHER, problems[0], "Fill in the Auth tab.")
    service, region = service_and_region(settings, prepared.url)
    credentials = Credentials(
        settings.access_key, settings.secret_key, settings.session_token or None
    )
    signer_class = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = signer_class(credentials, service, region)
    # Values that go out as UTF-8 bytes (prepare.wire_value) stay unsigned: AWS reads
    # header values as ASCII, and an unsigned header is allowed.
    # A header typed twice goes out as two lines, which AWS reads joined by commas.
    headers: dict[str, str] = {}
    for name, value in prepared.headers.items():
        if isinstance(value, str):
            key = next((known for known in headers if known.lower() == name.lower()), name)
            headers[key] = f"{headers[key]},{value}" if key in headers else value
    aws = AWSRequest(
        method=prepared.method,
        url=prepared.url,
        headers=headers,
        data=prepared.body,
        params=_query_pairs(prepared.url),
    )
    moment = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    aws.context["timestamp"] = moment.strftime("%Y%m%dT%H%M%SZ")
    # SigV4Auth.add_auth with the time given rather than read from the clock.
    signer._modify_request_before_signing(aws)
    canonical = signer.canonical_request(aws)
    string_to_sign = signer.string_to_sign(aws, canonical)
    signature = signer.signature(string_to_sign, aws)
    signer._inject_signature_to_request(aws, signature)
    for name in (*ADDED_HEADERS, "Date"):
        if name in aws.headers:
            _set_header(prepared, name, aws.headers[name])
    return Signed(canonical, string_to_sign, signature)


def unsign_sigv4(prepared: Any, typed: frozenset[str]) -> None:
    """Take off the headers signing added, except those the user typed (lower-cased)."""
    doomed = _lowered(ADDED_HEADERS) - typed
    for name in [n for n in prepared.headers if n.lower() in doomed]:
        del prepared.headers[name]


def _query_pairs(url: str) -> list[tuple[str, str]]:
    query = urlsplit(url).query
    pairs = []
    for piece in query.split("&") if query else ():
        name, _, value = piece.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


def _set_header(prepared: Any, name: str, value: str) -> None:
    for existing in [n for n in prepared.headers if n.lower() == name.lower()]:
        del prepared.headers[existing]
    prepared.headers[name] = value


def _lowered(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name.lower() for name in names)
