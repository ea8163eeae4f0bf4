"""Problems of a GraphQL document against a schema, as (line, column, message).

graphql-core parses (a syntax error has its line:column) and validates with the
specification's rules; the variables' JSON is checked against the chosen operation's
variable definitions with graphql-core's own coercion (`get_variable_values`), so the
words are the server's words. Everything is bounded: a document past
`MAX_VALIDATED_CHARS` is not validated as you type, and at most `MAX_PROBLEMS` are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

MAX_VALIDATED_CHARS = 500_000
MAX_TOKENS = 100_000
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One problem; line and column count from 1 (0: no place, e.g. in the variables)."""

    line: int
    column: int
    message: str
    where: str = "query"  # "query" or "variables"

    def __str__(self) -> str:
        place = f"{self.line}:{self.column} " if self.line else ""
        prefix = "Variables: " if self.where == "variables" else ""
        return f"{prefix}{place}{self.message}"


@dataclass(frozen=True)
class Report:
    """What validating a document found, and the operation names it defines."""

    problems: tuple[Problem, ...] = ()
    operation_names: tuple[str, ...] = ()
    parsed: bool = False


def _problem(error: GraphQLError, where: str = "query") -> Problem:
    line = column = 0
    if error.locations:
        line, column = error.locations[0].line, error.locations[0].column
    return Problem(line, column, " ".join(error.message.split())[:300], where)


def parse_document(text: str) -> DocumentNode:
    """`text` parsed, bounded; raises GraphQLError (a syntax error has its location)."""
    return parse(text, max_tokens=MAX_TOKENS)


def operation_names(document: DocumentNode) -> tuple[str, ...]:
    """The names of the document's named operations, in order."""
    return tuple(
        d.name.value
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name is not None
    )


def validate_document(
    schema: GraphQLSchema | None,
    text: str,
    variables: str = "",
    operation_name: str = "",
) -> Report:
    """Parse `text`, validate it against `schema` (syntax only without one) and check
    `variables` (JSON text) against the chosen operation's definitions."""
    if not text.strip():
        return Report()
    if len(text) > MAX_VALIDATED_CHARS:
        return Report((Problem(0, 0, "Too large to check as you type"),))
    try:
        document = parse_document(text)
    except RecursionError:
        return Report((Problem(0, 0, "The document is nested too deeply"),))
    except GraphQLError as error:
        return Report((_problem(error),))
    names = operation_names(document)
    problems: list[Problem] = []
    if schema is not None:
        try:
            errors = validate(schema, document, max_errors=MAX_PROBLEMS)
        except RecursionError:
            errors = [GraphQLError("The document is nested too deeply")]
        problems += [_problem(e) for e in errors]
    problems += _variable_problems(schema, document, variables, operation_name, names)
    return Report(tuple(problems[:MAX_PROBLEMS]), names, True)


def _chosen(document: DocumentNode, operation_name: str) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        for operation in operations:
            if operation.name is not None and operation.name.value == operation_name:
                return operation
        return None
    return operations[0] if len(operations) == 1 else None


def _variable_problems(
    schema: GraphQLSchema | None,
    document: DocumentNode,
    variables: str,
    operation_name: str,
    names: tuple[str, ...],
) -> list[Problem]:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name and "{{" not in operation_name and operation_name not in names:
        return [Problem(0, 0, f"No operation named {operation_name!r} in the query", "query")]
    if len(operations) > 1 and not operation_name:
        return [Problem(0, 0, "Several operations: choose the operation name to send", "query")]
    if "{{" in variables:
        return []  # resolved when sent: the values are not known here
    values: object = {}
    if variables.strip():
        try:
            values = json.loads(variables)
        except (ValueError, RecursionError) as error:
            return [Problem(0, 0, f"not JSON ({error})", "variables")]
    if not isinstance(values, dict):
        return [Problem(0, 0, "must be a JSON object", "variables")]
    operation = _chosen(document, operation_name)
    if schema is None or operation is None:
        return []
    declared = {v.variable.name.value for v in operation.variable_definitions or ()}
    # A server ignores values nobody declared; one operation alone: most likely a typo.
    # With several, the other operations' values are expected here.
    problems = [
        Problem(0, 0, f"${name} is not declared by the operation", "variables")
        for name in values
        if name not in declared and len(operations) == 1
    ]
    try:
        result = get_variable_values(
            schema, operation.variable_definitions or (), values, max_errors=MAX_PROBLEMS
        )
    except (GraphQLError, TypeError, ValueError, RecursionError) as error:
        return [*problems, Problem(0, 0, str(error)[:300], "variables")]
    if isinstance(result, list):
        problems += [Problem(0, 0, _problem(e).message, "variables") for e in result]
    return problems
