"""OAuth 2.0 settings from Postman, Insomnia and Bruno (they used to be dropped as not
supported), what has no place here said in the report, and written back by the Postman
and Bruno exports so that importing the export gives the same settings."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.application.exporting import collection_export
from explorer.core.collection import Collection, walk_requests
from explorer.core.formats import convert_folder, import_text
from explorer.core.formats.postman_export import export_postman_report
from explorer.core.model import Auth, AuthKind, OAuth2, OAuth2Grant, Request

FIXTURES = Path(__file__).parent / "fixtures"
POSTMAN = FIXTURES / "postman" / "oauth2.postman_collection.json"
INSOMNIA = FIXTURES / "insomnia" / "export.json"


def requests_of(collection: Collection) -> dict[str, Request]:
    return {item.name: item.request for _path, item in walk_requests(collection)}


def test_postman_oauth2_every_grant():
    result = import_text(POSTMAN.read_text(encoding="utf-8"), "postman")
    collection = result.collection
    assert collection.auth == Auth(
        AuthKind.OAUTH2,
        oauth2=OAuth2(
            grant=OAuth2Grant.AUTHORIZATION_CODE,
            auth_url="https://accounts.spotify.com/authorize",
            token_url="https://accounts.spotify.com/api/token",
            client_id="{{spotify_client_id}}",
            scope="user-read-private user-read-email",
            redirect_uri="",  # Postman's callback page: the loopback listener here
            pkce=True,
            client_auth="body",
        ),
    )
    requests = requests_of(collection)
    assert requests["Get current user"].auth.kind == AuthKind.INHERIT
    pd = requests["PagerDuty services (client credentials)"].auth
    assert pd.oauth2.grant == OAuth2Grant.CLIENT_CREDENTIALS
    assert (pd.oauth2.token_in, pd.oauth2.client_auth) == ("query", "basic")
    assert pd.oauth2.client_secret == "pd-literal-secret"
    legacy = requests["Legacy login (password)"].auth
    assert legacy.oauth2.grant == OAuth2Grant.PASSWORD and legacy.oauth2.header_prefix == "Token"
    assert (legacy.username, legacy.password) == ("alice", "{{alice_password}}")
    assert legacy.token == ""  # the saved token stays behind
    implicit = requests["Implicit (old SPA)"].auth.oauth2
    assert implicit.grant == OAuth2Grant.AUTHORIZATION_CODE and implicit.pkce
    assert implicit.redirect_uri == "http://127.0.0.1:8400/cb"
    report = "\n".join(result.report)
    assert "eyJhbGciOiJIUzI1NiJ9" not in report + json.dumps(str(collection))
    for said in (
        "Postman's callback page",
        "audience",
        "had a token saved in the file: it was not imported",
        "implicit grant",
        "state",
    ):
        assert said in report, said
    assert "not supported" not in report


def test_postman_round_trip_and_what_postman_cannot_say():
    collection = import_text(POSTMAN.read_text(encoding="utf-8"), "postman").collection
    text, losses = export_postman_report(collection)
    rows = {row["key"]: row["value"] for row in json.loads(text)["auth"]["oauth2"]}
    assert rows["grant_type"] == "authorization_code_with_pkce"
    assert rows["useBrowser"] is True and rows["client_authentication"] == "body"
    assert any("127.0.0.1" in line for line in losses)
    again = import_text(text, "postman").collection
    assert again.auth == collection.auth
    assert requests_of(again) == requests_of(collection)


def test_insomnia_oauth2():
    document = json.loads(INSOMNIA.read_text(encoding="utf-8"))
    requests = [row for row in document["resources"] if row["_type"] == "request"]
    requests[0]["authentication"] = {
        "type": "oauth2",
        "grantType": "authorization_code",
        "authorizationUrl": "https://github.com/login/oauth/authorize",
        "accessTokenUrl": "https://github.com/login/oauth/access_token",
        "clientId": "{{ _.github_client }}",
        "clientSecret": "{{ _.github_secret }}",
        "scope": "repo read:user",
        "redirectUrl": "http://localhost:8765/callback",
        "usePkce": True,
        "pkceMethod": "S256",
        "credentialsInBody": True,
        "tokenPrefix": "",
        "audience": "api",
        "disabled": False,
    }
    requests[1]["authentication"] = {
        "type": "oauth2",
        "grantType": "password",
        "accessTokenUrl": "{{ _.base }}/token",
        "clientId": "cli",
        "username": "alice",
        "password": "{{ _.pw }}",
        "tokenPrefix": "NO_PREFIX",
    }
    result = import_text(json.dumps(document))
    imported = requests_of(result.collection)
    github = imported[requests[0]["name"]].auth
    assert github == Auth(
        AuthKind.OAUTH2,
        oauth2=OAuth2(
            auth_url="https://github.com/login/oauth/authorize",
            token_url="https://github.com/login/oauth/access_token",
            client_id="{{github_client}}",
            client_secret="{{github_secret}}",
            scope="repo read:user",
            redirect_uri="http://localhost:8765/callback",
            pkce=True,
            client_auth="body",
        ),
    )
    legacy = imported[requests[1]["name"]].auth
    assert legacy.oauth2.grant == OAuth2Grant.PASSWORD and legacy.oauth2.header_prefix == ""
    assert (legacy.username, legacy.password) == ("alice", "{{pw}}")
    assert any("audience" in line for line in result.report)


BRU_CODE = """meta {
  name: Me
  type: http
  seq: 1
}

