"""The shape of the code, checked rather than hoped for (see ARCHITECTURE.md).

`lint-imports` (make test's lint step) checks the layers and the forbidden imports declared in
pyproject.toml; these tests add what a contract cannot say: no module imports itself through a
circle of other modules, no module grows past 400 lines, and the screens, the API and the jobs
write only through services. None of this needs the database.
"""

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "core", "units", "tasks", "indicators", "reports", "public", "webhooks",
            "accountability")
#: Where a module past this many lines becomes a package split by sub-domain.
MAX_LINES = 400


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph.modules:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(
                        graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_through_a_circle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert _cycles(graph) == []


def test_the_circle_finder_finds_a_circle():
    graph = grimp.ImportGraph()
    for module in ("a", "a.one", "a.two", "a.three"):
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.one")
    graph.add_import(importer="a.three", imported="a.one")
    assert _cycles(graph) == [["a.one", "a.two"]]


def _modules() -> list[Path]:
    found = []
    for top in (*PACKAGES, "scripts", "tests"):
        found += [path for path in (ROOT / top).rglob("*.py")
                  if "migrations" not in path.parts and "node_modules" not in path.parts]
    return found


def test_no_module_is_over_400_lines():
    modules = _modules()
    assert len(modules) > 100
    too_long = {str(path.relative_to(ROOT)): lines for path in modules
                if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}


#: The methods that write to the database, on a model, a manager or a queryset.
WRITES = {"save", "delete", "create", "get_or_create", "update_or_create", "bulk_create",
          "bulk_update"}


def _writes(tree) -> list[int]:
    """Lines calling a write: `x.save()`, `Model.objects.create()`, `qs.filter().update()`
    (`update` only on a queryset, so a dict's update is not one)."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        if name in WRITES or (name == "update" and (
                isinstance(receiver, ast.Call)
                or (isinstance(receiver, ast.Attribute) and receiver.attr == "objects"))):
            lines.append(node.lineno)
    return lines


def test_views_the_api_and_jobs_write_only_through_services():
    """Every write in a view, an API module or a job is a call to a service: none of them
    saves, creates, updates or deletes a model itself."""
    modules = [path for path in _modules() if path.parts[len(ROOT.parts)] in PACKAGES and (
        "views" in path.parts or path.stem == "views" or "api" in path.parts
        or path.stem in ("api", "jobs"))]
    assert len(modules) > 20
    offenders = {f"{path.relative_to(ROOT)}:{line}" for path in modules
                 for line in _writes(ast.parse(path.read_text(encoding="utf-8")))}
    assert offenders == set()


def test_the_write_finder_finds_writes():
    found = _writes(ast.parse("job.save()\nA.objects.create(x=1)\nqs.filter(a=1).update(b=2)\n"
                              "params.update(a=1)\nA.objects.update(b=1)\n"))
    assert found == [1, 2, 3, 5]
