// Inside the network while it trains: the gradient norm of every layer (the vanishing-gradient
// picture), a histogram of every activation layer's outputs, the monitor's warnings; after
// training on images, the confusion matrix and the worst-classified test images.

import { color } from "./charts.js";

// One bar per weight matrix, on a log scale: how strongly each layer learns. Bars that shrink
// towards the input are the vanishing-gradient picture.
export function drawGradNorms(canvas, parameters) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const rows = (parameters || []).filter((p) => p.grad_norm !== null && p.grad_norm > 0);
  if (!rows.length) return;
  const logs = rows.map((p) => Math.log10(p.grad_norm));
  const lo = Math.min(-4, Math.floor(Math.min(...logs))), hi = Math.max(0, Math.ceil(Math.max(...logs)));
  const bar = Math.min(40, (w - 50) / rows.length - 8);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#7b8794";
  ctx.fillText(`1e${hi}`, 0, 12);
  ctx.fillText(`1e${lo}`, 0, h - 30);
  rows.forEach((p, i) => {
    const x = 46 + i * (bar + 8);
    const top = ((hi - logs[i]) / (hi - lo)) * (h - 40);
    ctx.fillStyle = color(0);
    ctx.fillRect(x, 4 + top, bar, h - 40 - top);
    ctx.fillStyle = "#52606d";
    ctx.fillText(`layer ${i + 1}`, x, h - 20);
    ctx.fillText(p.sizes || "", x, h - 6);
  });
}

export function drawHistograms(element, histograms) {
  if (element.children.length !== histograms.length) {
    element.innerHTML = "";
    for (const hgram of histograms) {
      const figure = document.createElement("figure");
      const canvas = document.createElement("canvas");
      canvas.width = 120;
      canvas.height = 70;
      figure.append(canvas, document.createTextNode(`${hgram.name} ${hgram.type}`));
      element.append(figure);
    }
  }
  histograms.forEach((hgram, i) => {
    const canvas = element.children[i].querySelector("canvas");
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const top = Math.max(1, ...hgram.counts);
    const bw = canvas.width / hgram.counts.length;
    ctx.fillStyle = color(1);
    hgram.counts.forEach((c, b) => {
      const bh = (c / top) * (canvas.height - 12);
      ctx.fillRect(b * bw, canvas.height - 12 - bh, Math.max(1, bw - 1), bh);
    });
    ctx.fillStyle = "#7b8794";
    ctx.font = "9px system-ui, sans-serif";
    ctx.fillText(Number(hgram.lo).toPrecision(2), 0, canvas.height - 2);
    const hiText = Number(hgram.hi).toPrecision(2);
    ctx.fillText(hiText, canvas.width - 6 * hiText.length, canvas.height - 2);
  });
}

export function addWarning(list, warning) {
  if (list.querySelector(".muted")) list.innerHTML = "";
  const item = document.createElement("li");
  item.textContent = (warning.step ? `step ${warning.step}: ` : "") + warning.message;
  list.append(item);
}

export function drawConfusion(element, confusion) {
  const k = confusion.classes.length;
  const top = Math.max(1, ...confusion.matrix.flat());
  let html = "<table class='confusion'><tr><th></th>";
  for (let j = 0; j < k; j++) html += `<th>${confusion.classes[j]}</th>`;
  html += "</tr>";
  for (let i = 0; i < k; i++) {
    html += `<tr><th>${confusion.classes[i]}</th>`;
    for (let j = 0; j < k; j++) {
      const v = confusion.matrix[i][j];
      const a = (v / top) * 0.85;
      const bg = i === j ? `rgba(43,123,185,${a})` : `rgba(232,116,59,${a})`;
      html += `<td style="background:${bg};color:${a > 0.5 ? "#fff" : "#1f2933"}">${v}</td>`;
    }
    html += "</tr>";
  }
  element.innerHTML = html + "</table>";
}

export function drawWorst(element, worst, classes) {
  element.innerHTML = "";
  for (const item of worst.items) {
    if (!item.pixels) continue;
    const figure = document.createElement("figure");
    const canvas = document.createElement("canvas");
    canvas.width = item.width;
    canvas.height = item.height;
    canvas.style.width = "56px";
    canvas.style.imageRendering = "pixelated";
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(item.width, item.height);
    item.pixels.forEach((v, p) => {
      image.data.set([255 - v, 255 - v, 255 - v, 255], 4 * p);
    });
    ctx.putImageData(image, 0, 0);
    const name = (c) => (classes && classes[c]) || String(c);
    figure.append(canvas, document.createElement("br"),
      document.createTextNode(`${name(item.label)} → ${name(item.predicted)} ${(100 * item.confidence).toFixed(0)}%`));
    element.append(figure);
  }
}

// A CNN's first-layer filters, each on its own grey scale, drawn large.
export function drawFilters(element, filters) {
  element.innerHTML = "";
  if (!filters) return;
  const { count, height, width, pixels } = filters;
  for (let f = 0; f < count; f++) {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = "28px";
    canvas.style.imageRendering = "pixelated";
    canvas.style.margin = "1px";
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(width, height);
    for (let p = 0; p < width * height; p++) {
      const v = pixels[f * width * height + p];
      image.data.set([v, v, v, 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
    element.append(canvas);
  }
}
