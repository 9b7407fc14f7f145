"""Imports point one way (STYLE.md): autograd ← ops ← nn ← models; optim sees only tensors;
data never imports the engine; reports reads what training wrote; the CLI sits on top."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ivanet"

# For each folder, the ivanet folders it must not import.
FORBIDDEN = {
    "autograd": {"nn", "optim", "data", "training", "reports", "cli", "models", "detection"},
    "ops": {"nn", "optim", "data", "training", "reports", "cli", "models", "detection"},
    "nn": {"optim", "data", "training", "reports", "cli", "models"},
    "optim": {"ops", "data", "training", "reports", "cli", "models"},
    "data": {"autograd", "ops", "nn", "optim", "training", "reports", "cli", "models"},
    "detection": {"training", "reports", "cli", "lessons"},
    "segmentation": {"training", "reports", "cli", "lessons"},
    "similarity": {"training", "reports", "cli", "lessons"},
    "lessons": {"cli"},
    "vision": {"optim", "data", "training", "reports", "cli", "models"},
    "models": {"training", "reports", "cli", "data", "optim"},
    "training": {"cli", "reports"},
    "reports": {"autograd", "ops", "nn", "optim", "training", "cli", "models"},
}
# The one intended cycle: Tensor's operator methods call the ops (imported at module end).
ALLOWED = {("autograd/tensor.py", "ops")}


def _imported_folders(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n.split(".")[1] for n in names if n.startswith("ivanet.") and n.count(".") >= 1}


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_imports_point_one_way(folder):
    bad = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        for target in _imported_folders(path) & FORBIDDEN[folder]:
            if (relative, target) not in ALLOWED:
                bad.append(f"{relative} imports ivanet.{target}")
    assert not bad, "imports against STYLE.md's direction:\n" + "\n".join(bad)


def test_torch_never_imported_by_the_package():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(m == "torch" or m.startswith("torch.") for m in modules):
                offenders.append(path.relative_to(PACKAGE).as_posix())
    allowed = {"models/transfer.py", "models/weights.py"}  # reads .pt files with torch.load(weights_only=True) if present
    assert set(offenders) <= allowed, f"torch imported by the package: {offenders}"
