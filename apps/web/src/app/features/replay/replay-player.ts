import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { evolveDashboard, initialDashboardState, type DashboardState, type ReplayMessage, type StreamMessage } from '@vigil/shared';
import type { DashboardSource } from '../../core/dashboard-source';
import { closeEventSource, eventSourceImpl, parseTypedMessage } from '../../core/event-source';
import { isValidSpeed, speedError } from './replay-speed';
import { buildReplayUrl } from './replay-url';
import type { TimeWindow } from './time-window';

/**
 * `idle`: no window yet; `playing`: a stream is open and paced; `seeking`: a stream is
 * open only for the snapshot at the new time (seek while paused); `paused`, `ended`,
 * `error`: no stream open.
 */
export type ReplayStatus = 'idle' | 'playing' | 'seeking' | 'paused' | 'ended' | 'error';

type Incoming = StreamMessage | ReplayMessage;

/**
 * Plays one window of the past into a dashboard state, through the same reducer as
 * live. Component-scoped (the replay page provides it), and it is the page's
 * DASHBOARD_SOURCE, so the dashboard components render the replay.
 *
 * One EventSource at a time, never left to the browser's auto-reconnect (which would
 * play the window again from its start): it is closed on `replay.end`, on `closed` and
 * on any error. Pause closes it and keeps the clock; play, a speed change and a seek
 * open a new one from the clock, whose fresh snapshot replaces the state.
 */
@Injectable()
export class ReplayPlayer implements DashboardSource {
  readonly mode = 'replay' as const;

  private readonly _state = signal<DashboardState>(initialDashboardState());
  private readonly _window = signal<TimeWindow | null>(null);
  private readonly _clock = signal(0);
  private readonly _speed = signal(10);
  private readonly _status = signal<ReplayStatus>('idle');
  private readonly _error = signal<string | null>(null);
  private readonly _environment = signal<string | undefined>(undefined);
  private readonly _snapshots = signal(0);

  readonly state = this._state.asReadonly();
  /** The replay clock (epoch ms): the time of the last item played. */
  readonly now = this._clock.asReadonly();
  readonly snapshots = this._snapshots.asReadonly();
  readonly window = this._window.asReadonly();
  readonly speed = this._speed.asReadonly();
  readonly status = this._status.asReadonly();
  /** Why the last stream failed or a setting was refused; cleared by the next good action. */
  readonly error = this._error.asReadonly();
  readonly environment = this._environment.asReadonly();
  /** 0..1 through the window, for the scrubber. */
  readonly progress = computed(() => {
    const window = this._window();
    if (!window) return 0;
    return Math.min(1, Math.max(0, (this._clock() - window.from) / (window.to - window.from)));
  });

  private source: EventSource | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.close();
    });
  }

  /** Starts a new window from its beginning (playing unless `autoplay` is false). */
  load(window: TimeWindow, options: { autoplay?: boolean; environment?: string } = {}): void {
    this.close();
    this._window.set(window);
    this._environment.set(options.environment);
    this._clock.set(window.from);
    this._state.set(initialDashboardState());
    this._error.set(null);
    if (options.autoplay === false) this.seekPaused(window.from);
    else this.open('playing');
  }

  /** Plays on from the clock; from the start again once the window has ended. */
  play(): void {
    const window = this._window();
    if (!window || this._status() === 'playing') return;
    if (this._clock() >= window.to) this._clock.set(window.from);
    this.open('playing');
  }

  /** Stops the stream and keeps the clock and the state where they are. */
  pause(): void {
    if (this._status() !== 'playing' && this._status() !== 'seeking') return;
    this.close();
    this._status.set('paused');
  }

  /** Refuses (and says why) anything but 1..100; a playing replay goes on at the new speed. */
  setSpeed(speed: number): boolean {
    if (!isValidSpeed(speed)) {
      this._error.set(speedError(speed));
      return false;
    }
    this._error.set(null);
    if (speed === this._speed()) return true;
    this._speed.set(speed);
    if (this._status() === 'playing') this.open('playing');
    return true;
  }

  /**
   * Moves the clock to `time` (clamped to the window) and shows the state there: a
   * playing replay goes on from it, a paused one fetches just the snapshot.
   */
  seek(time: number): void {
    const window = this._window();
    if (!window || !Number.isFinite(time)) return;
    const clamped = Math.min(window.to, Math.max(window.from, time));
    this._clock.set(clamped);
    if (this._status() === 'playing') this.open('playing');
    else this.seekPaused(clamped);
  }

  /** Replays one environment (or all); the state is refetched at the clock. */
  setEnvironment(environment: string | undefined): void {
    if (environment === this._environment()) return;
    this._environment.set(environment);
    if (this._window()) this.seek(this._clock());
  }

  private seekPaused(time: number): void {
    this._clock.set(time);
    this.open('seeking');
  }

  private open(status: 'playing' | 'seeking'): void {
    const window = this._window();
    if (!window) return;
    this.close();
    const EventSourceImpl = eventSourceImpl();
    if (!EventSourceImpl) {
      this.fail('This browser cannot open event streams.');
      return;
    }
    this._error.set(null);
    this._status.set(status);
    const url = buildReplayUrl({
      from: this._clock(),
      to: window.to,
      speed: this._speed(),
      environment: this._environment(),
    });
    const source = new EventSourceImpl(url);
    this.source = source;
    let started = false;
    source.onmessage = (event: MessageEvent) => {
      if (this.source !== source) return;
      // The replay stream sends only these (the shared contract), so the type is trusted as such.
      const message = parseTypedMessage(event.data) as Incoming | null;
      if (!message) return;
      if (message.type === 'replay.start') started = true;
      this.handle(message);
    };
    source.onerror = () => {
      if (this.source !== source) return;
      this.fail(
        started
          ? `The replay stream broke off at ${new Date(this._clock()).toISOString()}; press play to go on from there.`
          : 'The replay could not be started (the server refused it or could not be reached).',
      );
    };
  }

  private handle(message: Incoming): void {
    switch (message.type) {
      case 'replay.start':
        return;
      case 'replay.end':
        this.close();
        this._clock.set(this._window()?.to ?? this._clock());
        this._status.set('ended');
        return;
      case 'closed':
        this.fail(`The server ended the replay: ${message.reason}`);
        return;
      case 'snapshot':
        this._state.set(message.state);
        this._snapshots.update((count) => count + 1);
        if (this._status() === 'seeking') {
          this.close();
          this._status.set('paused');
        }
        return;
      default:
        this._state.update((state) => evolveDashboard(state, message));
        this.advanceClock(message.time);
    }
  }

  private advanceClock(time: string): void {
    const at = Date.parse(time);
    const window = this._window();
    if (Number.isNaN(at) || !window) return;
    this._clock.set(Math.min(window.to, Math.max(window.from, at)));
  }

  private fail(reason: string): void {
    this.close();
    this._error.set(reason);
    this._status.set('error');
  }

  private close(): void {
    const source = this.source;
    this.source = null;
    closeEventSource(source);
  }
}
