"""OAuth 1.0a and AWS Signature Version 4: signed at the last moment, checked by others.

SigV4 is checked against AWS's published test vectors (the aws-sig-v4-test-suite:
credentials AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service") and, on a real
127.0.0.1 server, by a verifier written from AWS's specification (not botocore, which
signs) over the request as it arrived. OAuth 1.0a is checked by oauthlib's server side
(ResourceEndpoint) over the request as it arrived, for every signature method and
placement, with a form body and a query string.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests

from explorer.core.auth.oauth1 import sign_oauth1
from explorer.core.auth.signing import sign_redirect
from explorer.core.auth.sigv4 import service_and_region, sign_sigv4
from explorer.core.http.exchange import SendError
from explorer.core.http.prepare import automatic_headers, prepare
from explorer.core.http.transport import Transport
from explorer.core.model import (
    Auth,
    AuthKind,
    AwsSigV4,
    Body,
    BodyKind,
    OAuth1,
    Pair,
    Request,
)
from tests.support.recording_server import RecordingServer
from tests.support.signature_checks import (
    sigv4_canonical_request,
    sigv4_signature,
    verify_oauth1,
    verify_sigv4,
)

# -- AWS's published test suite ------------------------------------------------------------

SUITE = AwsSigV4(
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "us-east-1", "service"
)
SUITE_TIME = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.UTC)
EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
VECTORS = {
    # name: (method, URL, signature)
    "get-vanilla": (
        "GET",
        "https://example.amazonaws.com/",
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    ),
    "get-vanilla-query-order-key-case": (
        "GET",
        "https://example.amazonaws.com/?Param2=value2&Param1=value1",
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    ),
    "post-vanilla": (
        "POST",
        "https://example.amazonaws.com/",
        "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
    ),
}


def _bare(method: str, url: str) -> requests.PreparedRequest:
    """A request with no header of requests' own: the suite signs host and x-amz-date."""
    prepared = requests.Request(method, url).prepare()
    prepared.headers.pop("Content-Length", None)
    return prepared


@pytest.mark.parametrize("name", VECTORS)
def test_sigv4_matches_the_aws_test_suite(name):
    method, url, signature = VECTORS[name]
    prepared = _bare(method, url)
    signed = sign_sigv4(prepared, SUITE, now=SUITE_TIME)
    assert signed.signature == signature
    assert prepared.headers["X-Amz-Date"] == "20150830T123600Z"
    assert prepared.headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        f"SignedHeaders=host;x-amz-date, Signature={signature}"
    )


def test_sigv4_get_vanilla_canonical_request_and_string_to_sign():
    signed = sign_sigv4(_bare("GET", "https://example.amazonaws.com/"), SUITE, now=SUITE_TIME)
    assert signed.canonical_request == (
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
        f"host;x-amz-date\n{EMPTY_HASH}"
    )
    assert signed.string_to_sign == (
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
    )


def test_the_reference_verifier_agrees_with_the_suite():
    """The server side's own implementation is held to the same vectors."""
    headers = [("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")]
    for method, url, signature in VECTORS.values():
        query = url.partition("?")[2]
        canonical = sigv4_canonical_request(
            method, "/", query, headers, ["host", "x-amz-date"], EMPTY_HASH, "service"
        )
        scope = "20150830/us-east-1/service/aws4_request"
        assert sigv4_signature(SUITE.secret_key, "20150830T123600Z", scope, canonical) == signature


def test_service_and_region_come_from_an_aws_host_when_not_set():
    def pick(url: str, **settings: str) -> tuple[str, str]:
        return service_and_region(AwsSigV4("a", "s", **settings), url)

    assert pick("https://abc123.execute-api.eu-west-1.amazonaws.com/prod") == (
        "execute-api",
        "eu-west-1",
    )
    assert pick("https://dynamodb.us-west-2.amazonaws.com/") == ("dynamodb", "us-west-2")
    assert pick("https://s3.amazonaws.com/bucket/key") == ("s3", "us-east-1")
    assert pick("https://s3.amazonaws.com/b", region="ap-south-1") == ("s3", "ap-south-1")
    assert pick("http://127.0.0.1:9000/") == ("", "us-east-1")


# -- on the wire ---------------------------------------------------------------------------

AWS = AwsSigV4("AKIAEXAMPLE", "secret/Key+value", "", "eu-central-1", "execute-api")


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture(scope="module")
def transport(tmp_path_factory) -> Iterator[Transport]:
    transport = Transport(spool_dir=tmp_path_factory.mktemp("spool"))
    yield transport
    transport.close()


def _send(transport: Transport, server: RecordingServer, request: Request):
    server.take()
    response = transport.send(request)
    return response, server.take()


