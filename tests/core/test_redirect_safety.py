"""Redirects carry credentials only to the origin the user addressed (curl's rule).

Two real servers on 127.0.0.1 on different ports are two origins; a third speaks https
with a self-signed certificate made for the test, to redirect down to plain http.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

from explorer.core.http.redirects import guard_redirect, origin
from explorer.core.http.transport import Transport
from explorer.core.model import Auth, AuthKind, AwsSigV4, OAuth1, Options, Pair, Request

TOKEN = "tok-Secret-123"
KEY = "key-Secret-456"


@WsgiRequest.application
def _app(request: WsgiRequest) -> WsgiResponse:
    """/go?to=URL redirects (status from ?status=, default 302); /echo tells what came;
    /digest always challenges; anything else echoes too."""
    if request.path == "/go":
        status = int(request.args.get("status", "302"))
        return WsgiResponse("", status=status, headers={"Location": request.args["to"]})
    if request.path == "/digest":
        challenge = 'Digest realm="r", nonce="abc", qop="auth"'
        return WsgiResponse("no", status=401, headers={"WWW-Authenticate": challenge})
    seen = {"headers": dict(request.headers), "args": request.args.to_dict(flat=False)}
    return WsgiResponse(json.dumps(seen), content_type="application/json")


class _Server:
    """A threaded Werkzeug server that counts the requests it gets."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.requests: list[dict[str, str]] = []

        def counting(environ, start_response):
            self.requests.append(
                {k[5:].replace("_", "-").title(): v for k, v in environ.items() if "HTTP_" in k}
            )
            return _app(environ, start_response)

        self.server = make_server("127.0.0.1", 0, counting, threaded=True, ssl_context=ssl_context)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        scheme = "https" if ssl_context else "http"
        host = "localhost" if ssl_context else "127.0.0.1"
        self.url = f"{scheme}://{host}:{self.server.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def servers() -> Iterator[tuple[_Server, _Server]]:
    first, other = _Server(), _Server()
    yield first, other
    first.stop()
    other.stop()


@pytest.fixture
def tls(tmp_path: Path) -> Iterator[tuple[_Server, Path]]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.num_tickets = 0
    server = _Server(context)
    yield server, cert
    server.stop()


@pytest.fixture
def transport(tmp_path: Path) -> Iterator[Transport]:
    transport = Transport(spool_dir=tmp_path / "spool")
    yield transport
    transport.close()


def _via(first: _Server, target: str, status: int = 302) -> str:
    return f"{first.url}/go?" + requests.compat.urlencode({"to": target, "status": status})


def _echo(response) -> dict:
    return json.loads(response.body)


def _bearer(url: str, **changes) -> Request:
    return Request(url=url, auth=Auth(kind=AuthKind.BEARER, token=TOKEN), **changes)


def test_bearer_token_does_not_follow_to_another_port(transport, servers):
    first, other = servers
    response = transport.send(_bearer(_via(first, f"{other.url}/echo")))
    assert response.status == 200 and response.url.startswith(other.url)
    assert "Authorization" not in _echo(response)["headers"]
    assert first.requests[0]["Authorization"] == f"Bearer {TOKEN}"
    assert response.hops[0].withheld == ("header Authorization",)


