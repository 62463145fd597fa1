// Durable append throughput: SqliteEventStore (group commit, WAL, synchronous=FULL),
// 100 callers, against
// (a) the disk ceiling: a bare better-sqlite3 loop (no Vigil code, lib/bare-append.mjs)
//     with the store's schema (read back from the store's file) and pragmas (checked
//     equal), the same rows, committing batches of the size the store's group commits
//     had in the same run, with and without the per-row sha256 chain. The store and
//     both bare logs are written in alternating stretches of `segment` events, so the
//     disk's drift on a shared machine hits all three alike;
// (b) a naive TypeORM baseline (one repository.save() per event, position =
//     max(position)+1 and the hash chain read back per save).
import { join } from 'node:path';
import { numberArgs } from './lib/args.mjs';
import { BareLog, bareDataJson, eventsSchemaOf, pragmasOf } from './lib/bare-append.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { EventRecord, GENESIS_HASH, SqliteEventStore, canonicalJson, chainHash, quietNestLogger } from './lib/store.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const opt = numberArgs({
  runs: 3,
  events: 100_000,
  segment: 10_000,
  callers: 100,
  warmupEvents: 10_000,
  baselineEvents: 5_000,
  baselineSeconds: 20,
});
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

/**
 * One run: the store and the two bare logs (own temp files), written in turns of
 * `opt.segment` events until each has `total`. The store's stretch is 100 callers
 * appending one event at a time; a bare stretch uses commits of the store's mean
 * commit size so far (the store goes first in every turn).
 */
async function runOnce(total = opt.events) {
  const dir = makeTempDir();
  const file = join(dir, 'events.db');
  const store = await SqliteEventStore.open({ file });
  const schema = eventsSchemaOf(file);
  const pragmas = pragmasOf(store.typeorm.driver.databaseConnection);
  const bare = {
    plain: new BareLog({ file: join(dir, 'bare.db'), schema, callers: opt.callers, chain: false, meta: META }),
    chain: new BareLog({ file: join(dir, 'bare-chain.db'), schema, callers: opt.callers, chain: true, meta: META }),
  };
  for (const log of Object.values(bare)) {
    if (JSON.stringify(log.pragmas) !== JSON.stringify(pragmas)) {
      throw new Error(`bare pragmas ${JSON.stringify(log.pragmas)} differ from the store's ${JSON.stringify(pragmas)}`);
    }
  }
  const versions = new Array(opt.callers).fill(0);
  let storeSeconds = 0;
  let turn = 0;
  while (store.position < total) {
    const events = Math.min(opt.segment, total - store.position);
    const perCaller = Math.ceil(events / opt.callers);
    const started = performance.now();
    await Promise.all(
      versions.map(async (from, caller) => {
        const stream = `bench-${caller}`;
        for (let version = from; version < from + perCaller; version++) {
          await store.append(stream, version, [eventFor(caller, version)], META);
        }
        versions[caller] = from + perCaller;
      }),
    );
    storeSeconds += (performance.now() - started) / 1000;
    const { commits, events: committed } = store.stats;
    const batchSize = Math.max(1, Math.round(committed / commits));
    // Alternate which bare log goes first.
    for (const log of turn++ % 2 === 0 ? [bare.plain, bare.chain] : [bare.chain, bare.plain]) {
      log.write(Math.min(perCaller * opt.callers, total - log.position), batchSize);
    }
  }
  const { commits, events } = store.stats;
  const eventsPerSecond = Math.round(store.position / storeSeconds);
  const outcome = {
    store: {
      events: store.position,
      seconds: round(storeSeconds, 3),
      eventsPerSecond,
      commits,
      eventsPerCommit: round(events / commits, 1),
    },
    schema,
    pragmas,
  };
  for (const [name, log] of Object.entries(bare)) {
    const perSecond = Math.round(log.position / log.seconds);
    outcome[name] = {
      events: log.position,
      commits: log.commits,
      seconds: round(log.seconds, 3),
      eventsPerSecond: perSecond,
      storePercent: round((100 * eventsPerSecond) / perSecond, 1),
    };
    log.close();
  }
  await store.close();
  removeTempDir(dir);
  return outcome;
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
const ceilingSetup = {};
if (opt.warmupEvents > 0) {
  // Untimed: JIT and file-system warm-up, so the first run is not the only cold one.
  await runOnce(opt.warmupEvents);
  log(`append warm-up: ${opt.warmupEvents} events each, untimed`);
}
for (let run = 1; run <= opt.runs; run++) {
  const r = await runOnce();
  Object.assign(ceilingSetup, { schema: r.schema, pragmas: r.pragmas });
  storeRuns.push(r.store);
  bareRuns.push(r.plain);
  chainRuns.push(r.chain);
  const s = r.store;
  log(
    `append run ${run}: store ${s.events} events in ${s.seconds}s = ${s.eventsPerSecond}/s (${s.commits} commits, ${s.eventsPerCommit} events each)`,
  );
  for (const [label, b] of [
    ['bare inserts + sha256 chain', r.chain],
    ['bare inserts', r.plain],
  ]) {
    log(`append run ${run}: ${label}: ${b.events} events in ${b.seconds}s = ${b.eventsPerSecond}/s (store: ${b.storePercent}%)`);
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
// Each run's store figure against its own ceiling, then the median: the disk drifts between runs.
const ofCeiling = median(chainRuns.map((r) => r.storePercent));
const ofBare = median(bareRuns.map((r) => r.storePercent));
printResult(
  'append',
  [
    {
      benchmark: `append: ${opt.events} single-event appends, ${opt.callers} callers (median of ${opt.runs})`,
      result,
      unit: 'events/s',
      baseline: ceiling,
      ratio: `${ofCeiling}%`,
      target: '>= 20,000 events/s where the ceiling allows',
      met: result >= 20_000 || (ceiling < 20_000 && ofCeiling >= 90),
    },
    {
      benchmark: `append: % of the disk ceiling (bare better-sqlite3 + sha256 chain, same schema/pragmas/rows, batches of ${batch} = the store's mean commit; median of per-run %)`,
      result: ofCeiling,
      unit: '%',
      baseline: ceiling,
      baselineDisplay: `${ceiling.toLocaleString('en')} events/s`,
      target: '>= 90 % of the ceiling',
      met: ofCeiling >= 90,
    },
    {
      benchmark: 'append: % of bare inserts without the chain (constant hash)',
      result: ofBare,
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
  { storeRuns, bareRuns, chainRuns, baselineRuns, ceilingSetup, options: opt },
);
