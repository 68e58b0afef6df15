"""Headless Chromium from Debian (`apt-get install chromium`), driven by Playwright. No browser is
downloaded: Playwright starts the system's executable."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is missing: `make test` installs it (apt-get install chromium).")
    return path


def screenshot_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
