// Small hand-made SVG charts for the admin console: a line (or area) chart over time and a bar
// chart over categories. No library: the console needs two chart kinds, and building them with
// createElementNS keeps the page within the strict CSP (no inline style; colours are CSS classes,
// .chart-s0, .chart-s1, … in app.css) and every label in the page's language (through fmt).
//
// Each chart is a <figure> holding an <svg role="img"> with a <title> and a <desc> (the latest
// values, or the totals, so that a screen reader gets the numbers a sighted person reads off the
// plot) and an HTML legend.
import { t, fmt, el, lang } from './app.js';

const SVG = 'http://www.w3.org/2000/svg';
const MARGIN = { top: 12, right: 16, bottom: 28, left: 62 };

let chartCount = 0;

/** An SVG element with attributes; children are nodes or strings. */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value != null) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A "nice" tick step (1, 2 or 5 times a power of ten) that cuts `range` into about `count`. */
function niceStep(range, count) {
  if (!(range > 0)) return 1;
  const raw = range / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** Ticks from 0 (or `min`) up to a nice maximum at or above `max`. */
function valueTicks(min, max, count = 4) {
  // Nothing but zeros: one line at zero, and the bars or lines lie on it.
  if (!(max > 0)) return { ticks: [0], top: 1 };
  const step = niceStep(max - min, count);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks = [];
  for (let v = Math.floor(min / step) * step; v <= top + step / 2; v += step) ticks.push(v);
  return { ticks, top };
}

function frame(title, width, height, descText) {
  const id = 'chart-' + ++chartCount;
  const root = svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      class: 'chart-svg',
      preserveAspectRatio: 'xMidYMid meet',
    },
    svg('title', { id: `${id}-title` }, title),
    svg('desc', { id: `${id}-desc` }, descText),
  );
  return root;
}

function legend(series) {
  return el(
    'ul',
    { class: 'chart-legend' },
    series.map((s, i) => el('li', {}, el('span', { class: `swatch chart-s${s.tone ?? i}`, 'aria-hidden': 'true' }), s.name)),
  );
}

function figure(title, root, series, extraClass) {
  return el('figure', { class: 'chart ' + (extraClass || '') }, el('figcaption', {}, title), root, series.length > 1 ? legend(series) : null);
}

function emptyText(root, width, height) {
  root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'chart-empty' }, t('admin.chart.noData')));
}

function yAxis(root, ticks, yOf, width, yFormat) {
  const g = svg('g', { class: 'chart-axis chart-y' });
  let previous = null;
  for (const v of ticks) {
    const y = yOf(v);
    const label = yFormat(v);
    g.append(svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: y, y2: y, class: 'chart-grid' }));
    // Small steps can round to the same text ("$0.00" twice): label each value once.
    if (label !== previous) g.append(svg('text', { x: MARGIN.left - 6, y: y + 4, 'text-anchor': 'end' }, label));
    previous = label;
  }
  root.append(g);
}

/**
 * A line chart over time.
 *
 * @param {object} options
 * @param {string} options.title what it shows (figcaption and SVG title)
 * @param {{name: string, points: [number, number|null][], tone?: number}[]} options.series
 *     points are [epoch ms, value]; null values break the line
 * @param {(v: number) => string} [options.yFormat] tick and description format (fmt.number)
 * @param {number} [options.yMax] a fixed top (1 for ratios); else from the data
 * @param {boolean} [options.area] fill under the first series
 */
