"""Collections, folders, environments and variables as plain data.

A collection is a tree: folders hold folders and requests. Headers and auth set on a
collection or folder are inherited by the requests below it. Storage on disk lives in
`explorer.core.storage`; importers in `explorer.core.formats` produce these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.core.model import Assertion, Auth, AuthKind, Capture, Pair, Request, Scripts


@dataclass(frozen=True)
class Variable:
    """A named value. A secret variable's value is kept out of every file the user owns."""

    name: str
    value: str = ""
    secret: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class Environment:
    """A named set of variables, e.g. "local" or "staging"."""

    name: str
    variables: tuple[Variable, ...] = ()


@dataclass(frozen=True)
class RequestItem:
    """A saved request inside a collection or folder.

    `request.auth.kind == AuthKind.INHERIT` means "use the nearest folder's or the
    collection's auth"; `inherit_headers` adds the folders' and collection's headers.
    """

    request: Request
    inherit_headers: bool = True

    @property
    def name(self) -> str:
        return self.request.name


@dataclass(frozen=True)
class Folder:
    """A folder of requests and folders, with its own headers and auth."""

    name: str
    items: tuple[Folder | RequestItem, ...] = ()
    description: str = ""
    headers: tuple[Pair, ...] = ()
    auth: Auth = field(default_factory=lambda: Auth(kind=AuthKind.INHERIT))
    # Checked, captured and run for every request below, before the request's own.
    assertions: tuple[Assertion, ...] = ()
    captures: tuple[Capture, ...] = ()
    scripts: Scripts = field(default_factory=Scripts)


@dataclass(frozen=True)
class Collection:
    """The root of a tree of requests, with variables, default headers and auth."""

    name: str
    items: tuple[Folder | RequestItem, ...] = ()
    description: str = ""
    variables: tuple[Variable, ...] = ()
    headers: tuple[Pair, ...] = ()
    auth: Auth = field(default_factory=Auth)
    environments: tuple[Environment, ...] = ()
    # Checked, captured and run for every request, before the folders' and request's own.
    assertions: tuple[Assertion, ...] = ()
    captures: tuple[Capture, ...] = ()
    scripts: Scripts = field(default_factory=Scripts)


def walk_requests(
    node: Collection | Folder, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], RequestItem]]:
    """Every request under `node` in order, with the folder names leading to it."""
    found: list[tuple[tuple[str, ...], RequestItem]] = []
    for item in node.items:
        if isinstance(item, Folder):
            found.extend(walk_requests(item, (*path, item.name)))
        else:
            found.append((path, item))
    return found
