// The classic experiments, run by the server part by part: each card states its lesson, and its
// chart fills in as the parts arrive ("result" events).

import { followFeed, getJson, postJson } from "./api.js";
import { color, LineChart } from "./charts.js";
import { drawPaths, drawTrials } from "./experiment_charts.js";

const controls = {
  "optimizer-paths": `<label>Surface <select data-param="surface"><option>bowl</option><option>saddle</option></select></label>
    <span class="muted">click the contour plot to start from there</span>`,
  search: `<label>Trials <input data-param="trials" type="number" min="1" max="200" value="30"></label>`,
  "activation-histograms": `<label>Activation <select data-param="activation"><option>sigmoid</option><option>tanh</option>
    <option>relu</option></select></label>`,
};

function card(e) {
  const div = document.createElement("div");
  div.className = "experiment";
  div.id = "experiment-" + e.name;
  div.innerHTML = `<h2>${e.title}</h2><p class="lesson">${e.lesson}</p>
    <div class="buttons">${controls[e.name] || ""}<button class="primary run">Run</button><span class="state muted"></span></div>
    <div class="charts"></div>`;
  return div;
}

function histogramCanvas(layer, label) {
  const figure = document.createElement("figure");
  const canvas = document.createElement("canvas");
  canvas.width = 110;
  canvas.height = 60;
  const ctx = canvas.getContext("2d");
  const top = Math.max(1, ...layer.counts);
  const bw = canvas.width / layer.counts.length;
  ctx.fillStyle = color(1);
  layer.counts.forEach((c, b) => {
    const h = (c / top) * (canvas.height - 2);
    ctx.fillRect(b * bw, canvas.height - h, Math.max(1, bw - 1), h);
  });
  figure.append(canvas, document.createElement("br"), document.createTextNode(label));
  figure.style.margin = "0";
  figure.style.fontSize = "11px";
  figure.style.textAlign = "center";
  return figure;
}

function smallChart(parent, title, series, yLabel, log) {
  const div = document.createElement("div");
  div.style.width = "330px";
  parent.append(div);
  return new LineChart(div, series, { title, xLabel: "epoch", yLabel, log });
}

export class Experiments {
  constructor() {
    this.unfollow = null;
  }

  async init() {
    const { experiments } = await getJson("/api/experiments");
    const list = document.getElementById("experiment-list");
    list.innerHTML = "";
    for (const e of experiments) {
      const div = card(e);
      list.append(div);
      div.querySelector(".run").addEventListener("click", () => this.run(e.name, div, {}));
    }
  }

  params(div, extra) {
    const params = { ...extra };
    div.querySelectorAll("[data-param]").forEach((el) => { params[el.dataset.param] = el.type === "number" ? Number(el.value) : el.value; });
    return params;
  }

  async run(name, div, extra) {
    if (this.unfollow) this.unfollow();
    const charts = div.querySelector(".charts");
    const state = div.querySelector(".state");
    state.textContent = "running…";
    div.dataset.results = "0";
    div.dataset.done = "";
    let id;
    try {
      ({ id } = await postJson("/api/experiments", { name, params: this.params(div, extra) }));
    } catch (e) {
      state.textContent = e.message;
      return;
    }
    charts.innerHTML = "";
    const view = { header: null, results: [], charts };
    this.unfollow = followFeed("/api/experiments/" + encodeURIComponent(id) + "/events", {
      experiment: (h) => {
        view.header = h;
        this.begin(name, view, div);
      },
      result: (r) => {
        view.results.push(r);
        div.dataset.results = String(view.results.length);
        this.add(name, view, r);
      },
      done: (d) => {
        state.textContent = d.outcome === "done" ? "done" : d.outcome + (d.error ? ": " + d.error : "");
        div.dataset.done = d.outcome;
      },
    });
  }

