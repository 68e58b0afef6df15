"""Runs the bot: the action server on localhost and the Rasa server on the public port.

`make run` calls this after making sure a current model exists. Ctrl-C or SIGTERM stops both
processes; if either dies, the other is stopped too. Tests and the benchmark use `BotServers`.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from bot import PROJECT_ROOT
from bot.settings import SETTINGS_PATH_ENV, load_settings
from bot.storage.database import database_url, ensure_sqlite_directory

DEFAULT_PORT = 5005
DEFAULT_ACTION_PORT = 5055
CREDENTIALS_ENV = "BOT_CREDENTIALS"
LINK_SECRET_ENV = "LABEL_LINK_SECRET"
TOKEN_SECRET_ENV = "CUSTOMER_TOKEN_SECRET"
PUBLIC_URL_ENV = "PUBLIC_BASE_URL"
APP_KEYS_ENV = "BOT_APP_KEYS"


def _stop_with_parent() -> None:
    """Linux: the child gets SIGTERM when the launcher dies, even by SIGKILL (no orphans on the port)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except OSError:
        pass


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class BotServers:
    """The action server and the Rasa server for one model, as child processes."""

    model: Path
    port: int = DEFAULT_PORT
    action_port: int = DEFAULT_ACTION_PORT
    api_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    database: str = field(default_factory=database_url)
    # Signs return-label links; a random one per run unless LABEL_LINK_SECRET is set (links then
    # stop working after a restart).
    label_link_secret: str = field(default_factory=lambda: os.environ.get(LINK_SECRET_ENV) or secrets.token_urlsafe(32))
    # Verifies the shop's customer tokens; without it, customers prove orders by e-mail or postcode.
    customer_token_secret: str | None = field(default_factory=lambda: os.environ.get(TOKEN_SECRET_ENV))
    public_url: str | None = None
    credentials: Path = PROJECT_ROOT / "credentials.yml"
    # Keys of the mobile app's channel (comma-separated), BOT_APP_KEYS by default.
    app_keys: str | None = field(default_factory=lambda: os.environ.get(APP_KEYS_ENV))
    # Another settings.yml for both servers (BOT_SETTINGS); tests use it for other service hours.
    settings_path: Path | None = None
    log_dir: Path | None = None
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(DATABASE_URL=self.database, ACTION_SERVER_PORT=str(self.action_port))
        env[LINK_SECRET_ENV] = self.label_link_secret
        env[PUBLIC_URL_ENV] = self.public_url or os.environ.get(PUBLIC_URL_ENV) or self.url
        if self.customer_token_secret:
            env[TOKEN_SECRET_ENV] = self.customer_token_secret
        if self.app_keys:
            env[APP_KEYS_ENV] = self.app_keys
        if self.settings_path is not None:
            env[SETTINGS_PATH_ENV] = str(self.settings_path)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        # No machine here reaches Rasa's telemetry service; never try.
        env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        return env

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if output else None,
            preexec_fn=_stop_with_parent,
        )
        self.processes.append(process)
        return process

    def public_server_environment(self) -> dict[str, str]:
        """The Rasa server's: Sanic reads SANIC_* variables, so bodies over the limit get 413.

        Only the public server: the action server receives the whole domain with every call."""
        return {**self.environment(), "SANIC_REQUEST_MAX_SIZE": str(load_settings().limits.max_request_bytes)}

    def cors_arguments(self) -> list[str]:
        """Rasa's --cors echoes an allowed Origin with credentials allowed: only configured origins,
        never "*" (that would open the agents' cookie session to any site)."""
        origins = list(load_settings().web.allowed_origins)
        return ["--cors", *origins] if origins else []

    def prepare_database(self) -> None:
        """Migrations first, then demo orders into an empty database (or demo dates moved to today)."""
        from bot.orders.seed import refresh_demo_dates, seed_demo_data
        from bot.storage.migrations import upgrade

        upgrade(self.database)
        created = seed_demo_data(self.database)
        shifted = 0 if created else refresh_demo_dates(self.database)
        if created or shifted:
            print(f"Demo data: {created} orders created, dates moved by {shifted} days.", flush=True)

    def start(self, timeout: float = 300) -> None:
        ensure_sqlite_directory(self.database)
        self.prepare_database()
        try:
            actions = self._spawn(
                "actions",
                [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.action_port)],
                {**self.environment(), "SANIC_HOST": "127.0.0.1"},
            )
            _wait_until_up(f"http://127.0.0.1:{self.action_port}/health", actions, timeout)
            rasa = self._spawn(
                "rasa",
                [
                    sys.executable, "-m", "rasa", "run",
                    "--model", str(self.model),
                    "--port", str(self.port),
                    "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
                    "--credentials", str(self.credentials),
                    "--enable-api",
                    f"--auth-token={self.api_token}",  # a random token may start with "-"
                    *self.cors_arguments(),
                ],
                self.public_server_environment(),
            )
            _wait_until_up(f"{self.url}/version", rasa, timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self, grace: float = 20) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + grace
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def first_exited(self) -> subprocess.Popen[bytes] | None:
        return next((p for p in self.processes if p.poll() is not None), None)


def main() -> int:
    from bot.model_store import ensure_model

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BOT_PORT", DEFAULT_PORT)))
    parser.add_argument(
        "--action-port", type=int, default=int(os.environ.get("ACTION_SERVER_PORT", DEFAULT_ACTION_PORT))
    )
    parser.add_argument("--model", type=Path, help="model archive (default: the current one)")
    args = parser.parse_args()

    token = os.environ.get("BOT_API_TOKEN")
    if not token:
        token = secrets.token_urlsafe(24)
        print(f"BOT_API_TOKEN was not set; this run's HTTP API token is: {token}")
    credentials = Path(os.environ.get(CREDENTIALS_ENV) or PROJECT_ROOT / "credentials.yml")
    servers = BotServers(
        model=args.model or ensure_model(),
        port=args.port,
        action_port=args.action_port,
        api_token=token,
        credentials=credentials,
    )

    stopping = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    print("Starting the action server and the Rasa server (loading the model takes a while) ...", flush=True)
    servers.start()
    print(
        f"\nThe bot is running on port {args.port}:\n"
        f"  Widget:    {servers.url}/ (the shop's demo help page with the chat widget; /?lang=pl ...)\n"
        f"  REST:      curl -s -X POST {servers.url}/webhooks/rest/webhook "
        "-H 'Content-Type: application/json' "
        "-d '{\"sender\": \"me\", \"message\": \"Wo ist mein Paket?\", \"metadata\": {\"language\": \"de\"}}'\n"
        f"  Socket.IO: {servers.url}/socket.io (what the widget speaks)\n"
        f"  App:       {servers.url}/webhooks/app/webhook (Bearer key from BOT_APP_KEYS;"
        f" docs {servers.url}/webhooks/app/docs)\n"
        f"  Agents:    {servers.url}/agent/ (create one with: make agent NAME=alice)\n"
        f"  HTTP API:  {servers.url}/status?token=<BOT_API_TOKEN>\n"
        f"  Shell:     make shell\n"
        "Stop with Ctrl-C.",
        flush=True,
    )
    exit_code = 0
    while not stopping:
        exited = servers.first_exited()
        if exited is not None:
            print(f"A server process exited unexpectedly (code {exited.returncode}); stopping.", flush=True)
            exit_code = 1
            break
        time.sleep(0.5)
    print("Stopping the bot ...", flush=True)
    servers.stop()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
