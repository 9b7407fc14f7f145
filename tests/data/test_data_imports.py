"""ivanet.data stays pure NumPy: it imports nothing from the engine or the layers above."""
import ast
from pathlib import Path

import ivanet.data

ALLOWED_IVANET = "ivanet.data"
FORBIDDEN_TOP = {"torch", "matplotlib", "scipy"}


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_data_imports_only_itself_from_ivanet():
    root = Path(ivanet.data.__file__).parent
    files = sorted(root.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        for module in imported_modules(path):
            if module.startswith("ivanet"):
                assert module.startswith(ALLOWED_IVANET), f"{path.name} imports {module}"
            assert module.split(".")[0] not in FORBIDDEN_TOP, f"{path.name} imports {module}"
