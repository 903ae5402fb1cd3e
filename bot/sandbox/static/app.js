// schoolbot sandbox page: pick a persona, read and write their chat with the bot.
// Everything from the server is inserted as text (textContent), never as HTML.
"use strict";

const ROLE_NAMES = { student: "Student", guardian: "Guardian", tutor: "Tutor", teacher: "Teacher", admin: "Admin", visitor: "Visitor" };
const SAFE_LINK = /^(https?:|mailto:)/i;

const ui = {};
const session = {
  personas: [],
  bot: null,
  persona: null,
  version: null,
  abort: null,
  rendered: new Map(), // message id -> { key, row }
  seenNotices: new Set(),
  firstView: true,
  view: null,
  keyboardHidden: false,
  stickToBottom: true,
};

function $(testid) {
  return document.querySelector(`[data-testid="${testid}"]`);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

function formatTime(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

function formatDay(seconds) {
  const date = new Date(seconds * 1000);
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return "Today";
  return date.toLocaleDateString([], { day: "numeric", month: "long", year: "numeric" });
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const ICONS = {
  lock: "M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zm-3 8V7a3 3 0 1 1 6 0v3z",
};

function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.classList.add("icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  svg.appendChild(path);
  return svg;
}

// Entities -> DOM ------------------------------------------------------------------------
function entityElement(entity, covered) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": {
      const pre = el("pre");
      if (entity.language) pre.dataset.language = entity.language;
      return pre;
    }
    case "blockquote":
    case "expandable_blockquote": return el("blockquote");
    case "spoiler": {
      const span = el("span", "spoiler");
      span.title = "Spoiler: click to reveal";
      span.addEventListener("click", () => span.classList.add("revealed"));
      return span;
    }
    case "text_link":
    case "url":
    case "email":
    case "phone_number": {
      let href = entity.type === "text_link" ? entity.url : covered;
      if (entity.type === "url" && !/^[a-z]+:/i.test(href)) href = `https://${href}`;
      if (entity.type === "email") href = `mailto:${covered}`;
      if (entity.type === "phone_number") href = `tel:${covered.replace(/[^+\d]/g, "")}`;
      if (!SAFE_LINK.test(href) && entity.type !== "phone_number") return el("span", "link");
      const link = el("a");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      return link;
    }
    case "bot_command": {
      const command = el("span", "command");
      command.title = "Send this command";
      command.addEventListener("click", () => sendText(covered.split("@")[0]));
      return command;
    }
    case "mention": return el("span", "mention");
    case "hashtag":
    case "cashtag": return el("span", "hashtag");
    default: return el("span");
  }
}

function renderRange(parent, text, start, end, entities) {
  let pos = start;
  let index = 0;
  while (index < entities.length) {
    const entity = entities[index];
    const from = Math.max(entity.offset, pos);
    const to = Math.min(entity.offset + entity.length, end);
    let next = index + 1;
    const inner = [];
    while (next < entities.length && entities[next].offset < to) inner.push(entities[next++]);
    if (from < to) {
      if (from > pos) parent.appendChild(document.createTextNode(text.slice(pos, from)));
      const node = entityElement(entity, text.slice(from, to));
      renderRange(node, text, from, to, inner);
      parent.appendChild(node);
      pos = to;
    }
    index = next;
  }
  if (pos < end) parent.appendChild(document.createTextNode(text.slice(pos, end)));
}

function formattedText(text, entities, testid) {
  const node = el("div", "message-text");
  node.dataset.testid = testid;
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  renderRange(node, text, 0, text.length, sorted);
  return node;
}

// Messages -------------------------------------------------------------------------------
function messageKey(message) {
  return JSON.stringify(message);
}

