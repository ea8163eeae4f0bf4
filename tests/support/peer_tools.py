"""Where the peer tools of the round-trip tests are, and a skip mark for each.

`make test` installs them (the Makefile's `tools` target puts the npm ones in .tools,
httpie comes with the dev extras, Go and curl from Debian), so in CI they run; a
developer without npm or Go still gets a green suite, with these tests skipped and
saying why.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_NPM_BIN = ROOT / ".tools" / "node_modules" / ".bin"

NEWMAN = _NPM_BIN / "newman"
BRU = _NPM_BIN / "bru"
HTTPYAC = _NPM_BIN / "httpyac"
HAR_VALIDATOR = ROOT / ".tools" / "node_modules" / "har-validator"  # a library: node -e
HTTP_SERVER = _NPM_BIN / "http-server"  # a static file server, for the REDbot comparison
REDBOT_PYTHON = ROOT / ".tools" / "redbot" / "bin" / "python"  # REDbot's own venv
HTTPIE = Path(sys.executable).with_name("http")
NODE = shutil.which("node")
GO = shutil.which("go")
CURL = shutil.which("curl")


def _needs(present: object, name: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not present or (isinstance(present, Path) and not present.exists()),
        reason=f"{name} is not installed (make test installs it)",
    )


needs_newman = _needs(NEWMAN, "newman")
needs_bru = _needs(BRU, "bru (Bruno's CLI)")
needs_httpyac = _needs(HTTPYAC, "httpyac")
needs_har_validator = _needs(HAR_VALIDATOR.exists() and NODE, "har-validator (with node)")
needs_httpie = _needs(HTTPIE, "httpie")
needs_node = _needs(NODE, "node")
needs_go = _needs(GO, "go")
needs_curl = _needs(CURL, "curl")