def test_bearer_token_follows_on_the_same_origin(transport, servers):
    first, _ = servers
    response = transport.send(_bearer(_via(first, "/echo")))
    assert _echo(response)["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert response.hops[0].withheld == ()


def test_api_key_header_and_secret_headers_are_dropped_but_others_kept(transport, servers):
    first, other = servers
    request = Request(
        url=_via(first, f"{other.url}/echo", 307),
        auth=Auth(kind=AuthKind.API_KEY, key_name="X-API-Key", key_value=KEY),
        headers=(
            Pair("X-Signed", "sig=var-secret-789;v=1"),
            Pair("X-Plain", "hello"),
            Pair("Proxy-Authorization", "Basic cHJveHk6cHc="),
        ),
    )
    response = transport.send(request, sensitive={"var-secret-789"})
    headers = _echo(response)["headers"]
    assert "X-Api-Key" not in headers and "X-Signed" not in headers
    assert "Proxy-Authorization" not in headers
    assert headers["X-Plain"] == "hello"
    # Both were sent to the origin the user addressed.
    assert first.requests[0]["X-Api-Key"] == KEY
    assert first.requests[0]["X-Signed"] == "sig=var-secret-789;v=1"


def test_query_values_holding_a_secret_are_dropped(transport, servers):
    first, other = servers
    target = (
        f"{other.url}/echo?api_key={KEY}&token=pre-var%2Dsecret-789&keep=1"
        "&plus=a+b%20%C3%A9"  # "+" read as a plus, as the secret has it
    )
    request = Request(
        url=_via(first, target),
        auth=Auth(kind=AuthKind.API_KEY, key_name="api_key", key_value=KEY, key_in="query"),
    )
    response = transport.send(request, sensitive={"var-secret-789", "a+b é"})
    assert _echo(response)["args"] == {"keep": ["1"]}
    assert KEY not in response.sent.url
    assert set(response.hops[0].withheld) == {
        "query parameter api_key",
        "query parameter token",
        "query parameter plus",
    }


def test_typed_cookie_stays_on_its_origin(transport, servers):
    first, other = servers
    cookie = (Pair("Cookie", "sid=abc"),)
    same = transport.send(Request(url=_via(first, "/echo"), headers=cookie))
    assert _echo(same)["headers"]["Cookie"] == "sid=abc"
    moved = transport.send(Request(url=_via(first, f"{other.url}/echo"), headers=cookie))
    assert "Cookie" not in _echo(moved)["headers"]


def test_basic_credentials_do_not_follow(transport, servers):
    first, other = servers
    auth = Auth(kind=AuthKind.BASIC, username="ann", password="pw-Secret")
    response = transport.send(Request(url=_via(first, f"{other.url}/echo"), auth=auth))
    assert "Authorization" not in _echo(response)["headers"]
    assert first.requests[0]["Authorization"].startswith("Basic ")


def test_digest_challenge_of_another_host_is_not_answered(transport, servers):
    first, other = servers
    auth = Auth(kind=AuthKind.DIGEST, username="ann", password="pw-Secret")
    response = transport.send(Request(url=_via(first, f"{other.url}/digest"), auth=auth))
    assert response.status == 401
    assert len(other.requests) == 1 and "Authorization" not in other.requests[0]


def test_trusted_redirects_carry_everything_on(transport, servers):
    first, other = servers
    request = Request(
        url=_via(first, f"{other.url}/echo"),
        auth=Auth(kind=AuthKind.BEARER, token=TOKEN),
        headers=(Pair("X-Signed", "var-secret-789"), Pair("Cookie", "sid=abc")),
        options=Options(trust_redirects=True),
    )
    response = transport.send(request, sensitive={"var-secret-789"})
    headers = _echo(response)["headers"]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["X-Signed"] == "var-secret-789"
    assert headers["Cookie"] == "sid=abc"


def test_https_to_http_downgrade_drops_credentials_and_reports_it(transport, tls, servers):
    secure, cert = tls
    _, plain = servers
    request = _bearer(_via(secure, f"{plain.url}/echo"), options=Options(ca_bundle=str(cert)))
    response = transport.send(request)
    assert "Authorization" not in _echo(response)["headers"]
    assert secure.requests[0]["Authorization"] == f"Bearer {TOKEN}"
    hop = response.hops[0]
    assert hop.encrypted and hop.certificate_checked
    assert not response.encrypted
    assert response.tls_verified is False
    badge, explanation = response.tls_warning()
    assert badge == "NOT ENCRYPTED"
    assert f"redirect to {plain.url}/echo" in explanation


def test_https_throughout_is_verified(transport, tls):
    secure, cert = tls
    response = transport.send(
        Request(url=_via(secure, "/echo"), options=Options(ca_bundle=str(cert)))
    )
    assert response.tls_verified and response.tls_warning() == ("", "")


def test_plain_http_is_not_verified_but_not_warned_about(transport, servers):
    first, _ = servers
    response = transport.send(Request(url=f"{first.url}/echo"))
    assert response.tls_verified is False
    assert response.tls_warning() == ("", "")


def _prepared(url: str, headers: dict[str, str]) -> requests.PreparedRequest:
    return requests.Request("GET", url, headers=headers).prepare()


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("http://h.test/a", "http://H.test:80/b", True),
        ("http://h.test/a", "https://h.test/b", False),  # requests would keep Authorization
        ("https://h.test/a", "http://h.test/b", False),
        ("http://h.test/a", "http://h.test:8080/b", False),
        ("http://h.test/a", "http://other.test/a", False),
    ],
)
def test_origin_is_scheme_host_and_port(before, after, same):
    assert (origin(before) == origin(after)) is same


