// A message thread kept live: subscribe from the newest shown seq, append what arrives (as
// text: a message is never parsed as HTML), and send the form over the socket when it is open
// (the form posts normally otherwise).
import { connect } from "./live.js";

function timeText(iso) {
  const at = new Date(iso);
  return at.toLocaleString(document.documentElement.lang, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
}

export function liveThread(names) {
  const list = document.getElementById("thread");
  const form = document.getElementById("send-form");
  const body = document.getElementById("message-body");
  const internal = document.getElementById("internal");
  if (!list || !form || !body) return null;
  let conversation = list.dataset.conversation || null;
  let lastSeq = Number(list.dataset.lastSeq || 0);
  let counter = 0;
  list.scrollTop = list.scrollHeight;  // the newest messages are at the bottom

  function append(frame) {
    if (frame.conversation_id !== conversation || frame.seq <= lastSeq) return;
    lastSeq = frame.seq;
    const item = document.createElement("li");
    item.className = `msg ${frame.author_kind}${frame.internal ? " internal" : ""}`;
    item.dataset.seq = String(frame.seq);
    const meta = document.createElement("span");
    meta.className = "meta";
    const time = document.createElement("time");
    time.dateTime = frame.created_at;
    time.textContent = timeText(frame.created_at);
    meta.append(`${names[frame.author_id] || names[frame.author_kind] || frame.author_kind} · `, time);
    const text = document.createElement("p");
    text.className = "body";
    text.textContent = frame.body;
    item.append(meta, text);
    list.append(item);
    list.scrollTop = list.scrollHeight;
  }

  const live = connect(() => {
    if (conversation) live.send({ type: "subscribe", conversation_id: conversation, last_seq: lastSeq });
  });
  live.on("message", append);
  live.on("sent", (frame) => {
    if (!conversation) {
      conversation = frame.conversation_id;
      list.dataset.conversation = conversation;
      live.send({ type: "subscribe", conversation_id: conversation, last_seq: lastSeq });
    }
  });
  live.on("error", (frame) => {
    if (frame.ref === "send") {
      form.dataset.error = frame.detail;
      form.querySelector(".send-error")?.remove();
      const problem = document.createElement("p");
      problem.className = "error send-error";
      problem.textContent = frame.detail;
      form.append(problem);
    }
  });

  form.addEventListener("submit", (event) => {
    const text = body.value.trim();
    if (!text || document.body.dataset.live !== "on") return;  // let the form post
    const frame = { type: "send", body: text, client_id: `c${Date.now()}-${counter++}` };
    if (conversation) frame.conversation_id = conversation;
    if (internal && internal.checked) frame.internal = true;
    if (live.send(frame)) {
      event.preventDefault();
      body.value = "";
      form.querySelector(".send-error")?.remove();
    }
  });
  body.addEventListener("keydown", (event) => {  // Ctrl+Enter sends: hands stay on the keys
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  return live;
}
