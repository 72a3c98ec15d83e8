// The page's one WebSocket to /api/v1/live (signed in by the session cookie; the server checks
// the Origin). Reconnects with a growing pause; each handler sees every frame of its type.
export function connect(onOpen) {
  const handlers = new Map();
  let socket = null;
  let pause = 500;
  const status = document.getElementById("live-state");
  const say = (text) => { if (status) status.textContent = text; };

  function open() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}/api/v1/live`);
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "hello") {
        pause = 500;
        document.body.dataset.live = "on";
        say("Live");
        if (onOpen) onOpen(frame);
      }
      for (const handler of handlers.get(frame.type) || []) handler(frame);
    });
    socket.addEventListener("close", (event) => {
      document.body.dataset.live = "off";
      if (event.code === 1008) { say(event.reason || "Signed out"); return; }  // policy: stop
      say("Reconnecting…");
      setTimeout(open, pause);
      pause = Math.min(pause * 2, 15000);
    });
  }
  open();
  return {
    on(type, handler) {
      if (!handlers.has(type)) handlers.set(type, []);
      handlers.get(type).push(handler);
    },
    send(frame) {
      if (!socket || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
  };
}
