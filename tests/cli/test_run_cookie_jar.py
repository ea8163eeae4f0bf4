"""`run --cookie-jar FILE`: the requests share FILE's cookies, FILE is written back (0600)
whatever way the run ends, curl reads it, and a FILE that is not a cookie file stops the
command in one line without being touched. In-process, against real servers."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest

from explorer.cli import main


@pytest.fixture(scope="module")
def recording_server():
    """One recording server for the module (each stops in half a second)."""
    from tests.support.recording_server import RecordingServer

    with RecordingServer() as server:
        yield server


def http_file(tmp_path, *urls: str):
    path = tmp_path / "calls.http"
    path.write_text("".join(f"### r{n}\nGET {url}\n\n" for n, url in enumerate(urls)), "utf-8")
    return str(path)


def test_a_run_loads_uses_and_saves_the_jar(live_server, recording_server, tmp_path, capsys):
    jar = tmp_path / "jar" / "cookies.txt"  # neither the file nor its folder exists yet
    calls = http_file(
        tmp_path,
        f"{live_server}/cookies/set?flavour=oat",
        f"{recording_server.url}/within-the-run",
    )
    assert main(["run", calls, "--cookie-jar", str(jar)]) == 0
    assert recording_server.take()[-1].header_text("Cookie") == "flavour=oat"
    assert stat.S_IMODE(os.stat(jar).st_mode) == 0o600
    assert "\tflavour\toat\n" in jar.read_text(encoding="utf-8")

    # The next run starts from the file; a failed run (no server there) still saves it.
    closed = http_file(
        tmp_path, f"{recording_server.url}/next-run", "http://127.0.0.1:9/refused",
        f"{live_server}/cookies/set?more=1",
    )  # fmt: skip
    assert main(["run", closed, "--cookie-jar", str(jar)]) == 1
    assert recording_server.take()[-1].header_text("Cookie") == "flavour=oat"
    assert "\tmore\t1\n" in jar.read_text(encoding="utf-8")
    capsys.readouterr()

    if shutil.which("curl"):
        subprocess.run(
            ["curl", "-s", "-o", os.devnull, "-b", str(jar), f"{recording_server.url}/curl"],
            check=True,
            timeout=20,
        )
        cookie = recording_server.take()[-1].header_text("Cookie") or ""
        assert sorted(cookie.split("; ")) == ["flavour=oat", "more=1"]


def test_a_malformed_jar_stops_the_run_untouched(recording_server, tmp_path, capsys):
    jar = tmp_path / "cookies.txt"
    jar.write_text("# Netscape HTTP Cookie File\nexample.com\tFALSE\t/\n", encoding="utf-8")
    before = jar.read_bytes()
    status = main(["run", http_file(tmp_path, recording_server.url), "--cookie-jar", str(jar)])
    assert status == 2
    error = capsys.readouterr().err.strip()
    assert error == f"error: {jar}: the cookie jar line 2 has 3 fields, not 7"
    assert jar.read_bytes() == before
    assert recording_server.take() == []  # nothing was sent
