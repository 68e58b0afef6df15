"""`make run`'s launcher: starts both servers, says where to talk, and stops both on SIGTERM."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

from bot import PROJECT_ROOT


def test_launcher_serves_and_stops_both_processes_on_sigterm(trained_model, tmp_path):
    database = tmp_path / "not-yet-there" / "bot.sqlite3"
    env = {**os.environ, "BOT_API_TOKEN": "launcher-test-token", "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("ACTION_SERVER_PORT", None)
    log = tmp_path / "launcher.log"
    command = [sys.executable, "-m", "bot.launcher", "--model", str(trained_model), "--port", "5305",
               "--action-port", "5355"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None and "Stop with Ctrl-C" not in log.read_text():
            time.sleep(1)
        assert "The bot is running on port 5305" in log.read_text(), log.read_text()[-4000:]
        with urllib.request.urlopen("http://localhost:5305/status?token=launcher-test-token", timeout=30) as answer:
            assert answer.status == 200
        message = json.dumps({"sender": "launcher-test", "message": "Hallo"}).encode()
        request = urllib.request.Request("http://localhost:5305/webhooks/rest/webhook", data=message,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert json.loads(answer.read())
        # The conversation is in the SQL tracker store, in a folder that did not exist before.
        with sqlite3.connect(database) as connection:
            senders = {row[0] for row in connection.execute("SELECT sender_id FROM events")}
        assert "launcher-test" in senders
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    # Nothing is left listening on either port.
    for port in (5305, 5355):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=3)
            raise AssertionError(f"port {port} still answers")
        except OSError:
            pass