get {
  url: https://api.example.com/me
  body: none
  auth: oauth2
}

auth:oauth2 {
  grant_type: authorization_code
  callback_url: https://app.example.com/callback
  authorization_url: https://auth.example.com/authorize
  access_token_url: https://auth.example.com/token
  refresh_token_url: https://auth.example.com/token
  client_id: {{client_id}}
  client_secret: {{client_secret}}
  scope: read write
  state: fixed
  pkce: true
  credentials_placement: body
  credentials_id: credentials
  token_placement: url
  token_header_prefix: Bearer
  token_query_key: token
  auto_fetch_token: true
  auto_refresh_token: true
}
"""
BRU_CLIENT = """meta {
  name: Machine
  type: http
  seq: 2
}

get {
  url: https://api.example.com/jobs
  body: none
  auth: oauth2
}

auth:oauth2 {
  grant_type: client_credentials
  access_token_url: https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token
  client_id: {{client_id}}
  client_secret: {{client_secret}}
  scope: api://backend/.default
  token_endpoint_auth_method: client_secret_basic
}
"""


def test_bruno_oauth2_both_ways(tmp_path):
    folder = tmp_path / "bru"
    folder.mkdir()
    (folder / "bruno.json").write_text('{"version": "1", "name": "B", "type": "collection"}')
    (folder / "me.bru").write_text(BRU_CODE)
    (folder / "machine.bru").write_text(BRU_CLIENT)
    result = convert_folder(folder).result
    imported = requests_of(result.collection)
    code = imported["Me"].auth.oauth2
    assert (code.grant, code.pkce, code.client_auth) == (
        OAuth2Grant.AUTHORIZATION_CODE,
        True,
        "body",
    )
    assert (code.token_in, code.query_param) == ("query", "token")
    assert code.redirect_uri == "https://app.example.com/callback"
    machine = imported["Machine"].auth.oauth2
    assert machine.grant == OAuth2Grant.CLIENT_CREDENTIALS and machine.client_auth == "basic"
    report = "\n".join(result.report)
    assert "fixed state" in report and "Bruno's own sign-in window" in report
    assert "OAuth 2.0 auth setting(s) not carried over" not in report

    export = collection_export(result.collection, "bruno")
    out = tmp_path / "out"
    for file in export.files:
        (out / file.name).parent.mkdir(parents=True, exist_ok=True)
        (out / file.name).write_text(file.text)
    again = requests_of(convert_folder(out).result.collection)
    assert again["Me"].auth == imported["Me"].auth
    assert again["Machine"].auth == imported["Machine"].auth
