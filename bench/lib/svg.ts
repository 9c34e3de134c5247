// A small hand-written SVG line chart (no browser, no dependency).

export type Series = { name: string; points: [number, number][]; color: string; dashed?: boolean };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number): string =>
  Number.isInteger(v)
    ? String(v)
    : v >= 100
      ? v.toFixed(0)
      : v >= 10
        ? v.toFixed(1)
        : v >= 1
          ? v.toFixed(2)
          : v.toPrecision(2);

export function lineChart(o: {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logY?: boolean;
  width?: number;
  height?: number;
}): string {
  const W = o.width ?? 760;
  const H = o.height ?? 440;
  const m = { top: 64, right: 190, bottom: 56, left: 70 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const pts = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => Math.max(y, 0.01));
  const xMin = 0;
  const xMax = xs.length ? Math.max(...xs) * 1.05 : 1;
  let yMin = ys.length ? Math.min(...ys) : 1;
  let yMax = ys.length ? Math.max(...ys) : 10;
  const logY = o.logY ?? true;
  let yTicks: number[];
  if (logY) {
    yMin = 10 ** Math.floor(Math.log10(yMin));
    yMax = 10 ** Math.ceil(Math.log10(yMax * 1.0001));
    if (yMax === yMin) yMax = yMin * 10;
    yTicks = [];
    for (let t = yMin; t <= yMax * 1.0001; t *= 10) {
      yTicks.push(t);
      if (t * 2 < yMax) yTicks.push(t * 2);
      if (t * 5 < yMax) yTicks.push(t * 5);
    }
  } else {
    yMin = 0;
    yMax = yMax * 1.1 || 1;
    const step = niceStep(yMax / 6);
    yTicks = [];
    for (let t = 0; t <= yMax; t += step) yTicks.push(t);
  }
  const X = (x: number) => m.left + ((x - xMin) / (xMax - xMin)) * pw;
  const Y = (y: number) =>
    logY
      ? m.top + ph - ((Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * ph
      : m.top + ph - ((y - yMin) / (yMax - yMin)) * ph;
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${m.left}" y="24" font-size="16" font-weight="bold">${esc(o.title)}</text>`);
  if (o.subtitle) out.push(`<text x="${m.left}" y="44" fill="#555">${esc(o.subtitle)}</text>`);
  for (const t of yTicks) {
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    out.push(`<text x="${m.left - 8}" y="${(Y(t) + 4).toFixed(1)}" text-anchor="end" fill="#333">${fmt(t)}</text>`);
  }
  for (const t of xTicks) {
    out.push(
      `<line x1="${X(t).toFixed(1)}" x2="${X(t).toFixed(1)}" y1="${m.top}" y2="${m.top + ph}" stroke="#f0f0f0"/>`,
    );
    out.push(`<text x="${X(t).toFixed(1)}" y="${m.top + ph + 18}" text-anchor="middle" fill="#333">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(
    `<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}${logY ? ' (log scale)' : ''}</text>`,
  );
  o.series.forEach((s, i) => {
    const p = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).sort((a, b) => a[0] - b[0]);
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (p.length) {
      const d = p.map(([x, y], j) => `${j ? 'L' : 'M'}${X(x).toFixed(1)} ${Y(y).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
      for (const [x, y] of p) {
        out.push(
          `<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3.5" fill="${s.color}"><title>${esc(s.name)} at ${fmt(x)}: ${fmt(y)} ms</title></circle>`,
        );
      }
    }
    const ly = m.top + 10 + i * 22;
    const lx = m.left + pw + 16;
    out.push(`<line x1="${lx}" x2="${lx + 28}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 36}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw || 1));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
