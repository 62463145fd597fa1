import { eventually, logPosition, ping } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/**
 * The lossless-resume promise: a client cut off 20 times at random moments while
 * 1,000 pings are posted still sees every position exactly once, in order.
 */
describe('resume under load', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('delivers every position exactly once across 20 random disconnects during 1,000 pings', async () => {
    const startPosition = await logPosition(server.baseUrl);
    const seen: number[] = [];
    let lastId = String(startPosition);
    let posting = true;

    // The reader: reconnects with Last-Event-ID after each cut, at random moments, until
    // the writers are done (`posting` turns false) and it has caught up.
    const read = async (): Promise<number> => {
      let cuts = 0;
      for (;;) {
        const client = await SseClient.connect(server.baseUrl, '/api/stream', { 'last-event-id': lastId });
        const cutAfterMs = cuts < 20 ? 20 + Math.random() * 150 : Infinity;
        const opened = Date.now();
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (Date.now() - opened > cutAfterMs || client.ended) break;
          if (!posting && Number(client.lastEventId ?? lastId) >= (await logPosition(server.baseUrl))) break;
        }
        client.close();
        for (const message of client.events) seen.push(Number(message.id));
        lastId = client.lastEventId ?? lastId;
        if (cuts >= 20 && !posting && Number(lastId) >= (await logPosition(server.baseUrl))) return cuts;
        cuts += 1;
      }
    };
    const reader = read();

    // The writers: 1,000 pings, 25 in flight at a time.
    const commandIds: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < 1000) {
          next += 1;
          commandIds.push((await ping(server.baseUrl)).commandId);
        }
      }),
    );
    // Every ping's four events must be committed before the reader can finish.
    await eventually(
      'all pings to complete',
      async () => ((await logPosition(server.baseUrl)) >= startPosition + 4000 ? true : undefined),
      60_000,
    );
    posting = false;
    const cuts = await reader;

    expect(commandIds).toHaveLength(1000);
    expect(cuts).toBeGreaterThanOrEqual(20);
    const end = await logPosition(server.baseUrl);
    expect(seen).toEqual(Array.from({ length: end - startPosition }, (_, i) => startPosition + 1 + i));
  }, 120_000);
});
