// The decision boundary of a network on 2-D data, as TensorFlow Playground draws it: the plane
// coloured by the class the model gives each point (paler where it is unsure), with the data's
// points on top.

const classColors = [[232, 116, 59], [43, 123, 185], [25, 169, 121], [148, 94, 207], [237, 74, 123]];

export function classColor(c) {
  const [r, g, b] = classColors[c % classColors.length];
  return `rgb(${r},${g},${b})`;
}

export class BoundaryMap {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.map = null;
    this.cells = document.createElement("canvas");
    this.clear();
  }

  clear() {
    const ctx = this.canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.map = null;
    this.points = [];
  }

  setPoints(points) {
    this.points = points || [];
    this.draw();
  }

  // event: {resolution, classes, box: [x0, x1, y0, y1], p: probabilities 0-255, cell by cell, row 0 at the top}
  setMap(event) {
    this.map = event;
    this.draw();
  }

  draw() {
    const ctx = this.canvas.getContext("2d");
    const w = this.canvas.width, h = this.canvas.height;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    const m = this.map;
    if (m) {
      const n = m.resolution, k = m.classes;
      this.cells.width = n;
      this.cells.height = n;
      const cctx = this.cells.getContext("2d");
      const image = cctx.createImageData(n, n);
      for (let i = 0; i < n * n; i++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (m.p[i * k + c] > m.p[i * k + best]) best = c;
        const sure = Math.max(0, (m.p[i * k + best] / 255 - 1 / k) / (1 - 1 / k));
        const a = 0.15 + 0.6 * sure;
        const [r, g, b] = classColors[best % classColors.length];
        image.data[4 * i] = Math.round(255 * (1 - a) + r * a);
        image.data[4 * i + 1] = Math.round(255 * (1 - a) + g * a);
        image.data[4 * i + 2] = Math.round(255 * (1 - a) + b * a);
        image.data[4 * i + 3] = 255;
      }
      cctx.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.cells, 0, 0, w, h);
    }
    const box = m ? m.box : this.pointBox();
    if (!box) return;
    const [x0, x1, y0, y1] = box;
    for (const [x, y, label] of this.points) {
      const px = ((x - x0) / (x1 - x0)) * w, py = ((y1 - y) / (y1 - y0)) * h;
      ctx.beginPath();
      ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = classColor(label);
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#fff";
      ctx.stroke();
    }
  }

  pointBox() {
    if (!this.points.length) return null;
    const xs = this.points.map((p) => p[0]), ys = this.points.map((p) => p[1]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const mx = 0.1 * (x1 - x0) + 1e-3, my = 0.1 * (y1 - y0) + 1e-3;
    return [x0 - mx, x1 + mx, y0 - my, y1 + my];
  }
}
