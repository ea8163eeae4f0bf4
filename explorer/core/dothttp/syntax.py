"""The pieces of .http syntax that the parser and the exporter share, so that what one
writes the other reads back.

A request line is `[METHOD] URL [HTTP/x.y]`, where METHOD is any RFC 9110 token (`PURGE`,
`QUERY`, `PROPFIND`), not only the methods one tool happens to list. A body line is a
file include only in the `< path` form (`<`, optional `@` and encoding, blanks, a path):
`<xml>` and `<!DOCTYPE html>` are body text, as in httpyac and JetBrains.

Two comments are API Explorer's own, read by nothing else (every tool skips comments):
`# auth: API key "name" in the query` (or header) says that a query parameter or header
was the request's API-key authentication, and `# body: ends with 2 newlines` says how
many line breaks end the body, which .http tools drop from inline text.
"""

from __future__ import annotations

import re

# RFC 9110 §5.6.2 tchar; a method is one token.
METHOD_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
VERSION = re.compile(r"HTTP/[\d.]+")
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
# `< path`, `<@ path` (variables replaced inside), `<@latin1 path` (httpyac's encoding).
FILE_INCLUDE = re.compile(r"^<(@\w*)?[ \t]+(\S.*?)\s*$")
# httpyac's marker that ends a body whose last lines are blank: they are kept.
BODY_END = "<--->"
API_KEY_COMMENT = re.compile(r'^#\s*auth: API key "([^"]+)" in the (query|header)\s*$')
NEWLINES_COMMENT = re.compile(r"^#\s*body: ends with (\d+) newlines?\s*$")
# `Authorization: Basic user password` (JetBrains, REST Client, httpyac) or `user:password`
# (REST Client, httpyac); a single token is already encoded and stays a header.
BASIC_SPACED = re.compile(r"^Basic[ \t]+(\S+)[ \t]+(\S.*?)\s*$", re.IGNORECASE)
BASIC_COLON = re.compile(r"^Basic[ \t]+([^:]*):(.*?)\s*$", re.IGNORECASE)
DIGEST_SPACED = re.compile(r"^Digest[ \t]+(\S+)[ \t]+(\S.*?)\s*$", re.IGNORECASE)


def api_key_comment(name: str, where: str) -> str:
    """The comment that marks `name` (a parameter or header) as the API key."""
    return f'# auth: API key "{name}" in the {where}'


def newlines_comment(count: int) -> str:
    """The comment that says the body ends with `count` line breaks."""
    return f"# body: ends with {count} newline{'s' if count > 1 else ''}"


def split_request_line(line: str) -> tuple[str, str]:
    """(method or "", URL) of a stripped request line `[METHOD] URL [HTTP/x.y]`.

    The version is taken off first, so `example.com HTTP/1.1` is a URL, not a method
    `example.com`. A token followed by more text is the method; a lowercase standard
    method (`get`) is written in capitals, as the tools send it.
    """
    words = line.rsplit(None, 1)
    if len(words) == 2 and VERSION.fullmatch(words[1]):
        line = words[0]
    words = line.split(None, 1)
    if len(words) == 2 and METHOD_TOKEN.fullmatch(words[0]):
        method = words[0]
        if method.upper() in _KNOWN and not method.isupper():
            method = method.upper()
        return method, words[1].strip()
    return "", line


_KNOWN = frozenset(("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"))
