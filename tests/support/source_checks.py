"""Reading a module's source to check how it talks to its host: which members a Protocol
names and which attributes a module reads on a name. Used by the tests of the window's
helpers, which must reach the window only through their Protocol."""

from __future__ import annotations

import ast
import inspect
from types import ModuleType


def protocol_members(protocol: type) -> set[str]:
    """The methods and annotated attributes a Protocol class declares."""
    [klass] = ast.parse(inspect.getsource(protocol)).body
    assert isinstance(klass, ast.ClassDef)
    names = {node.name for node in klass.body if isinstance(node, ast.FunctionDef)}
    names |= {
        node.target.id
        for node in klass.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    return names


def attributes_used(module: ModuleType, name: str) -> set[str]:
    """Attributes the module reads on `name` or on `self.name`."""
    used = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id == name:
            used.add(node.attr)
        elif isinstance(owner, ast.Attribute) and owner.attr == name:
            if isinstance(owner.value, ast.Name) and owner.value.id == "self":
                used.add(node.attr)
    return used
