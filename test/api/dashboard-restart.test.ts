import { evolveDashboard, initialDashboardState, type DashboardState, type StoredEvent } from '@vigil/shared';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { eventually, logPosition, ping } from '../support/http';
import { omit } from '../support/objects';
import { startServer, stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

const CONFIG = `
environments:
  - name: production
  - name: staging
replay:
  checkpointEvery: 100
`;

type EventPart = Omit<DashboardState, 'metrics'>;

/** The events part of a state as it travels (JSON: no undefined fields). */
function eventPart(state: DashboardState): EventPart {
  return JSON.parse(JSON.stringify(omit(state, 'metrics'))) as EventPart;
}

/** The snapshot a fresh stream starts with. */
async function snapshot(server: RunningServer): Promise<DashboardState> {
  const client = await SseClient.connect(server.baseUrl, '/api/stream');
  try {
    await client.waitFor('snapshot', (messages) => messages.some((m) => m.json.type === 'snapshot'));
    return client.messages.find((m) => m.json.type === 'snapshot')!.json.state as DashboardState;
  } finally {
    client.close();
  }
}

/** Every event of the log up to `position`, through the stream's catch-up, folded one by one from nothing. */
async function foldedFromScratch(server: RunningServer, position: number): Promise<DashboardState> {
  const client = await SseClient.connect(server.baseUrl, '/api/stream?lastEventId=0');
  try {
    await client.waitFor('the catch-up', () => Number(client.lastEventId) >= position, 20_000);
    const events = client.events.map((m) => m.json as unknown as StoredEvent).filter((event) => event.position <= position);
    return events.reduce<DashboardState>(evolveDashboard, initialDashboardState());
  } finally {
    client.close();
  }
}

/** The start-up fold's log line: which position it started after. */
function startedAfter(server: RunningServer): number {
  const match = /folded (\d+) events after position (\d+) to position (\d+)/.exec(server.output());
  if (!match) throw new Error(`no start-up fold line in:\n${server.output()}`);
  return Number(match[2]);
}

async function restart(server: RunningServer): Promise<RunningServer> {
  await server.stop();
  return startServer({ config: CONFIG, dataDir: server.dataDir });
}

describe('the dashboard projection at start-up', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ config: CONFIG });
    for (let round = 0; round < 8; round++) await Promise.all(Array.from({ length: 10 }, () => ping(server.baseUrl)));
    const position = await logPosition(server.baseUrl);
    expect(position).toBeGreaterThan(200);
    // The checkpoint projection writes in the background: wait for the ones due.
    const db = new Database(join(server.dataDir, 'projections.db'), { readonly: true });
    try {
      await eventually(
        'the checkpoints',
        () => ((db.prepare('SELECT MAX(position) FROM replay_checkpoints').pluck().get() as number | null) ?? 0) >= 200 || undefined,
      );
    } finally {
      db.close();
    }
  }, 90_000);

  afterAll(async () => {
    await stopServer(server);
  });

  it('starts from the latest checkpoint and serves the same snapshot as a fold of the whole log', async () => {
    const before = await snapshot(server);
    server = await restart(server);
    expect(startedAfter(server)).toBeGreaterThanOrEqual(200);
    const after = await snapshot(server);
    // Start-up may append (the test admin's login): compare with the whole log up to the snapshot.
    expect(after.position).toBeGreaterThanOrEqual(before.position);
    expect(eventPart(after)).toEqual(eventPart(await foldedFromScratch(server, after.position)));
    expect(
      eventPart(after)
        .commands.slice(0, 5)
        .map((c) => c.commandId),
    ).toEqual(
      eventPart(before)
        .commands.slice(0, 5)
        .map((c) => c.commandId),
    );
  }, 60_000);

  it('folds the whole log when the checkpoints are of another schema version or another log', async () => {
    for (const change of [
      'UPDATE replay_checkpoints SET schema_version = schema_version + 1',
      "UPDATE replay_checkpoints SET hash = 'another-log'",
    ]) {
      await server.stop();
      const db = new Database(join(server.dataDir, 'projections.db'));
      db.prepare(change).run();
      db.close();
      server = await startServer({ config: CONFIG, dataDir: server.dataDir });
      expect(startedAfter(server)).toBe(0);
      const state = await snapshot(server);
      expect(eventPart(state)).toEqual(eventPart(await foldedFromScratch(server, state.position)));
    }
  }, 60_000);
});
