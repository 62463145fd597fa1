import { DestroyRef, InjectionToken, inject, signal, type Signal } from '@angular/core';
import type { DashboardState } from '@vigil/shared';
import { StreamService } from './stream.service';

/**
 * What the dashboard components render: live (the app's stream) or a replay.
 * Components inject DASHBOARD_SOURCE instead of StreamService, so the replay page
 * shows the very same components by providing its own source in its `providers`.
 */
export interface DashboardSource {
  readonly mode: 'live' | 'replay';
  /** The state folded by the shared reducer. */
  readonly state: Signal<DashboardState>;
  /** Epoch ms of "now" for what is shown: the wall clock live, the replay clock in replay. */
  readonly now: Signal<number>;
  /** How many snapshots replaced the state so far (a replay's start and each seek; 0 live, where it is not needed). */
  readonly snapshots: Signal<number>;
}

/** Live by default; one wall-clock signal per app, ticking once a second. */
export const DASHBOARD_SOURCE = new InjectionToken<DashboardSource>('DASHBOARD_SOURCE', {
  providedIn: 'root',
  factory: () => liveDashboardSource(inject(StreamService), inject(DestroyRef)),
});

export function liveDashboardSource(stream: StreamService, destroyRef: DestroyRef): DashboardSource {
  const now = signal(Date.now());
  const timer = setInterval(() => {
    now.set(Date.now());
  }, 1_000);
  destroyRef.onDestroy(() => {
    clearInterval(timer);
  });
  return { mode: 'live', state: stream.state, now: now.asReadonly(), snapshots: signal(0).asReadonly() };
}
