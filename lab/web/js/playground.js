// The playground: settings, Start / Pause / Step / Stop / Reset, and the run drawn live.

import { follow, getJson, postJson } from "./api.js";
import { BoundaryMap } from "./boundary.js";
import { color, LineChart } from "./charts.js";
import { addWarning, drawConfusion, drawFilters, drawGradNorms, drawHistograms, drawWorst } from "./layers.js";

const $ = (id) => document.getElementById(id);

function fill(select, values, chosen) {
  select.innerHTML = "";
  for (const v of values) {
    const option = document.createElement("option");
    option.value = v;
    option.textContent = v;
    select.append(option);
  }
  if (chosen !== undefined) select.value = chosen;
}

function number(id, field) {
  const value = Number($(id).value);
  if ($(id).value.trim() === "" || !isFinite(value)) throw new Error(`${field}: must be a number, got '${$(id).value}'`);
  return value;
}

export class Playground {
  constructor() {
    this.run = null;       // id of the run shown
    this.unfollow = null;
    this.state = "idle";   // idle, running, paused, finished
    this.map = new BoundaryMap($("boundary"));
    this.loss = new LineChart($("loss-chart"), this.lossSeries(), { title: "Loss", xLabel: "step", yLabel: "loss", log: true });
    this.accuracy = new LineChart($("accuracy-chart"), this.accuracySeries(),
      { title: "Accuracy", xLabel: "step", yLabel: "accuracy" });
    this.startedAt = 0;
  }

  lossSeries() {
    return [{ label: "train (steps)", color: "#9fb3c8", width: 1 }, { label: "train (epoch)", color: color(0), points: true },
      { label: "validation", color: color(1), points: true }];
  }

  accuracySeries() {
    return [{ label: "train", color: color(0), points: true }, { label: "validation", color: color(1), points: true }];
  }

  async init() {
    const o = await getJson("/api/options");
    this.options = o;
    const d = o.defaults, c = d.config;
    const data = $("data");
    data.innerHTML = "";
    const groups = [["2-D toys", o.datasets.toys], ["Images", o.datasets.images], ["Tables", o.datasets.tables],
      ["Regression", o.regression], ["Your own", ["CSV file…"]]];
    for (const [label, names] of groups) {
      const group = document.createElement("optgroup");
      group.label = label;
      for (const n of names) group.append(new Option(n, n));
      data.append(group);
    }
    data.value = d.data;
    fill($("activation"), o.activations, c.activation);
    fill($("init"), o.inits, c.init);
    fill($("optimizer"), o.optimizers, c.optimizer.name);
    fill($("schedule"), o.schedules, c.schedule);
    $("hidden").value = c.hidden.join(",");
    $("lr").value = c.optimizer.lr;
    $("batch_size").value = c.batch_size;
    $("epochs").value = c.epochs;
    $("noise").value = d.noise;
    $("points").value = d.points;
    data.addEventListener("change", () => this.dataChanged());
    $("start").addEventListener("click", () => this.start());
    $("pause").addEventListener("click", () => this.togglePause());
    $("step").addEventListener("click", () => this.control({ action: "step" }));
    $("stop").addEventListener("click", () => this.control({ action: "stop" }));
    $("reset").addEventListener("click", () => this.reset());
    this.listRuns();
    setInterval(() => this.listRuns(), 3000);
    $("live-lr").addEventListener("change", () => this.control({ lr: Number($("live-lr").value) }));
    $("pace").addEventListener("change", () => {
      if (this.state === "running" || this.state === "paused") this.control({ pace: Number($("pace").value) });
    });
  }

  // The runs of this lab that are still training (started in this tab, another, or one closed):
  // each may be watched from its start or stopped.
  async listRuns() {
    let runs = [];
    try {
      ({ runs } = await getJson("/api/runs"));
    } catch (e) {
      return;
    }
    const live = runs.filter((r) => r.status === "running" || r.status === "paused");
    const box = $("lab-runs");
    box.hidden = live.length === 0;
    const list = box.querySelector("ul");
    list.innerHTML = "";
    for (const r of live) {
      const item = document.createElement("li");
      item.dataset.run = r.id;
      const label = document.createElement("span");
      label.textContent = `${r.id.replace(/^lab-\d+-/, "")} ${r.data} · ${r.spec} · ${r.status}`;
      label.title = r.id;
      const watch = document.createElement("button");
      watch.textContent = r.id === this.run ? "shown" : "Watch";
      watch.className = "watch";
      watch.disabled = r.id === this.run;
      watch.addEventListener("click", () => {
        this.clearView();
        this.show(r.id);
        this.listRuns();
      });
      const stop = document.createElement("button");
      stop.textContent = "Stop";
      stop.className = "stop";
      stop.addEventListener("click", async () => {
        await postJson("/api/runs/" + encodeURIComponent(r.id) + "/control", { action: "stop" }).catch(() => {});
        this.listRuns();
      });
      item.append(label, watch, stop);
      list.append(item);
    }
  }

  dataChanged() {
    const v = $("data").value;
    $("csv-row").hidden = v !== "CSV file…";
    const toy = this.options.datasets.toys.includes(v);
    document.querySelectorAll(".toy-only").forEach((e) => { e.hidden = !toy; });
    if (v === "mnist" || v === "fashion-mnist") {
      $("hidden").value = "100";
      $("activation").value = "relu";
      $("lr").value = 0.001;
      $("batch_size").value = 64;
      $("epochs").value = 5;
    }
  }

