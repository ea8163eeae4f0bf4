"""Server-side checks of request signatures, as a service would make them on arrival.

`verify_sigv4` recomputes an AWS Signature Version 4 from a recorded request (the raw
request target, the headers and body as they arrived) by AWS's published algorithm,
written here from the specification with hashlib and hmac: an implementation apart from
botocore, which signs. `verify_oauth1` hands the recorded request to oauthlib's own
server side (ResourceEndpoint with a RequestValidator), which checks OAuth 1.0a.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any
from urllib.parse import quote, unquote

from tests.support.recording_server import Recorded

_AUTH = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[^,]+), "
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


def sigv4_canonical_request(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    signed: list[str],
    payload_hash: str,
    service: str,
) -> str:
    """AWS's canonical request for a request as received."""
    # Every service but S3 encodes the (already encoded) path once more.
    path = raw_path if service == "s3" else quote(raw_path or "/", safe="/~")
    pairs = []
    for piece in raw_query.split("&") if raw_query else ():
        name, _, value = piece.partition("=")
        pairs.append((quote(unquote(name), safe="-_.~"), quote(unquote(value), safe="-_.~")))
    query = "&".join(f"{n}={v}" for n, v in sorted(pairs))
    lines = []
    for name in signed:
        values = [" ".join(v.split()) for k, v in headers if k.lower() == name]
        lines.append(f"{name}:{','.join(values)}")
    return "\n".join([method, path, query, "\n".join(lines) + "\n", ";".join(signed), payload_hash])


def sigv4_signature(secret: str, amz_date: str, scope: str, canonical: str) -> str:
    date, region, service, _ = scope.split("/")
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def verify_sigv4(recorded: Recorded, access_key: str, secret: str) -> str:
    """'' when the request's signature is valid, else why not."""
    authorization = recorded.header_text("Authorization") or ""
    match = _AUTH.match(authorization)
    if not match:
        return f"no SigV4 Authorization header: {authorization!r}"
    if match["key"] != access_key:
        return "unknown access key"
    headers = [(k.lower(), v.decode("latin-1")) for k, v in recorded.headers]
    amz_date = recorded.header_text("X-Amz-Date") or ""
    if not amz_date.startswith(match["date"]):
        return "X-Amz-Date is not the day of the credential scope"
    signed = match["signed"].split(";")
    if "host" not in signed or any(not recorded.header(name) for name in signed):
        return f"signed headers {signed} not all present"
    payload = (
        recorded.header_text("X-Amz-Content-SHA256") or hashlib.sha256(recorded.body).hexdigest()
    )
    if payload != "UNSIGNED-PAYLOAD" and payload != hashlib.sha256(recorded.body).hexdigest():
        return "X-Amz-Content-SHA256 is not the body's hash"
    path, _, query = recorded.target.partition("?")
    canonical = sigv4_canonical_request(
        recorded.method, path, query, headers, signed, payload, match["service"]
    )
    scope = "/".join([match["date"], match["region"], match["service"], "aws4_request"])
    expected = sigv4_signature(secret, amz_date, scope, canonical)
    return "" if hmac.compare_digest(expected, match["signature"]) else "signature mismatch"


def verify_oauth1(
    recorded: Recorded, base_url: str, credentials: dict[str, str]
) -> tuple[bool, Any]:
    """oauthlib's verdict on the recorded request: (valid, oauthlib's request)."""
    from oauthlib.oauth1 import RequestValidator, ResourceEndpoint

    class Validator(RequestValidator):  # type: ignore[misc]
        enforce_ssl = False  # the test server is plain http on 127.0.0.1
        dummy_client = "dummyclient00000"
        dummy_access_token = "dummytoken000000"

        @property
        def client_key_length(self) -> tuple[int, int]:
            return 8, 40

        @property
        def access_token_length(self) -> tuple[int, int]:
            return 8, 40

        @property
        def nonce_length(self) -> tuple[int, int]:
            return 6, 64  # Postman's nonces are 11 characters, oauthlib's own 20-30

        def validate_client_key(self, client_key: str, request: Any) -> bool:
            return client_key == credentials["consumer_key"]

        def validate_access_token(self, client_key: str, token: str, request: Any) -> bool:
            return token == credentials["token"]

        def validate_timestamp_and_nonce(self, *args: Any, **kwargs: Any) -> bool:
            return True

        def validate_realms(self, *args: Any, **kwargs: Any) -> bool:
            return True

        def get_client_secret(self, client_key: str, request: Any) -> str:
            return credentials["consumer_secret"]

        def get_access_token_secret(self, client_key: str, token: str, request: Any) -> str:
            return credentials["token_secret"]

    headers = {k: v.decode("latin-1") for k, v in recorded.headers}
    return ResourceEndpoint(Validator()).validate_protected_resource_request(
        base_url + recorded.target,
        http_method=recorded.method,
        body=recorded.body.decode("utf-8") or None,
        headers=headers,
    )
