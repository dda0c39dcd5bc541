"""The hand-written gold sets stay well-formed: each folder's own stdlib checker passes (every
gold text an exact substring of its source, splits fixed by source or site, allowed values)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kb.eval.gold import CAPTURES, KINDS_GOLD, ROLES_GOLD

CHECKERS = {"captures": CAPTURES / "check_gold.py", "kinds": KINDS_GOLD / "check_kinds.py",
            "roles": ROLES_GOLD / "check_roles.py"}


@pytest.mark.parametrize("name", list(CHECKERS))
def test_gold_checker_passes(name: str) -> None:
    result = subprocess.run([sys.executable, str(CHECKERS[name])], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
