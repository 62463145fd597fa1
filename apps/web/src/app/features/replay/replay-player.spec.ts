import { TestBed } from '@angular/core/testing';
import { initialDashboardState, type MetricsMessage, type ReplayMessage, type StoredEvent } from '@vigil/shared';
import { accepted, completed, snapshot } from '../../../testing/events';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { ReplayPlayer } from './replay-player';

const FROM = Date.parse('2026-01-01T12:00:00.000Z');
const TO = Date.parse('2026-01-01T12:20:00.000Z');
const MINUTE = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();
const timed = <T extends StoredEvent>(event: T, ms: number): T => ({ ...event, time: iso(ms) });
const sample = (ms: number, cpu: number): MetricsMessage => ({
  type: 'metrics',
  source: 'host',
  time: iso(ms),
  values: { cpu_percent: cpu },
});
const start = (from = FROM, speed = 10): ReplayMessage => ({ type: 'replay.start', from: iso(from), to: iso(TO), speed, source: 'log' });
const end = (): ReplayMessage => ({ type: 'replay.end', events: 2, samples: 1 });

/** The query of the latest EventSource, as an object with times in epoch ms. */
function lastQuery(): { path: string; from: number; to: number; speed: string; environment: string | null } {
  const url = new URL(FakeEventSource.latest.url, 'http://vigil.test');
  return {
    path: url.pathname,
    from: Date.parse(url.searchParams.get('from') ?? ''),
    to: Date.parse(url.searchParams.get('to') ?? ''),
    speed: url.searchParams.get('speed') ?? '',
    environment: url.searchParams.get('environment'),
  };
}

