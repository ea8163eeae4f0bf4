"""`python -m explorer`: the window by default; sub-commands for headless use.

The command line never imports Qt: only the window does.
"""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    """Dispatch to the window."""
    arguments = sys.argv[1:] if argv is None else argv
    from explorer.app import main

    return main(arguments)


if __name__ == "__main__":
    sys.exit(run())
