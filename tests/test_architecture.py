"""The shape of the code: which app may import which, and no import cycles.

Every import counts, including those inside functions: an import moved into a function to dodge a
cycle is still a cycle. Shared apps (ops, pagecache, seo, home) never import a feature app; feature
apps never import one another; only the importer (which writes their pages), demo (which builds the
demo site) and settings import them.
"""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent
SHARED = ["ops", "pagecache", "seo", "home"]
FEATURES = ["conditions", "treatments", "physicians", "locations", "appointments", "search"]
APPS = [*SHARED, *FEATURES, "importer", "demo"]

# What each app may import, besides itself, Django, Wagtail and other libraries.
ALLOWED = {
    "ops": set(),
    "pagecache": set(),
    "seo": {"ops"},
    "home": {"ops", "pagecache", "seo"},
    **{feature: set(SHARED) for feature in FEATURES},
    # The old-site import writes condition pages with their blocks and body areas.
    "importer": {*SHARED, *FEATURES},
    "demo": set(APPS),
}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """{module name: path} for every module of the apps, migrations left out."""
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imports_of(path, name, modules):
    """The project modules that the module imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            # `from package import module` imports the module; `from module import name` the module.
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


def import_graph():
    modules = project_modules()
    return {name: imports_of(path, name, modules) for name, path in modules.items()}


def find_cycle(graph):
    """One import cycle as a list of modules, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        trail.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return trail[trail.index(target) :] + [target]
            if target not in state:
                cycle = visit(target, trail)
                if cycle:
                    return cycle
        state[node] = "done"
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


class ImportRulesTests(SimpleTestCase):
    def test_no_module_imports_itself_through_others(self):
        cycle = find_cycle(import_graph())
        self.assertIsNone(cycle, "import cycle: " + " → ".join(cycle or []))

    def test_apps_import_only_what_their_layer_allows(self):
        wrong = []
        for module, targets in import_graph().items():
            app = module.split(".")[0]
            for target in targets:
                other = target.split(".")[0]
                if other != app and other not in ALLOWED[app]:
                    wrong.append(f"{module} imports {target}")
        self.assertEqual(wrong, [])

    def test_the_checker_sees_lazy_imports_and_cycles(self):
        # The rules above are only as good as the graph: a function-level import must be in it.
        graph = import_graph()
        self.assertIn("pagecache.store", graph["home.models"])
        self.assertEqual(find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}), ["a", "b", "c", "a"])
