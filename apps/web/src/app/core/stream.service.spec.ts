import { TestBed } from '@angular/core/testing';
import { evolveDashboard, initialDashboardState } from '@vigil/shared';
import { FakeEventSource } from '../../testing/fake-event-source';
import { accepted, completed, snapshot, started } from '../../testing/events';
import { StreamService, buildStreamUrl, reconnectDelayMs } from './stream.service';

describe('StreamService', () => {
  let service: StreamService;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  beforeEach(() => {
    jest.useFakeTimers();
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({});
    service = TestBed.inject(StreamService);
  });

  afterEach(() => {
    service.disconnect();
    TestBed.resetTestingModule();
    jest.useRealTimers();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  it('opens /api/stream without lastEventId on a fresh start', () => {
    service.connect();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest.url).toBe('/api/stream');
    expect(service.status()).toBe('connecting');
    FakeEventSource.latest.open();
    expect(service.status()).toBe('connected');
  });

  it('connect() is idempotent', () => {
    service.connect();
    service.connect();
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('folds a snapshot, then events, through the shared reducer', () => {
    const base = evolveDashboard(initialDashboardState(), accepted(1, 'a'));
    service.connect();
    const source = FakeEventSource.latest;
    source.open();

    source.emit(snapshot(base));
    expect(service.state()).toEqual(base);
    expect(service.position()).toBe(1);

    source.emit(started(2, 'a'), 2);
    source.emit(completed(3, 'a'), 3);
    source.emit(accepted(4, 'b'), 4);

    const expected = [started(2, 'a'), completed(3, 'a'), accepted(4, 'b')].reduce(evolveDashboard, base);
    expect(service.state()).toEqual(expected);
    expect(service.position()).toBe(4);
    expect(service.state().commands.map((c) => [c.commandId, c.state])).toEqual([
      ['b', 'accepted'],
      ['a', 'completed'],
    ]);
    expect(service.state().recentEvents.map((e) => e.position)).toEqual([4, 3, 2, 1]);
  });

  it('ignores duplicate and stale events', () => {
    service.connect();
    const source = FakeEventSource.latest;
    source.open();
    source.emit(snapshot(initialDashboardState()));
    source.emit(accepted(1, 'a'), 1);
    source.emit(started(2, 'a'), 2);
    const before = service.state();

    source.emit(started(2, 'a'), 2); // re-delivered
    source.emit(accepted(1, 'a'), 1); // older
    expect(service.state()).toBe(before);
    expect(service.state().recentEvents).toHaveLength(2);
    expect(service.state().commands[0]?.state).toBe('running');
  });

  it('ignores malformed messages', () => {
    service.connect();
    const source = FakeEventSource.latest;
    source.open();
    source.emit(snapshot(initialDashboardState()));
    const before = service.state();
    source.emit('not json');
    source.emit('null');
    source.emit('{"no":"type"}');
    expect(service.state()).toBe(before);
  });

  it('on error closes the source and reconnects with backoff and ?lastEventId', () => {
    service.connect();
    const first = FakeEventSource.latest;
    first.open();
    first.emit(snapshot(initialDashboardState()));
    first.emit(accepted(1, 'a'), 1);
    first.emit(started(2, 'a'), 2);

    first.fail();
    expect(first.closed).toBe(true);
    expect(service.status()).toBe('reconnecting');
    expect(service.countdown()).toBe(1);
    expect(FakeEventSource.instances).toHaveLength(1);

    jest.advanceTimersByTime(999);
    expect(FakeEventSource.instances).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    const second = FakeEventSource.latest;
    expect(second.url).toBe('/api/stream?lastEventId=2');

    // Still failing: the next wait doubles.
    second.fail();
    expect(service.countdown()).toBe(2);
    jest.advanceTimersByTime(1000);
    expect(service.countdown()).toBe(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    jest.advanceTimersByTime(1000);
    expect(FakeEventSource.instances).toHaveLength(3);

    // Resumed: missed events arrive without a snapshot and fold on top.
    const third = FakeEventSource.latest;
    third.open();
    expect(service.status()).toBe('connected');
    expect(service.countdown()).toBeNull();
    third.emit(started(2, 'a'), 2); // overlap is harmless
    third.emit(completed(3, 'a'), 3);
    expect(service.position()).toBe(3);
    expect(service.state().commands[0]?.state).toBe('completed');

    // A successful open resets the backoff.
    third.fail();
    expect(service.countdown()).toBe(1);
    jest.advanceTimersByTime(1000);
    expect(FakeEventSource.latest.url).toBe('/api/stream?lastEventId=3');
  });

  it('reconnects without lastEventId when nothing was received yet', () => {
    service.connect();
    FakeEventSource.latest.fail();
    jest.advanceTimersByTime(1000);
    expect(FakeEventSource.latest.url).toBe('/api/stream');
  });

  it('resumes from the snapshot position even on an empty log', () => {
    service.connect();
    FakeEventSource.latest.open();
    FakeEventSource.latest.emit(snapshot(initialDashboardState()));
    FakeEventSource.latest.fail();
    jest.advanceTimersByTime(1000);
    expect(FakeEventSource.latest.url).toBe('/api/stream?lastEventId=0');
  });

  it('treats a closed message as a reason to resume', () => {
    service.connect();
    const first = FakeEventSource.latest;
    first.open();
    first.emit(snapshot(evolveDashboard(initialDashboardState(), accepted(7, 'x'))));
    first.emit({ type: 'closed', reason: 'shutdown' });
    expect(first.closed).toBe(true);
    expect(service.lastClosedReason()).toBe('shutdown');
    expect(service.status()).toBe('reconnecting');
    jest.advanceTimersByTime(1000);
    expect(FakeEventSource.latest.url).toBe('/api/stream?lastEventId=7');
  });

  it('caps the backoff at 15 s', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(reconnectDelayMs)).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });

  it('goes offline when the browser does, and reconnects when it is back', () => {
    service.connect();
    const first = FakeEventSource.latest;
    first.open();
    window.dispatchEvent(new Event('offline'));
    expect(service.status()).toBe('offline');
    expect(first.closed).toBe(true);
    window.dispatchEvent(new Event('online'));
    expect(FakeEventSource.instances).toHaveLength(2);
    FakeEventSource.latest.open();
    expect(service.status()).toBe('connected');
  });

  it('disconnect() closes the source and stops reconnecting', () => {
    service.connect();
    const first = FakeEventSource.latest;
    first.fail();
    service.disconnect();
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
  });
  it('counts errors in a row until a connection opens', () => {
    service.connect();
    expect(service.failures()).toBe(0);
    FakeEventSource.latest.fail();
    expect(service.failures()).toBe(1);
    jest.advanceTimersByTime(1000);
    FakeEventSource.latest.fail();
    expect(service.failures()).toBe(2);
    jest.advanceTimersByTime(2000);
    FakeEventSource.latest.open();
    expect(service.failures()).toBe(0);
  });

  it('reset() closes the stream and forgets the state', () => {
    service.connect();
    const first = FakeEventSource.latest;
    first.open();
    first.emit(snapshot(initialDashboardState()));
    first.emit(accepted(1, 'a'), 1);
    service.reset();
    expect(first.closed).toBe(true);
    expect(service.state()).toEqual(initialDashboardState());
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    service.connect();
    expect(FakeEventSource.latest.url).toBe('/api/stream'); // a fresh start, no lastEventId
  });
});

describe('buildStreamUrl', () => {
  it('adds lastEventId as a query parameter', () => {
    expect(buildStreamUrl('/api/stream', undefined)).toBe('/api/stream');
    expect(buildStreamUrl('/api/stream', 0)).toBe('/api/stream?lastEventId=0');
    expect(buildStreamUrl('/api/stream', 42)).toBe('/api/stream?lastEventId=42');
    expect(buildStreamUrl('/api/stream?types=command.*', 42)).toBe('/api/stream?types=command.*&lastEventId=42');
  });
});
