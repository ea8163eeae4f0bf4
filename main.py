"""`python main.py` opens API Explorer."""

import sys

from explorer.__main__ import run

if __name__ == "__main__":
    sys.exit(run())
