// The disk's bound for command-roundtrip.mjs: what a ping's durable work costs with
// no Vigil code. A ping is three commits in sequence (command.accepted, then
// command.started, then output + command.completed), each fsync'd, group-committed
// with whatever else is in flight. Here: a bare better-sqlite3 file with the store's
// pragmas (WAL, synchronous=FULL), one ~600-byte row per step, the same group
// commit (everything queued in one turn commits in the next), paced at the same rate.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { paced } from './pacer.mjs';
import { percentile, round } from './stats.mjs';
import { makeTempDir, removeTempDir } from './tmp.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const ROW = JSON.stringify({ commandId: '00000000-0000-4000-8000-000000000000', pad: 'x'.repeat(520) });

/** Latency (ms) from the first step's request to the last step's commit, per command. */
export async function bareCommitChain({ rate, count, steps = 3, warmup = 200 }) {
  const dir = makeTempDir('vigil-bench-bare-chain-');
  const db = new Database(join(dir, 'bare.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE rows (position INTEGER PRIMARY KEY, command INTEGER NOT NULL, step INTEGER NOT NULL, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (command, step, data) VALUES (?, ?, ?)');
    const commitAll = db.transaction((items) => {
      for (const item of items) insert.run(item.command, item.step, ROW);
    });
    let queue = [];
    const commit = (command, step) =>
      new Promise((resolve) => {
        if (queue.push({ command, step, resolve }) > 1) return;
        setImmediate(() => {
          const batch = queue;
          queue = [];
          commitAll.immediate(batch);
          for (const item of batch) item.resolve();
        });
      });
    const latencies = [];
    let measuring = false;
    const fire = async (command) => {
      const started = performance.now();
      for (let step = 0; step < steps; step++) await commit(command, step);
      if (measuring) latencies.push(performance.now() - started);
    };
    await paced({ ratePerSecond: rate, maxCount: warmup, maxSeconds: 10, fire });
    measuring = true;
    await paced({ ratePerSecond: rate, maxCount: count, maxSeconds: count / rate + 5, fire });
    const at = (p) => round(percentile(latencies, p), 2);
    return { p50: at(50), p90: at(90), p99: at(99), maxMs: round(Math.max(...latencies), 2), completed: latencies.length };
  } finally {
    db.close();
    removeTempDir(dir);
  }
}
