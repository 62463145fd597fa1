// The scripts a browser loads before the app starts: index.html's module scripts and
// modulepreload links (Angular lists every initial chunk), with raw and gzip sizes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A string only Chart.js carries, to tell whether it is in a file. */
const CHART_JS_MARK = 'Canvas is already in use';

function sizes(dir, file) {
  const bytes = readFileSync(join(dir, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, chartJs: bytes.includes(CHART_JS_MARK) };
}

export function initialScripts(browserDir) {
  const html = readFileSync(join(browserDir, 'index.html'), 'utf8');
  const names = new Set();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)) names.add(match[1]);
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+\.js)"/g)) names.add(match[1]);
  if (names.size === 0) throw new Error(`no initial scripts found in ${browserDir}/index.html`);
  const initial = [...names].map((file) => sizes(browserDir, file));
  const all = readdirSync(browserDir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => sizes(browserDir, file));
  const sum = (list, key) => list.reduce((total, item) => total + item[key], 0);
  return {
    initial,
    raw: sum(initial, 'raw'),
    gzip: sum(initial, 'gzip'),
    chartJsInitial: initial.some((item) => item.chartJs),
    allRaw: sum(all, 'raw'),
    allGzip: sum(all, 'gzip'),
  };
}
