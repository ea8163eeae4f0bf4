"""Removing known secret values from what the history stores.

The design: redact exactly the values that are secret for one send, in every encoding a
server may echo them in, and touch nothing else.

- Which values: the values of the secret variables and auth fields used by the send
  (`auth_secrets`: basic and digest password, `user:password` of Basic, bearer token,
  API key value, the secrets of OAuth 2.0, OAuth 1.0a and AWS: `Auth.credentials`),
  and the credential of an Authorization/Proxy-Authorization header as it was sent.
  Text that merely looks like a credential ("Bearer <any token>" in an error page) is
  left alone.
- Which encodings (`Redactor`): raw UTF-8; percent-encoding of any byte, upper or lower
  case hex, with `+` for space (covers quote, quote_plus, form encoding and full
  percent-encoding of every byte, also mixed); JSON string escapes (`\\"`, `\\\\`, `\\/`,
  `\\n` … and `\\uXXXX`, so json.dumps with ensure_ascii either way); and base64 of the
  value (standard and URL-safe, with and without padding).
- The headers that carry credentials by definition are masked in the stored header
  lists: Authorization and Proxy-Authorization whole, Cookie and Set-Cookie in their
  values (the cookie names and attributes stay).
"""

from __future__ import annotations

import base64
import builtins  # `bytes` in Redactor names its method, so the type is spelled builtins.bytes
import re
from collections.abc import Iterable

from explorer.core.http.exchange import Headers
from explorer.core.model import Auth, AuthKind

REDACTED = "«redacted»"
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
# Shorter values would match ordinary text everywhere and make bodies unreadable; a
# credential that short protects nothing anyway.
MIN_SECRET_LENGTH = 4
# A cookie value this long may be a session: hidden in bodies too. Shorter ones ("dark",
# "en") are preferences, and hiding them would blank ordinary words in every body.
MIN_COOKIE_SECRET_LENGTH = 8
# The longest encoding of one character: a non-BMP character as two \uXXXX escapes.
_WIDEST_ENCODING = 12

_SHORT_JSON_ESCAPES = {
    '"': b'\\\\"',
    "\\": b"\\\\\\\\",
    "/": b"\\\\/",
    "\b": b"\\\\b",
    "\f": b"\\\\f",
    "\n": b"\\\\n",
    "\r": b"\\\\r",
    "\t": b"\\\\t",
}


def auth_secrets(auth: Auth) -> set[str]:
    """The secret values of resolved `auth`: what the server must not see echoed back
    into the history. Basic (and digest) also give `user:password`, whose base64 is
    Basic's header."""
    if auth.kind in (AuthKind.BASIC, AuthKind.DIGEST):
        found = {auth.password}
        if auth.password:
            found.add(f"{auth.username}:{auth.password}")
        return _long_enough(found)
    return _long_enough(auth.credentials())


def _long_enough(values: Iterable[str]) -> set[str]:
    return {value for value in values if len(value) >= MIN_SECRET_LENGTH}


def sensitive_values(headers: Headers, secrets: Iterable[str]) -> list[str]:
    """Every value to hide, longest first: `secrets`, the credential of each
    Authorization/Proxy-Authorization header sent (the part after the scheme), and the
    session-like values of Cookie and Set-Cookie headers (a server that echoes the
    request, or a login page that shows its token, would otherwise keep them)."""
    found = _long_enough(secrets)
    for name, value in headers:
        lowered = name.lower()
        if lowered in CREDENTIAL_HEADERS:
            # "Bearer" alone (no token yet) is a scheme name, not a credential.
            _scheme, _, credential = value.strip().partition(" ")
            found |= _long_enough({credential.strip()})
        elif lowered in ("cookie", "set-cookie"):
            pairs = value.split(";") if lowered == "cookie" else value.split(";")[:1]
            found |= {
                cookie
                for cookie in (pair.partition("=")[2].strip().strip('"') for pair in pairs)
                if len(cookie) >= MIN_COOKIE_SECRET_LENGTH
            }
    return sorted(found, key=len, reverse=True)


def _hex_byte(byte: int) -> bytes:
    """`%XX` for `byte`, either case of hex digits."""
    return b"%" + _either_case(f"{byte:02x}")


