"""Security-header rules: HSTS, nosniff, CSP and framing on HTML pages, wrong values on
any response — hand-made facts, the practice server's pages and a real https site."""

from __future__ import annotations

import pytest

from explorer.core.explain.findings import Severity
from explorer.core.http.transport import Transport
from tests.support.explain.cases import complaints, facts, fired, https_site, send, severities

INFO, WARNING = Severity.INFO, Severity.WARNING
HTML = ("Content-Type", "text/html; charset=utf-8")
JSON = ("Content-Type", "application/json")
CSP = ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
NOSNIFF = ("X-Content-Type-Options", "nosniff")
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
PAGE = b"<!doctype html><title>t</title>"
SITE = "https://shop.example.com/"


def page(*headers: tuple[str, str], url: str = SITE, status: int = 200) -> object:
    return facts([HTML, *headers], url=url, status=status, body=PAGE)


def test_hsts_is_wanted_on_https_pages_of_named_hosts() -> None:
    found = fired(page(CSP, NOSNIFF), "security.hsts-missing")
    assert [f.severity for f in found] == [WARNING]
    assert found[0].summary == (
        "shop.example.com serves this page over https without Strict-Transport-Security"
    )
    assert str(found[0].pointer) == "header:Strict-Transport-Security"
    assert severities(page(url="https://localhost:8443/"), "security.hsts-missing") == [INFO]
    assert fired(page(url="https://127.0.0.1:8443/"), "security.hsts-missing") == []
    assert fired(page(HSTS), "security.hsts-missing") == []
    assert fired(page(url="http://shop.example.com/"), "security.hsts-missing") == []
    api = facts([JSON], url=SITE)
    assert fired(api, "security.hsts-missing") == []


def test_hsts_values_browsers_ignore() -> None:
    no_age = ("Strict-Transport-Security", "includeSubDomains")
    assert severities(page(no_age), "security.hsts-invalid") == [WARNING]
    zero = ("Strict-Transport-Security", "max-age=0")
    assert severities(page(zero), "security.hsts-invalid") == [INFO]
    assert severities(page(HSTS, url="http://shop.example.com/"), "security.hsts-invalid") == [INFO]
    assert fired(page(HSTS), "security.hsts-invalid") == []
    quoted = ("Strict-Transport-Security", 'max-age="600"')
    assert fired(page(quoted), "security.hsts-invalid") == []


def test_nosniff_missing_wrong_or_without_a_type() -> None:
    assert severities(page(CSP), "security.nosniff-missing") == [INFO]
    assert fired(page(CSP, NOSNIFF), "security.nosniff-missing") == []
    assert fired(facts([JSON]), "security.nosniff-missing") == []  # judged on pages only
    wrong = fired(facts([JSON, ("X-Content-Type-Options", "sniff")]), "security.nosniff-invalid")
    assert [(f.severity, f.summary) for f in wrong] == [
        (WARNING, "X-Content-Type-Options: sniff is not nosniff")
    ]
    upper = facts([JSON, ("X-Content-Type-Options", "NoSniff")])
    assert fired(upper, "security.nosniff-invalid") == []
    untyped = facts([NOSNIFF], body=b"console.log(1)")
    assert severities(untyped, "security.nosniff-without-type") == [WARNING]
    assert fired(facts([NOSNIFF, JSON]), "security.nosniff-without-type") == []
    assert fired(facts([NOSNIFF], status=204, body=b""), "security.nosniff-without-type") == []


def test_csp_missing_report_only_and_in_a_meta_tag() -> None:
    found = fired(page(NOSNIFF), "security.csp-missing")
    assert [(f.severity, f.summary) for f in found] == [
        (WARNING, "HTML page without a Content-Security-Policy")
    ]
    assert fired(page(CSP), "security.csp-missing") == []
    report_only = ("Content-Security-Policy-Report-Only", "default-src 'self'")
    assert severities(page(report_only), "security.csp-missing") == [INFO]
    meta = facts(
        [HTML],
        body=b'<html><head><META http-equiv="Content-Security-Policy" content="default-src">',
    )
    assert fired(meta, "security.csp-missing") == []
    assert fired(facts([JSON]), "security.csp-missing") == []
    assert fired(page(status=302), "security.csp-missing") == []
    assert severities(page(status=404), "security.csp-missing") == [WARNING]


def test_framing_protection() -> None:
    assert severities(page(NOSNIFF), "security.framing-unprotected") == [INFO]
    assert fired(page(CSP), "security.framing-unprotected") == []
    assert fired(page(("X-Frame-Options", "DENY")), "security.framing-unprotected") == []
    obsolete = fired(
        page(("X-Frame-Options", "ALLOW-FROM https://a.example")), "security.frame-options-invalid"
    )
    assert [f.severity for f in obsolete] == [WARNING]
    assert "ALLOW-FROM" in obsolete[0].explanation
    both = page(("X-Frame-Options", "DENY"), ("X-Frame-Options", "SAMEORIGIN"))
    assert severities(both, "security.frame-options-invalid") == [WARNING]
    assert fired(page(("X-Frame-Options", "sameorigin")), "security.frame-options-invalid") == []


def test_the_practice_servers_pages_draw_no_warning(live_server: str, transport: Transport) -> None:
    for path in ("/", "/html", "/lessons/statelessness", "/json"):
        exchange = send(transport, live_server + path)
        assert complaints(exchange, "security.") == [], path
        assert [f.rule_id for f in fired(exchange, "security.nosniff-missing")] == []


def test_a_real_https_page_with_and_without_protection(
    tmp_path_factory: pytest.TempPathFactory, transport: Transport
) -> None:
    routes = {
        "/bare": [HTML],
        "/guarded": [HTML, CSP, NOSNIFF, HSTS],
    }
    with https_site(tmp_path_factory.mktemp("tls"), routes) as (base, cert):
        bare = send(transport, base + "/bare", ca_bundle=str(cert))
        guarded = send(transport, base + "/guarded", ca_bundle=str(cert))
    assert complaints(bare, "security.") == ["warning:security.csp-missing"]
    assert severities(bare, "security.hsts-missing") == [INFO]  # localhost
    assert [f.rule_id for f in fired(guarded, "security.hsts-missing")] == []
    assert complaints(guarded, "security.") == []
