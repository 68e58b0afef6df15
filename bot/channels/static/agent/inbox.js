// Agent inbox: a client of /agent/api/ (see bot/channels/agent_inbox.py). The server tells it
// when something changed (server-sent events at /agent/api/events), so new conversations,
// customer messages and callbacks appear at once without reloading; a slow poll is the safety net.
"use strict";

const API = "/agent/api";
const SAFETY_POLL_MS = 30000;
const POLL_WITHOUT_EVENTS_MS = 3000;
let csrf = null;
let current = null; // conversation id shown on the right
let pollTimer = null;
let events = null;

function listen() {
  stopListening();
  if (!window.EventSource) { pollTimer = setInterval(refresh, POLL_WITHOUT_EVENTS_MS); return; }
  events = new EventSource(API + "/events");
  events.addEventListener("inbox", () => refresh());
  events.addEventListener("logout", () => showLogin());
  pollTimer = setInterval(refresh, SAFETY_POLL_MS);
}

function stopListening() {
  clearInterval(pollTimer);
  if (events) { events.close(); events = null; }
}

const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json" };
  if (options.method === "POST") headers["X-CSRF-Token"] = csrf || "";
  const response = await fetch(API + path, { credentials: "same-origin", ...options, headers });
  let body = {};
  try { body = await response.json(); } catch (error) { body = {}; }
  if (response.status === 401 && path !== "/login") showLogin();
  return { ok: response.ok, status: response.status, body };
}

function minutes(seconds) {
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min`;
}

function text(tag, value, className) {
  const node = document.createElement(tag);
  node.textContent = value;
  if (className) node.className = className;
  return node;
}

function showLogin() {
  csrf = null;
  stopListening();
  $("inbox-view").hidden = true;
  $("who").hidden = true;
  $("login-view").hidden = false;
  $("username").focus();
}

function showInbox(agent) {
  $("login-view").hidden = true;
  $("inbox-view").hidden = false;
  $("who").hidden = false;
  $("agent-name").textContent = agent.name;
  refresh();
  listen();
}

function conversationItem(conversation) {
  const item = document.createElement("li");
  item.tabIndex = 0;
  item.dataset.id = conversation.id;
  item.setAttribute("role", "button");
  item.setAttribute("aria-current", String(conversation.id === current));
  const title = text("div", conversation.id);
  title.style.fontWeight = "600";
  item.append(title);
  const meta = document.createElement("div");
  meta.className = "meta";
  for (const value of [conversation.language.toUpperCase(), conversation.reason, conversation.topic || "no topic"]) {
    meta.append(text("span", value, "tag"));
  }
  meta.append(text("span", `waiting ${minutes(conversation.waiting_seconds)}`));
  item.append(meta);
  const open = () => openConversation(conversation.id);
  item.addEventListener("click", open);
  item.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); } });
  return item;
}

function callbackItem(callback) {
  const item = document.createElement("li");
  item.append(text("div", callback.phone));
  const when = new Date(callback.call_after);
  item.append(text("div", `${callback.language.toUpperCase()} · from ${when.toLocaleString()} · ${callback.conversation_id}`, "meta"));
  const done = text("button", "Called – done", "secondary");
  done.type = "button";
  done.setAttribute("aria-label", `Mark the callback to ${callback.phone} as done`);
  done.addEventListener("click", async () => {
    const result = await api(`/callbacks/${callback.id}/done`, { method: "POST" });
    if (result.ok) refresh();
  });
  item.append(done);
  return item;
}

function fill(listId, countId, items, render) {
  const list = $(listId);
  list.replaceChildren(...items.map(render));
  $(countId).textContent = String(items.length);
}

async function refresh() {
  const [waiting, mine, callbacks] = await Promise.all([
    api("/conversations?status=waiting"), api("/conversations?status=mine"), api("/callbacks?status=open"),
  ]);
  if (!waiting.ok) return;
  fill("waiting", "waiting-count", waiting.body.conversations, conversationItem);
  fill("mine", "mine-count", mine.body.conversations || [], conversationItem);
  fill("callbacks", "callback-count", callbacks.body.callbacks || [], callbackItem);
  if (current) await showConversation(current);
}

async function openConversation(id) {
  current = id;
  $("conversation-error").textContent = "";
  await showConversation(id);
  document.querySelectorAll(".conversations li").forEach((li) => li.setAttribute("aria-current", String(li.dataset.id === id)));
}

async function showConversation(id) {
  const result = await api(`/conversations/${encodeURIComponent(id)}`);
  if (!result.ok) { $("conversation-error").textContent = result.body.error || "Could not load the conversation."; return; }
  const c = result.body;
  $("conversation-title").textContent = `Conversation ${c.id}`;
  const details = [["Status", c.status], ["Language", c.language], ["Reason", c.reason], ["Topic", c.topic || "–"],
    ["Order", c.order_number || "–"], ["Agent", c.agent || "–"], ["Waiting", minutes(c.waiting_seconds)]];
  $("details").replaceChildren(...details.flatMap(([key, value]) => [text("dt", key), text("dd", value)]));
  const transcript = $("transcript");
  const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
  transcript.replaceChildren(...c.messages.map((message) => {
    const item = document.createElement("li");
    item.className = message.from;
    const who = message.from === "agent" ? (message.agent || "agent") : message.from;
    item.append(text("span", who, "who"));
    item.append(document.createTextNode(message.text));
    if (message.buttons && message.buttons.length) item.append(text("span", `[${message.buttons.join(" | ")}]`, "who"));
    return item;
  }));
  if (atBottom) transcript.scrollTop = transcript.scrollHeight;
  $("claim").hidden = c.status !== "waiting";
  $("close").hidden = !c.owned_by_me;
  $("reply-form").hidden = !c.owned_by_me;
}

document.addEventListener("DOMContentLoaded", async () => {
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("/login", { method: "POST", body: JSON.stringify({ username: $("username").value, password: $("password").value }) });
    if (!result.ok) { $("login-error").textContent = result.body.error || "Login failed."; return; }
    csrf = result.body.csrf_token;
    $("password").value = "";
    $("login-error").textContent = "";
    showInbox(result.body.agent);
  });
  $("logout").addEventListener("click", async () => { await api("/logout", { method: "POST" }); showLogin(); });
  $("claim").addEventListener("click", async () => {
    const result = await api(`/conversations/${encodeURIComponent(current)}/claim`, { method: "POST" });
    $("conversation-error").textContent = result.ok ? "" : result.body.error;
    await refresh();
    if (result.ok) $("reply").focus();
  });
  $("close").addEventListener("click", async () => {
    const result = await api(`/conversations/${encodeURIComponent(current)}/close`, { method: "POST" });
    $("conversation-error").textContent = result.ok ? "" : result.body.error;
    await refresh();
  });
  $("reply-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const reply = $("reply");
    const result = await api(`/conversations/${encodeURIComponent(current)}/messages`, { method: "POST", body: JSON.stringify({ text: reply.value }) });
    if (result.ok) { reply.value = ""; await showConversation(current); } else { $("conversation-error").textContent = result.body.error; }
    reply.focus();
  });
  const me = await api("/me");
  if (me.ok) { csrf = me.body.csrf_token; showInbox(me.body); } else { showLogin(); }
});
