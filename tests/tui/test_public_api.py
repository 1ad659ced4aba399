"""Only Textual's public API: no `_private` name of a library, no assignment into its modules.

A private name can change in any Textual release without notice; pyproject's range for
textual is only honest if the package uses what Textual documents. The check is static: every
`_name` the package reads must be one it defines itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sam_cowboy

PACKAGE = Path(sam_cowboy.__file__).parent
LIBRARIES = ("textual", "rich")
Source = tuple[str, ast.Module]


def package_sources() -> list[Source]:
    return [(str(p.relative_to(PACKAGE)), ast.parse(p.read_text(encoding="utf-8"), str(p)))
            for p in sorted(PACKAGE.rglob("*.py"))]


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_names(sources: list[Source]) -> set[str]:
    """Every private name the code defines: functions, classes, attributes, variables."""
    names: set[str] = set()
    for _, tree in sources:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets):
                names |= {c.value for c in ast.walk(node.value)
                          if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return {n for n in names if private(n)}


def library_imports(tree: ast.Module) -> list[tuple[int, list[str], list[str]]]:
    """(line, module path parts, imported names) of each import from textual or rich."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] in LIBRARIES:
                out.append((node.lineno, parts, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in LIBRARIES:
                    out.append((node.lineno, parts, []))
    return out


def private_imports(sources: list[Source]) -> list[str]:
    return [f"{name}:{line}" for name, tree in sources
            for line, parts, names in library_imports(tree)
            if any(private(p) for p in parts + names)]


def private_reads(sources: list[Source]) -> list[str]:
    own = own_names(sources)
    found = []
    for name, tree in sources:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in own:
                found.append(f"{name}:{node.lineno}: {node.attr}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) > 1
                  and isinstance(node.args[1], ast.Constant)
                  and isinstance(node.args[1].value, str) and private(node.args[1].value)
                  and node.args[1].value not in own):
                found.append(f"{name}:{node.lineno}: {node.args[1].value}")
    return found


def module_assignments(sources: list[Source]) -> list[str]:
    """`textual.content.divide_line = ...`, `setattr(textual_module, ...)`: a monkeypatch."""
    found = []
    for name, tree in sources:
        modules = {parts[0] for _, parts, names in library_imports(tree) if not names}
        modules |= {n for _, parts, names in library_imports(tree) for n in names
                    if n[:1].islower()}
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for target in targets:
                base = target
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(target, ast.Attribute) and isinstance(base, ast.Name) \
                        and base.id in modules:
                    found.append(f"{name}:{node.lineno}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "setattr" and node.args
                    and isinstance(node.args[0], ast.Name) and node.args[0].id in modules):
                found.append(f"{name}:{node.lineno}")
    return found


def test_no_private_name_of_a_library_is_imported() -> None:
    assert private_imports(package_sources()) == []


def test_every_private_attribute_read_is_the_packages_own() -> None:
    assert private_reads(package_sources()) == []


def test_nothing_is_assigned_into_a_library_module() -> None:
    assert module_assignments(package_sources()) == []


def test_the_scan_finds_what_it_is_meant_to_find() -> None:
    bad = [("bad.py", ast.parse(
        "from textual._compositor import Compositor\n"
        "from textual.app import App, _private_helper\n"
        "import textual.content\n"
        "from textual import content\n"
        "textual.content.divide_line = None\n"
        "content.divide_line = None\n"
        "setattr(content, 'x', 1)\n"
        "def f(app):\n    app._refresh_truecolor_filter(1)\n    getattr(app, '_get_style')\n"
        "class Mine:\n    def __init__(self):\n        self._own = 1\n"
        "    def g(self):\n        return self._own\n"))]
    assert set(private_imports(bad)) == {"bad.py:1", "bad.py:2"}
    assert set(private_reads(bad)) == {"bad.py:9: _refresh_truecolor_filter",
                                      "bad.py:10: _get_style"}
    assert set(module_assignments(bad)) == {"bad.py:5", "bad.py:6", "bad.py:7"}
