// Durable append throughput: SqliteEventStore (group commit, WAL, synchronous=FULL)
// against (a) the disk ceiling: a bare better-sqlite3 loop with the same schema,
// pragmas and rows, committing batches of the size the store's group commits had
// in the same run, without and with the per-row sha256 chain; and (b) a naive
// TypeORM baseline (one repository.save() per event, position = max(position)+1
// and the hash chain read back per save). 100 callers.
import { join } from 'node:path';
import { numberArgs } from './lib/args.mjs';
import { bareAppend, bareDataJson, eventsSchemaOf } from './lib/bare-append.mjs';
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

// The bare loop writes the same text the store does (checked, not timed).
for (const [caller, seq] of [
  [0, 0],
  [99, 1234],
]) {
  if (canonicalJson(eventFor(caller, seq).data) !== bareDataJson(caller, seq)) throw new Error('bare data JSON differs from the store');
}
if (canonicalJson(META) !== JSON.stringify(META)) throw new Error('bare meta JSON differs from the store');

async function runStore() {
  const dir = makeTempDir();
  const file = join(dir, 'events.db');
  const store = await SqliteEventStore.open({ file });
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
  const { commits, events } = store.stats;
  await store.close();
  const schema = eventsSchemaOf(file);
  removeTempDir(dir);
  return {
    events: count,
    seconds: round(seconds, 3),
    eventsPerSecond: Math.round(count / seconds),
    commits,
    eventsPerCommit: round(events / commits, 1),
    schema,
  };
}

/** The ceiling: bare better-sqlite3, batches of the store's mean group-commit size in this run. */
function runBare(schema, batchSize, chain) {
  const dir = makeTempDir();
  try {
    const r = bareAppend({ file: join(dir, 'bare.db'), schema, events: opt.events, callers: opt.callers, batchSize, chain, meta: META });
    if (r.pragmas.journalMode !== 'wal' || r.pragmas.synchronous !== 2) throw new Error(`bare pragmas: ${JSON.stringify(r.pragmas)}`);
    return { events: r.events, commits: r.commits, batchSize, seconds: round(r.seconds, 3), eventsPerSecond: r.eventsPerSecond };
  } finally {
    removeTempDir(dir);
  }
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
const bareRuns = [];
const chainRuns = [];
const baselineRuns = [];
let schema;
for (let run = 1; run <= opt.runs; run++) {
  const s = await runStore();
  schema ??= s.schema;
  delete s.schema;
  storeRuns.push(s);
  log(
    `append run ${run}: store ${s.events} events in ${s.seconds}s = ${s.eventsPerSecond}/s (${s.commits} commits, ${s.eventsPerCommit} events each)`,
  );
  // The ceiling's batches are the size the store's commits had in this run.
  const batchSize = Math.max(1, Math.round(s.eventsPerCommit));
  // Alternate which bare loop goes first: the disk's state drifts within a run.
  for (const chain of run % 2 === 1 ? [false, true] : [true, false]) {
    const b = runBare(schema, batchSize, chain);
    (chain ? chainRuns : bareRuns).push(b);
    log(
      `append run ${run}: bare inserts${chain ? ' + sha256 chain' : ''}, batches of ${batchSize}: ${b.events} events in ${b.seconds}s = ${b.eventsPerSecond}/s`,
    );
  }
  const b = await runBaseline();
  baselineRuns.push(b);
  log(`append run ${run}: naive baseline ${b.events} events in ${b.seconds}s = ${b.eventsPerSecond}/s`);
}
const result = median(storeRuns.map((r) => r.eventsPerSecond));
const bare = median(bareRuns.map((r) => r.eventsPerSecond));
const ceiling = median(chainRuns.map((r) => r.eventsPerSecond));
const batch = median(storeRuns.map((r) => r.eventsPerCommit));
const baseline = median(baselineRuns.map((r) => r.eventsPerSecond));
const ratio = round(result / baseline, 1);
const pct = (value, of) => round((100 * value) / of, 1);
printResult(
  'append',
  [
    {
      benchmark: `append: ${opt.events} single-event appends, ${opt.callers} callers (median of ${opt.runs})`,
      result,
      unit: 'events/s',
      baseline: ceiling,
      ratio: `${pct(result, ceiling)}%`,
      target: '>= 20,000 events/s where the ceiling allows',
      met: result >= 20_000 || (ceiling < 20_000 && result >= 0.9 * ceiling),
    },
    {
      benchmark: `append: % of the disk ceiling (bare better-sqlite3 + sha256 chain, same schema/pragmas/rows, batches of ${batch} = the store's mean commit)`,
      result: pct(result, ceiling),
      unit: '%',
      baseline: ceiling,
      baselineDisplay: `${ceiling.toLocaleString('en')} events/s`,
      target: '>= 90 % of the ceiling',
      met: result >= 0.9 * ceiling,
    },
    {
      benchmark: 'append: % of bare inserts without the chain (constant hash)',
      result: pct(result, bare),
      unit: '%',
      baseline: bare,
      baselineDisplay: `${bare.toLocaleString('en')} events/s`,
      target: 'report',
      met: null,
    },
    {
      benchmark: 'append: speed-up over naive TypeORM save()',
      result: ratio,
      unit: 'x',
      baseline,
      baselineDisplay: `${baseline.toLocaleString('en')} events/s`,
      target: '>= 10x baseline',
      met: ratio >= 10,
    },
  ],
  { storeRuns, bareRuns, chainRuns, baselineRuns, options: opt },
);