def _either_case(hex_digits: str) -> bytes:
    """A pattern for hex digits in upper or lower case."""
    return b"".join(f"[{d}{d.upper()}]".encode() if d.isalpha() else d.encode() for d in hex_digits)


def _percent_pattern(char: str) -> bytes:
    """One character as UTF-8 bytes, each byte itself or percent-encoded."""
    pieces = []
    for byte in char.encode("utf-8", "surrogatepass"):
        options = [re.escape(bytes([byte])), _hex_byte(byte)]
        if byte == 0x20:
            options.append(rb"\+")  # form encoding
        pieces.append(b"(?:" + b"|".join(options) + b")")
    return b"".join(pieces)


def _json_escapes(char: str) -> list[bytes]:
    """The JSON escapes of one character (patterns), besides the character itself."""
    options = []
    if char in _SHORT_JSON_ESCAPES:
        options.append(_SHORT_JSON_ESCAPES[char])
    units = char.encode("utf-16-be", "surrogatepass")
    escaped = b""
    for index in range(0, len(units), 2):
        escaped += rb"\\u" + _either_case(units[index : index + 2].hex())
    options.append(escaped)
    return options


def _value_pattern(value: str) -> bytes:
    """Every way `value` may come back from a server, as one bytes pattern."""
    chars = []
    for char in value:
        chars.append(b"(?:" + b"|".join([_percent_pattern(char), *_json_escapes(char)]) + b")")
    encoded = value.encode("utf-8", "surrogatepass")
    forms = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        padded = encode(encoded)
        forms |= {padded, padded.rstrip(b"=")}
    literal = [re.escape(form) for form in sorted(forms, key=len, reverse=True)]
    return b"|".join([*literal, b"".join(chars)])


class Redactor:
    """Replaces every encoding of the given values by `REDACTED` (see the module)."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = sorted(_long_enough(values), key=len, reverse=True)
        # A match is never longer than this: how far past a cut to read.
        self.widest = max((len(v) for v in self.values), default=0) * _WIDEST_ENCODING
        if self.values:
            self._pattern: re.Pattern[bytes] | None = re.compile(
                b"|".join(b"(?:" + _value_pattern(v) + b")" for v in self.values)
            )
        else:
            self._pattern = None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def bytes(self, data: bytes) -> bytes:
        """`data` with every encoding of every value replaced."""
        if self._pattern is None:
            return data
        marker = REDACTED.encode()
        # Replacing can join text around a marker into a new match only when a value
        # overlaps the marker's own characters; a few passes settle that.
        for _ in range(4):
            data, count = self._pattern.subn(marker, data)
            if not count or self._pattern.search(data) is None:
                break
        return data

    def text(self, text: str) -> str:
        """`text` with every encoding of every value replaced."""
        if self._pattern is None:
            return text
        return self.bytes(text.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogatepass")

    def finds(self, data: builtins.bytes | str) -> bool:
        """Whether `data` still holds some encoding of a value."""
        if self._pattern is None:
            return False
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        return self._pattern.search(raw) is not None


def redact_headers(headers: Headers, redactor: Redactor) -> Headers:
    """Headers with credentials masked and secret values removed from the others.

    Authorization headers are masked whole; of a Cookie or Set-Cookie header only the
    values go (`sid=«redacted»; Path=/; HttpOnly`): the names and attributes are no
    secret, and a HAR export of the history lists them as its cookies."""
    out = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == "cookie":
            value = "; ".join(_masked_cookie(piece) for piece in value.split(";"))
        elif lowered == "set-cookie":
            first, separator, attributes = value.partition(";")
            value = _masked_cookie(first) + separator + redactor.text(attributes)
        elif lowered in SENSITIVE_HEADERS:
            value = REDACTED
        else:
            value = redactor.text(value)
        out.append((name, value))
    return tuple(out)


def _masked_cookie(pair: str) -> str:
    """`name=«redacted»` for one `name=value` (the whole piece when it has no name)."""
    name, equals, _value = pair.strip().partition("=")
    return f"{name.strip()}={REDACTED}" if equals and name.strip() else REDACTED
