"""Headers and auth a request inherits from its folders and collection.

Auth: a request whose auth kind is INHERIT takes the auth of the nearest enclosing
folder whose own kind is not INHERIT, else the collection's. Headers (when the item's
`inherit_headers` is set): the collection's, then each folder's from the outside in,
then the request's; a nearer header replaces a farther one of the same name (names
compared case-insensitively). Only enabled inherited headers take part.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Assertion, Auth, AuthKind, Capture, Pair, Request, Scripts


class FolderNotFoundError(LookupError):
    """A folder path does not lead to a folder of the collection."""


@dataclass(frozen=True)
class Source:
    """Where a value comes from: the request itself, a folder (by path), or the collection."""

    kind: str  # "request", "folder" or "collection"
    path: tuple[str, ...] = ()  # folder names from the collection down, for "folder"

    @property
    def label(self) -> str:
        """Words for the editor, e.g. "folder Users / Admin"."""
        if self.kind == "folder":
            return "folder " + " / ".join(self.path)
        return self.kind


@dataclass(frozen=True)
class HeaderSource:
    """One header as the request will send it (or not), with its origin.

    `overridden` is True for an inherited header replaced by a nearer one of that name.
    """

    header: Pair
    source: Source
    overridden: bool = False


REQUEST = Source("request")
COLLECTION = Source("collection")


def folder_chain(collection: Collection, folder_path: tuple[str, ...]) -> list[Folder]:
    """The folders along `folder_path` (names), outermost first."""
    chain: list[Folder] = []
    node: Collection | Folder = collection
    for name in folder_path:
        match = next((i for i in node.items if isinstance(i, Folder) and i.name == name), None)
        if match is None:
            raise FolderNotFoundError(f"no folder {'/'.join(folder_path)!r} in {collection.name!r}")
        chain.append(match)
        node = match
    return chain


def auth_source(
    collection: Collection, folder_path: tuple[str, ...], item: RequestItem
) -> tuple[Auth, Source]:
    """The auth the request will use and where it is set. Never of kind INHERIT: an
    INHERIT with nothing to inherit from means no auth."""
    if item.request.auth.kind != AuthKind.INHERIT:
        return item.request.auth, REQUEST
    chain = folder_chain(collection, folder_path)
    for depth in range(len(chain), 0, -1):
        folder = chain[depth - 1]
        if folder.auth.kind != AuthKind.INHERIT:
            return folder.auth, Source("folder", folder_path[:depth])
    if collection.auth.kind != AuthKind.INHERIT:
        return collection.auth, COLLECTION
    return Auth(kind=AuthKind.NONE), COLLECTION


def header_sources(
    collection: Collection, folder_path: tuple[str, ...], item: RequestItem
) -> list[HeaderSource]:
    """Inherited headers (outermost first) then the request's own, each with its source
    and whether a nearer header of the same name overrides it."""
    layers: list[tuple[Source, tuple[Pair, ...]]] = []
    if item.inherit_headers:
        chain = folder_chain(collection, folder_path)
        layers.append((COLLECTION, collection.headers))
        layers += [(Source("folder", folder_path[: i + 1]), f.headers) for i, f in enumerate(chain)]
    inherited = [
        (source, pair) for source, pairs in layers for pair in pairs if pair.enabled and pair.name
    ]
    own = item.request.headers
    result: list[HeaderSource] = []
    for position, (source, pair) in enumerate(inherited):
        nearer_names = {p.name.lower() for _, p in inherited[position + 1 :]}
        nearer_names |= {p.name.lower() for p in own if p.enabled}
        result.append(HeaderSource(pair, source, pair.name.lower() in nearer_names))
    result += [HeaderSource(pair, REQUEST) for pair in own]
    return result


def effective_request(
    collection: Collection, folder_path: tuple[str, ...], item: RequestItem
) -> Request:
    """The request as it will be sent: inherited headers that are not overridden come
    first, then the request's own headers (disabled ones kept, they send nothing); an
    INHERIT auth is replaced by the inherited one."""
    headers = tuple(
        s.header for s in header_sources(collection, folder_path, item) if not s.overridden
    )
    auth, _ = auth_source(collection, folder_path, item)
    return item.request.with_changes(headers=headers, auth=auth)


@dataclass(frozen=True)
class InheritedChecks:
    """What a response of the request is checked with, and which scripts run around it:
    the collection's, then each folder's from the outside in, then the request's own.

    Assertions and captures are not overridden by nearer ones (all of them apply; a
    nearer capture of the same variable simply sets it last). Only enabled rows and
    non-empty scripts are listed. Unlike headers this does not depend on
    `inherit_headers`: a folder's checks describe every request in it.
    """

    assertions: tuple[tuple[Assertion, Source], ...] = ()
    captures: tuple[tuple[Capture, Source], ...] = ()
    scripts: tuple[tuple[Scripts, Source], ...] = ()


def inherited_checks(
    collection: Collection | None, folder_path: tuple[str, ...], request: Request
) -> InheritedChecks:
    """The assertions, captures and scripts for `request` at `folder_path` of
    `collection` (None: a request in no collection, only its own)."""
    layers: list[tuple[Source, Collection | Folder | Request]] = []
    if collection is not None:
        layers.append((COLLECTION, collection))
        chain = folder_chain(collection, folder_path)
        layers += [(Source("folder", folder_path[: i + 1]), f) for i, f in enumerate(chain)]
    layers.append((REQUEST, request))
    return InheritedChecks(
        assertions=tuple((a, s) for s, n in layers for a in n.assertions if a.enabled),
        captures=tuple((c, s) for s, n in layers for c in n.captures if c.enabled),
        scripts=tuple((n.scripts, s) for s, n in layers if n.scripts),
    )
