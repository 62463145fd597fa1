import { computed, inject, type Signal } from '@angular/core';
import { DASHBOARD_SOURCE } from './dashboard-source';
import { KioskService } from './kiosk.service';

/**
 * Why controls are off where this is injected, or null when they may be shown:
 * a replay shows the past (nothing to act on), a kiosk is a wall display.
 * Dashboard components (and the alerts panel) hide their controls when set.
 */
export function injectReadOnlyReason(): Signal<string | null> {
  const source = inject(DASHBOARD_SOURCE);
  const kiosk = inject(KioskService);
  return computed(() => {
    if (source.mode === 'replay') return 'replay is read-only';
    if (kiosk.active()) return 'kiosk mode is read-only';
    return null;
  });
}