def test_sigv4_request_verifies_on_arrival(transport, server):
    aws = AwsSigV4(AWS.access_key, AWS.secret_key, "session/Token=", "eu-central-1", "execute-api")
    request = Request(
        method="POST",
        url=f"{server.url}/prod/items/a b,c",
        params=(Pair("q", "x y"), Pair("list", "1,2:3"), Pair("名", "値"), Pair("flag", "")),
        headers=(
            Pair("X-Amz-Target", "DynamoDB_20120810.ListTables"),
            Pair("X-Trace", "a  b"),
            Pair("X-Twice", "one"),
            Pair("x-twice", "two"),
        ),
        body=Body(BodyKind.RAW, text='{"TableName": "t"}', content_type="application/json"),
        auth=Auth(AuthKind.AWS_SIGV4, aws=aws),
    )
    response, (arrived,) = _send(transport, server, request)
    assert response.status == 200
    assert verify_sigv4(arrived, aws.access_key, aws.secret_key) == ""
    assert arrived.header_text("X-Amz-Security-Token") == "session/Token="
    assert arrived.header("X-Amz-Content-SHA256") is None  # only S3 wants it
    signed = (arrived.header_text("Authorization") or "").split("SignedHeaders=")[1]
    assert "x-amz-target" in signed and "content-type" in signed and "user-agent" not in signed
    assert [v for k, v in arrived.headers if k.lower() == "x-twice"] == [b"one", b"two"]
    assert "x-twice" in signed


def test_sigv4_tampered_request_fails_the_verifier(transport, server):
    """The verifier is not a rubber stamp: a changed body no longer matches."""
    request = Request(
        method="PUT",
        url=f"{server.url}/x",
        body=Body(BodyKind.RAW, text="one", content_type="text/plain"),
        auth=Auth(AuthKind.AWS_SIGV4, aws=AWS),
    )
    _, (arrived,) = _send(transport, server, request)
    assert verify_sigv4(arrived, AWS.access_key, AWS.secret_key) == ""
    forged = type(arrived)(arrived.method, arrived.target, arrived.headers, b"two")
    assert verify_sigv4(forged, AWS.access_key, AWS.secret_key) == "signature mismatch"
    assert verify_sigv4(arrived, AWS.access_key, "wrong") == "signature mismatch"


def test_sigv4_s3_file_body_is_hashed_and_sent_whole(transport, server, tmp_path: Path):
    data = bytes(range(256)) * 5000  # 1.2 MiB: more than one of botocore's read chunks
    path = tmp_path / "object.bin"
    path.write_bytes(data)
    aws = AwsSigV4(AWS.access_key, AWS.secret_key, "", "us-west-2", "s3")
    request = Request(
        method="PUT",
        url=f"{server.url}/bucket/my%20key.bin",
        body=Body(BodyKind.BINARY, file=str(path)),
        auth=Auth(AuthKind.AWS_SIGV4, aws=aws),
    )
    _, (arrived,) = _send(transport, server, request)
    assert arrived.body == data  # the hash read the file and rewound it
    assert arrived.header_text("X-Amz-Content-SHA256") == hashlib.sha256(data).hexdigest()
    assert verify_sigv4(arrived, aws.access_key, aws.secret_key) == ""


def test_sigv4_redirect_hop_is_signed_again(transport, server):
    request = Request(
        url=f"{server.url}/redirect?to=/final%3Fpage%3D2",
        auth=Auth(AuthKind.AWS_SIGV4, aws=AWS),
    )
    _, arrived = _send(transport, server, request)
    assert len(arrived) == 2 and arrived[1].target == "/final?page=2"
    dates = {hop.header_text("Authorization") for hop in arrived}
    assert len(dates) == 2  # a signature per hop, for its own URL
    assert all(verify_sigv4(hop, AWS.access_key, AWS.secret_key) == "" for hop in arrived)


def test_sigv4_without_a_service_is_a_clear_error(transport, server):
    aws = AwsSigV4("AKIAEXAMPLE", "s", "", "", "")
    with pytest.raises(SendError, match="name the service"):
        transport.send(Request(url=f"{server.url}/", auth=Auth(AuthKind.AWS_SIGV4, aws=aws)))


OAUTH = OAuth1(
    consumer_key="consumerKey0001",
    consumer_secret="consumer secret&1",
    token="accessToken0001",
    token_secret="token/secret=2",
    realm="Example",
)
OAUTH_CREDENTIALS = {
    "consumer_key": OAUTH.consumer_key,
    "consumer_secret": OAUTH.consumer_secret,
    "token": OAUTH.token,
    "token_secret": OAUTH.token_secret,
}


