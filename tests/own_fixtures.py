"""Which tests read the playbook the repository holds: a static check over the test sources for the own_fixtures mark.

.ci/other-playbook swaps another team's playbook into a copy of the repository and reruns only the tests not marked
`own_fixtures`; a test marked so must never read the repository's own playbook, or a shape could break it unseen.
Reading it means: the repository folder itself handed to anything (`root=REPO`, `cwd=REPO`, `load_settings(REPO)`),
a path into its data/, content/, mkdocs.yml or site/, `run_playbook(...)` with neither root= nor cwd= (it acts on the
working directory, the repository), `mkdocs`/`playbook` run without cwd=, the browser tests' playbook_site module,
or a fixture, helper or module constant that does any of these (followed through the module and the conftest.py files).
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MARK = "own_fixtures"
PLAYBOOK_PARTS = {"data", "content", "mkdocs.yml", "site"}  # what .ci/other-playbook swaps, and what a build writes
TOOLS = ("mkdocs", "playbook")  # commands that act on the playbook of their working directory
COMMANDS = {"init", "validate", "new", "export", "stale", "rules", "leftovers", "schemas"}  # `playbook` subcommands
DEFAULT_HERE = {"load_settings", "validated_playbook", "load_config", "leftovers"}  # with no argument: the cwd
SUBPROCESS = {"run", "Popen", "call", "check_call", "check_output"}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


class _Paths:
    """Evaluates one file's path expressions (`Path(__file__).resolve().parent`, `REPO / "data"`) and their names."""

    def __init__(self, file: Path, names: dict[str, Path]) -> None:
        self.file, self.names = file, dict(names)

    def value(self, node: ast.AST) -> Path | None:
        if isinstance(node, ast.Name):
            return self.file if node.id == "__file__" else self.names.get(node.id)
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "Path" and len(node.args) == 1:
                return self.value(node.args[0])
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute") and not node.args:
                return self.value(node.func.value)
            return None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self.value(node.value)
            return base.parent if base else None
        if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents"
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int)):
            base = self.value(node.value.value)
            return base.parents[node.slice.value] if base else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            base = self.value(node.left)
            if base is not None and isinstance(node.right, ast.Constant) and isinstance(node.right.value, str):
                return base / node.right.value
        return None

    def bind(self, tree: ast.Module) -> None:
        """Learn the module-level names bound to paths, in order."""
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name) and (path := self.value(statement.value)) is not None:
                    self.names[target.id] = path


def _support_names() -> dict[str, Path]:
    paths = _Paths(TESTS / "support.py", {})
    paths.bind(ast.parse((TESTS / "support.py").read_text(encoding="utf-8")))
    return paths.names


def _playbook_part(path: Path) -> bool:
    return path.is_relative_to(REPO) and path != REPO and path.relative_to(REPO).parts[0] in PLAYBOOK_PARTS


def _keywords(call: ast.Call) -> set[str | None]:
    return {k.arg for k in call.keywords}