function renderMessage(message) {
  const row = el("div", `message-row ${message.from_bot ? "in" : "out"}`);
  row.dataset.testid = "message";
  row.dataset.messageId = String(message.id);
  row.dataset.from = message.from_bot ? "bot" : "user";
  if (message.photo) row.classList.add("has-photo");

  const group = el("div", "message-group");
  const bubble = el("div", "bubble");
  bubble.dataset.testid = "bubble";

  if (message.reply_to) {
    const quote = el("div", "reply-quote");
    quote.appendChild(el("b", null, message.reply_to.sender));
    quote.appendChild(document.createTextNode(message.reply_to.snippet || "…"));
    bubble.appendChild(quote);
  }
  if (message.photo) {
    const link = el("a");
    link.href = message.photo.url;
    link.target = "_blank";
    link.rel = "noopener";
    const image = el("img", "photo");
    image.src = message.photo.url;
    image.alt = "Photo";
    image.dataset.testid = "photo";
    image.addEventListener("load", () => {
      if (session.stickToBottom) ui.messages.scrollTop = ui.messages.scrollHeight;
    });
    if (message.photo.width && message.photo.height) {
      // Small pictures are shown larger, big ones smaller, as Telegram does.
      image.width = Math.max(220, Math.min(message.photo.width, 360));
      image.style.aspectRatio = `${message.photo.width} / ${message.photo.height}`;
    }
    link.appendChild(image);
    bubble.appendChild(link);
  }
  if (message.document) {
    const box = el("div", "document");
    const extension = (message.document.name.split(".").pop() || "file").slice(0, 4);
    box.appendChild(el("div", "document-icon", extension));
    const info = el("div");
    const link = el("a", "document-name", message.document.name);
    link.href = message.document.url;
    link.download = message.document.name;
    link.dataset.testid = "document-link";
    info.appendChild(link);
    info.appendChild(el("div", "document-size", formatSize(message.document.size)));
    box.appendChild(info);
    bubble.appendChild(box);
  }
  const body = message.text !== null ? message.text : message.caption;
  const entities = message.text !== null ? message.entities : message.caption_entities;
  const textNode = body ? formattedText(body, entities, "message-text") : el("div", "message-text meta-only");
  const meta = el("span", "meta");
  if (message.protected) {
    const badge = el("span", "protected-badge");
    badge.append(icon("lock"), document.createTextNode("protected"));
    badge.dataset.testid = "protected-badge";
    badge.title = "Protected content: cannot be forwarded or saved";
    meta.appendChild(badge);
  }
  if (message.edit_date) meta.appendChild(el("span", "edited", "edited"));
  const time = el("span", "time", formatTime(message.date));
  time.dataset.testid = "message-time";
  meta.appendChild(time);
  textNode.appendChild(meta);
  bubble.appendChild(textNode);
  group.appendChild(bubble);
  row.appendChild(group);

  if (message.buttons && message.buttons.length) {
    const keyboard = el("div", "inline-keyboard");
    keyboard.dataset.testid = "inline-keyboard";
    for (const buttons of message.buttons) {
      const line = el("div", "inline-row");
      for (const button of buttons) line.appendChild(inlineButton(message, button));
      keyboard.appendChild(line);
    }
    group.appendChild(keyboard);
  }
  return row;
}

function inlineButton(message, button) {
  const node = el("button", "inline-button", button.text);
  node.type = "button";
  node.dataset.testid = "inline-button";
  if (button.callback_data !== undefined) {
    node.dataset.callbackData = button.callback_data;
    node.addEventListener("click", () => pressButton(message.id, button.callback_data));
  } else if (button.url && SAFE_LINK.test(button.url)) {
    node.classList.add("url");
    node.title = button.url;
    node.addEventListener("click", () => window.open(button.url, "_blank", "noopener"));
  } else {
    node.disabled = true;
    node.title = "This kind of button is not available in the sandbox";
  }
  return node;
}

function renderMessages(messages) {
  const list = ui.messages;
  const inner = ui.messagesInner;
  const fresh = new Map();
  const nodes = [];
  let lastDay = null;
  for (const message of messages) {
    const day = formatDay(message.date);
    if (day !== lastDay) {
      const separator = el("div", "day-separator");
      separator.appendChild(el("span", null, day));
      nodes.push(separator);
      lastDay = day;
    }
    const key = messageKey(message);
    const known = session.rendered.get(message.id);
    const row = known && known.key === key ? known.row : renderMessage(message);
    fresh.set(message.id, { key, row });
    nodes.push(row);
  }
  inner.replaceChildren(...nodes);
  session.rendered = fresh;
  ui.emptyChat.hidden = messages.length > 0;
  // Whether to follow new messages was decided by the person's own scrolling (see
  // followScrolling), not by the list's size now: a reply keyboard that just appeared has
  // made the list shorter, and that alone must not stop it following.
  if (session.stickToBottom || session.firstView) {
    session.stickToBottom = true;
    scrollToBottom();
  }
}

function scrollToBottom() {
  const list = ui.messages;
  list.scrollTop = list.scrollHeight;
  requestAnimationFrame(() => {
    list.scrollTop = list.scrollHeight;
  });
}

// Follow new messages while the person is at the bottom; stop when they scroll up to read.
function followScrolling() {
  const list = ui.messages;
  list.addEventListener("scroll", () => {
    session.stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  });
  // The list changes height when the reply keyboard or the composer does: keep the bottom.
  new ResizeObserver(() => {
    if (session.stickToBottom) list.scrollTop = list.scrollHeight;
  }).observe(list);
}

