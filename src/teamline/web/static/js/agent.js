// The desk's live offers: each with its countdown, accepted (A) or rejected (R) over the socket.
// Accepting opens the conversation with the customer. SLA alerts of the agent's cases are listed.
import { connect } from "./live.js";

const list = document.getElementById("offers");
const template = document.getElementById("offer-template");
const seconds = Number(list?.dataset.offerSeconds || 15);
const offers = new Map();

function remove(contactId) {
  const entry = offers.get(contactId);
  if (!entry) return;
  clearInterval(entry.timer);
  entry.item.remove();
  offers.delete(contactId);
}

if (list && template) {
  const live = connect();
  live.on("offer", (frame) => {
    if (offers.has(frame.contact_id)) return;
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.contact = frame.contact_id;
    item.dataset.customer = frame.customer_id || "";
    item.querySelector(".what").textContent =
      `${frame.channel || "contact"} · ${frame.customer_id || ""} · ${frame.contact_id}`;
    item.querySelector(".reasons").textContent = (frame.reasons || []).join("; ");
    const countdown = item.querySelector(".countdown");
    const deadline = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      countdown.textContent = `${left} s`;
      if (left <= 5) countdown.classList.add("late");
    };
    tick();
    const timer = setInterval(tick, 250);
    item.querySelector(".accept").addEventListener("click", () => {
      live.send({ type: "accept", contact_id: frame.contact_id });
    });
    item.querySelector(".reject").addEventListener("click", () => {
      live.send({ type: "reject", contact_id: frame.contact_id });
    });
    list.append(item);
    offers.set(frame.contact_id, { item, timer, customer: frame.customer_id });
    item.querySelector(".accept").focus();
  });
  live.on("offer_withdrawn", (frame) => remove(frame.contact_id));
  live.on("accepted", (frame) => {
    const entry = offers.get(frame.contact_id);
    remove(frame.contact_id);
    if (entry && entry.customer) {
      location.assign(`/agent/customers/${encodeURIComponent(entry.customer)}?contact=${encodeURIComponent(frame.contact_id)}`);
    }
  });
  live.on("rejected", (frame) => remove(frame.contact_id));
  // a case held by the agent's team (or by the agent) is about to miss, or missed, a deadline
  const alerts = document.getElementById("sla-alerts");
  live.on("sla_alert", (frame) => {
    if (!alerts) return;
    document.getElementById("no-alerts")?.remove();
    const item = document.createElement("li");
    item.className = frame.alert === "breach" ? "late" : "warning";
    const link = document.createElement("a");
    link.href = `/agent/customers/${encodeURIComponent(frame.customer_id)}`;
    link.textContent = frame.case_id;
    const clock = String(frame.clock).replaceAll("_", " ");
    const due = frame.due_at ? `, due ${new Date(frame.due_at).toLocaleString()}` : "";
    item.append(link, ` · ${clock} ${frame.alert === "breach" ? "missed" : "due soon"}${due}`);
    alerts.prepend(item);
  });
  live.on("error", (frame) => {
    if (frame.ref === "accept" || frame.ref === "reject") {
      const state = document.getElementById("live-state");
      if (state) state.textContent = frame.detail;
    }
  });
}
