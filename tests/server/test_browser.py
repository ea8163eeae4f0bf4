"""Headless Chromium against the running server: the code-on-demand script really runs."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def dump_dom(url: str, profile) -> str:
    """The DOM after scripts ran (virtual time lets the fetch finish first)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (make test installs it)")
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        timeout=30,
        check=True,
    )
    return result.stdout.decode()


def test_code_on_demand_renders_items(server, tmp_path):
    dom = dump_dom(server.url + "/demo/code-on-demand", tmp_path / "profile")
    assert 'data-state="loaded"' in dom
    assert dom.count('class="item-row"') == 22
    assert '<td class="item-name">Mechanical keyboard</td>' in dom
    assert "22 items rendered by widget.js" in dom


def test_lesson_index_renders_with_its_stylesheet(server, tmp_path):
    dom = dump_dom(server.url + "/lessons/", tmp_path / "profile")
    assert '<link rel="stylesheet" href="/static/css/style.css">' in dom
    assert "Statelessness" in dom and 'class="cards"' in dom
    with urllib.request.urlopen(server.url + "/static/css/style.css", timeout=5) as css:
        assert css.status == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert b".cards" in css.read()
