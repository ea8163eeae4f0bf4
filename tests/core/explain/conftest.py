"""What the rule tests share: one transport per module, spooling into a temp folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.core.http.transport import Transport


@pytest.fixture(scope="module")
def transport(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Transport]:
    transport = Transport(spool_dir=tmp_path_factory.mktemp("spool"))
    yield transport
    transport.close()