// Keyboard, commands, status, notices -----------------------------------------------------
function renderKeyboard(keyboard) {
  const panel = ui.replyKeyboard;
  ui.keyboardToggle.hidden = !keyboard;
  ui.input.placeholder = (keyboard && keyboard.input_field_placeholder) || "Message";
  if (!keyboard) {
    panel.hidden = true;
    panel.replaceChildren();
    return;
  }
  const rows = keyboard.keyboard.map((buttons) => {
    const line = el("div", "reply-row");
    for (const button of buttons) {
      const node = el("button", "reply-button", button.text);
      node.type = "button";
      node.dataset.testid = "reply-button";
      node.addEventListener("click", () => sendText(button.text));
      line.appendChild(node);
    }
    return line;
  });
  panel.replaceChildren(...rows);
  panel.hidden = session.keyboardHidden;
}

function renderCommands(commands) {
  ui.commandsButton.hidden = commands.length === 0;
  const items = commands.map((command) => {
    const item = el("div", "command-item");
    item.dataset.testid = "command-item";
    item.appendChild(el("span", "name", `/${command.command}`));
    item.appendChild(el("span", "description", command.description));
    item.addEventListener("click", () => {
      ui.commandsPopup.hidden = true;
      sendText(`/${command.command}`);
    });
    return item;
  });
  ui.commandsPopup.replaceChildren(...items);
  if (!commands.length) ui.commandsPopup.hidden = true;
}

function renderStatus() {
  const view = session.view;
  if (!view) return;
  const typing = view.typing_until * 1000 > Date.now();
  ui.status.textContent = typing ? "typing…" : "bot";
  ui.status.classList.toggle("typing", typing);
  if (typing) setTimeout(renderStatus, view.typing_until * 1000 - Date.now() + 50);
}

function showNotices(notices) {
  for (const notice of notices) {
    if (session.seenNotices.has(notice.id)) continue;
    session.seenNotices.add(notice.id);
    if (session.firstView) continue; // old answers are not shown again
    if (notice.show_alert) {
      ui.alertText.textContent = notice.text;
      ui.alert.hidden = false;
      ui.alertOk.focus();
    } else {
      const toast = el("div", "toast", notice.text);
      toast.dataset.testid = "toast";
      ui.toasts.appendChild(toast);
      setTimeout(() => toast.remove(), 3500);
    }
  }
}

function renderControls(view) {
  ui.controls.hidden = false;
  ui.rateLimits.checked = view.rate_limits;
  ui.blocked.checked = view.blocked;
  ui.delivered.textContent = `Messages delivered to this chat: ${view.delivered}`;
}

function render(view) {
  session.view = view;
  renderKeyboard(view.keyboard); // first, so the message list scrolls within its final height
  renderCommands(view.commands);
  renderMessages(view.messages);
  showNotices(view.notices);
  renderControls(view);
  renderStatus();
  session.firstView = false;
}

