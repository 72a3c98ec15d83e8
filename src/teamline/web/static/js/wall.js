// The wall re-reads its live table every few seconds: the figures come from the router's
// memory on the server, so this costs no database query per viewer.
const EVERY_MS = 3000;

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
