"""Rasa test stories (tests/conversations/<lang>.yml): the core paths in every language."""

import subprocess
import sys

from bot import PROJECT_ROOT


def test_conversation_stories_pass_in_every_language(trained_model, bot_servers, tmp_path):
    result = subprocess.run(
        [
            sys.executable, "-m", "rasa", "test", "core",
            "--model", str(trained_model),
            "--stories", str(PROJECT_ROOT / "tests" / "conversations"),
            "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
            "--out", str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
        ],
        cwd=PROJECT_ROOT,
        env={**bot_servers.environment(), "TF_CPP_MIN_LOG_LEVEL": "2"},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-3000:] + result.stderr[-3000:]
    assert "- story:" not in details, details
