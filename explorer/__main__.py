"""`python -m explorer`: the window by default; sub-commands for headless use.

The command line never imports Qt: only the window does. Arguments are checked before
Qt is imported, so a misspelt command is a usage error (exit 2) even without a display,
never a window or a Qt platform abort.
"""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    """Dispatch to a sub-command, or open the window."""
    arguments = sys.argv[1:] if argv is None else argv
    # A plain start (no arguments) goes straight to the window: not even argparse is
    # imported before the first paint (see explorer.gui.parse_arguments).
    if arguments:
        from explorer.cli import main as cli_main
        from explorer.cli import opens_window

        if not opens_window(arguments):
            return cli_main(arguments)
    from explorer.gui import main

    return main(arguments)


if __name__ == "__main__":
    sys.exit(run())