export function lineChart({ title, series, yFormat = (v) => fmt.number(v), yMax, area = false, width = 480, height = 220 }) {
  const all = series.flatMap((s) => s.points.filter((p) => p[1] != null));
  const latest = series
    .map((s) => {
      const last = [...s.points].reverse().find((p) => p[1] != null);
      return last ? t('admin.chart.latest', { name: s.name, value: yFormat(last[1]) }) : null;
    })
    .filter(Boolean)
    .join('; ');
  const root = frame(title, width, height, latest || t('admin.chart.noData'));
  if (all.length === 0) {
    emptyText(root, width, height);
    return figure(title, root, series);
  }
  const xs = all.map((p) => p[0]);
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x1 === x0) {
    x0 -= 60_000;
    x1 += 60_000;
  }
  const dataMax = Math.max(...all.map((p) => p[1]));
  const { ticks, top } = yMax != null ? valueTicks(0, yMax, 4) : valueTicks(0, dataMax, 4);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xOf = (x) => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const yOf = (y) => MARGIN.top + plotH - (y / top) * plotH;
  yAxis(root, ticks, yOf, width, yFormat);

  // Time ticks: a few evenly spaced instants, as times of day within a day, else as dates.
  const xAxis = svg('g', { class: 'chart-axis chart-x' });
  const span = x1 - x0;
  const label = span > 36 * 3600_000 ? (ms) => fmt.date(new Date(ms).toISOString()) : (ms) => shortTime(ms);
  const count = 4;
  for (let i = 0; i <= count; i++) {
    const x = x0 + (span * i) / count;
    const anchor = i === 0 ? 'start' : i === count ? 'end' : 'middle';
    xAxis.append(svg('text', { x: xOf(x), y: height - 8, 'text-anchor': anchor }, label(x)));
  }
  xAxis.append(svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: yOf(0), y2: yOf(0), class: 'chart-baseline' }));
  root.append(xAxis);

  series.forEach((s, i) => {
    const tone = s.tone ?? i;
    let d = '';
    let pen = false;
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    for (const [x, y] of pts) {
      if (y == null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${xOf(x).toFixed(1)},${yOf(y).toFixed(1)}`;
      pen = true;
    }
    if (area && i === 0) {
      const defined = pts.filter((p) => p[1] != null);
      if (defined.length > 0) {
        const first = defined[0][0];
        const last = defined[defined.length - 1][0];
        const fill = `M${xOf(first).toFixed(1)},${yOf(0).toFixed(1)}` + d.replace(/^M/, 'L') + `L${xOf(last).toFixed(1)},${yOf(0).toFixed(1)}Z`;
        root.append(svg('path', { d: fill, class: `chart-area chart-s${tone}` }));
      }
    }
    root.append(svg('path', { d, class: `chart-line chart-s${tone}` }));
    // One point alone draws no line: mark it.
    if (pts.filter((p) => p[1] != null).length === 1) {
      const [x, y] = pts.find((p) => p[1] != null);
      root.append(svg('circle', { cx: xOf(x), cy: yOf(y), r: 3, class: `chart-dot chart-s${tone}` }));
    }
  });
  return figure(title, root, series);
}

/**
 * A bar chart over categories (days): bars of each series side by side, or stacked.
 *
 * @param {object} options
 * @param {string} options.title
 * @param {string[]} options.categories the x labels, already formatted
 * @param {{name: string, values: (number|null)[], tone?: number}[]} options.series
 * @param {(v: number) => string} [options.yFormat]
 * @param {boolean} [options.stacked]
 */
export function barChart({ title, categories, series, yFormat = (v) => fmt.number(v), stacked = false, width = 480, height = 220 }) {
  const totals = series.map((s) => s.values.reduce((a, v) => a + (v || 0), 0));
  const desc = series.map((s, i) => t('admin.chart.total', { name: s.name, value: yFormat(totals[i]) })).join('; ');
  const root = frame(title, width, height, categories.length ? desc : t('admin.chart.noData'));
  if (categories.length === 0) {
    emptyText(root, width, height);
    return figure(title, root, series);
  }
  const heights = categories.map((_, c) =>
    stacked ? series.reduce((a, s) => a + (s.values[c] || 0), 0) : Math.max(...series.map((s) => s.values[c] || 0)),
  );
  const { ticks, top } = valueTicks(0, Math.max(...heights), 4);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const yOf = (y) => MARGIN.top + plotH - (y / top) * plotH;
  yAxis(root, ticks, yOf, width, yFormat);

  const slot = plotW / categories.length;
  const groupW = slot * 0.78;
  const barW = stacked ? groupW : groupW / series.length;
  // Label every k-th day so that labels never overlap (about 70 units per label).
  const every = Math.max(1, Math.ceil(56 / slot));
  const xAxis = svg('g', { class: 'chart-axis chart-x' });
  categories.forEach((label, c) => {
    const left = MARGIN.left + c * slot + (slot - groupW) / 2;
    let base = 0;
    series.forEach((s, i) => {
      const v = s.values[c] || 0;
      const x = stacked ? left : left + i * barW;
      const y0 = yOf(stacked ? base : 0);
      const y1 = yOf(stacked ? base + v : v);
      root.append(
        svg(
          'rect',
          {
            x: x.toFixed(1),
            y: y1.toFixed(1),
            width: Math.max(barW - 1, 1).toFixed(1),
            height: Math.max(y0 - y1, 0).toFixed(1),
            class: `chart-bar chart-s${s.tone ?? i}`,
          },
          svg('title', {}, `${label} · ${s.name}: ${yFormat(v)}`),
        ),
      );
      if (stacked) base += v;
    });
    // Counted from the last day, so that the latest day always has its label.
    if ((categories.length - 1 - c) % every === 0) {
      xAxis.append(svg('text', { x: (left + groupW / 2).toFixed(1), y: height - 8, 'text-anchor': 'middle' }, label));
    }
  });
  xAxis.append(svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: yOf(0), y2: yOf(0), class: 'chart-baseline' }));
  root.append(xAxis);
  return figure(title, root, series);
}

const shortTimeFormat = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });

/** A time of day (hours and minutes) in the page's language, for time axes. */
function shortTime(ms) {
  return shortTimeFormat.format(new Date(ms));
}

/** A day ("2026-11-26", UTC, as the cost report names days) as a short month/day label. */
const dayFormat = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' });
export function dayLabel(isoDay) {
  const date = new Date(isoDay + 'T00:00:00Z');
  return Number.isNaN(date.getTime()) ? isoDay : dayFormat.format(date);
}
