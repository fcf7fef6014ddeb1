"""The module tree reads as the pipeline: each module belongs to a stage, stages come in the order
below, and a module imports only from its own stage or earlier ones (any import: at the top, in a
function, for type checking) — and no two modules import each other at load time."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "layout"

# The stages in pipeline order, each with the modules (and packages, by prefix) that make it. The
# checks come before the flow and the render, which judge what they make as they make it.
STAGES = [
    ("floor", ["errors", "geometry", "cachefile", "project", "check.problem"]),
    ("reading", ["yamlsource", "style", "text", "plan", "images", "fonts", "rules", "adfile"]),
    ("composition", ["compose"]),
    ("checks", ["check"]),
    ("prepress", ["prepress"]),
    ("flow", ["flow", "prepare"]),
    ("page building", ["page", "render.written"]),
    ("rendering", ["render"]),
    ("assembly", ["assemble"]),
    ("proof", ["proof"]),
    ("shell", ["pipeline", "report", "check_command", "cli", "__main__", ""]),
]


def stage_of(module: str) -> int:
    """The index of a module's stage (dotted name below the package): the longest prefix named."""
    best = max(((len(prefix), index) for index, (_, prefixes) in enumerate(STAGES) for prefix in prefixes
                if module == prefix or module.startswith(prefix + ".")), default=None)
    assert best is not None, f"layout.{module} belongs to no stage: name it in STAGES"
    return best[1]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(module imported, line, at load time) for every import of the package's own modules."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = ".".join(filter(None, [base, node.module]))
            elif node.module and node.module.split(".")[0] == "layout":
                target = node.module.removeprefix("layout").lstrip(".")
            else:
                continue
            names = [".".join(filter(None, [target, alias.name])) for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name.removeprefix("layout").lstrip(".") for alias in node.names
                     if alias.name.split(".")[0] == "layout"]
        else:
            continue
        for name in names:
            while name not in known and "." in name:
                name = name.rpartition(".")[0]
            if name in known and name != module:
                found.append((name, node.lineno, id(node) in top))
    return found


def test_no_module_imports_from_a_later_stage():
    known = modules()
    climbing = [f"layout/{path.relative_to(PACKAGE)}:{line}: layout.{module} ({STAGES[stage_of(module)][0]}) "
                f"imports layout.{target} ({STAGES[stage_of(target)][0]})"
                for module, path in known.items() for target, line, _ in imports(module, path, known)
                if stage_of(target) > stage_of(module)]
    assert not climbing, "\n".join(climbing)


def test_no_modules_import_each_other_when_loaded():
    known = modules()
    graph = {module: {target for target, _, loaded in imports(module, path, known) if loaded}
             for module, path in known.items()}
    circles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            module, trail = stack.pop()
            for target in graph[module]:
                if target == start:
                    circles.append(" → ".join(f"layout.{m}" for m in trail + [start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, trail + [target]))
    assert not circles, "\n".join(sorted(set(circles)))


def test_every_import_of_the_package_names_a_module_of_it():
    """A relative import left pointing at the old place when a module moves into a package (`from
    .adfile import …` inside layout/plan/) fails only when its function runs: the graph above
    would read it as the package importing itself."""
    known = modules()
    wrong = []
    for module, path in known.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = ".".join(filter(None, [base, node.module]))
                if target not in known:
                    wrong.append(f"layout/{path.relative_to(PACKAGE)}:{node.lineno}: layout.{target} does not exist")
    assert not wrong, "\n".join(wrong)


def _imported_names(package: str) -> set[str]:
    """Names imported from layout.<package> by modules outside it: the engine's, the tests', the scripts'."""
    found = set()
    for path in [*PACKAGE.rglob("*.py"), *(REPO / "tests").rglob("*.py"), *(REPO / "scripts").rglob("*.py")]:
        parts = path.relative_to(REPO).with_suffix("").parts
        module = ".".join(parts[1:-1] if parts[-1] == "__init__" else parts[1:]) if parts[0] == "layout" else None
        if module is not None and (module == package or module.startswith(package + ".")):
            continue
        own = module if path.name == "__init__.py" else (module or "").rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level and module is not None:
                base = own
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = ".".join(filter(None, [base, node.module]))
            else:
                target = (node.module or "").removeprefix("layout").lstrip(".") if (node.module or "").startswith(
                    "layout") else None
            if target == package:
                found |= {alias.name for alias in node.names}
    return found


def test_every_public_name_of_a_stage_package_is_used_outside_it():
    """What a package's __init__ lists in __all__ is its face to the other stages: a name nobody
    outside imports is dead weight, or belongs inside."""
    unused = []
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        public = next((ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                       and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)), [])
        used = _imported_names(init.parent.name)
        unused += [f"layout.{init.parent.name}.{name}" for name in public if name not in used]
    assert not unused, "exported, imported by no module outside its package:\n" + "\n".join(unused)


def test_no_module_is_over_400_lines():
    long = [f"{path.relative_to(REPO)}: {n} lines" for path in sorted(PACKAGE.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400]
    assert not long, "\n".join(long)


def test_no_function_of_the_house_style_schema_and_loader_is_over_60_lines():
    long = [f"{path.relative_to(REPO)}:{node.lineno}: {node.name}, {node.end_lineno - node.lineno + 1} lines"
            for path in sorted((PACKAGE / "style").glob("*.py"))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60]
    assert not long, "\n".join(long)


def _names_used(tree: ast.AST) -> set[str]:
    """The names a module's code uses: read, called, imported or taken as an attribute (not its
    strings and comments)."""
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.alias):
            used.add(node.name.rpartition(".")[2])
    return used


def test_every_public_function_of_a_module_is_used_outside_it():
    """A function without a leading underscore is part of its module's face: some other module, a
    test or a script uses it in its code; one only its own module calls is named _private."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8"))
             for folder in (PACKAGE, REPO / "tests", REPO / "scripts") for path in folder.rglob("*.py")}
    used = {path: _names_used(tree) for path, tree in trees.items()}
    unused = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        for node in trees[path].body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and \
                    not any(node.name in names for other, names in used.items() if other != path):
                unused.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.name}")
    assert not unused, "\n".join(unused)
