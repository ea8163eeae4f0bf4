"""Signed requests as code. A signature is computed over the whole request at the
moment it is sent (OAuth 1.0a, AWS Signature Version 4), so no fixed header can stand
for it: the Python target signs with the same libraries the app uses (botocore,
oauthlib) in a `requests` auth class; the other targets say in a comment that the
request goes out unsigned, and how their tool could sign it where it can.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from explorer.core.model import AuthKind, Request

SIGNED = (AuthKind.OAUTH1, AuthKind.AWS_SIGV4)

_NOTES = {
    AuthKind.AWS_SIGV4: "AWS Signature Version 4 is computed over the whole request when it "
    "is sent: this code sends it unsigned (the Python target signs it with botocore).",
    AuthKind.OAUTH1: "OAuth 1.0a signs each request anew (nonce, timestamp, signature): "
    "this code sends it unsigned (the Python target signs it with oauthlib).",
}
_CURL_AWS = (
    "curl 7.75+ can sign it: --aws-sigv4 'aws:amz:REGION:SERVICE' --user ACCESS_KEY:SECRET_KEY "
    "(and -H 'X-Amz-Security-Token: …' for temporary credentials)."
)


def unsigned_notes(request: Request, comment: str, tool: str = "") -> list[str]:
    """Comment lines (`comment` is the language's marker) saying what is not carried."""
    note = _NOTES.get(request.auth.kind)
    if note is None:
        return []
    lines = [f"{comment} {note}"]
    if tool == "curl" and request.auth.kind == AuthKind.AWS_SIGV4:
        lines.append(f"{comment} {_CURL_AWS}")
    return lines


# ---- Python ------------------------------------------------------------------------------


def python_packages(requests: Sequence[Request]) -> list[str]:
    """The packages the script needs beyond requests."""
    kinds = {request.auth.kind for request in requests}
    return [name for kind, name in _PACKAGES if kind in kinds]


_PACKAGES = ((AuthKind.AWS_SIGV4, "botocore"), (AuthKind.OAUTH1, "oauthlib"))


def python_imports(requests: Sequence[Request]) -> list[str]:
    """Third-party import lines for the signing classes the script defines."""
    kinds = {request.auth.kind for request in requests}
    lines = []
    if AuthKind.AWS_SIGV4 in kinds:
        lines += [
            "from botocore.auth import S3SigV4Auth, SigV4Auth",
            "from botocore.awsrequest import AWSRequest",
            "from botocore.credentials import Credentials",
        ]
    if AuthKind.OAUTH1 in kinds:
        lines.append("from oauthlib import oauth1")
    return lines


def python_stdlib_imports(requests: Sequence[Request]) -> list[str]:
    if any(request.auth.kind == AuthKind.AWS_SIGV4 for request in requests):
        return ["from urllib.parse import unquote, urlsplit"]
    return []


def python_classes(requests: Sequence[Request]) -> list[str]:
    """The auth classes the script's requests use, each once."""
    kinds = {request.auth.kind for request in requests}
    lines: list[str] = []
    for kind, source in ((AuthKind.AWS_SIGV4, _AWS_CLASS), (AuthKind.OAUTH1, _OAUTH1_CLASS)):
        if kind in kinds:
            lines += ["", "", *source]
    return lines


def python_auth(request: Request, lit: Callable[[str], str]) -> str | None:
    """The `auth=` keyword of a signed request, or None."""
    auth = request.auth
    if auth.kind == AuthKind.AWS_SIGV4:
        aws = auth.aws
        fields = (aws.access_key, aws.secret_key, aws.session_token, aws.region, aws.service)
        return f"auth=AwsSigV4({', '.join(lit(value) for value in fields)})"
    if auth.kind == AuthKind.OAUTH1:
        o = auth.oauth1
        values = (
            o.consumer_key,
            o.consumer_secret,
            o.token,
            o.token_secret,
            o.signature_method,
            o.realm,
            o.placement,
        )
        return f"auth=OAuth1Signature({', '.join(lit(value) for value in values)})"
    return None


_AWS_CLASS = [
    "class AwsSigV4(requests.auth.AuthBase):",
    '    """AWS Signature Version 4 by botocore, over the request as requests prepared it."""',
    "",
    "    def __init__(self, access_key, secret_key, session_token, region, service):",
    "        self.credentials = Credentials(access_key, secret_key, session_token or None)",
    '        self.region, self.service = region or "us-east-1", service',
    "",
    "    def __call__(self, request):",
    '        query = urlsplit(request.url).query.split("&") if "?" in request.url else []',
    '        pairs = [piece.partition("=") for piece in query if piece]',
    "        aws = AWSRequest(",
    "            method=request.method,",
    "            url=request.url,",
    "            data=request.body,",
    "            params=[(unquote(name), unquote(value)) for name, _, value in pairs],",
    "            headers={",
    '                name: value.decode("latin-1") if isinstance(value, bytes) else value',
    "                for name, value in request.headers.items()",
    "            },",
    "        )",
    '        signer = S3SigV4Auth if self.service == "s3" else SigV4Auth',
    "        signer(self.credentials, self.service, self.region).add_auth(aws)",
    '        for name in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token",',
    '                     "X-Amz-Content-SHA256"):',
    "            if name in aws.headers:",
    "                request.headers[name] = aws.headers[name]",
    "        return request",
]

_OAUTH1_CLASS = [
    'SIGNATURE_TYPES = {"header": "AUTH_HEADER", "query": "QUERY", "body": "BODY"}',
    "",
    "",
    "class OAuth1Signature(requests.auth.AuthBase):",
    '    """OAuth 1.0a by oauthlib (RFC 5849): a form body is part of the signature."""',
    "",
    "    def __init__(self, consumer_key, consumer_secret, token, token_secret, method, realm,",
    "                 placement):",
    "        self.settings = (consumer_key, consumer_secret, token or None, token_secret or None)",
    "        self.method, self.realm, self.placement = method, realm or None, placement",
    "",
    "    def __call__(self, request):",
    '        kind = request.headers.get("Content-Type", "")',
    '        kind = kind.decode("latin-1") if isinstance(kind, bytes) else kind',
    '        form = kind.split(";")[0].strip().lower() == "application/x-www-form-urlencoded"',
    '        form = form and bool(request.body) and request.method not in ("GET", "HEAD")',
    '        placement = self.placement if form or self.placement != "body" else "query"',
    "        key, secret, token, token_secret = self.settings",
    "        client = oauth1.Client(",
    "            key, client_secret=secret, resource_owner_key=token,",
    "            resource_owner_secret=token_secret, signature_method=self.method,",
    "            realm=self.realm, signature_type=SIGNATURE_TYPES[placement],",
    "        )",
    "        body = request.body.decode() if isinstance(request.body, bytes) else request.body",
    "        uri, headers, body = client.sign(",
    "            request.url, request.method, body if form else None,",
    '            {"Content-Type": "application/x-www-form-urlencoded"} if form else {},',
    "        )",
    "        request.url = uri",
    '        if placement == "header":',
    '            request.headers["Authorization"] = headers["Authorization"]',
    '        elif placement == "body":',
    "            request.body = body.encode()",
    '            request.headers["Content-Length"] = str(len(request.body))',
    "        return request",
]