def _runs_a_tool(call: ast.Call) -> bool:
    """A subprocess call whose command names mkdocs or playbook (a literal, `BIN / "mkdocs"`, `-m playbook.cli`)."""
    words = [n.value for a in call.args[:1] for n in ast.walk(a)
             if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return "--root" not in words and any(word.split(".")[0] in TOOLS or Path(word).name in TOOLS for word in words)


def _cli_here(call: ast.Call) -> bool:
    """`cli("validate")`, `main(["export", ...])`: a playbook command with neither --root, root= nor cwd=."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.List) and first.elts:
        first = first.elts[0]
    words = {n.value for n in ast.walk(call) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return (isinstance(call.func, ast.Name) and isinstance(first, ast.Constant) and first.value in COMMANDS
            and "--root" not in words and not {"root", "cwd"} & _keywords(call))


def _relative_part(node: ast.AST) -> bool:
    """A literal relative path into data/, content/, mkdocs.yml or site/."""
    return (isinstance(node, ast.Constant) and isinstance(node.value, str) and not node.value.startswith("/")
            and bool(Path(node.value).parts) and Path(node.value).parts[0] in PLAYBOOK_PARTS)


def _joined_on(node: ast.AST, parent: dict[ast.AST, ast.AST]) -> bool:
    """A relative path that is joined onto another folder (`root / RECORD`), or bound to a name that must be."""
    while isinstance(parent.get(node), ast.BinOp) and parent[node].left is node:
        node = parent[node]
    up = parent.get(node)
    return (isinstance(up, ast.BinOp) and isinstance(up.op, ast.Div) and up.right is node) or (
        isinstance(up, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in up.targets))


def direct_reads(tree: ast.AST, paths: _Paths) -> Iterator[tuple[int, str]]:
    """(line, what) for every place under `tree` that reads the repository's playbook by itself."""
    parent = _parents(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "playbook_site" or (
                isinstance(node, ast.Import) and any(a.name == "playbook_site" for a in node.names)):
            yield node.lineno, "imports playbook_site (the repository's playbook, read on import)"
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name == "run_playbook" and not {"root", "cwd"} & _keywords(node) or _cli_here(node):
                yield node.lineno, f"{ast.unparse(node)} acts on the working directory, the repository"
            if name in ("cwd", "getcwd") and isinstance(node.func, ast.Attribute):
                yield node.lineno, f"{ast.unparse(node)} is the working directory, the repository"
            if name in DEFAULT_HERE and not node.args and not node.keywords:
                yield node.lineno, f"{ast.unparse(node)} reads the working directory, the repository"
            if name == "open" and node.args and _relative_part(node.args[0]):
                yield node.lineno, f"{ast.unparse(node)} is relative to the working directory, the repository"
            if name == "Path" and node.args and _relative_part(node.args[0]) and not _joined_on(node, parent):
                yield node.lineno, f"{ast.unparse(node)} is relative to the working directory, the repository"
            if name in SUBPROCESS and "cwd" not in _keywords(node) and _runs_a_tool(node):
                yield node.lineno, f"{ast.unparse(node.func)}(...) runs a playbook tool without cwd="
        if not isinstance(node, ast.expr) or (path := paths.value(node)) is None:
            continue
        up = parent.get(node)
        if up is not None and paths.value(up) is not None:
            continue  # the enclosing expression is the path that counts
        if isinstance(up, (ast.Assign, ast.AnnAssign)) and all(isinstance(t, ast.Name) for t in
                                                             getattr(up, "targets", [getattr(up, "target", None)])):
            continue  # a name bound to the path: where the name is used is what counts
        if _playbook_part(path):
            yield node.lineno, f"{ast.unparse(node)} is the repository's {path.relative_to(REPO).parts[0]}"
        elif path == REPO and not (isinstance(up, ast.Call) and getattr(up.func, "attr", None) == "relative_to"):
            yield node.lineno, f"{ast.unparse(node)} (the repository folder) is handed on in {ast.unparse(up or node)}"


def _is_mark(node: ast.AST) -> bool:
    """`pytest.mark.own_fixtures` (or `mark.own_fixtures`), called or not."""
    node = node.func if isinstance(node, ast.Call) else node
    return isinstance(node, ast.Attribute) and node.attr == MARK


def _is_fixture(node: ast.AST | None) -> bool:
    """A function decorated with `pytest.fixture` (called or not)."""
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        "fixture" in ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list)


def _names_used(node: ast.AST) -> set[str]:
    """Names a definition refers to: loads, parameters (fixtures) and `usefixtures("...")` strings."""
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    for n in ast.walk(node):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            used |= {a.arg for a in n.args.args + n.args.kwonlyargs}
        if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "usefixtures":
            used |= {a.value for a in n.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return used


def _definitions(tree: ast.Module) -> dict[str, ast.AST]:
    """Module-level name -> the statement that defines it (functions, classes, assignments, imports)."""
    found: dict[str, ast.AST] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[statement.name] = statement
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        found[n.id] = statement
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                found[(alias.asname or alias.name).split(".")[0]] = statement
    return found


class Module:
    """One test source: its path evaluator, its definitions and which of them read the repository's playbook."""

    def __init__(self, path: Path, inherited: dict[str, list[tuple[int, str]]]) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.paths = _Paths(path, _support_names())
        self.paths.bind(self.tree)
        self.definitions = _definitions(self.tree)
        self.tainted = dict(inherited)  # name -> why (conftest fixtures visible here come in already tainted)
        changed = True
        while changed:
            changed = False
            for name, node in self.definitions.items():
                if name in self.tainted and self.tainted[name] is not inherited.get(name):
                    continue
                why = self.why(node, skip=name) or self.shared(name)
                if why:
                    self.tainted[name], changed = why, True

    def why(self, node: ast.AST, skip: str | None = None) -> list[tuple[int, str]]:
        """Why `node` reads the repository's playbook, directly or through a tainted name; empty if it does not."""
        reasons = list(direct_reads(node, self.paths))
        for name in sorted(_names_used(node) - {skip}):
            if name in self.tainted:
                line = getattr(node, "lineno", 0)
                reasons.append((line, f"uses {name}, which reads it: {self.tainted[name][0][1]}"))
        return reasons

    def shared(self, name: str) -> list[tuple[int, str]]:
        """A fixture of this module that a tainted fixture takes (and may fill, as `requests_seen` is): tainted too."""
        if not _is_fixture(self.definitions.get(name)):
            return []
        return [(node.lineno, f"is shared with the fixture {user}, which reads it")
                for user, node in self.definitions.items() if user in self.tainted and _is_fixture(node)
                and name in {a.arg for a in node.args.args + node.args.kwonlyargs}][:1]

    def fixtures(self) -> dict[str, list[tuple[int, str]]]:
        """The tainted fixtures this module (a conftest.py) hands down."""
        return {name: why for name, why in self.tainted.items()
                if isinstance(self.definitions.get(name), ast.FunctionDef)}

    def misuses(self) -> Iterator[str]:
        """A line per own_fixtures mark that covers something reading the repository's playbook."""
        where = self.path.relative_to(REPO).as_posix() if self.path.is_relative_to(REPO) else str(self.path)
        module_marked = any(_is_mark(n) for s in self.tree.body if isinstance(s, ast.Assign)
                            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in s.targets)
                            for n in ast.walk(s.value))
        if module_marked:
            for statement in self.tree.body:
                for line, what in self.why(statement):
                    yield f"{where}:{line}: the module is marked {MARK} but {what}"
            return
        for statement in self.tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and any(
                    _is_mark(d) for d in statement.decorator_list):
                for line, what in self.why(statement, skip=statement.name):
                    yield f"{where}:{line}: {statement.name} is marked {MARK} but {what}"


def misuses(files: list[Path] | None = None) -> list[str]:
    """Every own_fixtures mark on something that reads the repository's playbook, over the test sources."""
    files = files if files is not None else sorted(p for p in TESTS.rglob("*.py") if "content" not in
                                                    p.relative_to(TESTS).parts[:1])
    handed: dict[Path, dict[str, list[tuple[int, str]]]] = {}

    def inherited(folder: Path) -> dict[str, list[tuple[int, str]]]:
        if folder in handed:
            return handed[folder]
        outer = inherited(folder.parent) if folder != TESTS and folder.is_relative_to(TESTS) else {}
        conftest = folder / "conftest.py"
        handed[folder] = {**outer, **(Module(conftest, outer).fixtures() if conftest.is_file() else {})}
        return handed[folder]

    return [line for path in files for line in Module(path, inherited(path.parent)).misuses()]