// Server calls ----------------------------------------------------------------------------
async function api(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

function postJson(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

function chatPath(suffix) {
  return `/api/chats/${session.persona.telegram_id}${suffix || ""}`;
}

async function sendText(text) {
  const trimmed = text.trim();
  if (!trimmed || !session.persona) return;
  try {
    await postJson(chatPath("/messages"), { text: trimmed });
  } catch (error) {
    toast(`Not sent: ${error.message}`);
  }
}

async function pressButton(messageId, data) {
  try {
    await postJson(chatPath("/callbacks"), { message_id: messageId, data });
  } catch (error) {
    toast(`Button failed: ${error.message}`);
  }
}

async function sendFile(file) {
  const form = new FormData();
  form.append("file", file, file.name);
  try {
    await api(chatPath("/files"), { method: "POST", body: form });
  } catch (error) {
    toast(`File not sent: ${error.message}`);
  }
}

async function setFaults(changes) {
  try {
    await postJson("/api/faults", changes);
  } catch (error) {
    toast(`Could not change the sandbox: ${error.message}`);
  }
}

function toast(text) {
  const node = el("div", "toast", text);
  node.dataset.testid = "toast";
  ui.toasts.appendChild(node);
  setTimeout(() => node.remove(), 3500);
}

async function follow(persona) {
  const controller = new AbortController();
  session.abort = controller;
  let since = null;
  while (!controller.signal.aborted) {
    try {
      const query = since === null ? "" : `?since=${since}`;
      const view = await api(chatPath(query), { signal: controller.signal });
      if (controller.signal.aborted || session.persona !== persona) return;
      render(view);
      since = view.version;
    } catch (error) {
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// Personas --------------------------------------------------------------------------------
function selectPersona(persona) {
  if (session.abort) session.abort.abort();
  session.persona = persona;
  session.rendered = new Map();
  session.seenNotices = new Set();
  session.firstView = true;
  session.keyboardHidden = false;
  session.view = null;
  for (const item of ui.personaList.children) {
    item.classList.toggle("selected", item.dataset.key === persona.key);
  }
  history.replaceState(null, "", `#${encodeURIComponent(persona.key)}`);
  ui.placeholder.hidden = true;
  ui.pane.hidden = false;
  ui.avatar.className = `avatar role-${persona.role}`;
  ui.avatar.textContent = initials(persona.first_name);
  ui.name.textContent = `${session.bot.first_name} — chat with ${persona.label}`;
  ui.role.textContent = `${ROLE_NAMES[persona.role]} · ${persona.language_code} · id ${persona.telegram_id}`;
  ui.status.textContent = "bot";
  ui.messagesInner.replaceChildren();
  ui.commandsPopup.hidden = true;
  ui.input.focus();
  follow(persona);
}

function renderPersonas() {
  const items = session.personas.map((persona) => {
    const item = el("li", "persona");
    item.dataset.testid = `persona-${persona.key}`;
    item.dataset.key = persona.key;
    item.tabIndex = 0;
    const avatar = el("div", `avatar role-${persona.role}`, initials(persona.first_name));
    const text = el("div", "persona-text");
    text.appendChild(el("div", "persona-label", persona.label));
    if (persona.note) {
      const note = el("div", "persona-note", persona.note);
      note.dataset.testid = `persona-note-${persona.key}`;
      text.appendChild(note);
    }
    const meta = el("div", "persona-meta");
    meta.appendChild(el("span", "role-badge", ROLE_NAMES[persona.role]));
    meta.appendChild(el("span", null, `${persona.first_name} · ${persona.language_code}`));
    text.appendChild(meta);
    item.append(avatar, text);
    item.addEventListener("click", () => selectPersona(persona));
    item.addEventListener("keydown", (event) => {
      if (event.key === "Enter") selectPersona(persona);
    });
    return item;
  });
  ui.personaList.replaceChildren(...items);
}

// Start -----------------------------------------------------------------------------------
function bind() {
  Object.assign(ui, {
    personaList: $("persona-list"),
    placeholder: $("no-persona"),
    pane: document.querySelector(".chat-pane"),
    avatar: $("chat-avatar"),
    name: $("chat-name"),
    status: $("chat-status"),
    role: $("chat-role"),
    messages: $("message-list"),
    messagesInner: document.querySelector(".messages-inner"),
    emptyChat: $("empty-chat"),
    startButton: $("start-button"),
    toasts: document.querySelector(".toast-area"),
    replyKeyboard: $("reply-keyboard"),
    keyboardToggle: $("keyboard-toggle"),
    commandsButton: $("commands-button"),
    commandsPopup: $("commands-popup"),
    composer: $("composer"),
    input: $("message-input"),
    attach: $("attach-input"),
    alert: $("alert"),
    alertText: $("alert-text"),
    alertOk: $("alert-ok"),
    controls: $("controls"),
    rateLimits: $("toggle-rate-limits"),
    blocked: $("toggle-blocked"),
    delivered: $("delivered"),
    botName: $("bot-name"),
  });

  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.input.value;
    ui.input.value = "";
    autosize();
    sendText(text);
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  });
  ui.input.addEventListener("input", autosize);
  followScrolling();
  ui.attach.addEventListener("change", () => {
    for (const file of ui.attach.files) sendFile(file);
    ui.attach.value = "";
  });
  ui.startButton.addEventListener("click", () => sendText("/start"));
  ui.commandsButton.addEventListener("click", () => {
    ui.commandsPopup.hidden = !ui.commandsPopup.hidden;
  });
  ui.keyboardToggle.addEventListener("click", () => {
    session.keyboardHidden = !session.keyboardHidden;
    ui.replyKeyboard.hidden = session.keyboardHidden;
  });
  ui.alertOk.addEventListener("click", () => {
    ui.alert.hidden = true;
  });
  ui.rateLimits.addEventListener("change", () => setFaults({ rate_limits: ui.rateLimits.checked }));
  ui.blocked.addEventListener("change", async () => {
    const faults = (await api("/api/faults")).faults;
    const blocked = { ...faults.blocked };
    const id = String(session.persona.telegram_id);
    if (ui.blocked.checked) blocked[id] = "";
    else delete blocked[id];
    setFaults({ blocked });
  });
}

function autosize() {
  ui.input.style.height = "auto";
  ui.input.style.height = `${Math.min(ui.input.scrollHeight, 140)}px`;
}

async function start() {
  bind();
  const data = await api("/api/personas");
  session.bot = data.bot;
  session.personas = data.personas;
  ui.botName.textContent = `${data.bot.first_name} · @${data.bot.username}`;
  document.title = `${data.bot.first_name} — sandbox`;
  renderPersonas();
  selectFromHash();
  window.addEventListener("hashchange", selectFromHash);
}

function selectFromHash() {
  const wanted = decodeURIComponent(location.hash.slice(1));
  const persona = session.personas.find((candidate) => candidate.key === wanted);
  if (persona && persona !== session.persona) selectPersona(persona);
}

document.addEventListener("DOMContentLoaded", start);
