"""An agent using the inbox's JSON API over HTTP, with its own cookie jar (as a browser would)."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request
from urllib.parse import quote


class AgentClient:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/") + "/agent/api"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf: str | None = None

    def request(self, method: str, path: str, body: dict | None = None, csrf: bool = True,
                raw: bytes | None = None) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if csrf and self.csrf and method == "POST":
            headers["X-CSRF-Token"] = self.csrf
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def login(self, username: str, password: str) -> tuple[int, dict]:
        status, body = self.request("POST", "/login", {"username": username, "password": password})
        if status == 200:
            self.csrf = body["csrf_token"]
        return status, body

    def logout(self) -> None:
        self.request("POST", "/logout")

    def waiting(self) -> list[dict]:
        return self.request("GET", "/conversations?status=waiting")[1]["conversations"]

    def conversation(self, conversation_id: str) -> tuple[int, dict]:
        return self.request("GET", f"/conversations/{quote(conversation_id)}")

    def claim(self, conversation_id: str) -> tuple[int, dict]:
        return self.request("POST", f"/conversations/{quote(conversation_id)}/claim")

    def reply(self, conversation_id: str, text: str) -> tuple[int, dict]:
        return self.request("POST", f"/conversations/{quote(conversation_id)}/messages", {"text": text})

    def close(self, conversation_id: str) -> tuple[int, dict]:
        return self.request("POST", f"/conversations/{quote(conversation_id)}/close")

    def events(self, timeout: float = 30):
        """The inbox's server-sent event stream: yields (event name, data) as they arrive."""
        request = urllib.request.Request(self.base + "/events", headers={"Accept": "text/event-stream"})
        response = self.opener.open(request, timeout=timeout)

        def read():
            name, data = "message", ""
            with response:
                for raw in response:
                    line = raw.decode().rstrip("\n")
                    if not line:
                        if data:
                            yield name, json.loads(data)
                        name, data = "message", ""
                    elif line.startswith("event:"):
                        name = line[6:].strip()
                    elif line.startswith("data:"):
                        data += line[5:].strip()

        return response.status, read()
