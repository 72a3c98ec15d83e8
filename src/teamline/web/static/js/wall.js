// The wall re-reads its live table every few seconds: the figures come from the router's
// memory on the server, so this costs no database query per viewer. Its SLA list is re-read at
// once when the socket tells of an alert (the supervisor's team's cases, and those assigned to
// them), and every half minute for the other teams' cases, whose alerts this socket does not hear.
import { connect } from "./live.js";

const EVERY_MS = 3000;
const BREACHES_EVERY_MS = 30000;

async function refreshBreaches() {
  const current = document.getElementById("sla-breaches");
  if (!current) return;
  try {
    const answer = await fetch("/supervisor", { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!answer.ok || answer.redirected) return;
    const parsed = new DOMParser().parseFromString(await answer.text(), "text/html");
    const fresh = parsed.getElementById("sla-breaches");
    if (fresh) current.replaceWith(document.importNode(fresh, true));
  } catch (_) { /* the next alert or round tries again */ }
}

if (document.getElementById("sla-breaches")) {
  connect().on("sla_alert", refreshBreaches);
  setInterval(refreshBreaches, BREACHES_EVERY_MS);
}

async function refresh() {
  const current = document.getElementById("live");
  if (!current) return;
  try {
    const answer = await fetch("/supervisor/live", { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (answer.status === 401 || answer.redirected) { location.assign("/login"); return; }
    if (answer.ok) {
      const parsed = new DOMParser().parseFromString(await answer.text(), "text/html");
      const fresh = parsed.getElementById("live");
      if (fresh) current.replaceWith(document.importNode(fresh, true));
    }
  } catch (_) { /* the next round tries again */ }
  setTimeout(refresh, EVERY_MS);
}
setTimeout(refresh, EVERY_MS);
