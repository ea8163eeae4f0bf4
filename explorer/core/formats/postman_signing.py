"""Postman's signing auth types, both ways: "awsv4" (AWS Signature) and "oauth1".

Postman keeps the settings as key/value rows. What API Explorer has no place for is
reported, never silently dropped: AWS's "add auth data to the query" (a presigned
URL), and OAuth 1.0's fixed timestamp or nonce (they are made anew for every send),
callback and verifier (the token-request legs), body hash and empty-parameter signing.
`addParamsToHeader: false` is Postman's "Request Body / Request URL": the form body of
a POST or PUT, else the URL, which is what placement "body" does here.
"""

from __future__ import annotations

from typing import Any

from explorer.core.model import Auth, AuthKind, AwsSigV4, OAuth1

OAUTH1_METHODS = ("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT")


def signing_auth(kind: str, values: dict[str, str], where: str, report: list[str]) -> Auth | None:
    """The Auth for Postman's `kind` (an "auth" row's type) with its `values`, or None
    for a type this module does not know. `where` names it in the report."""
    if kind == "awsv4":
        if _true(values.get("addAuthDataToQuery")):
            report.append(
                f"The AWS Signature at {where} adds its data to the query (a presigned URL);"
                " it is imported to sign with the Authorization header instead."
            )
        return Auth(
            AuthKind.AWS_SIGV4,
            aws=AwsSigV4(
                access_key=values.get("accessKey", ""),
                secret_key=values.get("secretKey", ""),
                session_token=values.get("sessionToken", ""),
                region=values.get("region", ""),
                service=values.get("service", ""),
            ),
        )
    if kind == "oauth1":
        _oauth1_notes(values, where, report)
        return Auth(
            AuthKind.OAUTH1,
            oauth1=OAuth1(
                consumer_key=values.get("consumerKey", ""),
                consumer_secret=values.get("consumerSecret", ""),
                token=values.get("token", ""),
                token_secret=values.get("tokenSecret", ""),
                signature_method=values.get("signatureMethod") or "HMAC-SHA1",
                realm=values.get("realm", ""),
                # Postman's default is the header.
                placement="body" if values.get("addParamsToHeader") == "false" else "header",
            ),
        )
    return None


def _oauth1_notes(values: dict[str, str], where: str, report: list[str]) -> None:
    method = values.get("signatureMethod") or "HMAC-SHA1"
    if method not in OAUTH1_METHODS:
        report.append(
            f"The OAuth 1.0 at {where} signs with {method}, which API Explorer cannot: "
            f"choose {', '.join(OAUTH1_METHODS)} in its Auth tab."
        )
    dropped = [
        label
        for key, label in (
            ("timestamp", "fixed timestamp"),
            ("nonce", "fixed nonce"),
            ("callback", "callback URL"),
            ("verifier", "verifier"),
        )
        if values.get(key)
    ]
    if _true(values.get("includeBodyHash")):
        dropped.append("body hash")
    if _true(values.get("addEmptyParamsToSign")) and not values.get("token"):
        dropped.append("empty parameters in the signature")
    if values.get("version") not in (None, "", "1.0"):
        dropped.append(f"version {values['version']}")
    if dropped:
        report.append(
            f"The OAuth 1.0 at {where} has settings API Explorer does not carry: "
            f"{', '.join(dropped)} (the timestamp and nonce are made for every send)."
        )


def signing_auth_values(auth: Auth) -> dict[str, Any] | None:
    """Postman's rows for a signing `auth` (as a mapping), or None for other kinds."""
    if auth.kind == AuthKind.AWS_SIGV4:
        aws = auth.aws
        return {
            "accessKey": aws.access_key,
            "secretKey": aws.secret_key,
            "sessionToken": aws.session_token,
            "region": aws.region,
            "service": aws.service,
        }
    if auth.kind == AuthKind.OAUTH1:
        oauth = auth.oauth1
        return {
            "consumerKey": oauth.consumer_key,
            "consumerSecret": oauth.consumer_secret,
            "token": oauth.token,
            "tokenSecret": oauth.token_secret,
            "signatureMethod": oauth.signature_method,
            "realm": oauth.realm,
            "version": "1.0",
            "addParamsToHeader": oauth.placement == "header",
            "addEmptyParamsToSign": False,
        }
    return None


def _true(value: str | None) -> bool:
    return value == "true"
