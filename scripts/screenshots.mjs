// npm run screenshots: PNGs of the main pages for the README, from what is built in
// dist/ (builds nothing). Starts a real server on a temp data dir with the demo fleet
// (ports 22530-22569), generates activity (pings, a restart, a deploy, logs, an alert
// from a low-threshold rule), signs in as admin in Debian's Chromium and writes
// docs/screenshots/*.png at 1440x900, then stops everything.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_ADMIN_PASSWORD } from '../bench/lib/auth.mjs';
import { connected, launchChromium, signIn } from '../bench/lib/browser.mjs';
import { runCommand, servicesRunning } from '../bench/lib/commands.mjs';
import { relocatedDemoConfig } from '../bench/lib/demo-config.mjs';
import { request } from '../bench/lib/http.mjs';
import { log } from '../bench/lib/result.mjs';
import { startVigil } from '../bench/lib/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1440, height: 900 };
/** Time for charts, transitions and lazy chunks to settle before a shot (not a test: a fixed pause is fine). */
const SETTLE_MS = 2_500;
/** Let the fleet run a while after the activity, so the 5-minute live charts have lines to show. */
const WARMUP_MS = 45_000;

/** Rules that fire within seconds on any machine, so the alerts page has something to show. */
const DEMO_RULES = [
  {
    name: 'demo-cpu-busy',
    kind: 'threshold',
    source: 'host',
    metric: 'cpu_percent',
    comparator: '>',
    threshold: 1,
    forSeconds: 0,
    severity: 'warning',
    labels: { team: 'ops' },
    message: 'CPU at {{value}} % on {{source}} (demo rule: over {{threshold}} %)',
  },
  {
    name: 'demo-memory-used',
    kind: 'threshold',
    source: 'host',
    metric: 'memory_percent',
    comparator: '>',
    threshold: 1,
    forSeconds: 0,
    severity: 'error',
    labels: { team: 'ops' },
    message: 'memory at {{value}} % on {{source}} (demo rule: over {{threshold}} %)',
  },
];

for (const built of ['dist/api/main.js', 'dist/web/browser/index.html']) {
  if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
}

const startedAt = Date.now();
log('starting Vigil with the demo fleet on ports 22530-22569');
const server = await startVigil({ configYaml: relocatedDemoConfig({ portFrom: 22530, portTo: 22569, extraRules: DEMO_RULES }) });
const { base, headers } = server;
let browser;
try {
  await servicesRunning(base, headers, 90_000);
  log('services running; generating activity');
  await generateActivity();
  log(`letting the charts fill for ${WARMUP_MS / 1000} s`);
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));

  browser = await launchChromium();
  mkdirSync(OUT, { recursive: true });
  const window = `from=${new Date(startedAt).toISOString()}&to=${new Date().toISOString()}`;
  await shoot('light', [
    { name: 'dashboard', path: '/', extraSettleMs: 5_000 },
    { name: 'services', path: '/services' },
    { name: 'alerts', path: '/alerts' },
    { name: 'audit', path: '/audit' },
    { name: 'users', path: '/admin/users' },
    { name: 'alert-rules', path: '/alerts/rules' },
    { name: 'account', path: '/account' },
    { name: 'kiosk', path: '/?kiosk=1', extraSettleMs: 2_000 },
    { name: 'replay', path: `/replay?${window}&speed=10`, play: true, extraSettleMs: 4_000 },
  ]);
  await shoot('dark', [{ name: 'dashboard-dark', path: '/', extraSettleMs: 5_000 }]);
  log(`wrote docs/screenshots/ in ${Math.round((Date.now() - startedAt) / 1000)} s`);
} finally {
  await browser?.close();
  await server.stop();
}

async function generateActivity() {
  for (let i = 0; i < 3; i++) await runCommand(base, headers, { type: 'ping', target: 'vigil', environment: 'staging' });
  await runCommand(base, headers, { type: 'restart', target: 'web-server', environment: 'staging' }, 90_000);
  await runCommand(base, headers, { type: 'deploy', target: 'api-server', environment: 'staging', params: { version: '1.4.0' } }, 120_000);
  await runCommand(base, headers, { type: 'logs', target: 'web-server', environment: 'production', params: { lines: 20 } });
  await runCommand(base, headers, { type: 'ping', target: 'vigil', environment: 'production' });
  const firing = await bothDemoAlertsFiring();
  // One acknowledged, one not: the alerts page shows both looks.
  const cpu = firing.find((alert) => alert.rule === 'demo-cpu-busy');
  const ack = await request(`${base}/api/alerts/${cpu.alertId}/ack`, { method: 'POST', body: { comment: 'looking into it' }, headers });
  if (ack.status !== 200) throw new Error(`ack answered ${ack.status}: ${ack.text.slice(0, 200)}`);
}

async function bothDemoAlertsFiring() {
  for (let tries = 0; ; tries++) {
    const res = await request(`${base}/api/alerts`, { headers });
    const firing = JSON.parse(res.text).alerts.filter(
      (alert) => alert.state === 'firing' && DEMO_RULES.some((rule) => rule.name === alert.rule),
    );
    if (firing.length === DEMO_RULES.length) return firing;
    if (tries > 120) throw new Error(`the demo alerts did not both fire: ${res.text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One browser context per theme (the app follows the system scheme until a choice is stored). */
async function shoot(theme, pages) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: theme });
  await context.addInitScript(`try { localStorage.setItem('vigil.theme', '${theme}'); } catch {}`);
  const page = await context.newPage();
  await signIn(page, base, 'admin', BENCH_ADMIN_PASSWORD);
  for (const { name, path, extraSettleMs = 0, play = false } of pages) {
    await page.goto(`${base}${path}`, { waitUntil: 'load' });
    await connected(page, 8_000).catch(() => log(`${name}: no "connected" badge on ${path}`));
    if (play) await startReplay(page);
    await page.waitForTimeout(SETTLE_MS + extraSettleMs);
    const file = join(OUT, `${name}.png`);
    await page.screenshot({ path: file, type: 'png' });
    log(`${name}.png (${theme}, ${path}): ${Math.round(statSync(file).size / 1024)} KiB`);
  }
  await context.close();
}

/** Presses Play once the replay has loaded its window (if the page did not start on its own). */
async function startReplay(page) {
  const play = page.locator('[data-testid=replay-play]');
  try {
    await play.and(page.locator(':enabled')).waitFor({ timeout: 10_000 });
    await play.click();
  } catch {
    log('replay: no enabled Play button (already playing?)');
  }
}
