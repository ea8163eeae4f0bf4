"""A GraphQL server written OUTSIDE the project: ariadne's WSGI app on wsgiref, on
127.0.0.1 at a free port. Tests send to it to show that what we send is GraphQL as a
well-known server library reads it, not only as our own practice server does.

    with graphql_server() as server:
        server.url            # http://127.0.0.1:PORT/graphql (POST, and GET for queries)
        server.received[-1]   # the last request as it arrived: method, query string,
                              # Content-Type, body

The schema is a tiny library (books and their authors), with a query that takes
arguments, a nested field, a mutation, a field that fails (an `errors` entry with a
path) and introspection on, so an editor can fetch the schema from it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ariadne import MutationType, ObjectType, QueryType, make_executable_schema
from ariadne.wsgi import GraphQL
from graphql import GraphQLError

SDL = '''
"""A tiny library: books and the people who wrote them."""
type Query {
  "A greeting, to try arguments with a default."
  hello(name: String = "world"): String!
  "Every book, in id order."
  books: [Book!]!
  "One book; an error for an id that does not exist."
  book(id: ID!): Book
  "Every author."
  authors: [Author!]!
}

type Mutation {
  "Add a book by an existing author."
  addBook(title: String!, authorId: ID!): Book!
}

type Book {
  id: ID!
  title: String!
  year: Int
  author: Author!
}

type Author {
  id: ID!
  name: String!
  books: [Book!]!
}
'''

AUTHORS = {"1": "Ursula K. Le Guin", "2": "Italo Calvino"}
BOOKS = [
    {"id": "1", "title": "The Dispossessed", "year": 1974, "author": "1"},
    {"id": "2", "title": "Invisible Cities", "year": 1972, "author": "2"},
    {"id": "3", "title": "The Lathe of Heaven", "year": 1971, "author": "1"},
]


# Errors a resolver raises on purpose are answers, not faults: ariadne logs each with its
# traceback, which would only clutter the test output.
_LOGGER = logging.getLogger("tests.graphql_server")
_LOGGER.addHandler(logging.NullHandler())
_LOGGER.propagate = False
_LOGGER.disabled = True


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    query_string: str
    content_type: str  # wsgiref says text/plain when the request had none
    body: bytes


def _schema(books: list[dict[str, Any]]) -> Any:
    query, mutation = QueryType(), MutationType()
    book_type, author_type = ObjectType("Book"), ObjectType("Author")

    def author(author_id: str) -> dict[str, str]:
        return {"id": author_id, "name": AUTHORS[author_id]}

    @query.field("hello")
    def resolve_hello(_obj: Any, _info: Any, name: str) -> str:
        return f"Hello, {name}!"

    @query.field("books")
    def resolve_books(*_: Any) -> list[dict[str, Any]]:
        return list(books)

    @query.field("book")
    def resolve_book(_obj: Any, _info: Any, id: str) -> dict[str, Any]:
        for book in books:
            if book["id"] == id:
                return book
        raise GraphQLError(f"No book with id {id}.", extensions={"code": "NOT_FOUND"})

    @query.field("authors")
    def resolve_authors(*_: Any) -> list[dict[str, str]]:
        return [author(key) for key in AUTHORS]

    @mutation.field("addBook")
    def resolve_add_book(_obj: Any, _info: Any, title: str, authorId: str) -> dict[str, Any]:  # noqa: N803
        if authorId not in AUTHORS:
            raise GraphQLError(f"No author with id {authorId}.", extensions={"code": "NOT_FOUND"})
        book = {"id": str(len(books) + 1), "title": title, "year": None, "author": authorId}
        books.append(book)
        return book

    @book_type.field("author")
    def resolve_book_author(book: dict[str, Any], _info: Any) -> dict[str, str]:
        return author(book["author"])

    @author_type.field("books")
    def resolve_author_books(writer: dict[str, str], _info: Any) -> list[dict[str, Any]]:
        return [book for book in books if book["author"] == writer["id"]]

    return make_executable_schema(SDL, query, mutation, book_type, author_type)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # no request lines in the test output


class GraphQLServer:
    """ariadne's GraphQL app on a threaded wsgiref server; `received` lists what came in."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._books = [dict(book) for book in BOOKS]
        app = GraphQL(
            _schema(self._books), debug=False, execute_get_queries=True, logger=_LOGGER.name
        )

        def recording_app(environ: dict[str, Any], start_response: Any) -> Any:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            self.received.append(
                Received(
                    environ["REQUEST_METHOD"],
                    environ.get("QUERY_STRING", ""),
                    environ.get("CONTENT_TYPE", ""),
                    body,
                )
            )
            environ["wsgi.input"] = _Replay(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            if environ.get("PATH_INFO") != "/graphql":
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"not found"]
            return app(environ, start_response)

        self._server = make_server(
            "127.0.0.1", 0, recording_app, server_class=_Server, handler_class=_QuietHandler
        )
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self.url = f"{self.base}/graphql"
        # A short poll: shutdown() waits for the loop to notice, 0.5 s by default.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class _Replay:
    """The body read once for the record, given to the app again."""

    def __init__(self, body: bytes) -> None:
        self._body, self._at = body, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._body) if size < 0 else self._at + size
        chunk, self._at = self._body[self._at : end], min(end, len(self._body))
        return chunk


@contextmanager
def graphql_server() -> Iterator[GraphQLServer]:
    server = GraphQLServer()
    try:
        yield server
    finally:
        server.close()
