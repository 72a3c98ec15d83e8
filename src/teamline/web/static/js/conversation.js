// The agent's conversation page: the live thread, and hold/mute toggles that fill the marker
// form with seconds since the call was taken and post it when the hold or mute ends.
import { liveThread } from "./thread.js";

const list = document.getElementById("thread");
liveThread({ customer: list?.dataset.labelCustomer || "Customer", agent: list?.dataset.labelAgent || "Agent" });

const markers = document.querySelector("form.markers");
if (markers) {
  const since = Date.parse(markers.dataset.since);
  const seconds = () => Math.max(0, Math.floor((Date.now() - since) / 1000));
  for (const toggle of markers.querySelectorAll("button.toggle")) {
    toggle.addEventListener("click", () => {
      if (!toggle.dataset.from) {
        toggle.dataset.from = String(seconds());
        toggle.setAttribute("aria-pressed", "true");
        return;
      }
      markers.elements.kind.value = toggle.dataset.kind;
      markers.elements.start.value = toggle.dataset.from;
      markers.elements.end.value = String(Math.max(seconds(), Number(toggle.dataset.from) + 1));
      markers.requestSubmit();
    });
  }
}
