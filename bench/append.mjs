// Durable append throughput: SqliteEventStore (group commit, WAL, synchronous=FULL)
// against a naive TypeORM baseline (one repository.save() per event, position =
// max(position)+1 and the hash chain read back per save), both with 100 callers.
import { join } from 'node:path';
import { numberArgs } from './lib/args.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { EventRecord, GENESIS_HASH, SqliteEventStore, canonicalJson, chainHash, quietNestLogger } from './lib/store.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const opt = numberArgs({ runs: 3, events: 100_000, callers: 100, baselineEvents: 5_000, baselineSeconds: 20 });
quietNestLogger();

const META = { correlationId: 'bench-append', environment: 'staging' };
const eventFor = (caller, seq) => ({
  type: 'command.output',
  data: { commandId: `bench-${caller}`, seq, lines: [{ stream: 'stdout', text: 'pong', time: '2026-01-01T00:00:00.000Z' }] },
});

async function runStore() {
  const dir = makeTempDir();
  const store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  const perCaller = Math.ceil(opt.events / opt.callers);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opt.callers }, async (_, caller) => {
      const stream = `bench-${caller}`;
      for (let version = 0; version < perCaller; version++) {
        await store.append(stream, version, [eventFor(caller, version)], META);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const count = store.position;
  await store.close();
  removeTempDir(dir);
  return { events: count, seconds: round(seconds, 3), eventsPerSecond: Math.round(count / seconds) };
}

/** The naive way: serialise callers, read the last row, hash, repository.save(). */
async function runBaseline() {
  const dir = makeTempDir();
  // A separate store file: same schema (migration) and pragmas (WAL, synchronous=FULL).
  const store = await SqliteEventStore.open({ file: join(dir, 'baseline.db') });
  const repo = store.typeorm.getRepository(EventRecord);
  let lock = Promise.resolve();
  const exclusive = (fn) => {
    const run = lock.then(fn);
    lock = run.catch(() => {});
    return run;
  };
  const deadline = performance.now() + opt.baselineSeconds * 1000;
  let written = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opt.callers }, async (_, caller) => {
      const stream = `bench-${caller}`;
      for (let version = 1; ; version++) {
        const done = await exclusive(async () => {
          if (written >= opt.baselineEvents || performance.now() > deadline) return true;
          const [last] = await repo.find({ order: { position: 'DESC' }, take: 1 });
          const event = eventFor(caller, version);
          const row = {
            position: (last?.position ?? 0) + 1,
            stream,
            version,
            type: event.type,
            time: new Date().toISOString(),
            dataJson: canonicalJson(event.data),
            metaJson: canonicalJson(META),
          };
          await repo.save(
            repo.create({
              position: row.position,
              stream,
              version,
              type: row.type,
              environment: META.environment,
              data: row.dataJson,
              meta: row.metaJson,
              time: row.time,
              hash: chainHash(last?.hash ?? GENESIS_HASH, row),
            }),
          );
          written += 1;
          return false;
        });
        if (done) return;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  removeTempDir(dir);
  return { events: written, seconds: round(seconds, 3), eventsPerSecond: Math.round(written / seconds) };
}

const storeRuns = [];
const baselineRuns = [];
for (let run = 1; run <= opt.runs; run++) {
  const s = await runStore();
  storeRuns.push(s);
  log(`append run ${run}: store ${s.events} events in ${s.seconds}s = ${s.eventsPerSecond}/s`);
  const b = await runBaseline();
  baselineRuns.push(b);
  log(`append run ${run}: baseline ${b.events} events in ${b.seconds}s = ${b.eventsPerSecond}/s`);
}
const result = median(storeRuns.map((r) => r.eventsPerSecond));
const baseline = median(baselineRuns.map((r) => r.eventsPerSecond));
const ratio = round(result / baseline, 1);
printResult(
  'append',
  [
    {
      benchmark: `append: ${opt.events} single-event appends, ${opt.callers} callers (median of ${opt.runs})`,
      result,
      unit: 'events/s',
      baseline,
      ratio,
      target: '>= 20,000 events/s',
      met: result >= 20_000,
    },
    { benchmark: 'append: speed-up over naive TypeORM save()', result: ratio, unit: 'x', target: '>= 10x baseline', met: ratio >= 10 },
  ],
  { storeRuns, baselineRuns, options: opt },
);
