// Full-scan read throughput: builds a 1,000,000-event log with big append batches,
// then times `for await (const e of store.read(1))` (median of 3 scans).
import { join } from 'node:path';
import { numberArgs } from './lib/args.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { SqliteEventStore, quietNestLogger } from './lib/store.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const opt = numberArgs({ events: 1_000_000, batch: 1_000, appendsPerCommit: 10, scans: 3 });
quietNestLogger();

const dir = makeTempDir();
const store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
const META = { correlationId: 'bench-read', environment: 'staging' };

const buildStarted = performance.now();
let stream = 0;
while (store.position < opt.events) {
  // Several appends in one turn share one transaction (group commit).
  const appends = [];
  for (let i = 0; i < opt.appendsPerCommit && store.position + appends.length * opt.batch < opt.events; i++) {
    const id = `cmd-${stream++}`;
    const events = Array.from({ length: opt.batch }, (_, seq) => ({
      type: seq === 0 ? 'command.accepted' : 'command.output',
      data: { commandId: id, seq, lines: [{ stream: 'stdout', text: `line ${seq}`, time: '2026-01-01T00:00:00.000Z' }] },
    }));
    appends.push(store.append(`command-${id}`, 'any', events, META));
  }
  await Promise.all(appends);
}
const buildSeconds = (performance.now() - buildStarted) / 1000;
log(`read: built ${store.position} events in ${round(buildSeconds, 1)}s (${Math.round(store.position / buildSeconds)}/s)`);

const scans = [];
for (let scan = 1; scan <= opt.scans; scan++) {
  const started = performance.now();
  let count = 0;
  let lastPosition = 0;
  for await (const event of store.read(1)) {
    count += 1;
    lastPosition = event.position;
  }
  const seconds = (performance.now() - started) / 1000;
  if (count !== store.position || lastPosition !== store.position) throw new Error(`scan saw ${count} events, expected ${store.position}`);
  scans.push({ events: count, seconds: round(seconds, 3), eventsPerSecond: Math.round(count / seconds) });
  log(`read scan ${scan}: ${count} events in ${round(seconds, 2)}s = ${Math.round(count / seconds)}/s`);
}
await store.close();
removeTempDir(dir);

const result = median(scans.map((s) => s.eventsPerSecond));
printResult(
  'read',
  [
    {
      benchmark: `read: full scan of ${opt.events.toLocaleString('en')} events (median of ${opt.scans})`,
      result,
      unit: 'events/s',
      target: '>= 200,000 events/s',
      met: result >= 200_000,
    },
  ],
  { scans, buildSeconds: round(buildSeconds, 1), options: opt },
);