@pytest.mark.parametrize("placement", ["header", "query", "body"])
@pytest.mark.parametrize("method", ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"])
def test_oauth1_verifies_on_arrival(transport, server, method, placement):
    settings = OAuth1(**{**OAUTH.__dict__, "signature_method": method, "placement": placement})
    credentials = OAUTH_CREDENTIALS
    if method == "PLAINTEXT" and placement != "header":
        # oauthlib's server decodes oauth_* values from a query or form twice (urldecode,
        # then unescape), so a PLAINTEXT signature with a %-escape in it cannot verify
        # there, whoever signs: those two use secrets with nothing to escape.
        plain = {"consumer_secret": "consumerSecret1", "token_secret": "tokenSecret2"}
        settings = OAuth1(**{**settings.__dict__, **plain})
        credentials = {**credentials, **plain}
    request = Request(
        method="POST",
        url=f"{server.url}/photos",
        params=(Pair("size", "original"), Pair("q", "a b+c")),
        body=Body(BodyKind.FORM, form=(Pair("file", "vacation.jpg"), Pair("note", "ü & é"))),
        auth=Auth(AuthKind.OAUTH1, oauth1=settings),
    )
    response, (arrived,) = _send(transport, server, request)
    assert response.status == 200
    valid, seen = verify_oauth1(arrived, server.url, credentials)
    assert valid, seen.validator_log
    where = {
        "header": arrived.header_text("Authorization") or "",
        "query": arrived.raw_query,
        "body": arrived.body.decode(),
    }
    assert "oauth_signature=" in where[placement]
    assert all("oauth_signature" not in text for place, text in where.items() if place != placement)
    assert seen.signature_method == method
    # The form's own fields arrive intact beside the oauth_* ones.
    assert "file=vacation.jpg" in arrived.body.decode()


def test_oauth1_body_placement_without_a_form_goes_to_the_query(transport, server):
    settings = OAuth1(**{**OAUTH.__dict__, "placement": "body"})
    request = Request(url=f"{server.url}/me", auth=Auth(AuthKind.OAUTH1, oauth1=settings))
    _, (arrived,) = _send(transport, server, request)
    assert "oauth_signature=" in arrived.raw_query
    assert verify_oauth1(arrived, server.url, OAUTH_CREDENTIALS)[0]


def test_oauth1_tampered_query_fails_oauthlib(transport, server):
    request = Request(url=f"{server.url}/me?id=1", auth=Auth(AuthKind.OAUTH1, oauth1=OAUTH))
    _, (arrived,) = _send(transport, server, request)
    assert verify_oauth1(arrived, server.url, OAUTH_CREDENTIALS)[0]
    forged = type(arrived)(arrived.method, "/me?id=2", arrived.headers, arrived.body)
    assert not verify_oauth1(forged, server.url, OAUTH_CREDENTIALS)[0]


def test_oauth1_redirect_hop_is_signed_again(transport, server):
    settings = OAuth1(**{**OAUTH.__dict__, "placement": "query"})
    request = Request(
        url=f"{server.url}/redirect?to=/next%3Fpage%3D2",
        auth=Auth(AuthKind.OAUTH1, oauth1=settings),
    )
    _, arrived = _send(transport, server, request)
    assert len(arrived) == 2
    assert arrived[1].raw_query.count("oauth_signature=") == 1
    assert all(verify_oauth1(hop, server.url, OAUTH_CREDENTIALS)[0] for hop in arrived)


def test_oauth1_matches_x_documented_example_with_its_form_body():
    """X's (Twitter's) "Creating a signature" example: the form body's `status` is in the
    base string (RFC 5849 §3.4.1.3), the query's include_entities too."""
    request = Request(
        method="POST",
        url="https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
        body=Body(
            BodyKind.FORM,
            form=(Pair("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),),
        ),
    )
    with ExitStack() as files:
        prepared = prepare(requests.Session(), request, files)
    settings = OAuth1(
        consumer_key="xvz1evFS4wEEPTGEFPHBog",
        consumer_secret="kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        token_secret="LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    )
    nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
    sign_oauth1(prepared, settings, nonce=nonce, timestamp="1318622958")
    assert 'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in prepared.headers["Authorization"]


def test_signature_is_taken_off_a_hop_to_another_origin():
    request = Request(url="http://a.example/", auth=Auth(AuthKind.AWS_SIGV4, aws=AWS))
    with ExitStack() as files:
        prepared = prepare(requests.Session(), request, files)
    assert "X-Amz-Date" in prepared.headers
    sign_redirect(prepared, request, keeps_credentials=False)
    assert not {"authorization", "x-amz-date"} & {n.lower() for n in prepared.headers}


def test_the_editor_lists_the_signed_headers():
    rows = automatic_headers(Request(url="http://x/", auth=Auth(AuthKind.AWS_SIGV4, aws=AWS)))
    names = [name for name, _value, source in rows if source == "Auth tab"]
    assert names == ["Authorization", "X-Amz-Date"]
