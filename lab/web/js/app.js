// nnlab lab's page: three tabs over one server.

import { Compare } from "./compare.js";
import { Experiments } from "./experiments.js";
import { Playground } from "./playground.js";

const playground = new Playground();
const compare = new Compare();
const experiments = new Experiments();

for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => {
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
    document.querySelectorAll(".page").forEach((p) => p.classList.toggle("active", p.id === tab.dataset.tab));
    if (tab.dataset.tab === "compare") compare.refresh();
  });
}

async function main() {
  try {
    await playground.init();
    document.getElementById("server-state").textContent = "connected";
    document.body.dataset.ready = "1";
  } catch (e) {
    document.getElementById("server-state").textContent = "no connection: " + e.message;
  }
  compare.init();
  experiments.init();
}

main();