describe('ReplayPlayer', () => {
  let player: ReplayPlayer;
  const original = (globalThis as { EventSource?: unknown }).EventSource;

  beforeEach(() => {
    FakeEventSource.reset();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({ providers: [ReplayPlayer] });
    player = TestBed.inject(ReplayPlayer);
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    jest.useRealTimers();
    (globalThis as { EventSource?: unknown }).EventSource = original;
  });

  /** Loads the window and plays the snapshot plus two commands and a sample, in wire order. */
  function playFirstMinutes(): FakeEventSource {
    player.load({ from: FROM, to: TO });
    const source = FakeEventSource.latest;
    source.open();
    source.emit(start());
    source.emit(snapshot({ ...initialDashboardState(), position: 4 }));
    source.emit(timed(accepted(5, 'a'), FROM + MINUTE), 5);
    source.emit(sample(FROM + 2 * MINUTE, 42));
    source.emit(timed(completed(6, 'a'), FROM + 3 * MINUTE), 6);
    return source;
  }

  it('opens one replay stream for the window and folds its messages with the shared reducer', () => {
    playFirstMinutes();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(lastQuery()).toEqual({ path: '/api/replay', from: FROM, to: TO, speed: '10', environment: null });
    expect(player.status()).toBe('playing');
    expect(player.mode).toBe('replay');
    const state = player.state();
    expect(state.position).toBe(6);
    expect(state.commands.map((command) => [command.commandId, command.state])).toEqual([['a', 'completed']]);
    expect(state.recentEvents.map((event) => event.position)).toEqual([6, 5]);
    expect(state.metrics['*/host'].values).toEqual({ cpu_percent: 42 });
  });

  it('moves the clock to the time of each item played', () => {
    const source = playFirstMinutes();
    expect(player.now()).toBe(FROM + 3 * MINUTE);
    source.emit(sample(FROM + 4 * MINUTE, 50));
    expect(player.now()).toBe(FROM + 4 * MINUTE);
    expect(player.progress()).toBeCloseTo(4 / 20);
  });

  it('closes the stream on replay.end and never reconnects, even when the browser reports the end as an error', () => {
    jest.useFakeTimers();
    const source = playFirstMinutes();
    source.emit(end());
    expect(source.closed).toBe(true);
    expect(player.status()).toBe('ended');
    expect(player.now()).toBe(TO);
    source.fail(); // the response ends after replay.end
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(player.status()).toBe('ended');
  });

  it('closes the stream on an error, says where it stopped, and does not reconnect by itself', () => {
    jest.useFakeTimers();
    const source = playFirstMinutes();
    source.fail();
    expect(source.closed).toBe(true);
    expect(player.status()).toBe('error');
    expect(player.error()).toContain(iso(FROM + 3 * MINUTE));
    jest.advanceTimersByTime(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);

    player.play();
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(lastQuery().from).toBe(FROM + 3 * MINUTE);
  });

  it('says the replay could not start when the stream fails before replay.start', () => {
    player.load({ from: FROM, to: TO });
    FakeEventSource.latest.fail();
    expect(player.status()).toBe('error');
    expect(player.error()).toMatch(/could not be started/);
  });

  it("stops on a closed message with the server's reason", () => {
    const source = playFirstMinutes();
    source.emit({ type: 'closed', reason: 'server shutting down' });
    expect(source.closed).toBe(true);
    expect(player.status()).toBe('error');
    expect(player.error()).toContain('server shutting down');
  });

  it('pauses by closing the stream and plays on from the clock', () => {
    const first = playFirstMinutes();
    player.pause();
    expect(first.closed).toBe(true);
    expect(player.status()).toBe('paused');
    const kept = player.state();
    expect(kept.position).toBe(6);

    player.play();
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(lastQuery()).toMatchObject({ from: FROM + 3 * MINUTE, to: TO, speed: '10' });
    expect(player.status()).toBe('playing');
  });

  it('plays from the start again after the end', () => {
    const source = playFirstMinutes();
    source.emit(end());
    player.play();
    expect(lastQuery().from).toBe(FROM);
  });

  it('reconnects from the clock at a new speed, and a fresh snapshot replaces the state', () => {
    const first = playFirstMinutes();
    expect(player.setSpeed(100)).toBe(true);
    expect(first.closed).toBe(true);
    expect(lastQuery()).toMatchObject({ from: FROM + 3 * MINUTE, speed: '100' });
    expect(player.speed()).toBe(100);

    FakeEventSource.latest.emit(start(FROM + 3 * MINUTE, 100));
    FakeEventSource.latest.emit(snapshot({ ...initialDashboardState(), position: 6 }));
    expect(player.state().commands).toEqual([]);
    expect(player.state().position).toBe(6);
  });

  it('refuses speeds outside 1× to 100× without touching the stream', () => {
    playFirstMinutes();
    for (const speed of [0, 0.5, 101, 1000, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(player.setSpeed(speed)).toBe(false);
      expect(player.error()).toMatch(/from 1× to 100×/);
    }
    expect(player.speed()).toBe(10);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest.closed).toBe(false);
    expect(player.setSpeed(2)).toBe(true);
    expect(player.error()).toBeNull();
  });

  it('changes the speed of a paused replay without opening a stream', () => {
    playFirstMinutes();
    player.pause();
    player.setSpeed(50);
    expect(FakeEventSource.instances).toHaveLength(1);
    player.play();
    expect(lastQuery().speed).toBe('50');
  });

  it('seeks a playing replay by reconnecting with the new from, clamped to the window', () => {
    playFirstMinutes();
    player.seek(FROM + 15 * MINUTE);
    expect(FakeEventSource.instances[0]?.closed).toBe(true);
    expect(lastQuery()).toMatchObject({ from: FROM + 15 * MINUTE, to: TO });
    expect(player.now()).toBe(FROM + 15 * MINUTE);
    expect(player.status()).toBe('playing');

    player.seek(TO + 60 * MINUTE);
    expect(lastQuery().from).toBe(TO);
    player.seek(FROM - 60 * MINUTE);
    expect(lastQuery().from).toBe(FROM);
  });

  it('seeks a paused replay by fetching only the snapshot at that time, then stays paused', () => {
    playFirstMinutes();
    player.pause();
    player.seek(FROM + 10 * MINUTE);
    expect(player.status()).toBe('seeking');
    const seeking = FakeEventSource.latest;
    expect(lastQuery().from).toBe(FROM + 10 * MINUTE);
    seeking.emit(start(FROM + 10 * MINUTE));
    seeking.emit(snapshot({ ...initialDashboardState(), position: 9 }));
    expect(seeking.closed).toBe(true);
    expect(player.status()).toBe('paused');
    expect(player.state().position).toBe(9);
    expect(player.now()).toBe(FROM + 10 * MINUTE);
  });

  it('loads without playing: shows the state at the start, paused', () => {
    player.load({ from: FROM, to: TO }, { autoplay: false });
    expect(player.status()).toBe('seeking');
    FakeEventSource.latest.emit(start());
    FakeEventSource.latest.emit(snapshot({ ...initialDashboardState(), position: 3 }));
    expect(player.status()).toBe('paused');
    expect(player.state().position).toBe(3);
  });

  it('asks for one environment when told, and refetches the state at the clock', () => {
    playFirstMinutes();
    player.setEnvironment('staging');
    expect(lastQuery()).toMatchObject({ environment: 'staging', from: FROM + 3 * MINUTE });
    expect(FakeEventSource.instances).toHaveLength(2);
    player.setEnvironment('staging');
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('ignores messages of a stream it has already replaced', () => {
    const first = playFirstMinutes();
    const handler = first.onmessage; // an event already queued when the stream was replaced
    player.seek(FROM + 10 * MINUTE);
    expect(handler).not.toBeNull();
    handler?.(new MessageEvent('message', { data: JSON.stringify(timed(accepted(7, 'late'), FROM + 4 * MINUTE)) }));
    expect(player.state().commands.some((command) => command.commandId === 'late')).toBe(false);
    expect(player.now()).toBe(FROM + 10 * MINUTE);
  });

  it('closes its stream when the page goes away', () => {
    const source = playFirstMinutes();
    TestBed.resetTestingModule();
    expect(source.closed).toBe(true);
  });
});