  settings() {
    let data = $("data").value;
    if (data === "CSV file…") data = $("csv").value.trim();
    const hidden = $("hidden").value.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
    if (hidden.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new Error(`hidden layers: must be widths like 16,16, got '${$("hidden").value}'`);
    }
    const config = {
      hidden, activation: $("activation").value, init: $("init").value, dropout: number("dropout", "dropout"),
      model: $("spec").value.trim(),
      optimizer: { name: $("optimizer").value, lr: number("lr", "learning rate") },
      schedule: $("schedule").value, weight_decay: number("weight_decay", "weight decay"),
      batch_size: number("batch_size", "batch size"), epochs: number("epochs", "epochs"), seed: number("seed", "seed"),
    };
    return { data, pace: Number($("pace").value), noise: number("noise", "noise"), points: number("points", "points"), batchnorm: $("batchnorm").checked,
      residual: $("residual").checked, config };
  }

  message(text) {
    $("message").textContent = text || "";
  }

  async start() {
    this.message("");
    let settings;
    try {
      settings = this.settings();
    } catch (e) {
      return this.message(e.message);
    }
    this.clearView();
    $("run-status").textContent = "Loading the data and building the model…";
    try {
      const { id } = await postJson("/api/runs", settings);
      this.show(id);
    } catch (e) {
      $("run-status").textContent = "Not started.";
      this.message(e.message);
    }
  }

  clearView() {
    if (this.unfollow) this.unfollow();
    this.unfollow = null;
    this.map.clear();
    document.querySelector("figure.map").hidden = false;
    this.loss.reset(this.lossSeries());
    this.accuracy.reset(this.accuracySeries());
    $("histograms").innerHTML = "";
    $("warnings").innerHTML = "<li class='muted'>none</li>";
    drawGradNorms($("grad-norms"), []);
    $("test-view").hidden = true;
    for (const key of ["firstLoss", "lastLoss", "valAccuracy", "runDone"]) delete document.body.dataset[key];
  }

  // Follows run `id` from its first event (a tab opened later draws the whole run too).
  show(id) {
    this.run = id;
    this.setState("running");
    this.startedAt = performance.now();
    this.unfollow = follow(id, {
      start: (e) => {
        this.classes = e.classes;
        $("run-status").textContent = `${e.data} · ${e.spec} (${e.parameters} parameters) · ${e.schedule}`;
        this.describe = $("run-status").textContent;
        $("map-caption").textContent = e.points ? "The decision boundary: the model's class over the plane, with the training points." :
          "No map: the data is not 2-D.";
        this.map.setPoints(e.points || []);
        document.querySelector("figure.map").hidden = !e.points;
        $("live-lr").value = e.settings.config.optimizer.lr;
      },
      step: (e) => {
        this.loss.add(0, e.step, e.loss);
        // For tests and for the curious: the run's figures as data attributes.
        if (!document.body.dataset.firstLoss) document.body.dataset.firstLoss = e.loss;
        document.body.dataset.lastLoss = e.loss;
        this.lastStep = e;
        $("run-status").textContent = `${this.describe} · epoch ${e.epoch}, step ${e.step}, loss ${e.loss.toFixed(4)}`;
        if (document.activeElement !== $("live-lr")) $("live-lr").value = Number(e.lr.toPrecision(4));
      },
      epoch: (e) => {
        this.loss.add(1, e.steps, e.train_loss);
        this.loss.add(2, e.steps, e.val_loss);
        this.accuracy.add(0, e.steps, e.train_accuracy);
        this.accuracy.add(1, e.steps, e.val_accuracy);
        document.body.dataset.valAccuracy = e.val_accuracy;
      },
      boundary: (e) => this.map.setMap(e),
      layers: (e) => {
        drawGradNorms($("grad-norms"), e.parameters);
        drawHistograms($("histograms"), e.histograms);
        $("filters-box").hidden = !e.filters;
        drawFilters($("filters"), e.filters);
      },
      warning: (w) => addWarning($("warnings"), w),
      status: (s) => this.setState(s.state),
      confusion: (c) => {
        $("test-view").hidden = false;
        drawConfusion($("confusion"), c);
      },
      worst: (w) => drawWorst($("worst"), w, this.classes),
      done: (d) => {
        this.setState("finished");
        const test = d.test && d.test.accuracy !== undefined ? `test accuracy ${(100 * d.test.accuracy).toFixed(1)}%` :
          d.test && d.test.r2 !== undefined ? `test R² ${d.test.r2.toFixed(3)}` : "";
        $("run-status").textContent = `${this.describe || ""} · ${d.outcome}: ${d.stop_reason}${test ? " · " + test : ""}`;
        if (d.error) this.message(d.error);
        document.body.dataset.runDone = this.run;
        this.listRuns();
      },
      lost: () => this.message("The connection to the lab was lost (is nnlab lab still running?)"),
    });
  }

  setState(state) {
    this.state = state;
    const live = state === "running" || state === "paused";
    $("pause").disabled = !live;
    $("step").disabled = !live;
    $("stop").disabled = !live;
    $("live-lr").disabled = !live;
    $("pause").textContent = state === "paused" ? "Resume" : "Pause";
    document.body.dataset.runState = state;
  }

  async togglePause() {
    // The target is chosen before the request: the run's own "status" event may arrive first.
    const target = this.state === "paused" ? "running" : "paused";
    this.setState(target);
    await this.control({ action: target === "paused" ? "pause" : "resume" });
  }

  async control(body) {
    if (!this.run) return;
    try {
      await postJson("/api/runs/" + encodeURIComponent(this.run) + "/control", body);
      this.message("");
    } catch (e) {
      this.message(e.message);
    }
  }

  async reset() {
    if (this.run && (this.state === "running" || this.state === "paused")) await this.control({ action: "stop" });
    this.clearView();
    this.run = null;
    this.setState("idle");
    $("run-status").textContent = "No run yet: choose the settings and press Start.";
    this.message("");
  }
}
