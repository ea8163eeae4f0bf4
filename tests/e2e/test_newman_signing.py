"""newman signs our Postman export of AWS Signature and OAuth 1.0 requests, and the
signatures verify on arrival, as ours do, with the same verifiers.

The collection is built here, exported (`export_postman`), run once by newman (Postman's
runtime signs with its own aws4 and OAuth 1.0 code) against the recording server, and
sent by our transport to the same server. Every arrival is checked by the spec-written
SigV4 verifier or by oauthlib's ResourceEndpoint (tests/support/signature_checks).
"""

from __future__ import annotations

import subprocess
from urllib.parse import parse_qsl

import pytest

from explorer.core.collection import Collection, RequestItem
from explorer.core.formats.postman_export import export_postman
from explorer.core.http.transport import Transport
from explorer.core.model import Auth, AuthKind, AwsSigV4, Body, BodyKind, OAuth1, Pair, Request
from tests.support.peer_tools import NEWMAN, needs_newman
from tests.support.recording_server import Recorded, RecordingServer
from tests.support.signature_checks import verify_oauth1, verify_sigv4

pytestmark = needs_newman

AWS = AwsSigV4("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
               "session-token-1", "eu-west-1", "execute-api")  # fmt: skip
OAUTH = {
    "consumer_key": "consumerKey0001",
    "consumer_secret": "consumerSecret1",
    "token": "accessToken0001",
    "token_secret": "tokenSecret2",
}


def _requests(base_url: str) -> list[Request]:
    oauth = OAuth1(**OAUTH, signature_method="HMAC-SHA1", realm="Photos")
    return [
        Request(
            name="aws",
            method="POST",
            url=f"{base_url}/prod/pets",
            params=(Pair("type", "dog"), Pair("page", "2")),
            headers=(Pair("X-Amz-Target", "Pets.Create"),),
            body=Body(BodyKind.RAW, text='{"price": 249.99}', content_type="application/json"),
            auth=Auth(AuthKind.AWS_SIGV4, aws=AWS),
        ),
        Request(
            name="oauth header",
            method="POST",
            url=f"{base_url}/statuses/update.json",
            params=(Pair("include_entities", "true"),),
            body=Body(BodyKind.FORM, form=(Pair("status", "Hello Ladies + Gentlemen"),)),
            auth=Auth(AuthKind.OAUTH1, oauth1=oauth),
        ),
        Request(
            name="oauth url",
            url=f"{base_url}/timeline",
            params=(Pair("count", "5"),),
            auth=Auth(AuthKind.OAUTH1, oauth1=OAuth1(**{**oauth.__dict__, "placement": "body"})),
        ),
    ]


@pytest.fixture(scope="module")
def arrivals(tmp_path_factory) -> dict[str, list[Recorded]]:
    out = tmp_path_factory.mktemp("newman-signing")
    with RecordingServer() as server:
        requests = _requests(server.url)
        collection = Collection(
            name="Signed", items=tuple(RequestItem(request) for request in requests)
        )
        path = out / "signed.postman_collection.json"
        path.write_text(export_postman(collection), encoding="utf-8")
        done = subprocess.run(
            [str(NEWMAN), "run", str(path), "--reporters", "cli"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        theirs = server.take()
        transport = Transport(spool_dir=out / "spool")
        try:
            for request in requests:
                transport.send(request)
        finally:
            transport.close()
        ours = server.take()
    return {"newman": theirs, "ours": ours}


@pytest.mark.parametrize("sender", ["newman", "ours"])
def test_aws_signature_verifies(arrivals, sender):
    recorded = arrivals[sender][0]
    assert verify_sigv4(recorded, AWS.access_key, AWS.secret_key) == ""
    assert recorded.header_text("X-Amz-Security-Token") == AWS.session_token
    assert "/eu-west-1/execute-api/aws4_request" in (recorded.header_text("Authorization") or "")


@pytest.mark.parametrize("sender", ["newman", "ours"])
def test_oauth1_verifies_in_the_header_and_in_the_url(arrivals, sender):
    header, url = arrivals[sender][1], arrivals[sender][2]
    for recorded in (header, url):
        base = "http://" + (recorded.header_text("Host") or "")
        valid, seen = verify_oauth1(recorded, base, OAUTH)
        assert valid, (sender, recorded.target, seen.validator_log)
    assert (header.header_text("Authorization") or "").startswith("OAuth ")
    assert 'realm="Photos"' in (header.header_text("Authorization") or "")
    assert "oauth_signature=" in url.raw_query


def test_both_send_the_same_request_apart_from_the_signature(arrivals):
    """The same method, target (oauth_* aside) and body (a form as its pairs: newman
    writes a space as %20, requests as `+`)."""
    for theirs, ours in zip(arrivals["newman"], arrivals["ours"], strict=True):
        assert theirs.method == ours.method
        assert _without_oauth(theirs.target) == _without_oauth(ours.target)
        if (ours.header_text("Content-Type") or "").startswith("application/x-www-form"):
            assert parse_qsl(theirs.body.decode()) == parse_qsl(ours.body.decode())
        else:
            assert theirs.body == ours.body


def _without_oauth(target: str) -> str:
    path, _, query = target.partition("?")
    kept = [piece for piece in query.split("&") if not piece.startswith("oauth_")]
    return path + ("?" + "&".join(kept) if kept else "")
