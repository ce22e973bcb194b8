"""The DfE's validator in a virtual environment of its own, made once under the build folder.

csc-validator-be-903 pins pandas < 2 and is never a product dependency: the suite installs it
with pip from the package registry into `.venv-903/` (git-ignored) the first time it is needed.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from notify.config import ROOT

VALIDATOR = "csc-validator-be-903==0.1.17"
VENV = ROOT / ".venv-903"


@pytest.fixture(scope="session")
def validator_python() -> Path:
    python = VENV / "bin" / "python"
    ready = VENV / ".installed"
    if not ready.exists() or ready.read_text() != VALIDATOR:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             VALIDATOR],
            check=True,
        )  # fmt: skip
        ready.write_text(VALIDATOR)
    return python
