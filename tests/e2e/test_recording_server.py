"""The round-trip tests' recording server keeps the raw target, header bytes and body."""

import subprocess

import requests


def test_the_recording_server_keeps_requests_as_they_arrived(recording_server):
    requests.post(
        recording_server.url + "/a%20b?x=1&pretty&y=%C3%A9",
        headers={"X-Uni": "ü".encode()},
        data=b"\x00\x01binary",
    )
    subprocess.run(
        [
            "curl",
            "-s",
            "-F",
            "f=@/etc/hostname;type=text/plain",
            "-F",
            "a=b",
            recording_server.url + "/up",
        ],
        check=True,
        capture_output=True,
    )
    r = recording_server.take()
    assert r[0].target == "/a%20b?x=1&pretty&y=%C3%A9"
    assert r[0].query == [("x", "1"), ("pretty", ""), ("y", "é")]
    assert r[0].header("x-uni") == "ü".encode()
    assert r[0].body == b"\x00\x01binary"
    assert r[1].multipart_parts()[0]["filename"] == "hostname"
