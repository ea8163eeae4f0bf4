"""JSON bodies with comments, as Bruno sends them.

Bruno lets a `body:json` hold `//` and `/* */` comments and removes them before sending
(the `decomment` package, in @usebruno/cli's prepare-request). The importer removes them
the same way, so that the body API Explorer sends is the one Bruno sent: a line that held
only a comment goes whole, a comment after code goes with nothing else (the spaces before
it stay), a block comment at the start of a line takes the indentation before it.
Comment marks inside strings are text. A body that does not scan (a string never
closed) is left as it is, as Bruno then sends it unchanged.
"""

from __future__ import annotations


def strip_comments(text: str) -> str | None:
    """`text` without its comments, or None when it has none (or does not scan)."""
    if "//" not in text and "/*" not in text:
        return None
    out: list[str] = []
    line_start = 0  # index in `out` where the current output line starts
    index, length = 0, len(text)
    found = False
    while index < length:
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            if end < 0:
                return None
            out.append(text[index:end])
            index = end
            continue
        if char == "/" and text[index + 1 : index + 2] == "/":
            found = True
            end = text.find("\n", index)
            end = length if end < 0 else end
            if not "".join(out[line_start:]).strip():  # a line of only a comment: gone
                del out[line_start:]
                index = end + 1 if end < length else end
                continue
            index = end
            continue
        if char == "/" and text[index + 1 : index + 2] == "*":
            end = text.find("*/", index + 2)
            if end < 0:
                return None
            found = True
            index = end + 2
            if not "".join(out[line_start:]).strip():
                del out[line_start:]
                newline = text.find("\n", index)
                if newline >= 0 and not text[index:newline].strip():
                    index = newline + 1  # a line of only a comment: gone
            continue
        out.append(char)
        index += 1
        if char == "\n":
            line_start = len(out)
    return "".join(out) if found else None


def _string_end(text: str, start: int) -> int:
    """The index after the string starting at `start`, or -1 when it is never closed
    on its line."""
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index + 1
        if char == "\n":
            return -1
        index += 1
    return -1
