import { connect } from 'node:net';
import { eventually, getJson, ping } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

interface Health {
  activeClients: number;
  heapUsedBytes: number;
  eventLogPosition: number;
}

/** Opens a stream on a raw socket, waits for the first bytes of the body, then drops it. */
function openAndDrop(port: number, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('connect', () =>
      socket.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`),
    );
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('"snapshot"')) socket.destroy();
    });
    socket.on('close', () => {
      resolve();
    });
    socket.on('error', reject);
  });
}

describe('stream lifecycle', () => {
  let server: RunningServer;

  beforeAll(async () => {
    // --expose-gc lets /api/health?gc=1 collect before measuring; 16 KiB bound makes "slow" quick to reach.
    server = await startServer({
      nodeArgs: ['--expose-gc'],
      config: 'stream:\n  maxBufferedKiB: 64\n  heartbeatSeconds: 1\nauth:\n  maxStreamsPerUser: 100\n',
    });
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  async function health(): Promise<Health> {
    return (await getJson<Health>(server.baseUrl, '/api/health?gc=1')).body;
  }

  it('leaves heap and client counts flat after 10,000 connect/disconnect cycles', async () => {
    const cycles = async (count: number): Promise<void> => {
      let done = 0;
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (done < count) {
            done += 1;
            await openAndDrop(server.port, server.admin!.accessToken);
          }
        }),
      );
    };
    await cycles(1000); // warm up: JIT, pools, lazily created structures
    await eventually('clients to be released', async () => ((await health()).activeClients === 0 ? true : undefined));
    const baseline = await health();

    await cycles(10_000);
    await eventually('clients to be released', async () => ((await health()).activeClients === 0 ? true : undefined));
    const after = await health();
    const growth = after.heapUsedBytes - baseline.heapUsedBytes;
    expect(growth).toBeLessThan(4 * 1024 * 1024);
    // The server still works.
    const { commandId } = await ping(server.baseUrl);
    expect(commandId).toBeDefined();
  }, 120_000);

  it('sends heartbeats as comment lines on a quiet stream', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream');
    await client.waitFor('two heartbeats', () => client.comments >= 2, 5_000);
    client.close();
  });

  it('disconnects a client that stops reading, without delaying the others; it then resumes losslessly', async () => {
    // A client that never reads: its socket buffers fill, then the server's send buffer.
    const stalled = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) =>
      stalled.on('connect', () => {
        resolve();
      }),
    );
    stalled.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.admin!.accessToken}\r\n\r\n`);
    stalled.pause();
    stalled.on('error', () => undefined);

    const healthy = await SseClient.connect(server.baseUrl, '/api/stream');
    await healthy.waitFor('snapshot', (messages) => messages.length >= 1);
    const start = healthy.messages[0].json.position ?? 0;
    expect((await health()).activeClients).toBe(2);

    // Traffic until the loopback socket buffers (a few MB) and the 64 KiB bound are
    // full. A paused socket cannot see the server hang up, so ask the server.
    let cutOff = false;
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, worker) => {
        while (next < 12_000 && !cutOff) {
          next += 1;
          await ping(server.baseUrl, { 'x-request-id': `${'r'.repeat(90)}-${next}` });
          if (worker === 0 && next % 50 === 0) cutOff = (await health()).activeClients === 1;
        }
      }),
    );
    await eventually('the stalled client to be cut off', async () => ((await health()).activeClients === 1 ? true : undefined), 30_000);

    // The healthy client got everything, in order, while the other one was stalled.
    // Every ping makes exactly four events; wait for the last ones to commit.
    const end = start + 4 * next;
    await eventually('all pings to finish', async () => ((await health()).eventLogPosition >= end ? true : undefined), 30_000);
    await healthy.waitFor('all events', () => Number(healthy.lastEventId) >= end, 30_000);
    expect(healthy.events.map((m) => Number(m.id))).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));

    // The cut-off client resumes from where it was; here: from the start.
    const resumed = await SseClient.connect(server.baseUrl, '/api/stream', { 'last-event-id': String(start) });
    await resumed.waitFor('catch-up', () => Number(resumed.lastEventId) >= end, 30_000);
    expect(resumed.events.map((m) => Number(m.id))).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
    resumed.close();
    healthy.close();
    stalled.destroy();
  }, 120_000);
});
