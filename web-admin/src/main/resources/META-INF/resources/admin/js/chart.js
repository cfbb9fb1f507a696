// 24-hour charts drawn as inline SVG (no library, nothing downloaded). Bars for per-hour sums, lines for levels.
// Every hour is a hover target with a tooltip; the chart's accessible name summarises it.

import { h } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 240;
const H = 60;
export const COLORS = ['#2f6feb', '#c62828', '#1a7f37', '#9a6700', '#8250df', '#0f8a8a'];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, String(v)));
  children.forEach((c) => el.append(c));
  return el;
}

function hourLabel(iso, seconds) {
  const from = new Date(iso);
  const to = new Date(from.getTime() + seconds * 1000);
  const t = (d) => d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `${t(from)}–${t(to)}`;
}

/**
 * @param {object} o
 * @param {{name: string, values: (number|string)[], color?: string}[]} o.series
 * @param {string[]} o.start           ISO start of each bucket
 * @param {number} o.bucketSeconds
 * @param {'bars'|'line'} o.kind
 * @param {(n: number) => string} o.format
 * @param {string} o.label             what the chart shows, for its accessible name
 */
export function chart({ series, start, bucketSeconds = 3600, kind = 'bars', format = String, label = '' }) {
  const values = series.map((x) => x.values.map((v) => Number(v) || 0));
  const n = start.length;
  const max = Math.max(0, ...values.flat());
  const y = (v) => (max === 0 ? H : H - (v / max) * (H - 2));
  const step = W / n;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', focusable: 'false' });
  svg.append(s('line', { class: 'axis', x1: 0, y1: H, x2: W, y2: H, 'vector-effect': 'non-scaling-stroke' }));

  values.forEach((vals, i) => {
    const color = series[i].color || COLORS[i % COLORS.length];
    if (kind === 'bars') {
      const gap = step * 0.18;
      vals.forEach((v, b) => {
        if (v > 0) {
          svg.append(s('rect', {
            x: b * step + gap / 2, y: y(v), width: step - gap, height: H - y(v), fill: color,
            'fill-opacity': values.length > 1 && i === 0 ? 0.35 : 0.9,
          }));
        }
      });
    } else {
      const points = vals.map((v, b) => `${(b + 0.5) * step},${y(v)}`).join(' ');
      if (i === 0) {
        svg.append(s('polygon', {
          points: `${0.5 * step},${H} ${points} ${(n - 0.5) * step},${H}`, fill: color, 'fill-opacity': 0.12,
        }));
      }
      svg.append(s('polyline', {
        points, fill: 'none', stroke: color, 'stroke-width': 2, 'vector-effect': 'non-scaling-stroke',
        'stroke-linejoin': 'round',
      }));
    }
  });

  // Hover targets: one per hour, with every series' value in its tooltip.
  for (let b = 0; b < n; b++) {
    const text = `${hourLabel(start[b], bucketSeconds)}: ${series.map((x, i) => `${x.name} ${format(values[i][b])}`).join(', ')}`;
    svg.append(s('rect', { class: 'bucket', x: b * step, y: 0, width: step, height: H }, s('title', {}, text)));
  }

  const last = values.map((vals) => vals[vals.length - 1]);
  const summary = series.map((x, i) => `${x.name}: now ${format(last[i])}, peak ${format(Math.max(...values[i]))}`)
    .join('; ');
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': `${label} over the last 24 hours. ${summary}` });
  box.append(svg);
  const caption = h('div', { class: 'chart-caption', 'aria-hidden': 'true' },
    h('span', {}, '24 h ago'), h('span', {}, max === 0 ? 'nothing in 24 h' : `peak ${format(max)}`), h('span', {}, 'now'));
  const legend = series.length > 1
    ? h('div', { class: 'legend' }, series.map((x, i) => {
      const sw = h('span', { class: 'swatch' });
      sw.style.background = x.color || COLORS[i % COLORS.length];
      return h('span', {}, sw, x.name);
    }))
    : null;
  return h('div', { class: 'chart-block' }, box, caption, legend);
}
