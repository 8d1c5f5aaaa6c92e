// Line charts on uPlot (lab/web/vendor): a chart of several series over one x axis, which the
// page extends point by point as a run trains.

const palette = ["#2b7bb9", "#e8743b", "#19a979", "#945ecf", "#ed4a7b", "#13a4b4", "#525df4", "#bf399e", "#6c8893", "#ee6868"];

export function color(i) {
  return palette[i % palette.length];
}

export class LineChart {
  // series: [{label, color, dash, points}]; options: {title, xLabel, yLabel, log}
  constructor(element, series, options) {
    this.element = element;
    this.options = options;
    this.reset(series);
  }

  reset(series) {
    this.series = series.map((s) => ({ ...s, xs: [], ys: [] }));
    if (this.plot) this.plot.destroy();
    this.element.innerHTML = "";
    const width = Math.max(360, this.element.clientWidth || 480);
    this.plot = new uPlot({
      title: this.options.title,
      width,
      height: 200,
      scales: { x: { time: false }, y: this.options.log ? { distr: 3 } : {} },
      axes: [{ label: this.options.xLabel }, { label: this.options.yLabel, size: 56 }],
      series: [{ label: this.options.xLabel }].concat(this.series.map((s) => ({
        label: s.label, stroke: s.color, width: s.width || 2, dash: s.dash, spanGaps: true,
        points: s.points ? {} : { show: false },  // {}: uPlot shows them while they are sparse
      }))),
    }, [[]].concat(this.series.map(() => [])), this.element);
    this.dirty = false;
  }

  // Adds (x, y) to series i; the chart redraws at the next animation frame.
  add(i, x, y) {
    if (y === null || y === undefined || !isFinite(y)) return;
    if (this.options.log && y <= 0) return;
    const s = this.series[i];
    s.xs.push(x);
    s.ys.push(y);
    this.schedule();
  }

  schedule() {
    if (this.dirty) return;
    this.dirty = true;
    requestAnimationFrame(() => {
      this.dirty = false;
      this.plot.setData(this.merged());
    });
  }

  // uPlot wants one sorted x array with a value (or null) of every series at each x.
  merged() {
    const xs = [...new Set(this.series.flatMap((s) => s.xs))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    const columns = this.series.map((s) => {
      const column = new Array(xs.length).fill(null);
      s.xs.forEach((x, k) => { column[index.get(x)] = s.ys[k]; });
      return column;
    });
    return [xs].concat(columns);
  }
}
