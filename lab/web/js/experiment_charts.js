// The optimizer-paths chart: the surface as shaded contours, and each optimizer's path over it.

import { color } from "./charts.js";

export function drawPaths(canvas, header, paths) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height;
  const n = header.resolution;
  const [x0, x1, y0, y1] = header.box;
  const cells = document.createElement("canvas");
  cells.width = n;
  cells.height = n;
  const cctx = cells.getContext("2d");
  const image = cctx.createImageData(n, n);
  const levels = header.levels.length ? header.levels : [0.1, 1, 10];
  const band = (v) => levels.filter((l) => v > l).length;
  const bands = header.f.map(band);
  const fmin = Math.min(...header.f);
  const logs = header.f.map((v) => Math.log(v - fmin + 1e-3));
  const lo = Math.min(...logs), hi = Math.max(...logs);
  for (let i = 0; i < n * n; i++) {
    const t = (logs[i] - lo) / (hi - lo || 1);
    // Darker with height; a faint contour line where the band changes to the right or below.
    const edge = (i % n < n - 1 && bands[i + 1] !== bands[i]) || (i + n < n * n && bands[i + n] !== bands[i]);
    const d = edge ? 28 : 0;
    image.data.set([250 - 120 * t - d, 252 - 85 * t - d, 255 - 40 * t - d, 255], 4 * i);
  }
  cctx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, w, h);
  const px = (x) => ((x - x0) / (x1 - x0)) * w, py = (y) => ((y1 - y) / (y1 - y0)) * h;
  ctx.fillStyle = "#1f2933";
  ctx.font = "12px system-ui, sans-serif";
  ctx.fillText(header.formula, 8, 16);
  ctx.beginPath();
  ctx.arc(px(0), py(0), 4, 0, 2 * Math.PI);
  ctx.fill();
  if (paths.length) {
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fillRect(4, h - 20 - 16 * paths.length, 190, 16 * paths.length + 14);
  }
  paths.forEach((p, k) => {
    ctx.strokeStyle = color(k);
    ctx.fillStyle = color(k);
    ctx.lineWidth = 2;
    ctx.beginPath();
    p.x.forEach((x, i) => (i ? ctx.lineTo(px(x), py(p.y[i])) : ctx.moveTo(px(x), py(p.y[i]))));
    ctx.stroke();
    p.x.forEach((x, i) => ctx.fillRect(px(x) - 1.5, py(p.y[i]) - 1.5, 3, 3));
    ctx.fillText(`${p.label}  (f = ${p.final_loss.toPrecision(2)})`, 8, h - 8 - 16 * (paths.length - 1 - k));
  });
  if (header.start) {
    ctx.strokeStyle = "#1f2933";
    ctx.lineWidth = 1.5;
    ctx.strokeRect(px(header.start[0]) - 5, py(header.start[1]) - 5, 10, 10);
  }
}

// The search's trials: validation accuracy against the learning rate (log scale), each point's
// colour its weight decay (pale: little, dark: much).
export function drawTrials(canvas, trials) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, left = 44, bottom = 28;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = "#e4e7eb";
  ctx.fillStyle = "#7b8794";
  ctx.font = "11px system-ui, sans-serif";
  const px = (lr) => left + ((Math.log10(lr) + 4) / 4) * (w - left - 10);
  const py = (score) => 8 + (1 - (score - 0.4) / 0.6) * (h - bottom - 8);
  for (let e = -4; e <= 0; e++) {
    ctx.beginPath();
    ctx.moveTo(px(10 ** e), 8);
    ctx.lineTo(px(10 ** e), h - bottom);
    ctx.stroke();
    ctx.fillText(`1e${e}`, px(10 ** e) - 10, h - bottom + 14);
  }
  for (const s of [0.4, 0.6, 0.8, 1.0]) {
    ctx.beginPath();
    ctx.moveTo(left, py(s));
    ctx.lineTo(w - 10, py(s));
    ctx.stroke();
    ctx.fillText(s.toFixed(1), 10, py(s) + 4);
  }
  ctx.fillText("learning rate", w / 2 - 30, h - 2);
  for (const t of trials) {
    if (t.score === null) continue;
    const k = (Math.log10(t.weight_decay) + 6) / 5;  // 1e-6 … 1e-1
    ctx.beginPath();
    ctx.arc(px(t.lr), py(Math.max(0.4, t.score)), 4.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${Math.round(240 - 200 * k)},${Math.round(160 - 90 * k)},${Math.round(90 - 40 * k)})`;
    ctx.fill();
  }
}
