// The lab's API from the page: every request carries the token the page was opened with
// (nnlab lab --host prints a URL with ?token=...).

const token = new URLSearchParams(location.search).get("token") || "";

function withToken(path) {
  if (!token) return path;
  return path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

async function answer(response) {
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    body = { error: "the server answered HTTP " + response.status + " without JSON" };
  }
  if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
  return body;
}

export async function getJson(path) {
  return answer(await fetch(withToken(path)));
}

export async function postJson(path, body) {
  return answer(await fetch(withToken(path), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  }));
}

// Follows a feed of server-sent events at `path`: handlers[type](data) for each event; returns a
// function that stops following. A feed ends with a "done" event.
export function followFeed(path, handlers) {
  const source = new EventSource(withToken(path));
  const types = ["start", "step", "epoch", "boundary", "layers", "warning", "status", "confusion", "worst", "done",
    "experiment", "result"];
  for (const type of types) {
    source.addEventListener(type, (event) => {
      const handler = handlers[type];
      if (type === "done") source.close();
      if (handler) handler(JSON.parse(event.data));
    });
  }
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED && handlers.lost) handlers.lost();
  };
  return () => source.close();
}

// A run's feed: "start", "step", "epoch", ..., "done".
export function follow(runId, handlers) {
  return followFeed("/api/runs/" + encodeURIComponent(runId) + "/events", handlers);
}
