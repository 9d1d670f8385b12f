"""ARCHITECTURE.md: Qt is imported only under desktop/ui/."""

import os
import subprocess
import sys


def test_importing_core_packages_does_not_load_qt() -> None:
    code = (
        "import sys, importlib, pkgutil\n"
        "import common, common.formatting, common.identifiers, common.errors\n"
        "import db, db.models, db.repo, db.migrate, db.sync, forms, desktop.services, desktop.cli\n"
        "import desktop.services as s\n"
        "for m in pkgutil.walk_packages(s.__path__, 'desktop.services.'):\n"
        "    importlib.import_module(m.name)\n"
        "import db.sync as y\n"
        "for m in pkgutil.walk_packages(y.__path__, 'db.sync.'):\n"
        "    importlib.import_module(m.name)\n"
        "import forms as f\n"
        "for m in pkgutil.walk_packages(f.__path__, 'forms.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_window_paints_before_sqlalchemy_loads() -> None:
    """app.py paints the window first and loads SQLAlchemy/SQLModel and the models on the
    database worker afterwards (ARCHITECTURE.md start-up budget). Issue 19's change set once
    pulled db.repo into the GUI thread's imports through the executor: painting moved from
    0.4 s to 1.0 s at national scale. Everything the window needs to paint stays without it."""
    code = (
        "import sys\n"
        "import desktop.ui.app, desktop.ui.context, desktop.ui.executor, desktop.ui.main_window\n"
        "import desktop.services.directory, desktop.services.database\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel'))\n"
        "print(bad[:5]); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the import-graph contract (issue 19) ------------------------------------------------------
# Every `import` of our own packages, also the lazy ones inside functions (a lazy import is
# still an arrow; only `if TYPE_CHECKING:` blocks are left out), parsed from the source with
# `ast`, so a new arrow fails here whether or not a test happens to execute it.

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("common", "db", "forms", "desktop")

# Which layer may not import which (prefix match on dotted module names).
FORBIDDEN: list[tuple[str, str, str]] = [
    ("common", "db", "the ground floor imports nothing of ours"),
    ("common", "forms", "the ground floor imports nothing of ours"),
    ("common", "desktop", "the ground floor imports nothing of ours"),
    ("db", "desktop", "db never imports desktop: inject what it needs (guard.Judge, EditorsOf)"),
    ("db", "forms", "db does not know form definitions"),
    ("forms", "desktop", "forms uses the ground floor (common), not desktop"),
    ("forms", "db", "forms has no database"),
    ("desktop.services", "desktop.ui", "services are Qt-free and do not know the views"),
    ("desktop.services", "desktop.commands", "services do not know the CLI"),
    ("desktop.ui", "db.sync", "the UI talks to sync through desktop.services (sync, teamserver)"),
    ("desktop.ui", "db.repo", "the UI never writes: services own the unit of work"),
    ("desktop.ui", "db.engine", "the UI never opens a session"),
]

# Arrows that still close a cycle (debt, each to be broken). The graph without them must be
# acyclic; a new cycle fails. Remove an entry when its cycle is gone.
KNOWN_BACK_EDGES: set[tuple[str, str]] = set()  # none since issue 19: keep it that way
ACYCLIC = ("common", "db", "forms", "desktop.services")


def _module_files() -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "versions" in rel.parts or any(p.startswith(".") for p in rel.parts):
                continue  # alembic revision scripts are data
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods[".".join(parts)] = path
    return mods


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in known)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in out if m.split(".")[0] in PACKAGES and m != name}


def import_graph() -> dict[str, set[str]]:
    mods = _module_files()
    return {name: _imports(name, path, mods) for name, path in mods.items()}


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} -> {b} ({why})"
        for a, targets in graph.items()
        for b in targets
        for src, dst, why in FORBIDDEN
        if _under(a, src) and _under(b, dst)
    )


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1:
                    cycles.append(sorted(comp))
    return cycles


def core_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    def core(m: str) -> bool:
        return any(_under(m, p) for p in ACYCLIC)

    return {
        a: {b for b in bs if core(b) and b in graph and (a, b) not in KNOWN_BACK_EDGES}
        for a, bs in graph.items()
        if core(a)
    }


def test_the_graph_is_read_from_the_source() -> None:
    graph = import_graph()
    assert "forms.model" in graph["forms.registry"]  # top-level import
    assert "db.sync.outbox" in graph["db.repo"]
    assert "desktop.services.review" in graph["desktop.services.sync"]  # lazy, in a function
    assert len(graph) > 150


def test_no_upward_or_sideways_arrow() -> None:
    violations = layer_violations(import_graph())
    assert not violations, "\n".join(violations)


def test_no_import_cycle_in_the_core() -> None:
    graph = import_graph()
    cycles = find_cycles(core_graph(graph))
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)
    stale = sorted(e for e in KNOWN_BACK_EDGES if e[1] not in graph.get(e[0], set()))
    assert not stale, f"KNOWN_BACK_EDGES lists arrows that no longer exist: {stale}"


def test_the_contract_would_catch_a_violation() -> None:
    """The checks themselves fail on a bad graph (the arrows this issue removed)."""
    bad = {
        "forms.engine": {"desktop.services.formatting"},
        "db.sync.pg_hub": {"desktop.services.review"},
        "desktop.ui.sync_pg.teamserver_dialog": {"db.sync.pg_hub"},
        "desktop.services.formatting": set(),
        "desktop.services.review": set(),
    }
    assert len(layer_violations(bad)) == 3
    ring = {"db.sync.oplog": {"db.sync.reducer"}, "db.sync.reducer": {"db.sync.oplog"}}
    assert find_cycles(core_graph(ring)) == [["db.sync.oplog", "db.sync.reducer"]]
