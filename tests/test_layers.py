"""The layers of DESIGN.md hold (import-linter contracts in pyproject.toml), and an upward import
breaks them: a copy of the tree with kb.model importing kb.ops fails the same check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())", "--no-cache"]


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(LINT, cwd=where, capture_output=True, text=True,
                          env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"})


def test_contracts_are_kept() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_build(tmp_path: Path) -> None:
    for part in ("kb", "ingest"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    ids = tmp_path / "kb" / "model" / "ids.py"
    ids.write_text(ids.read_text() + "\nfrom kb.ops import pipeline  # an upward import\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "kb.model is not allowed to import kb.ops" in result.stdout
