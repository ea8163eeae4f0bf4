"""Insomnia's AWS IAM ("iam") and OAuth 1.0 ("oauth1") authentication import as AWS
Signature and OAuth 1.0a (they used to send no auth, reported as not supported)."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.collection import walk_requests
from explorer.core.formats import import_text
from explorer.core.model import Auth, AuthKind, AwsSigV4, OAuth1

EXPORT = Path(__file__).parents[1] / "formats" / "fixtures" / "insomnia" / "export.json"


def _imported(**authentication: dict):
    document = json.loads(EXPORT.read_text(encoding="utf-8"))
    for row in document["resources"]:
        if row["_id"] in authentication:
            row["authentication"] = authentication[row["_id"]]
    result = import_text(json.dumps(document))
    requests = {item.name: item.request for _path, item in walk_requests(result.collection)}
    return requests, result.report


def test_iam_and_oauth1_become_signing_auth():
    requests, report = _imported(
        req_1={
            "type": "iam",
            "accessKeyId": "{{ _.awsKey }}",
            "secretAccessKey": "{{ _.awsSecret }}",
            "sessionToken": "",
            "region": "eu-west-1",
            "service": "execute-api",
        },
        req_2={
            "type": "oauth1",
            "consumerKey": "ck",
            "consumerSecret": "{{ _.consumerSecret }}",
            "tokenKey": "tk",
            "tokenSecret": "ts",
            "signatureMethod": "HMAC-SHA256",
            "realm": "Photos",
            "nonce": "",
            "timestamp": "",
        },
    )
    assert requests["List rockets"].auth == Auth(
        AuthKind.AWS_SIGV4,
        aws=AwsSigV4("{{awsKey}}", "{{awsSecret}}", "", "eu-west-1", "execute-api"),
    )
    assert requests["Create rocket"].auth == Auth(
        AuthKind.OAUTH1,
        oauth1=OAuth1("ck", "{{consumerSecret}}", "tk", "ts", "HMAC-SHA256", "Photos", "header"),
    )
    assert not [line for line in report if "iam" in line or "oauth1" in line or "OAuth 1" in line]


def test_what_insomnia_oauth1_has_and_we_do_not_is_reported():
    requests, report = _imported(
        req_2={
            "type": "oauth1",
            "consumerKey": "ck",
            "signatureMethod": "RSA-SHA1",
            "privateKey": "-----BEGIN PRIVATE KEY-----",
            "nonce": "fixed",
            "callback": "https://app.example/cb",
        }
    )
    assert requests["Create rocket"].auth.oauth1.signature_method == "RSA-SHA1"
    text = "\n".join(report)
    assert "signs with RSA-SHA1, which API Explorer cannot" in text
    assert "fixed nonce, callback URL, RSA private key" in text
