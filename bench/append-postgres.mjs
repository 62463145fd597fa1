// Durable append throughput on PostgreSQL: PostgresEventStore (group commit per
// node, serialised by the head row) from one node, then from three nodes at once
// (three store instances, each its own pool and LISTEN connection, as three
// processes would have) on the same server; SqliteEventStore beside it in the
// same run. Every node has `callers` concurrent callers, each appending single
// events to its own stream with a tracked expected version.
import { join } from 'node:path';
import { numberArgs } from './lib/args.mjs';
import { startPostgres } from './lib/postgres.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { PostgresEventStore, SqliteEventStore, quietNestLogger, readDatabaseSettings } from './lib/store.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const opt = numberArgs({ runs: 3, events: 100_000, callers: 100, poolSize: 10 });
quietNestLogger();

const META = { correlationId: 'bench-append-pg', environment: 'staging' };
const eventFor = (caller, seq) => ({
  type: 'command.output',
  data: { commandId: `bench-${caller}`, seq, lines: [{ stream: 'stdout', text: 'pong', time: '2026-01-01T00:00:00.000Z' }] },
});

/** `events` appends split over the stores' callers; events/s over the whole. */
async function appendWith(stores, events) {
  const callers = stores.length * opt.callers;
  const perCaller = Math.ceil(events / callers);
  const started = performance.now();
  await Promise.all(
    stores.flatMap((store, node) =>
      Array.from({ length: opt.callers }, async (_, caller) => {
        const stream = `bench-n${node}-${caller}`;
        for (let version = 0; version < perCaller; version++) {
          await store.append(stream, version, [eventFor(caller, version)], META);
        }
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const count = perCaller * callers;
  return { events: count, seconds: round(seconds, 3), eventsPerSecond: Math.round(count / seconds) };
}

async function runPostgres(server, nodes, run) {
  const url = await server.createDatabase(`bench_${nodes}_${run}`);
  const settings = readDatabaseSettings({ VIGIL_DATABASE_URL: url, VIGIL_PG_POOL_SIZE: String(opt.poolSize) });
  const stores = [];
  for (let i = 0; i < nodes; i++) stores.push(await PostgresEventStore.open({ settings }));
  const result = await appendWith(stores, opt.events);
  const verify = await stores[0].verify();
  if (!verify.ok || verify.checked !== result.events)
    throw new Error(`PostgreSQL log does not verify after the run: ${JSON.stringify(verify)}`);
  for (const store of stores) await store.close();
  return result;
}

async function runSqlite() {
  const dir = makeTempDir();
  const store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  const result = await appendWith([store], opt.events);
  await store.close();
  removeTempDir(dir);
  return result;
}

const server = await startPostgres();
const one = [];
const three = [];
const sqlite = [];
try {
  for (let run = 1; run <= opt.runs; run++) {
    const a = await runPostgres(server, 1, run);
    one.push(a);
    log(`append-postgres run ${run}: one node ${a.events} events in ${a.seconds}s = ${a.eventsPerSecond}/s`);
    const b = await runPostgres(server, 3, run);
    three.push(b);
    log(`append-postgres run ${run}: three nodes ${b.events} events in ${b.seconds}s = ${b.eventsPerSecond}/s`);
    const c = await runSqlite();
    sqlite.push(c);
    log(`append-postgres run ${run}: SQLite ${c.events} events in ${c.seconds}s = ${c.eventsPerSecond}/s`);
  }
} finally {
  server.stop();
}

const oneNode = median(one.map((r) => r.eventsPerSecond));
const threeNodes = median(three.map((r) => r.eventsPerSecond));
const onSqlite = median(sqlite.map((r) => r.eventsPerSecond));
printResult(
  'append-postgres',
  [
    {
      benchmark: `append on PostgreSQL: ${opt.events} single-event appends, one node, ${opt.callers} callers (median of ${opt.runs})`,
      result: oneNode,
      unit: 'events/s',
      baseline: onSqlite,
      ratio: round(oneNode / onSqlite, 2),
      target: '>= 10,000 events/s (Commanded: ~8,600)',
      met: oneNode >= 10_000,
    },
    {
      benchmark: `append on PostgreSQL: three nodes at once, ${opt.callers} callers each, total (median of ${opt.runs})`,
      result: threeNodes,
      unit: 'events/s',
      baseline: oneNode,
      ratio: round(threeNodes / oneNode, 2),
      target: 'no drop in total from one node',
      met: threeNodes >= oneNode,
    },
  ],
  { oneNodeRuns: one, threeNodeRuns: three, sqliteRuns: sqlite, options: opt },
);
