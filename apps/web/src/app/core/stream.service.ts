import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';
import { evolveDashboard, initialDashboardState, isDurableEvent, type DashboardState, type StreamMessage } from '@vigil/shared';
import { closeEventSource, eventSourceImpl, parseTypedMessage } from './event-source';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Where the SSE stream lives; same origin by default. */
export const STREAM_URL = new InjectionToken<string>('STREAM_URL', { factory: () => '/api/stream' });

/** Reconnect delays: 1s, 2s, 4s … capped at 15s. */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 15_000;

export function reconnectDelayMs(attempt: number): number {
  return Math.min(RECONNECT_BASE_MS * 2 ** Math.max(0, attempt), RECONNECT_MAX_MS);
}

/** `/api/stream` on a fresh start; `/api/stream?lastEventId=N` to resume after position N. */
export function buildStreamUrl(base: string, lastEventId: number | undefined): string {
  if (lastEventId === undefined) return base;
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}lastEventId=${encodeURIComponent(String(lastEventId))}`;
}

/**
 * Owns the one EventSource of the app. Every message is folded through the shared
 * reducer into one state signal; components only read signals.
 *
 * The browser's own EventSource retry is not used: on any error the source is
 * closed and reopened here with backoff, passing the last durable position as
 * `?lastEventId=` so the server resends exactly what was missed.
 */
@Injectable({ providedIn: 'root' })
export class StreamService {
  private readonly baseUrl = inject(STREAM_URL);

  private readonly _state = signal<DashboardState>(initialDashboardState());
  private readonly _status = signal<ConnectionStatus>('connecting');
  private readonly _countdown = signal<number | null>(null);
  private readonly _lastClosedReason = signal<string | null>(null);
  private readonly _failures = signal(0);

  /** The dashboard, as the shared reducer folds it. */
  readonly state = this._state.asReadonly();
  readonly status = this._status.asReadonly();
  /** Whole seconds until the next reconnect attempt while `status` is 'reconnecting', else null. */
  readonly countdown = this._countdown.asReadonly();
  /** Reason of the last `closed` message the server sent, if any. */
  readonly lastClosedReason = this._lastClosedReason.asReadonly();
  readonly position = computed(() => this._state().position);
  /**
   * Connection errors in a row since the last successful open. EventSource cannot see
   * the HTTP status, so a climbing count is the hint that the session may be gone.
   */
  readonly failures = this._failures.asReadonly();

  private source: EventSource | null = null;
  private started = false;
  /** True once a snapshot or durable event has been folded: from then on, resume instead of starting over. */
  private hasBaseline = false;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private countdownTimer: ReturnType<typeof setInterval> | null = null;
  private readonly onOnline = () => {
    this.handleOnline();
  };
  private readonly onOffline = () => {
    this.handleOffline();
  };

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.disconnect();
    });
  }

  /** Opens the stream (idempotent). */
  connect(): void {
    if (this.started) return;
    this.started = true;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      window.addEventListener('offline', this.onOffline);
    }
    this.open();
  }

  /** Closes the stream and stops reconnecting. */
  disconnect(): void {
    this.started = false;
    this.clearTimers();
    this.closeSource();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('offline', this.onOffline);
    }
  }

  /**
   * Closes the stream and forgets everything it folded (sign-out: the next user starts
   * from a fresh snapshot, never from what the previous one was allowed to see).
   */
  reset(): void {
    this.disconnect();
    this.hasBaseline = false;
    this.attempt = 0;
    this._state.set(initialDashboardState());
    this._status.set('connecting');
    this._countdown.set(null);
    this._lastClosedReason.set(null);
    this._failures.set(0);
  }

  /** Skips the remaining backoff and tries now (e.g. a "retry now" button). */
  reconnectNow(): void {
    if (!this.started) return;
    this.clearTimers();
    this.closeSource();
    this.open();
  }

  /** The URL the next connection attempt uses. */
  nextUrl(): string {
    return buildStreamUrl(this.baseUrl, this.hasBaseline ? this._state().position : undefined);
  }

  private open(): void {
    const EventSourceImpl = eventSourceImpl();
    if (!EventSourceImpl) {
      this._status.set('offline');
      return;
    }
    this._countdown.set(null);
    if (this._status() !== 'reconnecting') this._status.set('connecting');
    const source = new EventSourceImpl(this.nextUrl());
    this.source = source;
    source.onopen = () => {
      if (this.source !== source) return;
      this.attempt = 0;
      this._failures.set(0);
      this._status.set('connected');
    };
    source.onmessage = (event: MessageEvent) => {
      if (this.source !== source) return;
      this.handleMessage(event);
    };
    source.onerror = () => {
      if (this.source !== source) return;
      this._failures.update((count) => count + 1);
      this.scheduleReconnect();
    };
  }

  private handleMessage(event: MessageEvent): void {
    // Not ours (or truncated): the next durable event or a resume fixes the state. The stream
    // sends only StreamMessages (the shared contract), so the type is trusted as such.
    const message = parseTypedMessage(event.data) as StreamMessage | null;
    if (!message) return;
    // Some servers/proxies flush data before the open event fires: a message proves the connection.
    if (this._status() !== 'connected') {
      this.attempt = 0;
      this._failures.set(0);
      this._status.set('connected');
    }
    if (message.type === 'closed') {
      this._lastClosedReason.set(message.reason);
      // The server ends this stream on purpose; resume from where we are.
      this.scheduleReconnect();
      return;
    }
    if (message.type === 'snapshot' || isDurableEvent(message)) this.hasBaseline = true;
    this._state.update((state) => evolveDashboard(state, message));
  }

  private scheduleReconnect(): void {
    this.closeSource();
    this.clearTimers();
    if (!this.started) return;
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      this._status.set('offline');
      return; // the 'online' event reconnects
    }
    const delay = reconnectDelayMs(this.attempt);
    this.attempt += 1;
    const due = Date.now() + delay;
    this._status.set('reconnecting');
    this._countdown.set(Math.ceil(delay / 1000));
    this.countdownTimer = setInterval(() => {
      this._countdown.set(Math.max(0, Math.ceil((due - Date.now()) / 1000)));
    }, 250);
    this.reconnectTimer = setTimeout(() => {
      this.clearTimers();
      this.open();
    }, delay);
  }

  private handleOnline(): void {
    if (!this.started || this._status() === 'connected') return;
    this.attempt = 0;
    this.reconnectNow();
  }

  private handleOffline(): void {
    if (!this.started) return;
    this.clearTimers();
    this.closeSource();
    this._countdown.set(null);
    this._status.set('offline');
  }

  private closeSource(): void {
    const source = this.source;
    this.source = null;
    closeEventSource(source);
  }

  private clearTimers(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    if (this.countdownTimer !== null) clearInterval(this.countdownTimer);
    this.reconnectTimer = null;
    this.countdownTimer = null;
  }
}
