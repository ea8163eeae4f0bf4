"""Scripts around a send: trust, the pre-request and post-response runs in real child
processes, against the real practice server, with secrets masked in what comes back."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

import pytest

from explorer.application.scripting import (
    ScriptTrust,
    fingerprint,
    has_scripts,
    run_post_response,
    run_pre_request,
    scripts_of,
)
from explorer.core import paths
from explorer.core.checks.results import ResponseFacts
from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.http.exchange import Response
from explorer.core.http.transport import Transport
from explorer.core.model import Body, BodyKind, Pair, Request, Scripts
from explorer.core.resolve.inheritance import inherited_checks
from explorer.core.resolve.variables import Scope
from explorer.core.scripting.protocol import ScriptLimits
from explorer.core.storage.collection_files import CollectionStore

SECRET = "hunter2-very-secret"


def collection(pre: str = "", post: str = "", folder_pre: str = "") -> Collection:
    request = Request(
        name="Echo",
        method="GET",
        url="{{base}}/anything",
        headers=(Pair("Accept", "application/json"), Pair("X-Off", "1", enabled=False)),
        scripts=Scripts(pre_request=pre, post_response=post),
    )
    folder = Folder("API", items=(RequestItem(request),), scripts=Scripts(pre_request=folder_pre))
    return Collection(
        "Demo",
        items=(folder,),
        scripts=Scripts(pre_request="variables.set('layer', 'collection')"),
    )


def scopes(base: str = "http://127.0.0.1:1") -> list[Scope]:
    return [
        Scope("collection", {"base": base, "user": "ann"}),
        Scope("environment", {"api_key": SECRET}, secret=frozenset({"api_key"})),
    ]


def layers(coll: Collection):
    folder = coll.items[0]
    assert isinstance(folder, Folder)
    item = folder.items[0]
    assert isinstance(item, RequestItem)
    return inherited_checks(coll, ("API",), item.request).scripts, item.request


def facts_of(response: Response) -> ResponseFacts:
    return ResponseFacts(
        status=response.status,
        reason=response.reason,
        http_version=response.http_version,
        url=response.url,
        headers=response.headers,
        body=response.body,
        body_size=response.body_size,
        elapsed_ms=response.elapsed_ms,
        content_type=next((v for n, v in response.headers if n.lower() == "content-type"), ""),
    )


# --- running ----------------------------------------------------------------------------


def test_a_pre_script_changes_what_is_sent_to_the_practice_server(live_server: str):
    coll = collection(
        pre=(
            "request.headers['X-Signed'] = variables.get('layer') + ':' + variables.get('user')\n"
            "request.url = request.url.replace('/anything', '/anything/changed')\n"
            "request.method = 'post'\n"
            "request.body = '{\"n\": 1}'\n"
            "variables.set('sent_at', 123)\n"
        ),
        folder_pre="request.headers['X-Folder'] = 'yes'",
    )
    scripts, request = layers(coll)
    outcome = run_pre_request(
        scripts, request.with_changes(url=live_server + "/anything"), scopes()
    )
    assert outcome.error == ""
    sent = outcome.request
    assert sent.url == live_server + "/anything/changed"
    assert sent.method == "POST"
    assert sent.body == Body(kind=BodyKind.RAW, text='{"n": 1}')
    # the disabled header the scripts never saw is kept, after theirs
    assert sent.headers == (
        Pair("Accept", "application/json"),
        Pair("X-Folder", "yes"),
        Pair("X-Signed", "collection:ann"),
        Pair("X-Off", "1", enabled=False),
    )
    assert dict(outcome.variables_set) == {"layer": "collection", "sent_at": "123"}
    transport = Transport()
    try:
        echoed = json.loads(transport.send(sent).body)
    finally:
        transport.close()
    assert echoed["headers"]["X-Signed"] == "collection:ann"
    assert echoed["headers"]["X-Folder"] == "yes"
    assert echoed["method"] == "POST"
    assert echoed["url"].endswith("/anything/changed")


def test_an_unchanged_request_comes_back_as_it_was():
    scripts, request = layers(collection(pre="print(request.url)"))
    outcome = run_pre_request(scripts, request, scopes())
    assert outcome.request is request
    assert outcome.console == ("{{base}}/anything",)


def test_a_post_script_tests_a_real_response_passing_and_failing(live_server: str):
    transport = Transport()
    try:
        response = transport.send(Request(url=live_server + "/api/todos"))
    finally:
        transport.close()
    post = (
        "todos = response.json()['data']\n"
        "with test('status is 200'):\n"
        "    expect(response.status).to_equal(200)\n"
        "with test('a list of todos'):\n"
        "    expect(todos).to_be_a(list)\n"
        "with test('wrong on purpose'):\n"
        "    expect(response.status).to_equal(404)\n"
        "variables.set('count', len(todos))\n"
        "variables.set('session', 'tok-' + variables.get('api_key'), secret=True)\n"
    )
    scripts, request = layers(collection(post=post))
    outcome = run_post_response(scripts, request, facts_of(response), scopes())
    assert outcome.error == ""
    labels = [(r.label, r.passed, r.source) for r in outcome.results]
    assert labels == [
        ("status is 200", True, "script"),
        ("a list of todos", True, "script"),
        ("wrong on purpose", False, "script"),
    ]
    failed = outcome.results[2]
    assert (failed.actual, failed.expected) == ("200", "== 404")
    assert outcome.variables_set["session"] == "tok-" + SECRET
    assert int(outcome.variables_set["count"]) >= 0
    assert outcome.secrets_set == frozenset({"session"})


def test_secrets_are_masked_in_console_error_and_results():
    post = (
        "print('key is', variables.get('api_key'))\n"
        "variables.set('derived', 'd-' + 'x' * 8, secret=True)\n"
        "print(variables.get('derived'))\n"
        "with test('leaks ' + variables.get('api_key')):\n"
        "    expect(variables.get('api_key')).to_equal('nope')\n"
        "raise ValueError('bad ' + variables.get('api_key'))\n"
    )
    scripts, request = layers(collection(post=post))
    outcome = run_post_response(scripts, request, ResponseFacts(status=200), scopes())
    shown = [*outcome.console, outcome.error]
    shown += [f"{r.label} {r.actual} {r.expected} {r.message}" for r in outcome.results]
    assert not any(SECRET in text for text in shown)
    assert not any("d-xxxxxxxx" in text for text in shown)
    assert outcome.console[0] == "key is •••"
    assert outcome.error == "request post-response script, line 6: ValueError: bad •••"
    assert outcome.results[0].label == "leaks •••"
    # the value itself is returned, to be kept as a (secret) run variable
    assert outcome.variables_set["derived"] == "d-xxxxxxxx"


def test_an_endless_pre_script_is_stopped_and_the_request_kept():
    scripts, request = layers(collection(pre="while True:\n    pass"))
    outcome = run_pre_request(scripts, request, scopes(), ScriptLimits(time_limit=1.0))
    assert outcome.error == "stopped after the time limit of 1 s"
    assert outcome.request is request
    assert outcome.variables_set == {}


def test_a_syntax_error_names_the_layer_and_line():
    scripts, request = layers(collection(folder_pre="x = [1,\ny = 2"))
    outcome = run_pre_request(scripts, request, scopes())
    assert outcome.error.startswith("folder API pre-request script, line 1: SyntaxError: ")
    # the collection's script ran before the folder's failed
    assert dict(outcome.variables_set) == {"layer": "collection"}


def test_no_scripts_means_no_child_and_nothing_changed():
    request = Request(url="http://x")
    assert run_pre_request((), request, scopes()).request is request
    facts = ResponseFacts(status=200)
    post = run_post_response(((Scripts(kept_post_response="pm.test()"), None),), request, facts, [])  # type: ignore[list-item]
    assert post.results == () and post.error == ""


def test_scripts_write_no_temp_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    scripts, request = layers(collection(pre="import os\nprint(os.getcwd())"))
    outcome = run_pre_request(scripts, request, scopes())
    assert outcome.console[0].startswith(str(temp))  # an empty working directory…
    assert list(temp.iterdir()) == []  # …removed afterwards, and nothing else written
    root = tmp_path / "collection"
    root.mkdir()
    outcome = run_pre_request(scripts, request, scopes(), root=root)
    assert outcome.console == (str(root),)
    assert list(temp.iterdir()) == []


# --- which scripts, and trust -------------------------------------------------------------


def test_scripts_of_lists_only_scripts_that_run():
    coll = collection(pre="print(1)", post="  \n", folder_pre="")
    assert [(s.place, s.phase) for s in scripts_of(coll)] == [
        ("collection", "pre-request"),
        ("request API / Echo", "pre-request"),
    ]
    kept_only = Collection("K", scripts=Scripts(kept_pre_request="pm.environment.set()"))
    assert not has_scripts(kept_only)
    assert has_scripts(coll)


def test_the_fingerprint_changes_with_any_script_and_its_place():
    base = fingerprint(collection(pre="print(1)"))
    assert fingerprint(collection(pre="print(1)")) == base
    assert fingerprint(collection(pre="print(2)")) != base
    assert fingerprint(collection(post="print(1)")) != base  # same code, other phase
    assert fingerprint(collection(folder_pre="print(1)")) != base  # same code, other place


def save(coll: Collection, folder: Path) -> Collection:
    CollectionStore(folder).save(coll, force=True)
    return CollectionStore(folder).load().collection


def test_trust_untrusted_trusted_then_changed(tmp_path: Path):
    folder = tmp_path / "demo"
    coll = save(collection(pre="print('v1')"), folder)
    trust = ScriptTrust()
    assert not trust.is_trusted(folder, coll)
    trust.trust(folder, coll)
    assert trust.is_trusted(folder, coll)
    assert trust.is_trusted(folder / ".." / "demo", coll)  # the real path is the key
    # the script changes on disk (a git pull): trust is asked for again
    text_file = next(folder.rglob("*.yaml"))
    changed = save(collection(pre="print('v2')"), folder)
    assert text_file.exists()
    assert not trust.is_trusted(folder, changed)
    # the same scripts in another folder are not trusted either
    assert not trust.is_trusted(tmp_path / "elsewhere", coll)
    [entry] = trust.list()
    assert (entry.path, entry.name) == (os.path.realpath(folder), "Demo")
    trust.revoke(folder)
    assert not trust.is_trusted(folder, coll)
    assert trust.list() == []


def test_the_trust_file_is_private_and_outside_the_collection(tmp_path: Path):
    folder = tmp_path / "demo"
    coll = save(collection(pre="print(1)"), folder)
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    ScriptTrust().trust(folder, coll)
    path = paths.script_trust_path()
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.resolve().is_relative_to(folder.resolve())
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    assert SECRET not in path.read_text()


def test_a_symlinked_folder_is_the_same_collection(tmp_path: Path):
    folder = tmp_path / "demo"
    coll = save(collection(pre="print(1)"), folder)
    link = tmp_path / "link"
    link.symlink_to(folder)
    ScriptTrust().trust(link, coll)
    assert ScriptTrust().is_trusted(folder, coll)


@pytest.mark.parametrize("content", ["not json", "[]", '{"trusted": []}', '{"trusted": {"/x": 1}}'])
def test_an_unreadable_trust_file_trusts_nothing(tmp_path: Path, content: str):
    folder = tmp_path / "demo"
    coll = save(collection(pre="print(1)"), folder)
    path = tmp_path / "trust.json"
    path.write_text(content)
    trust = ScriptTrust(path)
    assert not trust.is_trusted(folder, coll)
    trust.trust(folder, coll)  # and trusting again repairs it
    assert trust.is_trusted(folder, coll)


def test_a_post_script_gets_a_large_body_cut_and_is_told():
    post = (
        "print(len(response.text), response.complete)\n"
        "try:\n    response.json()\nexcept ValueError as e:\n    print(e)\n"
    )
    scripts, request = layers(collection(post=post))
    body = b'"' + b"x" * 2000 + b'"'
    facts = ResponseFacts(status=200, body=body, body_size=len(body))
    limits = ScriptLimits(body_bytes=1000)
    outcome = run_post_response(scripts, request, facts, scopes(), limits)
    assert outcome.console == (
        "1000 False",
        "the body is larger than scripts are given; it was cut",
    )
    whole = run_post_response(scripts, request, facts, scopes())
    assert whole.console[0] == f"{len(body)} True"


# --- the run engine's hooks ----------------------------------------------------------------


def test_the_hooks_run_both_phases_and_mask_secrets_set_in_an_earlier_request():
    from explorer.application.scripting import PythonScripts

    hooks = PythonScripts(root=None)
    scripts, request = layers(
        collection(
            pre="with test('pre check'):\n    expect(1).to_equal(2)\nprint(variables.get('s'))",
            post=(
                "variables.set('s', 'minted-' + 'z' * 6, secret=True)\n"
                "print('got', response.status)"
            ),
        )
    )
    after = hooks.after(ResponseFacts(status=204, url="http://x/y"), scripts, {"base": "b"})
    assert after.error == ""
    assert dict(after.variables) == {"s": "minted-zzzzzz"}
    assert after.console == ("got 204",)
    # the next request's script prints the secret the run now holds: masked
    before = hooks.before(request, scripts, {"s": "minted-zzzzzz", "base": "b"})
    assert before.error == ""
    assert dict(before.variables) == {"layer": "collection"}
    assert before.console == ("•••", "FAIL pre check: expected == 2, got 1")


def test_the_post_hook_sees_the_request_when_given():
    from explorer.application.scripting import PythonScripts

    scripts, _ = layers(collection(post="print(request.method, request.url)"))
    sent = Request(method="PUT", url="http://x/put")
    facts = ResponseFacts(status=200, url="http://x/final")
    assert PythonScripts(None).after(facts, scripts, {}, sent).console == ("PUT http://x/put",)
    assert PythonScripts(None).after(facts, scripts, {}).console == (" http://x/final",)


def test_hooks_for_a_run_follow_trust_and_the_flag(tmp_path: Path):
    from explorer.application.scripting import PythonScripts, hooks_for_run

    folder = tmp_path / "demo"
    coll = save(collection(pre="print(1)"), folder)
    hooks, warning = hooks_for_run(coll, folder, allow_scripts=False)
    assert hooks is None
    assert warning == (
        "warning: 2 scripts of collection 'Demo' not run: the collection is not trusted on "
        "this machine (trust it in the window, or run with --allow-scripts)"
    )
    hooks, warning = hooks_for_run(coll, folder, allow_scripts=True)
    assert isinstance(hooks, PythonScripts) and warning == ""
    assert hooks.root == folder
    ScriptTrust().trust(folder, coll)
    hooks, warning = hooks_for_run(coll, folder, allow_scripts=False)
    assert isinstance(hooks, PythonScripts) and warning == ""
    assert hooks_for_run(Collection("none"), folder, allow_scripts=False) == (None, "")


def test_a_run_keeps_a_script_secret_secret_and_forgets_what_a_script_unset(live_server: str):
    """Through the real engine: a secret set by a script is masked in the next request's
    shown URL (the run scope marks it secret), and an unset variable is gone."""
    from explorer.application.running import Run, RunPlan, whole_collection
    from explorer.application.scripting import PythonScripts

    first = Request(
        name="Mint",
        url="{{base}}/anything",
        scripts=Scripts(
            post_response=(
                "variables.set('token', 'minted-' + str(response.status), secret=True)\n"
                "variables.set('temp', 'kept?')\n"
                "variables.unset('temp')\n"
            )
        ),
    )
    second = Request(
        name="Use",
        url="{{base}}/anything?t={{token}}",
        scripts=Scripts(
            post_response=(
                "with test('the token went out'):\n"
                "    expect(response.json()['args']['t']).to_equal(variables.get('token'))\n"
                "print('temp is', variables.get('temp'))\n"
                "print(request.method, request.url.split('/')[-1])\n"
            )
        ),
    )
    coll = Collection("Chain", items=(RequestItem(first), RequestItem(second)))
    plan = RunPlan(
        collection=coll,
        selection=whole_collection(coll),
        scopes=(Scope("collection", {"base": live_server}),),
        scripts=PythonScripts(None),
    )
    summary = Run(plan).run()
    mint, use = summary.results
    assert mint.passed and use.passed, (mint, use)
    assert "minted-200" not in use.url
    assert use.url.endswith("?t={{token}}")
    assert [r.label for r in use.results] == ["the token went out"]
    # the post-response script reads the request as sent (resolved; its output masked)
    assert use.console == ("temp is None", "GET anything?t=•••")
