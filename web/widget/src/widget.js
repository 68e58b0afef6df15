// The shop's chat widget. Embedded with one script tag:
//   <script src="https://support.shop.example/widget/widget.js" data-language="pl"
//           data-customer-token="<signed token from the shop's login>" defer></script>
// It talks to the bot over Socket.IO (session_request / session_confirm / history /
// user_uttered / bot_uttered) and keeps the conversation across reloads, tabs and network drops:
// the session id lives in localStorage, the history comes from the server, and a message stays
// "sending" until the server acknowledges its turn (resent after a reconnect when the server's
// history does not have it; the server drops a second copy).
import { io } from "socket.io-client";
import TEXTS from "./texts.json";
import { renderRichText } from "./richtext.js";

const LANGUAGES = ["de", "en", "nl", "pl", "tr", "cs"];
const LANGUAGE_NAMES = { de: "Deutsch", en: "English", nl: "Nederlands", pl: "Polski", tr: "Türkçe", cs: "Čeština" };
const DEFAULT_LANGUAGE = "de";
const STORE = "shopChat.";
const DEFAULT_MAX_CHARS = 2000;
const TYPING_TIMEOUT_MS = 45000;

function normalizeLanguage(value) {
  if (typeof value !== "string") return null;
  const code = value.trim().toLowerCase().replace("_", "-").split("-")[0];
  return LANGUAGES.includes(code) ? code : null;
}

function storage(kind) {
  try {
    const store = window[kind];
    store.setItem(STORE + "probe", "1");
    store.removeItem(STORE + "probe");
    return store;
  } catch (error) {
    const memory = {};
    return { getItem: (k) => (k in memory ? memory[k] : null), setItem: (k, v) => { memory[k] = String(v); },
             removeItem: (k) => { delete memory[k]; } };
  }
}

function randomId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// A mark of the customer a signed token names (its "sub"), not the token: only to notice that
// another customer uses this browser. The server verifies the token itself.
function customerMark(token) {
  if (!token) return "";
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const subject = String(JSON.parse(atob(payload)).sub || "");
    let hash = 2166136261;
    for (const char of subject) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    return `c${hash.toString(36)}`;
  } catch (error) {
    return "unreadable";
  }
}

function readConfig(script) {
  const data = (script && script.dataset) || {};
  const source = script && script.src ? new URL(script.src, window.location.href) : new URL(window.location.href);
  return {
    serverUrl: (data.serverUrl || source.origin).replace(/\/+$/, ""),
    pageLanguage: normalizeLanguage(data.language) || normalizeLanguage(document.documentElement.lang)
      || normalizeLanguage(navigator.language) || DEFAULT_LANGUAGE,
    customerToken: data.customerToken || null,
    socketPath: data.socketPath || "/socket.io",
    transports: (data.transports || "polling,websocket").split(",").map((t) => t.trim()).filter(Boolean),
  };
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

const ICONS = {
  chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  close: "M6 6l12 12M18 6L6 18",
  send: "M3 11l18-8-8 18-2-8-8-2z",
  restart: "M4 12a8 8 0 1 0 2.3-5.7M4 4v5h5",
};

function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  svg.appendChild(path);
  return svg;
}

class ShopChat {
  constructor(config) {
    this.config = config;
    this.local = storage("localStorage");
    this.tab = storage("sessionStorage");
    this.language = this.initialLanguage();
    this.sessionId = this.forgetAnotherCustomersSession();
    this.messages = [];      // what the log shows: {from, text, agent, quickReplies, image, pending, id}
    this.pending = [];       // customer messages not yet acknowledged: {id, text, hidden}
    this.seenOutbox = new Set();
    this.maxChars = DEFAULT_MAX_CHARS;
    this.ready = false;      // history received for the current session: messages may go out
    this.socket = null;
    this.everConnected = false;
    this.build();
    if (this.sessionId) this.connect();  // an ongoing conversation: get its history and pushes now
    if (this.tab.getItem(STORE + "open") === "1") this.open({ focus: false });
  }