  begin(name, view, div) {
    const h = view.header;
    if (name === "optimizer-paths") {
      const canvas = document.createElement("canvas");
      canvas.width = 560;
      canvas.height = 300;
      canvas.className = "paths";
      canvas.title = "click to start the optimizers from here";
      view.canvas = canvas;
      view.charts.append(canvas);
      canvas.addEventListener("click", (event) => {
        const r = canvas.getBoundingClientRect();
        const [x0, x1, y0, y1] = h.box;
        const x = x0 + ((event.clientX - r.left) / r.width) * (x1 - x0);
        const y = y1 - ((event.clientY - r.top) / r.height) * (y1 - y0);
        this.run(name, div, { x: Number(x.toFixed(2)), y: Number(y.toFixed(2)) });
      });
      drawPaths(canvas, h, []);
    } else if (name === "activation-histograms") {
      view.grid = document.createElement("div");
      view.charts.append(view.grid);
    } else if (name === "search") {
      view.canvas = document.createElement("canvas");
      view.canvas.width = 520;
      view.canvas.height = 260;
      view.text = document.createElement("p");
      view.charts.append(view.canvas, view.text);
      drawTrials(view.canvas, []);
    } else if (name === "optimizers-mnist" || name === "inits-mnist") {
      view.holder = document.createElement("div");
      view.holder.style.width = "640px";
      view.text = document.createElement("p");
      view.charts.append(view.holder, view.text);
    } else if (name === "early-stopping") {
      view.text = document.createElement("p");
      view.chart = smallChart(view.charts, "Loss by epoch", [{ label: "train", color: color(0) },
        { label: "validation", color: color(1) }], "loss", true);
      view.charts.append(view.text);
    }
  }

  add(name, view, r) {
    if (name === "optimizer-paths") {
      drawPaths(view.canvas, view.header, view.results);
    } else if (name === "activation-histograms") {
      const row = document.createElement("div");
      row.style.display = "flex";
      row.style.gap = "6px";
      row.style.alignItems = "center";
      const label = document.createElement("strong");
      label.textContent = r.init;
      label.style.width = "70px";
      row.append(label);
      r.layers.forEach((layer, i) => row.append(histogramCanvas(layer, `layer ${i + 1}, std ${layer.std.toFixed(2)}`)));
      view.grid.append(row);
    } else if (name === "search") {
      drawTrials(view.canvas, view.results);
      const best = view.results.filter((t) => t.score !== null).sort((a, b) => b.score - a.score)[0];
      view.text.textContent = `${view.results.length} of ${view.header.trials} trials (${view.header.epochs} epochs each` +
        ` on the spirals; colour: weight decay, pale 1e-6 to dark 1e-1)` + (best ? `; best: lr ${best.lr.toPrecision(2)}, ` +
        `weight decay ${best.weight_decay.toPrecision(2)}, validation accuracy ${(100 * best.score).toFixed(1)}%` : "");
    } else if (name === "optimizers-mnist" || name === "inits-mnist") {
      // Redrawn with every run that arrives: one curve each, on the same iterations.
      const series = view.results.map((res, i) => ({ label: res.label, color: color(i) }));
      if (!view.chart) view.chart = new LineChart(view.holder, series, { title: "Training loss (smoothed)", xLabel: "iteration", yLabel: "loss", log: true });
      else view.chart.reset(series);
      view.results.forEach((res, i) => res.loss.forEach((v, k) => view.chart.add(i, k * res.every, v)));
      view.text.textContent = view.results.map((res) => `${res.label}: test accuracy ${(100 * res.test_accuracy).toFixed(1)}%` +
        (res.failure ? ` (${res.failure})` : "")).join(" · ");
    } else if (name === "batchnorm") {
      const chart = smallChart(view.charts, `weights N(0, ${r.std}²)`, [{ label: "without BatchNorm", color: color(0) },
        { label: "with BatchNorm", color: color(1) }], "train accuracy");
      r.plain.forEach((v, i) => chart.add(0, i + 1, v));
      r.batchnorm.forEach((v, i) => chart.add(1, i + 1, v));
    } else if (name === "overfitting") {
      const chart = smallChart(view.charts, `${r.label}: gap ${(100 * r.gap).toFixed(0)} points`,
        [{ label: "train", color: color(0) }, { label: "test", color: color(1) }], "accuracy");
      r.train_accuracy.forEach((v, i) => chart.add(0, i + 1, v));
      r.test_accuracy.forEach((v, i) => chart.add(1, i + 1, v));
    } else if (name === "early-stopping") {
      r.train_loss.forEach((v, i) => view.chart.add(0, i + 1, v));
      r.val_loss.forEach((v, i) => view.chart.add(1, i + 1, v));
      view.text.textContent = `Lowest validation loss at epoch ${r.best_epoch}; early stopping ended training after epoch ` +
        `${r.stopped_epoch} and restored those weights: test accuracy ${(100 * r.restored_test_accuracy).toFixed(1)}%, ` +
        `against ${(100 * r.final_test_accuracy).toFixed(1)}% after all ${r.val_loss.length} epochs.`;
    }
  }
}
