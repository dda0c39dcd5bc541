"""The public face: kb/__init__.py's names resolve, load lazily, and the README example runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import kb

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_name_resolves() -> None:
    for name in kb.__all__:
        assert getattr(kb, name) is not None, name


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        kb.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:
        raise AssertionError("expected AttributeError")


def test_import_is_light() -> None:
    code = ("import sys, kb; kb.Store; kb.Record; "
            "heavy = [m for m in ('faiss', 'torch', 'sentence_transformers', 'streamlit', 'click') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_readme_python_example_uses_only_the_public_api(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    for line in block.splitlines():
        if line.startswith(("import ", "from ")):
            assert line.strip() == "import kb", line
    example = tmp_path / "example.txt"
    example.write_text((ROOT / "tests" / "data" / "app" / "new_abstract.txt").read_text())
    namespace: dict = {"__name__": "readme_example"}
    code = block.replace("my-kb", str(tmp_path / "kb")).replace(
        "examples/abstract.txt", str(example))
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["hits"].groups, "the README search found nothing"
