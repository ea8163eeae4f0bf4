"""Postman's AWS Signature ("awsv4") and OAuth 1.0 ("oauth1") auth, both ways.

The AWS fixture has the shape of Postman's public AWS collections: the auth on the
collection with {{accessKey}}/{{secretKey}}/{{sessionToken}} variables, folders for
DynamoDB and S3 that name their own service, requests to execute-api, dynamodb
(X-Amz-Target), s3 and sts. It must import as SigV4 (it used to be dropped as "not
supported"), and the imported collection, run by the `run` engine against a real
127.0.0.1 server, must arrive signed for each request's service.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.application.running import Run, RunPlan, whole_collection
from explorer.application.scopes import command_line_scope, request_scopes
from explorer.core.collection import Folder, RequestItem
from explorer.core.formats import import_text
from explorer.core.formats.postman_export import export_postman
from explorer.core.model import Auth, AuthKind, AwsSigV4, OAuth1
from tests.support.recording_server import RecordingServer
from tests.support.signature_checks import verify_sigv4

FIXTURES = Path(__file__).parent / "fixtures" / "postman"
AWS_FIXTURE = FIXTURES / "aws_signature.postman_collection.json"
OAUTH_FIXTURE = FIXTURES / "oauth1.postman_collection.json"


def _aws(service: str, region: str = "{{region}}") -> Auth:
    return Auth(
        AuthKind.AWS_SIGV4,
        aws=AwsSigV4("{{accessKey}}", "{{secretKey}}", "{{sessionToken}}", region, service),
    )


def _items(collection) -> dict[str, Folder | RequestItem]:
    found: dict[str, Folder | RequestItem] = {}

    def walk(items) -> None:
        for item in items:
            found[item.name] = item
            if isinstance(item, Folder):
                walk(item.items)

    walk(collection.items)
    return found


@pytest.fixture(scope="module")
def aws_import():
    return import_text(AWS_FIXTURE.read_text(encoding="utf-8"), "postman")


def test_a_postman_aws_collection_imports_as_sigv4(aws_import):
    collection = aws_import.collection
    assert collection.auth == _aws("execute-api")
    items = _items(collection)
    assert items["DynamoDB"].auth == _aws("dynamodb")
    assert items["S3"].auth == _aws("s3")
    assert items["STS GetCallerIdentity"].request.auth == _aws("sts", "us-east-1")
    assert items["List pets"].request.auth.kind == AuthKind.INHERIT
    assert not [line for line in aws_import.report if "awsv4" in line or "AWS" in line]


def test_aws_and_oauth1_survive_a_postman_round_trip(aws_import):
    oauth = import_text(OAUTH_FIXTURE.read_text(encoding="utf-8"), "postman").collection
    for collection in (aws_import.collection, oauth):
        again = import_text(export_postman(collection), "postman")
        assert again.collection.auth == collection.auth
        before, after = _items(collection), _items(again.collection)
        for name, item in before.items():
            if isinstance(item, RequestItem):
                assert after[name].request.auth == item.request.auth, name
            else:
                assert after[name].auth == item.auth, name


def test_postman_export_writes_postmans_rows():
    document = json.loads(
        export_postman(import_text(OAUTH_FIXTURE.read_text(encoding="utf-8"), "postman").collection)
    )
    rows = {row["key"]: row for row in document["item"][0]["request"]["auth"]["oauth1"]}
    assert rows["addParamsToHeader"] == {
        "key": "addParamsToHeader",
        "value": True,
        "type": "boolean",
    }
    assert rows["consumerKey"]["value"] == "{{consumerKey}}"
    assert rows["signatureMethod"]["value"] == "HMAC-SHA1"


def test_oauth1_settings_and_what_is_not_carried():
    result = import_text(OAUTH_FIXTURE.read_text(encoding="utf-8"), "postman")
    items = _items(result.collection)
    assert items["Post a status"].request.auth == Auth(
        AuthKind.OAUTH1,
        oauth1=OAuth1(
            "{{consumerKey}}", "{{consumerSecret}}", "{{token}}", "{{tokenSecret}}",
            "HMAC-SHA1", "Photos", "header",
        ),
    )  # fmt: skip
    timeline = items["Timeline in the URL"].request.auth.oauth1
    assert (timeline.signature_method, timeline.placement) == ("HMAC-SHA256", "body")
    report = "\n".join(result.report)
    assert "fixed timestamp, fixed nonce, body hash" in report
    assert "signs with RSA-SHA1, which API Explorer cannot" in report
    assert "Post a status" not in report and "not supported" not in report


def _retargeted(collection, base_url: str):
    """Every request sent to `base_url`, keeping its path and query (the AWS host goes:
    its service and region are in the auth settings)."""

    def item(node):
        if isinstance(node, Folder):
            return replace(node, items=tuple(item(inner) for inner in node.items))
        url = re.sub(r"^https://[^/]+", base_url, node.request.url)
        return replace(node, request=node.request.with_changes(url=url))

    return replace(collection, items=tuple(item(node) for node in collection.items))


def test_the_imported_collection_runs_signed_for_each_service(aws_import):
    secrets = {
        "accessKey": "AKIAIOSFODNN7EXAMPLE",
        "secretKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "sessionToken": "FwoGZXIvYXdzEXAMPLE//token+=",
    }
    with RecordingServer() as server:
        collection = _retargeted(aws_import.collection, server.url)
        plan = RunPlan(
            collection=collection,
            selection=whole_collection(collection),
            scopes=tuple(request_scopes((), collection)),
            overrides=command_line_scope({}, secrets),
        )
        summary = Run(plan).run()
        arrived = server.take()
    assert summary.passed and len(arrived) == 7
    services = []
    for recorded in arrived:
        assert verify_sigv4(recorded, secrets["accessKey"], secrets["secretKey"]) == ""
        assert recorded.header_text("X-Amz-Security-Token") == secrets["sessionToken"]
        scope = re.search(
            r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/", recorded.header_text("Authorization")
        )
        services.append(scope.groups())
    assert services == [
        ("us-east-1", "execute-api"),
        ("us-east-1", "execute-api"),
        ("us-east-1", "dynamodb"),
        ("us-east-1", "dynamodb"),
        ("us-east-1", "s3"),
        ("us-east-1", "s3"),
        ("us-east-1", "sts"),
    ]
    assert arrived[2].header_text("X-Amz-Target") == "DynamoDB_20120810.ListTables"
    assert "x-amz-target" in arrived[2].header_text("Authorization")
