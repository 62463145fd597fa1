import Database from 'better-sqlite3';
import { join } from 'node:path';
import { eventually, getJson, logPosition, postJson, PING } from '../support/http';
import { startServer } from '../support/server';

/**
 * An acknowledged command is never lost: 500 pings posted at once, the server
 * killed with SIGKILL half-way, restarted on the same data dir. Every command
 * that got a 202 must be in the log, and none may be left running.
 */
describe('durability across kill -9', () => {
  it('keeps every acknowledged command and closes unfinished ones as interrupted', async () => {
    const first = await startServer();
    const acknowledged: string[] = [];
    let killed = false;
    const posts = Array.from({ length: 500 }, async () => {
      try {
        const response = await postJson<{ commandId: string }>(first.baseUrl, '/api/commands', PING);
        if (response.status === 202) {
          acknowledged.push(response.body.commandId);
          if (acknowledged.length >= 250 && !killed) {
            killed = true;
            first.kill('SIGKILL');
          }
        }
      } catch {
        // connection reset by the kill: not acknowledged, so no promise was made
      }
    });
    await Promise.all(posts);
    await first.exited;
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(250);

    const second = await startServer({ dataDir: first.dataDir });
    try {
      const states = new Map<string, string>();
      for (const commandId of acknowledged) {
        const view = await getJson<{ state: string }>(second.baseUrl, `/api/commands/${commandId}`);
        expect(view.status).toBe(200);
        states.set(commandId, view.body.state);
      }
      // Recovery ran before the server listened: nothing acknowledged is still "accepted" or "running".
      expect([...states.values()].every((state) => state === 'completed' || state === 'interrupted')).toBe(true);
    } finally {
      await second.stop();
    }

    // And the log itself is whole: positions dense, chain intact.
    const db = new Database(join(first.dataDir, 'events.db'), { readonly: true });
    const { count, max } = db.prepare('SELECT COUNT(*) AS count, MAX(position) AS max FROM events').get() as { count: number; max: number };
    db.close();
    expect(count).toBe(max);
    first.cleanup();
  }, 60_000);

  it('accepts new commands after a restart and continues positions', async () => {
    const server = await startServer();
    // The log starts with the first admin's user.created and the test login's user.logged-in.
    const start = await logPosition(server.baseUrl);
    const a = await postJson<{ position: number }>(server.baseUrl, '/api/commands', PING);
    await eventually('first ping done', async () =>
      (await getJson<{ eventLogPosition: number }>(server.baseUrl, '/api/health')).body.eventLogPosition >= start + 4 ? true : undefined,
    );
    await server.stop();
    const again = await startServer({ dataDir: server.dataDir });
    const restarted = await logPosition(again.baseUrl);
    const b = await postJson<{ position: number }>(again.baseUrl, '/api/commands', PING);
    expect(a.body.position).toBe(start + 1);
    // Four events per ping, then the new login's user.logged-in: positions go on, dense.
    expect(restarted).toBe(start + 4 + 1);
    expect(b.body.position).toBe(restarted + 1);
    await again.stop();
    again.cleanup();
  }, 30_000);
});
