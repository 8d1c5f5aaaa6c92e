// Compare runs: every run of the log folder, with its settings and last figures; the ticked ones
// overlaid (validation loss and accuracy by epoch, training loss where there is no validation)
// and their settings side by side. A run that is still training is followed: its progress.jsonl
// is read again every two seconds from where the last read ended.

import { getJson } from "./api.js";
import { color, LineChart } from "./charts.js";

const $ = (id) => document.getElementById(id);
const fmt = (v, digits = 4) => (v === null || v === undefined || !isFinite(v) ? "" : Number(v).toFixed(digits));

function flat(settings, prefix = "", out = {}) {
  for (const [k, v] of Object.entries(settings || {})) {
    if (v && typeof v === "object" && !Array.isArray(v)) flat(v, prefix + k + ".", out);
    else out[prefix + k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return out;
}

function model(s) {
  const c = s.config || s;
  return c.model || (c.hidden ? `MLP ${c.hidden.join("-")} ${c.activation || ""}` : "");
}

export class Compare {
  constructor() {
    this.selected = new Map();  // name → {offset, epochs, settings, complete}
    this.timer = null;
  }

  init() {
    $("refresh-runs").addEventListener("click", () => this.refresh());
    // The list again every five seconds while the tab is shown: new runs and their last figures.
    setInterval(() => {
      if ($("compare").classList.contains("active")) this.refresh().catch(() => {});
    }, 5000);
    this.loss = new LineChart($("compare-loss"), [], { title: "Validation loss (training loss without validation)", xLabel: "epoch", yLabel: "loss", log: true });
    this.acc = new LineChart($("compare-accuracy"), [], { title: "Validation accuracy", xLabel: "epoch", yLabel: "accuracy" });
  }

  async refresh() {
    const { logdir, runs } = await getJson("/api/logdir");
    this.runs = runs;
    $("logdir").textContent = `${runs.length} runs in ${logdir}/`;
    const body = $("runs-table").querySelector("tbody");
    body.innerHTML = "";
    for (const run of runs) {
      const s = run.settings || {};
      const c = s.config || s;
      const last = run.last || {};
      const tr = document.createElement("tr");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.run = run.name;
      box.checked = this.selected.has(run.name);
      box.addEventListener("change", () => this.toggle(run.name, box.checked));
      const cells = [run.name, s.data || "", model(s), c.optimizer ? c.optimizer.name || c.optimizer : "",
        c.optimizer && c.optimizer.lr !== undefined ? c.optimizer.lr : s.lr || "", run.epochs,
        fmt(last.train_loss), fmt(last.val_accuracy), run.test && run.test.accuracy !== undefined ? fmt(run.test.accuracy) : "",
        run.error ? run.error : run.live ? "training…" : ""];
      const first = document.createElement("td");
      first.append(box);
      tr.append(first);
      cells.forEach((text, i) => {
        const td = document.createElement("td");
        td.textContent = text;
        if (i === cells.length - 1 && run.live) td.className = "live";
        tr.append(td);
      });
      body.append(tr);
    }
  }

  async toggle(name, on) {
    if (on) this.selected.set(name, { offset: 0, epochs: [], settings: null, complete: false });
    else this.selected.delete(name);
    await this.poll();
    if (!this.timer) this.timer = setInterval(() => this.poll(), 2000);
  }

  async poll() {
    for (const [name, run] of this.selected) {
      if (run.complete) continue;
      const r = await getJson(`/api/logdir/progress?name=${encodeURIComponent(name)}&offset=${Math.max(0, run.offset)}`);
      for (const line of r.lines) {
        if (line.settings) run.settings = line.settings;
        if (line.epoch !== undefined) run.epochs.push(line);
      }
      run.offset = r.offset;
      run.complete = r.complete || r.offset < 0;
    }
    // How many epochs of each ticked run are drawn (for tests and the curious).
    $("compare").dataset.epochs = JSON.stringify(Object.fromEntries([...this.selected].map(([n, r]) => [n, r.epochs.length])));
    this.draw();
  }

  draw() {
    const names = [...this.selected.keys()];
    const series = names.map((n, i) => ({ label: n, color: color(i) }));
    this.loss.reset(series);
    this.acc.reset(series);
    names.forEach((n, i) => {
      for (const e of this.selected.get(n).epochs) {
        this.loss.add(i, e.epoch, e.val_loss !== null ? e.val_loss : e.train_loss);
        this.acc.add(i, e.epoch, e.val_accuracy);
      }
    });
    const flats = names.map((n) => flat(this.selected.get(n).settings));
    const keys = [...new Set(flats.flatMap((f) => Object.keys(f)))].sort();
    const table = $("settings-table");
    table.innerHTML = "";
    if (!names.length) return;
    const head = document.createElement("tr");
    head.innerHTML = "<th>setting</th>" + names.map((n) => `<th>${n}</th>`).join("");
    table.append(head);
    for (const k of keys) {
      const values = flats.map((f) => f[k] ?? "");
      const differ = new Set(values).size > 1;
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.textContent = k;
      tr.append(th);
      for (const v of values) {
        const td = document.createElement("td");
        td.textContent = v;
        if (differ) td.style.background = "#fff4d6";
        tr.append(td);
      }
      table.append(tr);
    }
  }
}
