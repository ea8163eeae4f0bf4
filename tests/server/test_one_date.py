"""Every response carries exactly one Date field, static files included (Werkzeug's
server writes one and send_file used to set another)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest


@pytest.mark.parametrize("path", ["/static/css/style.css", "/health", "/", "/api/items/1"])
def test_one_date_field_per_response(live_server: str, path: str) -> None:
    where = urlsplit(live_server)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        dates = [value for name, value in response.getheaders() if name.lower() == "date"]
    finally:
        connection.close()
    assert response.status == 200
    assert len(dates) == 1, dates
