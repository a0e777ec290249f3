"""The house rules, read from the imports: logic never imports gradio, tab packages stand apart, arrows run down."""

import ast
from pathlib import Path

import pytest

from playground.ui import TABS

PLAYGROUND = Path(__file__).resolve().parents[2] / "playground"
SHARED = {"core", "sampling"}  # what every tab package may use
TAB_PACKAGES = sorted(p.name for p in PLAYGROUND.iterdir() if (p / "__init__.py").exists() and p.name not in
                      SHARED | {"ui"})
PAGES = {"start"}  # tabs with no package: the start page quotes and links the others, and computes nothing


def imports(path: Path) -> set[str]:
    """Every module `path` imports, as dotted names (`from a.b import c` gives a.b and a.b.c)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def modules(package: str) -> list[Path]:
    return sorted((PLAYGROUND / package).rglob("*.py"))


def playground_packages(path: Path) -> set[str]:
    """The playground packages a module imports from: 'core', 'decoding', ..."""
    return {name.split(".")[1] for name in imports(path) if name.startswith("playground.") and name.count(".")}


def test_the_layout_has_its_shared_core_and_one_package_per_tab():
    assert {"core", "sampling", "ui"} <= {p.name for p in PLAYGROUND.iterdir() if p.is_dir()}
    assert TAB_PACKAGES == sorted(name for tab in TABS if (name := tab.__name__.rsplit(".", 1)[-1]) not in PAGES)
    for tab in TAB_PACKAGES:
        assert (PLAYGROUND / "ui" / f"{tab}.py").exists()


@pytest.mark.parametrize("path", [p for p in PLAYGROUND.rglob("*.py") if "ui" not in p.relative_to(PLAYGROUND).parts],
                         ids=lambda p: str(p.relative_to(PLAYGROUND)))
def test_nothing_outside_ui_imports_gradio(path):
    assert not {name for name in imports(path) if name.split(".")[0] == "gradio"}


@pytest.mark.parametrize("tab", TAB_PACKAGES)
def test_a_tab_package_imports_only_core_sampling_and_itself(tab):
    for path in modules(tab):
        assert playground_packages(path) <= SHARED | {tab}, path


@pytest.mark.parametrize("package", sorted(SHARED))
def test_the_shared_packages_import_no_tab(package):
    allowed = {"core"} if package == "core" else {"core", package}
    for path in modules(package):
        assert playground_packages(path) <= allowed, path


@pytest.mark.parametrize("tab", TAB_PACKAGES)
def test_a_tab_ui_module_imports_its_own_package_and_the_shared_ui_pieces(tab):
    used = {name for name in imports(PLAYGROUND / "ui" / f"{tab}.py") if name.startswith("playground.")}
    other_tabs = {t for t in TAB_PACKAGES if t != tab}
    assert not {name for name in used if name.split(".")[1] in other_tabs}
    assert not {name for name in used if name.startswith("playground.ui.") and name.split(".")[2] in TAB_PACKAGES}
    assert any(name.split(".")[1] == tab for name in used)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_imports_no_tab(page):
    for path in (PLAYGROUND / "ui").glob(f"{page}*.py"):
        used = {name for name in imports(path) if name.startswith("playground.")}
        assert not {name for name in used if name.split(".")[1] in TAB_PACKAGES}, path
        assert not {name for name in used if name.startswith("playground.ui.") and name.split(".")[2] in TAB_PACKAGES}


def test_no_module_is_over_about_400_lines():
    long = {str(p.relative_to(PLAYGROUND)): n for p in PLAYGROUND.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}
