"""Signing a request at the last moment: OAuth 1.0a and AWS Signature Version 4.

core/http/prepare calls `sign` once the PreparedRequest is final (variables, params,
body, headers, cookies), so the signature covers exactly what is sent. A redirect hop is
a new request: `sign_redirect` takes off what the previous signature added and, when the
hop keeps the credentials (same origin, or redirects trusted), signs it again for its
own URL, method and body (core/http/transport). The signers' libraries (oauthlib,
botocore) are imported only here, only for a request that signs.
"""

from __future__ import annotations

from typing import Any

from explorer.core.model import AuthKind, Request

SIGNED_KINDS = (AuthKind.OAUTH1, AuthKind.AWS_SIGV4)


def sign(prepared: Any, request: Request) -> None:
    """Sign `prepared` (a requests.PreparedRequest) as `request`'s auth says, in place."""
    kind = request.auth.kind
    if kind == AuthKind.OAUTH1:
        from explorer.core.auth.oauth1 import sign_oauth1

        sign_oauth1(prepared, request.auth.oauth1)
    elif kind == AuthKind.AWS_SIGV4:
        from explorer.core.auth.sigv4 import sign_sigv4

        sign_sigv4(prepared, request.auth.aws)


def sign_redirect(following: Any, request: Request, keeps_credentials: bool) -> None:
    """Re-sign the next hop of a redirect, or strip the signature when the hop goes to
    another origin (the transport's rule for every credential: core/http/redirects)."""
    kind = request.auth.kind
    if kind not in SIGNED_KINDS:
        return
    typed = frozenset(h.name.strip().lower() for h in request.headers if h.enabled)
    if kind == AuthKind.OAUTH1:
        from explorer.core.auth.oauth1 import unsign_oauth1

        unsign_oauth1(following, "authorization" in typed)
    else:
        from explorer.core.auth.sigv4 import unsign_sigv4

        unsign_sigv4(following, typed)
    if keeps_credentials:
        sign(following, request)


def added_headers(request: Request) -> list[tuple[str, str]]:
    """The headers signing will add, described for the editor's list of automatic
    headers (their values exist only at send time)."""
    auth = request.auth
    if auth.kind == AuthKind.OAUTH1 and auth.oauth1.placement == "header":
        method = auth.oauth1.signature_method
        return [("Authorization", f"OAuth … oauth_signature_method={method} (signed on send)")]
    if auth.kind == AuthKind.AWS_SIGV4:
        rows = [
            ("Authorization", "AWS4-HMAC-SHA256 Credential=… (signed on send)"),
            ("X-Amz-Date", "(the time of sending)"),
        ]
        if auth.aws.session_token:
            rows.append(("X-Amz-Security-Token", "(the session token)"))
        if auth.aws.service.strip() == "s3":
            rows.append(("X-Amz-Content-SHA256", "(the SHA-256 of the body)"))
        return rows
    return []
