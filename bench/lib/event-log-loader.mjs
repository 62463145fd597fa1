// Fills an event log fast: rows inserted in big transactions through the store's
// own schema, canonical JSON and hash chain (chainHash), with chosen event times,
// so a 1,000,000-event log spread over hours takes seconds, not 1M HTTP calls.
// The log then opens like any other and verifies.
import { canonicalJson, chainHash, GENESIS_HASH, SqliteEventStore } from './store.mjs';
import { realisticAppends } from './realistic-events.mjs';

/**
 * Writes `count` realistic events to `file` (a new log), times from `startMs`
 * `stepMs` apart, in transactions of `batch` rows. Returns { count, firstTime, lastTime }.
 */
export async function loadRealisticLog(file, { count, startMs, stepMs, batch = 20_000 }) {
  const store = await SqliteEventStore.open({ file });
  if (store.position !== 0) throw new Error(`${file} is not empty`);
  const db = store.typeorm.driver.databaseConnection;
  const insert = db.prepare(
    'INSERT INTO events (position, stream, version, type, environment, data, meta, time, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const versions = new Map();
  let rows = [];
  let position = 0;
  let hash = GENESIS_HASH;
  const writeRows = db.transaction((pending) => {
    for (const row of pending) insert.run(...row);
  });
  for (const append of realisticAppends()) {
    const metaJson = canonicalJson(append.meta);
    for (const event of append.events) {
      if (position >= count) break;
      position += 1;
      const version = (versions.get(append.stream) ?? 0) + 1;
      versions.set(append.stream, version);
      const time = new Date(startMs + (position - 1) * stepMs).toISOString();
      const dataJson = canonicalJson(event.data);
      hash = chainHash(hash, { position, stream: append.stream, version, type: event.type, time, dataJson, metaJson });
      rows.push([position, append.stream, version, event.type, append.meta.environment ?? null, dataJson, metaJson, time, hash]);
    }
    if (rows.length >= batch || position >= count) {
      writeRows(rows);
      rows = [];
    }
    if (position >= count) break;
  }
  await store.close();
  return {
    count: position,
    firstTime: new Date(startMs).toISOString(),
    lastTime: new Date(startMs + (position - 1) * stepMs).toISOString(),
  };
}
