"""Signed requests as code: the Python program signs (botocore, oauthlib) and its
requests verify on arrival; every other target says in a comment that it sends the
request unsigned (a fixed header cannot stand for a per-send signature)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from explorer.core.codegen import TARGETS, generate, generate_all
from explorer.core.model import Auth, AuthKind, AwsSigV4, Body, BodyKind, OAuth1, Pair, Request
from tests.support.recording_server import RecordingServer
from tests.support.signature_checks import verify_oauth1, verify_sigv4

AWS = AwsSigV4("AKIAIOSFODNN7EXAMPLE", "{{aws_secret}}", "tok/en=", "eu-west-1", "dynamodb")
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
OAUTH = {
    "consumer_key": "consumerKey0001",
    "consumer_secret": "consumerSecret1",
    "token": "accessToken0001",
    "token_secret": "tokenSecret2",
}


def _requests(base: str) -> list[tuple[str, Request]]:
    aws = Request(
        name="aws",
        method="POST",
        url=f"{base}/tables",
        params=(Pair("q", "a b,c"),),
        headers=(Pair("X-Amz-Target", "DynamoDB_20120810.ListTables"),),
        body=Body(BodyKind.RAW, text='{"Limit": 1}', content_type="application/x-amz-json-1.0"),
        auth=Auth(AuthKind.AWS_SIGV4, aws=AWS),
    )
    requests = [("aws", aws)]
    for placement in ("header", "query", "body"):
        settings = OAuth1(**OAUTH, signature_method="HMAC-SHA256", placement=placement)
        requests.append(
            (
                f"oauth {placement}",
                Request(
                    method="POST",
                    url=f"{base}/photos",
                    params=(Pair("size", "original"),),
                    body=Body(BodyKind.FORM, form=(Pair("note", "a b+c"),)),
                    auth=Auth(AuthKind.OAUTH1, oauth1=settings),
                ),
            )
        )
    return requests


def test_the_python_program_signs_and_its_requests_verify(tmp_path):
    with RecordingServer() as server:
        program = generate_all("python", _requests(server.url), frozenset({"aws_secret"}))
        script = tmp_path / "signed.py"
        script.write_text(program, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(script)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "AWS_SECRET": SECRET},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        arrived = server.take()
    assert SECRET not in program  # read from the environment
    assert len(arrived) == 4
    assert verify_sigv4(arrived[0], AWS.access_key, SECRET) == ""
    assert arrived[0].header_text("X-Amz-Security-Token") == "tok/en="
    for recorded in arrived[1:]:
        valid, seen = verify_oauth1(recorded, server.url, OAUTH)
        assert valid, (recorded.target, seen.validator_log)
    assert "oauth_signature=" in (arrived[1].header_text("Authorization") or "")
    assert "oauth_signature=" in arrived[2].raw_query
    assert b"oauth_signature=" in arrived[3].body


@pytest.mark.parametrize("target", [key for key in TARGETS if key != "python"])
@pytest.mark.parametrize("kind", ["aws", "oauth header"])
def test_other_targets_say_the_request_goes_unsigned(target, kind):
    request = dict(_requests("http://example.test"))[kind]
    code = generate(target, request)
    assert "sends it unsigned" in code
    if target == "curl" and kind == "aws":
        assert "--aws-sigv4 'aws:amz:REGION:SERVICE'" in code
