"""Literal credentials out of collection files: each becomes a named secret variable.

A password, token or API key typed into the auth fields, an `Authorization`, `Cookie`
(or similar) header value and a password in a URL are replaced by `{{name}}`, where
`name` is a secret collection variable whose value is the credential. The value itself
then lives only in the local secret store, like every secret variable's value; the
request file holds the name, so sending still works and the file can be shared.

Pure logic, no files: the storage layer stores the values and declares the variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from typing import Any, TypeVar

from explorer.core.collection import Collection, Folder, RequestItem, Variable
from explorer.core.model import SECRET_AUTH_FIELDS, Auth, AuthKind, Pair, Request
from explorer.core.resolve.variables import find_variables

Item = Folder | RequestItem
Node = TypeVar("Node", Folder, Collection)  # what has settings: a folder or the collection

# Headers whose whole value is a credential (lower case). Authorization-like ones keep
# their scheme word in the file (`Bearer {{bearer_token}}`) so the file still says what
# kind of credential the request sends.
SCHEME_HEADERS = frozenset({"authorization", "proxy-authorization"})
VALUE_HEADERS = frozenset(
    {"cookie", "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token"}
)
_PURE_REFERENCE = re.compile(r"\s*\{\{\s*\$?[A-Za-z_][\w.\-]*\s*\}\}\s*")
_SCHEME_VALUE = re.compile(r"([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(\s+)(.+)", re.DOTALL)
# scheme://user:password@host — the password part, up to the `@` of the authority.
_URL_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://[^/?#@:]*:)([^/?#@]+)(@)")
MAX_SLUG = 40


@dataclass(frozen=True)
class MovedCredential:
    """One credential that left an item: where it was and the variable that now holds it."""

    variable: str  # name of the secret variable; the file holds `{{variable}}`
    field: str  # e.g. "auth password", "header Authorization", "URL password"
    owner: str  # name of the request, folder or collection it belongs to


def is_reference(value: str) -> bool:
    """Whether `value` is only a `{{name}}` reference (nothing to move)."""
    return _PURE_REFERENCE.fullmatch(value) is not None


def _references_only(cookie: str) -> bool:
    """Whether every value of a Cookie header is a `{{name}}` reference or empty
    (`token={{login.response.cookies.token.value}}; b=`): no literal credential to move,
    and moving it would hide the references."""
    crumbs = [crumb.partition("=")[2] for crumb in cookie.split(";") if crumb.strip()]
    return bool(crumbs) and all(not c.strip() or is_reference(c) for c in crumbs)


# A key, not a person's name: one long word of letters, digits, `_` and `-` with a digit
# in it (Stripe's sk_live_…, most API keys). "admin" or an e-mail address is no key.
_KEY_LIKE = re.compile(r"^(?=[^\d]*\d)[A-Za-z0-9_\-]{20,}$")


def is_key_as_user_name(auth: Auth) -> bool:
    """Whether a Basic user name is really an API key: some APIs take the key as the
    user name with no password (Stripe's `curl -u sk_live_…:`), and then it is the
    credential, to be kept out of the collection files like a password."""
    return (
        auth.kind == AuthKind.BASIC
        and not auth.password
        and _KEY_LIKE.match(auth.username.strip()) is not None
    )


def slug(text: str) -> str:
    """`Get user #2` -> `get_user_2`: a readable, variable-safe suffix."""
    words = re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")
    return words[:MAX_SLUG].rstrip("_")


class CredentialMover:
    """Replaces literal credentials by `{{name}}` of secret variables.

    `known` maps the names of secret variables that already exist to their values: the
    same value reuses its name. `taken` are names in use (declared or referenced) that a
    new variable must not take, since it would shadow or be shadowed by them; it may be a
    function, called only when a first name has to be chosen (finding every name in use
    means reading the whole collection).
    """

    def __init__(
        self,
        known: Mapping[str, str] = {},
        taken: Iterable[str] | Callable[[], Iterable[str]] = (),
    ) -> None:
        self._by_value = {value: name for name, value in known.items() if value}
        self._pending_taken = taken
        self._known_names = set(known)
        self._taken_names: set[str] | None = None
        self.new_variables: list[Variable] = []
        self.moved: list[MovedCredential] = []

    # ---- the tree ----------------------------------------------------------------------

    def collection(self, collection: Collection) -> Collection:
        """`collection` with every credential of its settings and items moved; the new
        secret variables are appended to its variables."""
        moved = replace(self.settings(collection), items=self.items(collection.items))
        return replace(moved, variables=(*moved.variables, *self.take_new_variables()))

    def items(self, items: Iterable[Item]) -> tuple[Item, ...]:
        """Every item, folders with all they contain."""
        return tuple(self.item(item) for item in items)

    def item(self, item: Item) -> Item:
        """A request item, or a folder with its settings and all it contains."""
        if isinstance(item, RequestItem):
            return replace(item, request=self.request(item.request))
        return replace(self.settings(item), items=self.items(item.items))

    def settings(self, node: Node) -> Node:
        """A folder's or collection's own auth and headers (not its items)."""
        return replace(
            node,
            auth=self.auth(node.auth, node.name),
            headers=self.headers(node.headers, node.name),
        )

    def request(self, request: Request) -> Request:
        """A request with its auth, credential headers and URL password moved."""
        owner = request.name
        options = request.options
        if options.proxy:
            options = replace(options, proxy=self._url(options.proxy, "proxy password", owner))
        return replace(
            request,
            url=self._url(request.url, "URL password", owner),
            headers=self.headers(request.headers, owner),
            auth=self.auth(request.auth, owner),
            options=options,
        )

    def take_new_variables(self) -> tuple[Variable, ...]:
        """The secret variables created since the last call (values included)."""
        new, self.new_variables = tuple(self.new_variables), []
        return new

    # ---- fields ------------------------------------------------------------------------

    def auth(self, auth: Auth, owner: str) -> Auth:
        """Password, token and API key value moved; the user name stays (not a secret),
        unless it is an API key given as a Basic user name with no password."""
        password_base = {AuthKind.BASIC: "basic_password", AuthKind.DIGEST: "digest_password"}
        username = auth.username
        if is_key_as_user_name(auth):
            username = self._move(username, "api_key", "auth user name (a key)", owner)
        parts: dict[str, Any] = {}
        for part, name in SECRET_AUTH_FIELDS:
            record = getattr(auth, part)
            where = f"auth {part} {name.replace('_', ' ')}"
            moved = self._move(getattr(record, name), f"{part}_{name}", where, owner)
            parts[part] = replace(parts.get(part, record), **{name: moved})
        return replace(
            auth,
            username=username,
            password=self._move(
                auth.password, password_base.get(auth.kind, "password"), "auth password", owner
            ),
            token=self._move(auth.token, "bearer_token", "auth token", owner),
            key_value=self._move(auth.key_value, "api_key", "auth API key", owner),
            **parts,
        )

    def headers(self, headers: tuple[Pair, ...], owner: str) -> tuple[Pair, ...]:
        """Credential headers (Authorization, Cookie, API-key headers) moved."""
        return tuple(self._header(pair, owner) for pair in headers)

    def _header(self, pair: Pair, owner: str) -> Pair:
        name = pair.name.strip().lower()
        where = f"header {pair.name.strip()}"
        if name == "cookie" and _references_only(pair.value):
            return pair
        if name in VALUE_HEADERS:
            return replace(pair, value=self._move(pair.value, slug(name), where, owner))
        if name not in SCHEME_HEADERS:
            return pair
        match = _SCHEME_VALUE.fullmatch(pair.value.strip())
        if match is None:  # a bare value: the whole of it is the credential
            return replace(pair, value=self._move(pair.value, slug(name), where, owner))
        scheme, space, credential = match.groups()
        base = _SCHEME_NAMES.get(scheme.lower(), f"{slug(name)}_{slug(scheme)}")
        if name == "proxy-authorization":
            base = f"proxy_{base}"
        return replace(pair, value=scheme + space + self._move(credential, base, where, owner))

    def _url(self, url: str, where: str, owner: str) -> str:
        match = _URL_PASSWORD.match(url)
        if match is None:
            return url
        base = "proxy_password" if where.startswith("proxy") else "url_password"
        placeholder = self._move(match.group(2), base, where, owner)
        return match.group(1) + placeholder + match.group(3) + url[match.end() :]

    def _move(self, value: str, base: str, where: str, owner: str) -> str:
        """`{{name}}` for a literal credential (named, stored once); else `value`."""
        if not value or is_reference(value):
            return value
        name = self._by_value.get(value)
        if name is None:
            name = self._new_name(base, owner)
            self._by_value[value] = name
            self._taken.add(name)
            self.new_variables.append(Variable(name, value, secret=True))
        self.moved.append(MovedCredential(name, where, owner))
        return "{{" + name + "}}"

    @property
    def _taken(self) -> set[str]:
        if self._taken_names is None:
            pending = self._pending_taken
            names = pending() if callable(pending) else pending
            self._taken_names = set(names) | self._known_names
        return self._taken_names

    def _new_name(self, base: str, owner: str) -> str:
        # The plain name reads best; a collection with several different credentials
        # gets the request's name in the others, then a number.
        candidates = [base]
        if slug(owner):
            candidates.append(f"{base}_{slug(owner)}")
        for candidate in candidates:
            if candidate not in self._taken:
                return candidate
        number = 2
        while f"{candidates[-1]}_{number}" in self._taken:
            number += 1
        return f"{candidates[-1]}_{number}"


class _Restorer(CredentialMover):
    """The way back: `{{name}}` in a credential field becomes the secret's value."""

    def __init__(self, values: Mapping[str, str]) -> None:
        super().__init__()
        self._values = values

    def _move(self, value: str, base: str, where: str, owner: str) -> str:
        found = find_variables(value) if is_reference(value) else []
        return self._values.get(found[0].name, value) if found else value


def with_secret_values(item: Item, values: Mapping[str, str]) -> Item:
    """`item` with each credential field that is `{{name}}` of a secret in `values`
    replaced by its value: to carry a request to another collection, whose store then
    moves the value into secret variables of its own."""
    return _Restorer(values).item(item)


_SCHEME_NAMES = {"basic": "basic_credentials", "bearer": "bearer_token", "digest": "digest"}


def extract_credentials(
    item: Item, taken_names: Iterable[str] = (), known: Mapping[str, str] = {}
) -> tuple[Item, tuple[Variable, ...], tuple[MovedCredential, ...]]:
    """`item` with placeholders, the new secret variables and what was moved."""
    mover = CredentialMover(known, taken_names)
    moved_item = mover.item(item)
    return moved_item, mover.take_new_variables(), tuple(mover.moved)


def names_in_use(collection: Collection) -> set[str]:
    """Every variable name a collection declares (its own and its environments') or
    references anywhere: a new variable must not take one of them."""
    names = {v.name for v in collection.variables}
    names |= {v.name for env in collection.environments for v in env.variables}
    for text in _strings(collection):
        if "{{" in text:
            names |= {span.name for span in find_variables(text)}
    return names


def _strings(value: Any) -> Iterable[str]:
    # Every string inside dataclasses and tuples (iterative: deep trees never recurse).
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, tuple):
            stack.extend(current)
        elif is_dataclass(current) and not isinstance(current, type):
            stack.extend(getattr(current, name) for name in _field_names(type(current)))


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def secret_by_use(collection: Collection) -> tuple[Collection, tuple[MovedCredential, ...]]:
    """`collection` with every plain variable that a credential field refers to (e.g. an
    imported Postman `token` behind `Bearer {{token}}`) made secret, so its value goes to
    the secret store too; and what was made secret."""
    used = {span.name for text in _credential_texts(collection) for span in find_variables(text)}
    moved: list[MovedCredential] = []

    def secret(variables: tuple[Variable, ...], owner: str) -> tuple[Variable, ...]:
        result = []
        for variable in variables:
            if variable.name in used and variable.value and not variable.secret:
                variable = replace(variable, secret=True)
                moved.append(MovedCredential(variable.name, "variable", owner))
            result.append(variable)
        return tuple(result)

    environments = tuple(
        replace(env, variables=secret(env.variables, env.name)) for env in collection.environments
    )
    variables = secret(collection.variables, collection.name)
    return replace(collection, variables=variables, environments=environments), tuple(moved)


