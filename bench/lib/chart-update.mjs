// Times Chart.js `update('none')` in a real browser page the way the dashboard's live
// charts use it: line datasets of a 5-minute window at one point a second, each frame
// appends a point to every dataset, drops the oldest, moves the x window, redraws.
// The options copy the dashboard's (features/charts/metric-charts.component.ts).
import { fileURLToPath } from 'node:url';

/* global document, window, requestAnimationFrame -- timeUpdates runs in the browser page (page.evaluate), not in Node */

/** Chart.js's own browser build (its package exports do not list this path, so it is found from the repo root). */
const CHART_UMD = fileURLToPath(new URL('../../node_modules/chart.js/dist/chart.umd.js', import.meta.url));

/** Runs in the page: builds the chart, then `frames` timed updates, one per animation frame. */
async function timeUpdates({ series, windowPoints, frames, warmup }) {
  const canvas = document.getElementById('chart');
  const start = Date.now();
  const value = (s, i) => 50 + 40 * Math.sin((i + s * 7) / 10);
  const datasets = Array.from({ length: series }, (_, s) => ({
    label: `series ${s}`,
    data: Array.from({ length: windowPoints }, (_, i) => ({ x: start - (windowPoints - i) * 1000, y: value(s, i) })),
    borderColor: `hsl(${s * 45} 70% 45%)`,
    backgroundColor: `hsl(${s * 45} 70% 45%)`,
  }));
  const chart = new window.Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0 }, line: { borderWidth: 1.5, tension: 0 } },
      scales: { x: { type: 'linear', ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true } },
      plugins: { decimation: { enabled: true, algorithm: 'lttb', samples: 200 }, legend: { labels: { boxWidth: 12 } } },
    },
  });
  const times = [];
  for (let frame = 0; frame < warmup + frames; frame++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const end = start + frame * 1000;
    for (const [s, dataset] of chart.data.datasets.entries()) {
      dataset.data.push({ x: end, y: value(s, windowPoints + frame) });
      dataset.data.shift();
    }
    chart.options.scales.x.min = end - windowPoints * 1000;
    chart.options.scales.x.max = end;
    const before = performance.now();
    chart.update('none');
    if (frame >= warmup) times.push(performance.now() - before);
  }
  chart.destroy();
  return times;
}

/** ms per update('none') for each frame after `warmup` untimed ones (JIT, first layout), in a fresh page. */
export async function chartUpdateTimes(browser, { series, windowPoints = 300, frames = 300, warmup = 30 }) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  try {
    await page.setContent('<div style="position:relative;width:460px;height:220px"><canvas id="chart"></canvas></div>');
    await page.addScriptTag({ path: CHART_UMD });
    return await page.evaluate(timeUpdates, { series, windowPoints, frames, warmup });
  } finally {
    await page.close();
  }
}
