"""Imports point down only: composition root -> handlers, jobs -> bot's rooms -> models."""

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGES = ("bot", "handlers", "models", "jobs")
COMPOSITION_ROOT = ("bot.app", "bot.schedule", "bot.cli", "bot.__main__")
# Which layers each layer may import; a layer may always import within itself.
ALLOWED = {
    "root": {"root", "handlers", "jobs", "rooms", "sandbox", "models"},
    "handlers": {"handlers", "rooms", "models"},
    "jobs": {"jobs", "rooms", "models"},
    "rooms": {"rooms", "models"},
    "sandbox": {"sandbox", "models"},  # the emulator is a tool beside the product, not in it
    "models": {"models"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    if any(module == root or module.startswith(root + ".") for root in COMPOSITION_ROOT):
        return "root"
    if module == "bot.sandbox" or module.startswith("bot.sandbox."):
        return "sandbox"
    top = module.split(".")[0]
    return "rooms" if top == "bot" else top


def _imports(path: Path, module: str) -> set[str]:
    """Every first-party module a file imports, at any depth (functions, TYPE_CHECKING too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        # "from bot.chat import context" names a module; "from models.x import Y" a member.
        # A package's own __init__ runs before its modules: importing it is no edge back.
        ancestors = {module.rsplit(".", depth)[0] for depth in range(1, module.count(".") + 1)}
        graph[module] = {name for name in _imports(path, module) if name in files} - {
            module,
            *ancestors,
        }
    return graph


GRAPH = _graph()


def test_imports_point_down_only() -> None:
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if _layer(target) not in ALLOWED[_layer(module)]
    )
    assert wrong == []


def test_no_import_circles() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in GRAPH[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert circles == []
