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
