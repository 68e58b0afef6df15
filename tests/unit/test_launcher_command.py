"""The Rasa command line the launcher builds (the real start is in tests/test_launcher.py)."""

from pathlib import Path

from bot.launcher import BotServers


class FakeProcess:
    def poll(self):
        return None


def test_a_token_that_starts_with_a_dash_stays_the_value_of_auth_token(monkeypatch):
    commands = {}

    def spawn(self, name, command, env):
        commands[name] = (command, env)
        return FakeProcess()

    monkeypatch.setattr(BotServers, "_spawn", spawn)
    monkeypatch.setattr(BotServers, "prepare_database", lambda self: None)
    monkeypatch.setattr("bot.launcher._wait_until_up", lambda url, process, timeout: None)
    BotServers(model=Path("model.tar.gz"), api_token="-starts-with-a-dash").start()
    rasa_command, rasa_env = commands["rasa"]
    assert "--auth-token=-starts-with-a-dash" in rasa_command
    assert "SANIC_REQUEST_MAX_SIZE" in rasa_env and "SANIC_REQUEST_MAX_SIZE" not in commands["actions"][1]


def test_cors_is_off_unless_origins_are_configured(monkeypatch):
    from bot.settings import WebSettings, load_settings

    servers = BotServers(model=Path("model.tar.gz"))
    assert servers.cors_arguments() == []
    configured = load_settings().__class__(**{**vars(load_settings()),
                                              "web": WebSettings(("https://www.shop.example",))})
    monkeypatch.setattr("bot.launcher.load_settings", lambda: configured)
    assert servers.cors_arguments() == ["--cors", "https://www.shop.example"]