def _credential_texts(collection: Collection) -> Iterable[str]:
    """The credential fields of every request, folder and the collection itself."""
    nodes: list[Any] = [collection]
    while nodes:
        node = nodes.pop()
        if isinstance(node, RequestItem):
            auth, headers, urls = node.request.auth, node.request.headers, [node.request.url]
            urls.append(node.request.options.proxy)
        else:
            auth, headers, urls = node.auth, node.headers, []
            nodes.extend(node.items)
        yield from (auth.password, auth.token, auth.key_value)
        if auth.kind == AuthKind.BASIC and not auth.password:
            yield auth.username  # a key given as the user name (`{{stripe_key}}`)
        for pair in headers:
            if pair.name.strip().lower() in SCHEME_HEADERS | VALUE_HEADERS:
                yield pair.value
        for url in urls:
            match = _URL_PASSWORD.match(url)
            if match is not None:
                yield match.group(2)


def describe(moved: Iterable[MovedCredential], verb: str = "moved") -> str:
    """One line for a report: "moved 2 credentials to secret variables: {{a}}, {{b}}"."""
    moved = list(moved)
    if not moved:
        return ""
    names = ", ".join("{{" + name + "}}" for name in dict.fromkeys(m.variable for m in moved))
    noun = "credential" if len(moved) == 1 else "credentials"
    return f"{verb} {len(moved)} {noun} to secret variables: {names}"


def preview(collection: Collection) -> tuple[MovedCredential, ...]:
    """What saving `collection` as a new collection folder would move (nothing stored)."""
    mover = CredentialMover(taken=names_in_use(collection))
    mover.collection(collection)
    return tuple(mover.moved)
