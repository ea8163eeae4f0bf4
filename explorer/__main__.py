"""`python -m explorer`: the window by default; sub-commands for headless use.

The command line never imports Qt: only the window does.
"""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    """Dispatch to a sub-command, or open the window."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in ("run", "import", "export"):
        from explorer.cli import main as cli_main

        return cli_main(arguments)
    from explorer.app import main

    return main(arguments)


if __name__ == "__main__":
    sys.exit(run())
