"""The code stays ruff clean (configuration in pyproject.toml)."""

import subprocess
import sys

from bot import PROJECT_ROOT


def test_ruff_reports_nothing():
    command = [sys.executable, "-m", "ruff", "check", "."]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
