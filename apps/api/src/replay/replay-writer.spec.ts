import { initialDashboardState, type DashboardState, type MetricSample, type StoredEvent } from '@vigil/shared';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamAccess } from '../sse/stream-access';
import { inMemoryItems, type MarkerList, type ReplayItem, type ReplaySource } from './replay-source';
import { replayResources, writeReplay, type ReplayOutcome, type ReplayRequest } from './replay-writer';

const T0 = Date.parse('2026-11-27T00:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

function event(position: number, ms: number, environment?: string, type: StoredEvent['type'] = 'command.started'): StoredEvent {
  return {
    position,
    stream: `s-${position}`,
    version: 1,
    type,
    data: { commandId: `c${position}` },
    meta: { correlationId: 'x', environment },
    time: at(ms),
    hash: `h${position}`,
  } as StoredEvent;
}

function sample(ms: number, environment?: string): MetricSample {
  return { source: 'host', environment, time: at(ms), values: { cpu_percent: ms } };
}

/** An in-memory source that records whether its iterator was finished (returned) or still open. */
class ArraySource implements ReplaySource {
  iteratorOpen = false;
  constructor(
    private readonly list: ReplayItem[],
    private readonly state: DashboardState = initialDashboardState(),
  ) {}
  snapshotAt(): Promise<{ position: number; state: DashboardState }> {
    return Promise.resolve({ position: this.state.position, state: this.state });
  }
  async *items(): AsyncGenerator<ReplayItem> {
    this.iteratorOpen = true;
    try {
      yield* inMemoryItems(this.list);
    } finally {
      this.iteratorOpen = false;
    }
  }
  markers(): Promise<MarkerList> {
    return Promise.resolve({ markers: [], truncated: false });
  }
}

const everyone: StreamAccess = { userId: 'u', username: 'u', sessionId: 's', role: 'admin', seeUsers: true, visible: () => true };
const stagingOnly: StreamAccess = {
  ...everyone,
  role: 'staging',
  seeUsers: false,
  visible: (env) => env === undefined || env === 'staging',
};

interface Received {
  frames: string[];
  receivedAt: number[];
}

/** A real HTTP server whose one route runs writeReplay with what the test sets. */
describe('writeReplay', () => {
  let server: Server;
  let port: number;
  let run: (response: ServerResponse) => Promise<ReplayOutcome>;
  let lastResponse: ServerResponse | undefined;
  let outcome: Promise<ReplayOutcome>;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      lastResponse = response;
      outcome = run(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  function fetchFrames(untilFrames = Infinity): Promise<Received & { response: IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const received: Received = { frames: [], receivedAt: [] };
      const request = get({ host: '127.0.0.1', port, path: '/' }, (response) => {
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            received.frames.push(buffer.slice(0, boundary));
            received.receivedAt.push(performance.now());
            buffer = buffer.slice(boundary + 2);
            if (received.frames.length >= untilFrames) {
              request.destroy();
              resolve({ ...received, response });
              return;
            }
          }
        });
        response.on('end', () => {
          resolve({ ...received, response });
        });
      });
      request.on('error', (error) => {
        if (received.frames.length < untilFrames) reject(error);
      });
    });
  }

  const dataOf = (frame: string): { type?: string; position?: number } =>
    JSON.parse(
      frame
        .split('\n')
        .find((line) => line.startsWith('data: '))!
        .slice(6),
    ) as { type?: string; position?: number };
  const timeouts = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

  it('sends start, snapshot, the visible items in order with ids on events, then end', async () => {
    const source = new ArraySource([
      { kind: 'event', event: event(1, 10, 'staging') },
      { kind: 'metrics', sample: sample(10, 'production') },
      { kind: 'event', event: event(2, 20, 'production') },
      { kind: 'metrics', sample: sample(20) },
      { kind: 'event', event: event(3, 30, 'staging', 'command.completed') },
    ]);
    const request: ReplayRequest = { from: new Date(T0), to: new Date(T0 + 100), speed: 'max', filter: {} };
    run = (response) => writeReplay(response, source, request, stagingOnly, { source: 'log', retryMs: 3000 });
    const { frames, response } = await fetchFrames();
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(frames[0]).toBe('retry: 3000');
    expect(dataOf(frames[1])).toEqual({ type: 'replay.start', from: at(0), to: at(100), speed: 'max', source: 'log' });
    expect(dataOf(frames[2]).type).toBe('snapshot');
    // The production event and sample are hidden from a staging-only viewer; host-wide data is not.
    expect(frames.slice(3, -1).map((frame) => (frame.startsWith('id: ') ? frame.split('\n')[0] : dataOf(frame).type))).toEqual([
      'id: 1',
      'metrics',
      'id: 3',
    ]);
    expect(dataOf(frames[4])).toMatchObject({ type: 'metrics', time: at(20) });
    expect(dataOf(frames.at(-1)!)).toEqual({ type: 'replay.end', events: 2, samples: 1 });
    expect(await outcome).toEqual({ completed: true, events: 2, samples: 1 });
    expect(source.iteratorOpen).toBe(false);
  });

  it('applies the filter: only the asked environment and types', async () => {
    const source = new ArraySource([
      { kind: 'event', event: event(1, 1, 'staging') },
      { kind: 'event', event: event(2, 2, 'production') },
      { kind: 'metrics', sample: sample(3, 'staging') },
      { kind: 'event', event: event(4, 4, 'staging', 'command.completed') },
    ]);
    const request: ReplayRequest = {
      from: new Date(T0),
      to: new Date(T0 + 10),
      speed: 'max',
      filter: { environment: 'staging', types: ['command.completed'] },
    };
    run = (response) => writeReplay(response, source, request, everyone, { source: 'bundle' });
    const { frames } = await fetchFrames();
    expect(frames.slice(2, -1).map((frame) => frame.split('\n')[0])).toEqual(['id: 4']);
  });

  it('paces items at the original gaps divided by speed', async () => {
    const source = new ArraySource([0, 2000, 6000, 8000].map((ms, i) => ({ kind: 'event', event: event(i + 1, ms) })));
    const request: ReplayRequest = { from: new Date(T0), to: new Date(T0 + 8000), speed: 10, filter: {} };
    run = (response) => writeReplay(response, source, request, everyone, { source: 'log' });
    const { frames, receivedAt } = await fetchFrames();
    const eventAt = frames
      .map((frame, i) => (frame.startsWith('id:') ? receivedAt[i] : undefined))
      .filter((t): t is number => t !== undefined);
    const gaps = eventAt.slice(1).map((t, i) => t - eventAt[i]);
    // Originals 2 s, 4 s, 2 s at speed 10: in total and for the median gap, a tenth within 10 %.
    expect(Math.abs(gaps.reduce((a, b) => a + b, 0) - 800)).toBeLessThanOrEqual(80);
    const ratios = gaps.map((gap, i) => gap / [200, 400, 200][i]).sort((a, b) => a - b);
    expect(Math.abs(ratios[1] - 1)).toBeLessThanOrEqual(0.1);
  });

  it('sends a heartbeat comment through a gap longer than the heartbeat interval', async () => {
    const source = new ArraySource([{ kind: 'event', event: event(1, 300) }]);
    const request: ReplayRequest = { from: new Date(T0), to: new Date(T0 + 300), speed: 1, filter: {} };
    run = (response) => writeReplay(response, source, request, everyone, { source: 'log', heartbeatMs: 100 });
    const { frames } = await fetchFrames();
    expect(frames.filter((frame) => frame === ':').length).toBeGreaterThanOrEqual(2);
  });

  it('a client leaving mid-way frees everything: no timer, no open iterator, no listener', async () => {
    const timersBefore = timeouts();
    const source = new ArraySource([0, 10_000, 20_000].map((ms, i) => ({ kind: 'event', event: event(i + 1, ms) })));
    const request: ReplayRequest = { from: new Date(T0), to: new Date(T0 + 30_000), speed: 1, filter: {} };
    run = (response) => writeReplay(response, source, request, everyone, { source: 'log' });
    await fetchFrames(3); // start, snapshot, the first event; then the client goes
    const result = await outcome;
    expect(result).toMatchObject({ completed: false, events: 1, reason: 'client disconnected' });
    expect(replayResources).toEqual({ open: 0, timers: 0 });
    expect(source.iteratorOpen).toBe(false);
    expect(timeouts()).toBeLessThanOrEqual(timersBefore);
    expect(lastResponse!.listenerCount('drain')).toBe(0);
  });

  it('an abort (server shutdown) ends the replay with a closed message', async () => {
    const controller = new AbortController();
    const source = new ArraySource([0, 60_000].map((ms, i) => ({ kind: 'event', event: event(i + 1, ms) })));
    const request: ReplayRequest = { from: new Date(T0), to: new Date(T0 + 60_000), speed: 1, filter: {} };
    run = (response) => writeReplay(response, source, request, everyone, { source: 'log', signal: controller.signal });
    const pending = fetchFrames();
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const { frames } = await pending;
    expect(dataOf(frames.at(-1)!)).toEqual({ type: 'closed', reason: 'server shutting down' });
    expect(await outcome).toMatchObject({ completed: false, reason: 'server shutting down' });
    expect(replayResources).toEqual({ open: 0, timers: 0 });
  });

  it('a failing source yields a 500 before any byte of the stream, and is released', async () => {
    const source = new ArraySource([]);
    source.snapshotAt = () => Promise.reject(new Error('disk on fire'));
    const request: ReplayRequest = { from: new Date(T0), to: new Date(T0 + 10), speed: 'max', filter: {} };
    run = (response) => writeReplay(response, source, request, everyone, { source: 'log' });
    const { response } = await fetchFrames();
    expect(response.statusCode).toBe(500);
    expect(await outcome).toMatchObject({ completed: false, error: 'disk on fire' });
    expect(replayResources).toEqual({ open: 0, timers: 0 });
  });
});