  // The stored session, unless it belongs to another signed-in customer than the page's token says
  // (a shared computer: the next person must not see the previous customer's chat). A guest who
  // signs in keeps the conversation; a token refreshed for the same customer keeps it too.
  forgetAnotherCustomersSession() {
    const customer = customerMark(this.config.customerToken);
    const before = this.local.getItem(STORE + "customer") || "";
    let session = this.local.getItem(STORE + "session");
    if (session && before && before !== customer) {
      session = null;
      this.local.removeItem(STORE + "session");
    }
    this.local.setItem(STORE + "customer", customer);
    return session;
  }

  // The page's language, unless the customer picked another one in the widget on a page of the
  // same language (a page in another language means the customer switched the page).
  initialLanguage() {
    const picked = normalizeLanguage(this.local.getItem(STORE + "picked"));
    const pickedOn = this.local.getItem(STORE + "pickedOnPage");
    return picked && pickedOn === this.config.pageLanguage ? picked : this.config.pageLanguage;
  }

  t(key, values = {}) {
    const template = (TEXTS[this.language] || TEXTS[DEFAULT_LANGUAGE])[key] || TEXTS.en[key] || key;
    return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
  }

  // ---- DOM -------------------------------------------------------------------------------
  build() {
    this.host = element("div", { id: "shop-chat-widget" });
    this.host.hidden = true;  // until the stylesheet has loaded: no flash of unstyled markup
    const root = this.host.attachShadow({ mode: "open" });
    const style = element("link", { rel: "stylesheet", href: `${this.config.serverUrl}/widget/widget.css` });
    style.addEventListener("load", () => { this.host.hidden = false; });
    style.addEventListener("error", () => { this.host.hidden = false; });
    root.appendChild(style);

    this.launcher = element("button", { type: "button", className: "sc-launcher", "aria-expanded": "false",
                                        "aria-controls": "sc-panel" }, [icon("chat"), element("span")]);
    this.launcher.addEventListener("click", () => (this.isOpen() ? this.close() : this.open()));
    this.unread = element("span", { className: "sc-unread", "aria-hidden": "true" });
    this.unread.hidden = true;
    this.launcher.appendChild(this.unread);

    this.title = element("h2", { id: "sc-title", className: "sc-title" });
    this.subtitle = element("p", { className: "sc-subtitle" });
    this.languageLabel = element("label", { for: "sc-language", className: "sc-visually-hidden" });
    this.picker = element("select", { id: "sc-language", className: "sc-language" },
      LANGUAGES.map((code) => element("option", { value: code, lang: code, text: LANGUAGE_NAMES[code] })));
    this.picker.addEventListener("change", () => this.switchLanguage(this.picker.value));
    this.restartButton = element("button", { type: "button", className: "sc-icon" }, [icon("restart")]);
    this.restartButton.addEventListener("click", () => this.newConversation());
    this.closeButton = element("button", { type: "button", className: "sc-icon" }, [icon("close")]);
    this.closeButton.addEventListener("click", () => this.close());
    const header = element("div", { className: "sc-header" }, [
      this.title,
      element("div", { className: "sc-tools" }, [this.languageLabel, this.picker, this.restartButton, this.closeButton]),
      this.subtitle,
    ]);

    this.status = element("p", { className: "sc-status", role: "status" });
    this.log = element("div", { className: "sc-log", role: "log", "aria-live": "polite", tabindex: "0" });
    this.typing = element("div", { className: "sc-typing" },
      [element("span", { className: "sc-dot" }), element("span", { className: "sc-dot" }),
       element("span", { className: "sc-dot" }), element("span", { className: "sc-visually-hidden" })]);
    this.typing.hidden = true;
    this.replies = element("div", { className: "sc-replies", role: "group" });

    this.inputLabel = element("label", { for: "sc-input", className: "sc-visually-hidden" });
    this.input = element("textarea", { id: "sc-input", className: "sc-input", rows: "1", autocomplete: "off" });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => { this.error.hidden = true; this.autosize(); });
    this.sendButton = element("button", { type: "submit", className: "sc-send" }, [icon("send")]);
    this.error = element("p", { className: "sc-error", role: "alert" });
    this.error.hidden = true;
    this.form = element("form", { className: "sc-form" }, [
      this.inputLabel, this.input, this.sendButton,
    ]);
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.submit(); });

    this.panel = element("section", { id: "sc-panel", className: "sc-panel", role: "dialog",
                                      "aria-labelledby": "sc-title" },
      [header, this.status, this.log, this.typing, this.replies, this.error, this.form]);
    this.panel.hidden = true;
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); this.close(); }
    });

    this.frame = element("div", { className: "sc-frame" }, [this.panel, this.launcher]);
    root.appendChild(this.frame);
    document.body.appendChild(this.host);
    this.applyTexts();
    this.render();
  }

  applyTexts() {
    this.frame.setAttribute("lang", this.language);
    this.launcher.querySelector("span").textContent = this.t("launcher");
    this.launcher.setAttribute("aria-label", this.t("open_chat"));
    this.title.textContent = this.t("title");
    this.subtitle.textContent = this.t("subtitle");
    this.languageLabel.textContent = this.t("language_label");
    this.picker.value = this.language;
    this.restartButton.setAttribute("aria-label", this.t("new_conversation"));
    this.restartButton.title = this.t("new_conversation");
    this.closeButton.setAttribute("aria-label", this.t("close_chat"));
    this.closeButton.title = this.t("close_chat");
    this.log.setAttribute("aria-label", this.t("conversation_label"));
    this.typing.lastChild.textContent = this.t("typing");
    this.replies.setAttribute("aria-label", this.t("suggestions_label"));
    this.inputLabel.textContent = this.t("input_label");
    this.input.placeholder = this.t("placeholder");
    this.sendButton.setAttribute("aria-label", this.t("send"));
    this.sendButton.title = this.t("send");
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  isOpen() { return !this.panel.hidden; }

  open({ focus = true } = {}) {
    this.panel.hidden = false;
    this.frame.classList.add("sc-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.unread.hidden = true;
    this.tab.setItem(STORE + "open", "1");
    this.connect();
    this.scrollToEnd();
    if (focus) this.input.focus();
  }

  close() {
    this.panel.hidden = true;
    this.frame.classList.remove("sc-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.tab.setItem(STORE + "open", "0");
    this.launcher.focus();
  }

  setStatus(text, kind = "info") {
    this.status.textContent = text || "";
    this.status.dataset.kind = kind;
    this.status.hidden = !text;
  }

  showTyping(on) {
    clearTimeout(this.typingTimer);
    this.typing.hidden = !on;
    if (on) this.typingTimer = setTimeout(() => { this.typing.hidden = true; }, TYPING_TIMEOUT_MS);
    this.scrollToEnd();
  }

  scrollToEnd() {
    requestAnimationFrame(() => { this.log.scrollTop = this.log.scrollHeight; });
  }

  render() {
    const items = [{ from: "bot", text: this.t("welcome"), welcome: true }, ...this.messages];
    this.log.replaceChildren(...items.map((message, index) => this.renderMessage(message, items[index - 1])));
    this.renderReplies();
    this.scrollToEnd();
  }

  // One message; the author's name shows once for a run of messages by the same author.
  renderMessage(message, previous) {
    const kind = message.from === "customer" ? "customer" : message.from === "system" ? "system" : message.from === "agent" ? "agent" : "bot";
    const sameAuthor = previous && previous.from === message.from && (previous.agent || null) === (message.agent || null);
    const item = element("div", { className: `sc-msg sc-msg--${kind}${sameAuthor ? " sc-msg--continued" : ""}` });
    if (kind === "system") {
      item.appendChild(element("span", { className: "sc-note", text: message.text }));
      return item;
    }
    const author = kind === "customer" ? this.t("you")
      : kind === "agent" ? this.t("agent", { name: message.agent || "" }) : this.t("assistant");
    item.appendChild(element("span", { className: kind === "customer" ? "sc-visually-hidden" : "sc-author",
                                       text: kind === "customer" ? `${author}:` : author }));
    const bubble = element("div", { className: "sc-bubble" });
    if (message.text) bubble.appendChild(renderRichText(message.text, this.t("new_tab")));
    if (message.image) {
      const link = element("a", { href: message.image, target: "_blank", rel: "noopener", className: "sc-image-link" },
        [element("img", { src: message.image, alt: this.t("image_alt"), className: "sc-image", loading: "lazy" })]);
      link.querySelector("img").addEventListener("load", () => this.scrollToEnd());
      bubble.appendChild(link);
    }
    item.appendChild(bubble);
    if (message.pending) item.appendChild(element("span", { className: "sc-pending", text: this.t("sending") }));
    return item;
  }

  // Quick replies belong to the last message only, and only when the bot wrote it.
  renderReplies() {
    const last = this.messages[this.messages.length - 1];
    const replies = last && last.from !== "customer" && last.quickReplies ? last.quickReplies : [];
    this.replies.replaceChildren(...replies.map((reply) => {
      const button = element("button", { type: "button", className: "sc-reply", text: reply.title });
      button.addEventListener("click", () => { this.send(reply.payload, reply.title); this.input.focus(); });
      return button;
    }));
    this.replies.hidden = replies.length === 0;
  }

  // ---- conversation ---------------------------------------------------------------------
  fromServer(message) {
    const image = message.attachment && message.attachment.type === "image" && message.attachment.payload
      ? message.attachment.payload.src : null;
    return {
      from: message.from || (message.metadata && message.metadata.from) || "bot",
      text: message.text || "",
      agent: message.agent || (message.metadata && message.metadata.agent) || null,
      quickReplies: message.quick_replies || null,
      image,
      id: message.message_id || null,
    };
  }

  connect() {
    if (this.socket) return;
    if (!this.sessionId) {
      this.sessionId = randomId();
      this.local.setItem(STORE + "session", this.sessionId);
    }
    this.setStatus(this.t("connecting"));
    this.socket = io(this.config.serverUrl, { path: this.config.socketPath, transports: this.config.transports });
    this.socket.on("connect", () => {
      this.socket.emit("session_request", { session_id: this.sessionId });
    });
    this.socket.on("session_confirm", () => {
      if (this.everConnected) this.setStatus(this.t("online_again"), "ok");
      else this.setStatus("");
      this.everConnected = true;
      clearTimeout(this.statusTimer);
      this.statusTimer = setTimeout(() => { if (this.socket.connected) this.setStatus(""); }, 4000);
    });
    this.socket.on("history", (data) => this.onHistory(data || {}));
    this.socket.on("bot_uttered", (message) => this.onBotMessage(message || {}));
    this.socket.on("disconnect", () => {
      this.ready = false;
      this.showTyping(false);
      this.setStatus(this.t("offline"), "warning");
    });
    this.socket.io.on("reconnect_attempt", () => { if (!this.socket.connected) this.setStatus(this.t("offline"), "warning"); });
  }

  onHistory(data) {
    if (data.limits && Number.isInteger(data.limits.max_message_chars)) this.maxChars = data.limits.max_message_chars;
    const history = (data.messages || []).map((message) => this.fromServer(message));
    const delivered = new Set(history.filter((m) => m.id).map((m) => m.id));
    (data.messages || []).forEach((m) => { if (m.outbox_id) this.seenOutbox.add(m.outbox_id); });
    this.pending = this.pending.filter((p) => !delivered.has(p.id));
    const notes = this.messages.filter((m) => m.from === "system");
    this.messages = [...history, ...notes.slice(-1),
      ...this.pending.filter((p) => !p.hidden).map((p) => ({ from: "customer", text: p.display, pending: true, id: p.id }))];
    this.ready = true;
    this.render();
    for (const message of this.pending) this.transmit(message);
  }

  onBotMessage(message) {
    const outboxId = message.metadata && message.metadata.outbox_id;
    if (outboxId) {
      if (this.seenOutbox.has(outboxId)) return;
      this.seenOutbox.add(outboxId);
    }
    this.messages.push(this.fromServer(message));
    if (!this.isOpen()) this.unread.hidden = false;
    this.render();
  }

  metadata() {
    const metadata = { language: this.language };
    try { metadata.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { /* no zone */ }
    if (this.config.customerToken) metadata.customer_token = this.config.customerToken;
    return metadata;
  }

  submit() {
    if (this.send(this.input.value)) {
      this.input.value = "";
      this.autosize();
    }
  }

  // Sends `text` (a button's payload, shown as `display`); false when it was not accepted.
  send(text, display, { hidden = false } = {}) {
    const message = typeof text === "string" ? text.trim() : "";
    if (!message) return false;
    if (message.length > this.maxChars) {
      this.error.textContent = this.t("too_long", { count: message.length, max: this.maxChars });
      this.error.hidden = false;
      return false;
    }
    this.error.hidden = true;
    const entry = { id: randomId(), text: message, display: display || message, hidden };
    this.pending.push(entry);
    if (!hidden) this.messages.push({ from: "customer", text: entry.display, pending: true, id: entry.id });
    this.render();
    this.connect();
    this.transmit(entry);
    return true;
  }

  transmit(entry) {
    if (!this.socket || !this.socket.connected || !this.ready) return;  // sent once the history is in
    this.showTyping(true);
    this.socket.emit("user_uttered", {
      message: entry.text, session_id: this.sessionId, message_id: entry.id, customData: this.metadata(),
    }, (ack) => this.onAck(entry, ack || {}));
  }

  onAck(entry, ack) {
    if (ack.status === "no_session") {
      this.ready = false;
      this.socket.emit("session_request", { session_id: this.sessionId });
      return;
    }
    this.pending = this.pending.filter((p) => p.id !== entry.id);
    const shown = this.messages.find((m) => m.id === entry.id);
    if (shown) shown.pending = false;
    if (!this.pending.length) this.showTyping(false);
    this.render();
  }

  switchLanguage(language) {
    const code = normalizeLanguage(language);
    if (!code || code === this.language) return;
    this.language = code;
    this.local.setItem(STORE + "picked", code);
    this.local.setItem(STORE + "pickedOnPage", this.config.pageLanguage);
    this.applyTexts();
    this.messages = this.messages.filter((m) => m.from !== "system");
    this.messages.push({ from: "system", text: this.t("language_switched", { language: LANGUAGE_NAMES[code] }) });
    this.render();
    this.send(`/change_language{"language_name": "${code}"}`, null, { hidden: true });
  }

  newConversation() {
    this.sessionId = randomId();
    this.local.setItem(STORE + "session", this.sessionId);
    this.messages = [];
    this.pending = [];
    this.ready = false;
    this.showTyping(false);
    this.render();
    if (this.socket && this.socket.connected) this.socket.emit("session_request", { session_id: this.sessionId });
    else this.connect();
    this.input.focus();
  }
}

function start() {
  if (window.ShopChat && window.ShopChat.instance) return;
  const chat = new ShopChat(readConfig(CURRENT_SCRIPT));
  window.ShopChat = {
    instance: chat,
    open: () => chat.open(),
    close: () => chat.close(),
    send: (text) => chat.send(text),
    setLanguage: (language) => chat.switchLanguage(language),
  };
}

const CURRENT_SCRIPT = document.currentScript;
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
