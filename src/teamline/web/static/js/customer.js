import { liveThread } from "./thread.js";

const list = document.getElementById("thread");
liveThread({ customer: list?.dataset.labelCustomer || "You", agent: list?.dataset.labelAgent || "Team" });
