"""Insomnia's signing auth types: "iam" (AWS Signature Version 4) and "oauth1".

Insomnia sends OAuth 1.0 parameters in the Authorization header only. Its fixed nonce
and timestamp, callback, verifier and RSA private key have no place here (the nonce and
timestamp are made for every send; RSA is not signed): they are reported.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.core.model import Auth, AuthKind, AwsSigV4, OAuth1

METHODS = ("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT")


def signing_auth(
    kind: str, text: Callable[[str], str], owner: str, report: list[str]
) -> Auth | None:
    """The Auth for Insomnia's authentication `kind`, reading its fields with `text`
    (variables and tags converted), or None for another kind."""
    if kind == "iam":
        return Auth(
            AuthKind.AWS_SIGV4,
            aws=AwsSigV4(
                access_key=text("accessKeyId"),
                secret_key=text("secretAccessKey"),
                session_token=text("sessionToken"),
                region=text("region"),
                service=text("service"),
            ),
        )
    if kind != "oauth1":
        return None
    method = text("signatureMethod") or "HMAC-SHA1"
    if method not in METHODS:
        report.append(
            f"The OAuth 1.0 of {owner} signs with {method}, which API Explorer cannot: "
            f"choose {', '.join(METHODS)} in its Auth tab."
        )
    dropped = [
        label
        for key, label in (
            ("nonce", "fixed nonce"),
            ("timestamp", "fixed timestamp"),
            ("callback", "callback URL"),
            ("verifier", "verifier"),
            ("privateKey", "RSA private key"),
        )
        if text(key)
    ]
    if dropped:
        report.append(
            f"The OAuth 1.0 of {owner} has settings API Explorer does not carry: "
            f"{', '.join(dropped)} (the timestamp and nonce are made for every send)."
        )
    return Auth(
        AuthKind.OAUTH1,
        oauth1=OAuth1(
            consumer_key=text("consumerKey"),
            consumer_secret=text("consumerSecret"),
            token=text("tokenKey"),
            token_secret=text("tokenSecret"),
            signature_method=method,
            realm=text("realm"),
            placement="header",
        ),
    )
