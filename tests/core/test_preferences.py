"""The preference values (core/preferences.py): defaults, reading stored text back,
what a request keeps of its own, and the one-line reasons a value is refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from explorer.application.sending import Place, SendOptions, prepare_send
from explorer.core.model import Options, Request
from explorer.core.preferences import (
    CA_BUNDLE_KEY,
    DEFAULT_SERVER_PORT,
    FOLLOW_KEY,
    FONT_SIZE_KEY,
    PROXY_MODE_KEY,
    PROXY_URL_KEY,
    SERVER_PORT_KEY,
    THEME_KEY,
    TIMEOUT_KEY,
    EditorFont,
    NetworkDefaults,
    Preferences,
    ProxyMode,
    RequestDefaults,
    ThemeChoice,
    ca_bundle_problem,
    font_size_problem,
    proxy_url_problem,
    read_preferences,
    server_port_problem,
    stored_values,
)
from explorer.core.resolve.variables import Scope


def test_nothing_stored_means_the_defaults():
    preferences = read_preferences({})
    assert preferences == Preferences()
    assert preferences.theme == ThemeChoice.DARK
    assert preferences.server_port == DEFAULT_SERVER_PORT == 8765
    assert preferences.requests.options() == Options()  # a new request as before


def test_values_round_trip_through_their_stored_form():
    chosen = Preferences(
        theme=ThemeChoice.SYSTEM,
        font=EditorFont("Liberation Mono", 14),
        requests=RequestDefaults(timeout=7.5, follow_redirects=False, max_redirects=3),
        network=NetworkDefaults(ProxyMode.MANUAL, "http://127.0.0.1:3128", "/etc/ca.pem"),
        server_port=0,
    )
    # QSettings' INI file gives everything back as text.
    as_text = {key: str(value).lower() for key, value in stored_values(chosen).items()}
    as_text["editor/font_family"] = "Liberation Mono"
    as_text[CA_BUNDLE_KEY] = "/etc/ca.pem"
    assert read_preferences(as_text) == chosen


def test_the_theme_stored_before_follow_the_system_existed_still_reads():
    assert read_preferences({THEME_KEY: "light"}).theme == ThemeChoice.LIGHT
    assert read_preferences({THEME_KEY: "dark"}).theme == ThemeChoice.DARK
    assert read_preferences({THEME_KEY: "system"}).theme == ThemeChoice.SYSTEM
    assert read_preferences({THEME_KEY: "sepia"}).theme == ThemeChoice.DARK


def test_unreadable_or_out_of_range_values_fall_back_to_their_defaults():
    preferences = read_preferences(
        {
            TIMEOUT_KEY: "nan",
            FOLLOW_KEY: "perhaps",
            FONT_SIZE_KEY: "300",
            SERVER_PORT_KEY: "70000",
            PROXY_MODE_KEY: "manual",
            PROXY_URL_KEY: "http://me:hunter2@proxy:3128",  # a literal password: refused
        }
    )
    assert preferences.requests == RequestDefaults()
    assert preferences.font.size == 0
    assert preferences.server_port == DEFAULT_SERVER_PORT
    assert preferences.network == NetworkDefaults()


def test_a_requests_own_proxy_and_ca_bundle_win_over_the_defaults():
    defaults = NetworkDefaults(ProxyMode.MANUAL, "http://proxy:3128", "/ca.pem")
    assert defaults.applied_to(Options()) == Options(proxy="http://proxy:3128", ca_bundle="/ca.pem")
    own = Options(proxy="http://mine:8080", ca_bundle="/mine.pem")
    assert defaults.applied_to(own) == own
    direct = Options(use_system_proxy=False)  # the request's "No proxy"
    assert defaults.applied_to(direct).proxy == ""
    none = NetworkDefaults(ProxyMode.NONE)
    assert none.applied_to(Options()).use_system_proxy is False
    assert NetworkDefaults().applied_to(Options()) == Options()


def test_the_proxy_password_comes_from_a_secret_variable_at_send_time():
    defaults = NetworkDefaults(ProxyMode.MANUAL, "http://me:{{proxy_password}}@proxy:3128")
    scope = Scope("global", {"proxy_password": "s3cret"}, secret=frozenset({"proxy_password"}))
    prepared = prepare_send(
        Request(url="http://example.test/"), Place(), [scope], SendOptions(network=defaults)
    )
    assert prepared.request.options.proxy == "http://me:s3cret@proxy:3128"
    assert "s3cret" in prepared.sensitive  # so the history masks it
    assert prepared.written.options.proxy == ""  # what history keeps: the request as written


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:3128", ""),
        ("http://me:{{proxy_password}}@proxy:3128", ""),
        ("http://me@proxy:3128", ""),
        ("http://me:hunter2@proxy:3128", "Don't type the password here"),
        ("proxy:3128", "needs a scheme"),
        ("ftp://proxy:21", "Unsupported proxy scheme"),
        ("", "Type the proxy URL"),
    ],
)
def test_proxy_urls_are_checked(url, expected):
    problem = proxy_url_problem(url)
    assert (problem.startswith(expected) or expected in problem) if expected else problem == ""
    assert "\n" not in problem


def test_ports_and_font_sizes_are_checked():
    assert server_port_problem(0) == server_port_problem(8765) == ""
    assert "below 1024" in server_port_problem(80)
    assert server_port_problem(70000) != ""
    assert font_size_problem(0) == font_size_problem(12) == ""
    assert font_size_problem(200) != ""


def _certificate(folder: Path) -> Path:
    cert = folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", str(folder / "key.pem"),
         "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert


def test_a_ca_bundle_must_exist_and_hold_pem_certificates(tmp_path):
    assert ca_bundle_problem("") == ""
    assert ca_bundle_problem(str(_certificate(tmp_path))) == ""
    assert ca_bundle_problem(str(tmp_path / "missing.pem")).startswith("No CA bundle file")
    assert ca_bundle_problem(str(tmp_path)).startswith("No CA bundle file")  # a folder
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "no PEM certificate" in ca_bundle_problem(str(text))
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
    problem = ca_bundle_problem(str(broken))
    assert problem.startswith("The CA bundle is not valid PEM") and "\n" not in problem


# -- the Explain tab's silenced rules ----------------------------------------------------


def test_silenced_rules_round_trip_and_default_to_none():
    from explorer.core.preferences import EXPLAIN_SILENCED_KEY

    assert Preferences().explain_silenced == frozenset()
    chosen = Preferences(explain_silenced=frozenset({"caching.no-validators", "cors.x-y"}))
    stored = stored_values(chosen)
    assert stored[EXPLAIN_SILENCED_KEY] == "caching.no-validators,cors.x-y"  # sorted
    assert read_preferences(stored) == chosen
    # QSettings may hand a comma list back as a list of strings.
    as_list = {EXPLAIN_SILENCED_KEY: ["caching.no-validators", " cors.x-y "]}
    assert read_preferences(as_list).explain_silenced == chosen.explain_silenced


def test_only_rule_shaped_ids_are_kept_and_their_number_is_bounded():
    from explorer.core.preferences import MAX_SILENCED, is_rule_id, read_silenced

    assert read_silenced("status.created-without-location, timing.slow-first-byte") == {
        "status.created-without-location",
        "timing.slow-first-byte",
    }
    # Ids of rules this version does not have are kept: a newer version's choice stays.
    assert read_silenced("future.rule-of-2030") == {"future.rule-of-2030"}
    for bad in ("", "status", "Status.Created", "status.", ".x", "a b.c", "status.x--y",
                "status.x/y", "x." + "a" * 90, "<script>.x"):  # fmt: skip
        assert not is_rule_id(bad), bad
        assert read_silenced(bad) == frozenset()
    assert read_silenced(42) == frozenset() and read_silenced(None) == frozenset()
    many = ",".join(f"status.rule-{n}" for n in range(10 * MAX_SILENCED))
    assert len(read_silenced(many)) == MAX_SILENCED
    assert len(read_silenced([f"status.rule-{n}" for n in range(10 * MAX_SILENCED)])) == (
        MAX_SILENCED
    )
    assert read_silenced(["junk"] * 100_000 + ["status.late"]) == frozenset()  # bounded walk
