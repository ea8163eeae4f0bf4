"""An HTTPie (`http`) command for bash, secrets read from environment variables; a
whole collection is one bash script running one command per request, in order.

Every command has `--ignore-stdin`: without it HTTPie reads the body from standard
input whenever that is not a terminal (a script run by cron, CI or another program),
and then refuses the command or sends the wrong body.
"""

from __future__ import annotations

from collections.abc import Sequence

from explorer.core.codegen.common import (
    Titled,
    all_secret_variables,
    body_content_type,
    has_header,
    no_content_type,
    sent_headers,
    typed_text_parts,
)
from explorer.core.codegen.curl import (
    SECRET_QUERY_NOTE,
    bash_script,
    shell_word,
    with_query,
)
from explorer.core.codegen.signing import unsigned_notes
from explorer.core.model import AuthKind, BodyKind, Options, Request

# Characters HTTPie reads as item separators; a backslash makes them literal in a name.
_SEPARATORS = ":=@;\\"


def _escape_name(name: str) -> str:
    return "".join("\\" + char if char in _SEPARATORS else char for char in name)


def generate(request: Request, secret_names: frozenset[str] = frozenset()) -> str:
    """The request as an `http` command line (HTTPie 3)."""
    # The query goes in the URL as the app encodes it (HTTPie's `name==value` items
    # would write a space as +); only parameters holding a secret stay items.
    request = with_query(request, secret_names)
    words: list[list[str]] = [["http", *_flags(request), request.method, request.url]]
    words += [[f"{_escape_name(p.name)}=={p.value}"] for p in request.params]
    if request.auth.kind == AuthKind.BEARER:
        # A header, not --auth-type=bearer: HTTPie sends that as latin-1, and fails on
        # other characters; header items go out as UTF-8, as the app sends them.
        words.append([f"Authorization:Bearer {request.auth.token}"])
    for pair in sent_headers(request):
        value = "\\" + pair.value if pair.value.startswith("=") else pair.value
        words.append([f"{_escape_name(pair.name)}:{value}" if value else f"{pair.name};"])
    words += _body(request)
    lines = [" ".join(shell_word(word, secret_names) for word in group) for group in words]
    notes = [SECRET_QUERY_NOTE] if request.params else []
    if typed_text_parts(request):
        notes.append("# HTTPie cannot give a text part a Content-Type: it is sent without.")
    notes += unsigned_notes(request, "#")
    return "".join(note + "\n" for note in notes) + " \\\n  ".join(lines) + "\n"


def generate_all(requests: Sequence[Titled], secret_names: frozenset[str] = frozenset()) -> str:
    """One bash script sending `requests` in order."""
    commands = [(title, generate(request, secret_names)) for title, request in requests]
    return bash_script(commands, all_secret_variables(list(requests), secret_names))


def _flags(request: Request) -> list[str]:
    options = request.options
    flags = ["--ignore-stdin"]
    body = request.body
    if body.kind == BodyKind.RAW:
        flags.append(f"--raw={body.text}")
    elif body.kind == BodyKind.FORM:
        flags.append("--form")
    elif body.kind == BodyKind.MULTIPART:
        flags.append("--multipart")
    auth = request.auth
    if auth.kind in (AuthKind.BASIC, AuthKind.DIGEST):
        flags += [f"--auth-type={auth.kind.value}", f"--auth={auth.username}:{auth.password}"]
    if options.follow_redirects:
        flags.append("--follow")
        if options.max_redirects != Options.max_redirects:
            flags.append(f"--max-redirects={options.max_redirects}")
    flags.append(f"--timeout={options.timeout:g}")
    if options.ca_bundle:
        flags.append(f"--verify={options.ca_bundle}")
    elif not options.verify_tls:
        flags.append("--verify=no")
    if options.proxy:
        flags += [f"--proxy=http:{options.proxy}", f"--proxy=https:{options.proxy}"]
    if options.client_cert:
        flags.append(f"--cert={options.client_cert}")
    if options.client_key:
        flags.append(f"--cert-key={options.client_key}")
    return flags


def _body(request: Request) -> list[list[str]]:
    body = request.body
    # The type the app sends; HTTPie's own for a form adds "; charset=utf-8".
    content_type = body_content_type(request)
    if body.kind == BodyKind.FORM and not has_header(request, "content-type"):
        content_type = "application/x-www-form-urlencoded"
    typed = [[f"Content-Type:{content_type}"]] if content_type else []
    if no_content_type(request):
        typed = [["Content-Type:"]]  # an empty value removes HTTPie's own
    if body.kind == BodyKind.RAW:
        return typed
    if body.kind == BodyKind.FORM:
        return [*typed, *([f"{_escape_name(p.name)}={p.value}"] for p in body.form)]
    if body.kind == BodyKind.MULTIPART:
        items = []
        for part in body.parts:
            if part.is_file:
                suffix = f";type={part.content_type}" if part.content_type else ""
                items.append([f"{_escape_name(part.name)}@{part.file}{suffix}"])
            else:
                items.append([f"{_escape_name(part.name)}={part.value}"])
        return items
    if body.kind == BodyKind.BINARY:
        return [*typed, ["@" + body.file]]
    return []
