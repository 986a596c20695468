"""Dependencies run one way: kamapp <- accounts <- scoring <- core, and demo on top of all.

Read from the source (every import statement, function-level ones included), so a new
import against the direction fails here rather than as a cycle later.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app may never import. Migrations are history and are not checked.
FORBIDDEN = {
    "kamapp": {"accounts", "scoring", "planning", "core", "demo"},
    "accounts": {"scoring", "planning", "core", "demo"},
    "scoring": {"planning", "core", "demo"},
    "planning": {"core", "demo", "api"},
    "core": {"demo"},
}


def _imported_apps(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_nothing_from_the_apps_built_on_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) & FORBIDDEN[app])
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_product_apps_hold_no_demo_code():
    # The settings install the demo app; nothing else in the product names it.
    mentions = [
        str(path.relative_to(ROOT))
        for app in ("kamapp", "accounts", "scoring", "planning", "core")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and path.name not in {"settings.py", "settings_test.py"}
        and "demo" in path.read_text().lower()
    ]
    assert mentions == []


# The cores that work on arrays and frames only; services and selectors call them.
DJANGO_FREE = ("accounts/pareto.py", "accounts/ledger/parsing", "scoring/engine")


@pytest.mark.parametrize("core", DJANGO_FREE)
def test_the_cores_import_no_django_and_no_app(core):
    path = ROOT / core
    files = [path] if path.is_file() else sorted(path.rglob("*.py"))
    wrong = {
        str(file.relative_to(ROOT)): sorted(
            _imported_apps(file) & {"django", "kamapp", "accounts", "scoring", "core", "demo"}
        )
        for file in files
    }
    assert files
    assert {file: names for file, names in wrong.items() if names} == {}


def test_no_module_is_longer_than_one_idea():
    # Past about 400 lines a module holds more than one idea: split it into a package.
    long = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for app in ("kamapp", "accounts", "scoring", "core", "demo")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and len(path.read_text().splitlines()) > 400
    }
    assert long == {}
