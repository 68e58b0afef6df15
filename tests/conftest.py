"""Session fixtures: the current trained model, and the real servers started from it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.launcher import BotServers
from bot.model_store import ensure_model

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Ports apart from a bot a developer may have running on 5005/5055.
TEST_PORT = int(os.environ.get("TEST_BOT_PORT", 5105))
TEST_ACTION_PORT = int(os.environ.get("TEST_ACTION_PORT", 5155))
TEST_APP_KEY = "test-app-key-of-the-mobile-app"


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return ensure_model()


@pytest.fixture(scope="session")
def bot_servers(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotServers]:
    work = tmp_path_factory.mktemp("bot")
    servers = BotServers(
        model=trained_model,
        port=TEST_PORT,
        action_port=TEST_ACTION_PORT,
        database=f"sqlite:///{work / 'bot.sqlite3'}",
        log_dir=work / "logs",
        customer_token_secret="test-secret-for-customer-tokens-of-the-shop",
        app_keys=TEST_APP_KEY,
    )
    servers.start()
    yield servers
    servers.stop()
