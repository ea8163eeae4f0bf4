"""Masking secret values in text, in every form a server or a library may write them.

A secret that went out in a request can come back changed: percent-encoded (upper- or
lower-case hex, `+` for a space, even encoded twice), JSON-escaped (`\\"`, `\\/`,
`\\u00e9`), or base64 (alone, or inside a longer base64 text such as the `user:pass` of
Basic auth). `SecretMask` finds all of them, and only them: text that merely looks like
a credential ("Bearer <token>") is left alone.

Raw, percent and JSON forms are matched character by character, so a mix of them (a
server that encodes some characters and not others) is found too. Base64 is matched as
literal text at each of the three byte alignments, keeping only the characters that
depend on the secret alone.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

MASK = "•••"
# Shorter base64 runs would match ordinary words.
MIN_BASE64_LENGTH = 4

_JSON_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _json_unicode_escape(char: str) -> str:
    """A pattern for `char` as JSON `\\uXXXX` (a surrogate pair above the BMP)."""
    units = char.encode("utf-16-be", "surrogatepass")
    return "".join(rf"\\u(?i:{units[i]:02x}{units[i + 1]:02x})" for i in range(0, len(units), 2))


def _char_pattern(char: str) -> str:
    """Every way one character of a secret may be written: itself, percent-encoded
    (optionally encoded twice: `%2541`), `+` for a space, or JSON-escaped."""
    data = char.encode("utf-8", "surrogatepass")
    options = [
        re.escape(char),
        "".join(f"%(?:25)?(?i:{byte:02x})" for byte in data),
        _json_unicode_escape(char),
    ]
    if char == " ":
        options.append(r"\+")
    if char in _JSON_SHORT_ESCAPES:
        options.append(re.escape(_JSON_SHORT_ESCAPES[char]))
    return "(?:" + "|".join(dict.fromkeys(options)) + ")"


def base64_forms(value: str) -> set[str]:
    """The base64 texts (standard and URL-safe, padded or not) that reveal `value`:
    its own encoding, and the part of a longer encoding that depends only on `value`
    when it starts at any of the three byte alignments (e.g. the password in the
    base64 of `user:password`)."""
    data = value.encode("utf-8", "surrogatepass")
    forms = set()
    whole = base64.b64encode(data).decode()
    forms.update({whole, whole.rstrip("=")})
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode()
        skip = -(-offset * 8 // 6)  # characters that also carry bits of the prefix
        end = (offset + len(data)) // 3 * 4  # characters that carry bits of what follows
        if end - skip >= MIN_BASE64_LENGTH:
            forms.add(encoded[skip:end])
    urlsafe = {form.replace("+", "-").replace("/", "_") for form in forms}
    return {form for form in forms | urlsafe if len(form) >= MIN_BASE64_LENGTH}


def secret_pattern(value: str) -> str:
    """A regular expression for `value` in any of the forms this module knows."""
    chars = "".join(_char_pattern(char) for char in value)
    b64 = sorted(base64_forms(value), key=len, reverse=True)
    return "|".join([chars, *(re.escape(form) for form in b64)])


class SecretMask:
    """Replaces every form of the given secret values with `MASK`; empty values are
    ignored. Build it once for a set of secrets, call it on each text to show."""

    def __init__(self, values: Iterable[str], marker: str = MASK) -> None:
        self.values = frozenset(value for value in values if value)
        self.marker = marker
        # Longest first: a secret that contains another is replaced whole.
        ordered = sorted(self.values, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(secret_pattern(v) for v in ordered)) if ordered else None
        )

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(self.marker, text)

    def __bool__(self) -> bool:
        return bool(self.values)
