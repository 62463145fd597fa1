import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the first page load downloads: the scripts index.html loads and preloads (the
 * initial chunks of the built app). Chart.js and the replay page must stay lazy.
 * Needs `npm run build:web` first.
 */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const BROWSER = join(ROOT, 'dist', 'web', 'browser');

function initialScripts(): { file: string; text: string }[] {
  const html = readFileSync(join(BROWSER, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((match) => match[1]);
  return [...new Set(files)].map((file) => ({ file, text: readFileSync(join(BROWSER, file), 'utf8') }));
}

/** Marks only each bundle has: a Chart.js chart type name, and the replay banner's selector. */
const LAZY = [
  { what: 'Chart.js', mark: 'doughnut' },
  { what: 'the replay page', mark: 'vg-replay-banner' },
];

describe('initial bundle', () => {
  it('holds the app shell but neither Chart.js nor the replay page', () => {
    const scripts = initialScripts();
    expect(scripts.some((script) => script.file.startsWith('main'))).toBe(true);
    for (const { what, mark } of LAZY) {
      expect({ what, in: scripts.filter((script) => script.text.includes(mark)).map((script) => script.file) }).toEqual({ what, in: [] });
    }
  });

  it('still builds both lazily (the marks are real)', () => {
    const initial = new Set(initialScripts().map((script) => script.file));
    const html = readFileSync(join(BROWSER, 'index.html'), 'utf8');
    expect(html).toContain('<vg-root');
    const lazy = readdirSync(BROWSER)
      .filter((file) => file.endsWith('.js') && !initial.has(file))
      .map((file) => readFileSync(join(BROWSER, file), 'utf8'));
    for (const { mark } of LAZY) expect(lazy.some((text) => text.includes(mark))).toBe(true);
  });
});
