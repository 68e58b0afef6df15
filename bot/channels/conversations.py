"""Reading and writing Rasa conversations from channel code (the Rasa server process): messages
that bypass NLU (agent replies, messages to an agent) go straight into the tracker, under the
conversation's lock."""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import BotUttered, Event
from sanic import Sanic

from bot.handoff.shortcuts import TYPED_TEXT_KEY
from bot.responses import response_text


async def append_events(app: Sanic, conversation_id: str, events: list[Event]) -> None:
    agent = app.ctx.agent
    async with agent.lock_store.lock(conversation_id):
        tracker = await agent.processor.get_tracker(conversation_id)
        for event in events:
            tracker.update(event)
        await agent.tracker_store.save(tracker)


async def append_outbox_message(app: Sanic, conversation_id: str, outbox_id: int, event: Event) -> bool:
    """Writes an outbox message into the tracker unless it is there already (a crash between the
    write and marking it written must not give the customer the message twice)."""
    agent = app.ctx.agent
    async with agent.lock_store.lock(conversation_id):
        tracker = await agent.processor.get_tracker(conversation_id)
        for existing in reversed(tracker.events):
            if isinstance(existing, BotUttered) and (existing.metadata or {}).get("outbox_id") == outbox_id:
                return False
        tracker.update(event)
        await agent.tracker_store.save(tracker)
        return True


async def transcript(app: Sanic, conversation_id: str) -> list[dict[str, Any]]:
    """Every customer, bot and agent message of the conversation (all sessions), oldest first."""
    tracker = await app.ctx.agent.tracker_store.retrieve_full_tracker(conversation_id)
    if tracker is None:
        return []
    messages = []
    for event in tracker.events:
        data = event.as_dict()
        if data.get("event") not in ("user", "bot"):
            continue
        metadata = data.get("metadata") or {}
        speaker = "customer" if data["event"] == "user" else metadata.get("from") or "bot"
        text = (metadata.get(TYPED_TEXT_KEY) if speaker == "customer" else None) or data.get("text") or ""
        entry = {"from": speaker, "text": text, "timestamp": data.get("timestamp")}
        if metadata.get("agent"):
            entry["agent"] = metadata["agent"]
        buttons = (data.get("data") or {}).get("buttons")
        if buttons:
            entry["buttons"] = [button.get("title") for button in buttons]
        messages.append(entry)
    return messages


def domain_text(app: Sanic, name: str, language: str, **values: str) -> str:
    """A response of the loaded model's domain in `language`, with {values} filled in."""
    template = response_text({"responses": app.ctx.agent.domain.responses}, name, language)
    if template is None:
        raise KeyError(f"response {name} has no text in {language}")
    return template.format(**values)


async def widget_history(app: Sanic, conversation_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """The conversation as the widget shows it, oldest first, at most the last `limit` messages:
    the customer's messages (a button's payload shown as the button's title) and the bot's and
    agents' messages as `bot_uttered` delivers them (text, quick replies, image, who wrote it)."""
    tracker = await app.ctx.agent.tracker_store.retrieve_full_tracker(conversation_id)
    if tracker is None:
        return []
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}  # payload -> title of the buttons last offered
    for event in tracker.events:
        data = event.as_dict()
        kind = data.get("event")
        metadata = data.get("metadata") or {}
        if kind == "user":
            text = data.get("text") or ""
            if text.startswith("/change_language"):
                continue  # the widget's language picker, not something the customer wrote
            entry: dict[str, Any] = {"from": "customer", "text": metadata.get(TYPED_TEXT_KEY) or titles.get(text, text)}
            if data.get("message_id"):
                entry["message_id"] = data["message_id"]
            messages.append(entry)
        elif kind == "bot":
            payload = data.get("data") or {}
            entry = {"from": metadata.get("from") or "bot", "text": data.get("text") or ""}
            buttons = payload.get("buttons") or []
            titles = {button.get("payload"): button.get("title") for button in buttons if button.get("payload")}
            if buttons:
                entry["quick_replies"] = [{"content_type": "text", "title": b.get("title"), "payload": b.get("payload")}
                                          for b in buttons]
            if payload.get("image"):
                entry["attachment"] = {"type": "image", "payload": {"src": payload["image"]}}
            if metadata.get("agent"):
                entry["agent"] = metadata["agent"]
            if metadata.get("outbox_id"):
                entry["outbox_id"] = metadata["outbox_id"]
            messages.append(entry)
    return messages[-limit:]