def test_http_to_https_on_the_same_host_is_another_origin():
    # Bound to default ports, so checked on requests' own objects without a network.
    previous = _prepared("http://h.test/a", {"Authorization": f"Bearer {TOKEN}"})
    following = previous.copy()
    following.url = "https://h.test/b"
    withheld = guard_redirect(previous, following, _bearer("http://h.test/a"), {TOKEN})
    assert "Authorization" not in following.headers
    assert withheld == ("header Authorization",)


def test_a_redirect_body_is_kept_when_not_following(transport, servers):
    # requests used to read (and keep for itself) every redirect's body on send.
    _first, _ = servers
    body = "<p>Moved: see <a href='/elsewhere'>here</a>.</p>!"
    assert len(body) == 49

    @WsgiRequest.application
    def moved(request):
        return WsgiResponse(body, status=302, headers={"Location": "/elsewhere"})

    server = make_server("127.0.0.1", 0, moved, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.port}/"
        response = transport.send(Request(url=url, options=Options(follow_redirects=False)))
    finally:
        server.shutdown()
        thread.join(5)
    assert response.status == 302
    assert response.body == body.encode() and response.body_size == 49


def test_non_ascii_secrets_are_dropped_too(transport, servers):
    # Non-ASCII values go out as UTF-8 bytes, which header lookups cannot join.
    first, other = servers
    secret = "sëcret-€"
    request = Request(
        url=_via(first, f"{other.url}/echo"),
        headers=(Pair("X-Sig", secret), Pair("X-Sig", "again " + secret), Pair("X-Name", "Jörg")),
    )
    response = transport.send(request, sensitive={secret})
    headers = _echo(response)["headers"]
    assert "X-Sig" not in headers
    assert headers["X-Name"].encode("latin-1").decode("utf-8") == "Jörg"  # WSGI: latin-1
    assert response.hops[0].withheld == ("header X-Sig",)


def test_trusted_non_ascii_token_is_carried_on(transport, servers):
    first, other = servers
    request = Request(
        url=_via(first, f"{other.url}/echo"),
        auth=Auth(kind=AuthKind.BEARER, token="tök"),
        headers=(Pair("Cookie", "name=Jörg"),),
        options=Options(trust_redirects=True),
    )
    headers = _echo(transport.send(request))["headers"]
    assert headers["Authorization"].encode("latin-1").decode("utf-8") == "Bearer tök"
    assert headers["Cookie"].encode("latin-1").decode("utf-8") == "name=Jörg"


def test_the_proxys_own_credentials_stay_for_the_proxy():
    # requests re-adds Proxy-Authorization from the proxy URL on a redirect (and has
    # removed the one the user typed): it belongs to the proxy, not to either origin.
    previous = _prepared("http://a.test/", {"Authorization": f"Bearer {TOKEN}"})
    following = previous.copy()
    following.url = "http://b.test/"
    following.headers["Proxy-Authorization"] = "Basic cHJveHk6cHc="
    withheld = guard_redirect(previous, following, _bearer("http://a.test/"), {TOKEN})
    assert following.headers["Proxy-Authorization"] == "Basic cHJveHk6cHc="
    assert "Authorization" not in following.headers
    assert withheld == ("header Authorization",)


AWS = AwsSigV4("AKIAEXAMPLE", "aws-Secret-321", "session-Secret-654", "us-east-1", "execute-api")


def test_a_signature_does_not_follow_to_another_origin(transport, servers):
    """SigV4 (#17): the hop to another port gets neither the signature nor the session
    token nor the signing date; the first hop was signed."""
    first, other = servers
    request = Request(
        url=_via(first, f"{other.url}/echo", 307),
        method="POST",
        auth=Auth(kind=AuthKind.AWS_SIGV4, aws=AWS),
    )
    response = transport.send(request)
    headers = {name.lower() for name in _echo(response)["headers"]}
    assert not headers & {"authorization", "x-amz-date", "x-amz-security-token"}
    assert first.requests[0]["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIA")
    assert "header Authorization" in response.hops[0].withheld


def test_a_trusted_redirect_is_signed_anew_for_the_other_origin(transport, servers):
    first, other = servers
    request = Request(
        url=_via(first, f"{other.url}/echo"),
        auth=Auth(kind=AuthKind.OAUTH1, oauth1=OAuth1("consumer", "c-secret", "tok", "t-secret")),
        options=Options(trust_redirects=True),
    )
    response = transport.send(request)
    sent = [first.requests[0]["Authorization"], _echo(response)["headers"]["Authorization"]]
    assert all(value.startswith("OAuth ") for value in sent)
    # A signature per hop: each covers its own URL (and has its own nonce).
    assert sent[0] != sent[1]
