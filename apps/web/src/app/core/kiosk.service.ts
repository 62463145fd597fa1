import { DOCUMENT, DestroyRef, Injectable, effect, inject, signal } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';

/** The query parameter that turns kiosk mode on: `?kiosk=1` on any page. */
export const KIOSK_PARAM = 'kiosk';

/** True for `kiosk=1` (also `true`/`yes`/empty, so a hand-typed URL works). */
export function kioskRequested(url: string): boolean {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#')[0] : '';
  const value = new URLSearchParams(query).get(KIOSK_PARAM);
  return value !== null && ['1', 'true', 'yes', ''].includes(value.toLowerCase());
}

/**
 * Kiosk mode for a wall display: no controls, no navigation, large type. Turned on by
 * `?kiosk=1` and kept while navigating inside the app (a navigation that drops the
 * parameter gets it back), until `exit()`.
 */
@Injectable({ providedIn: 'root' })
export class KioskService {
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  /** From the address the app was opened with, before the first navigation ends. */
  private readonly _active = signal(kioskRequested(this.document.location.search));
  private exiting = false;

  readonly active = this._active.asReadonly();

  constructor() {
    const subscription = this.router.events.subscribe((event) => {
      if (event instanceof NavigationEnd) this.follow(event.urlAfterRedirects);
    });
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
    });
    effect(() => this.document.documentElement.classList.toggle('vg-kiosk', this._active()));
  }

  /** Leaves kiosk mode, staying on the same page. */
  exit(): Promise<boolean> {
    this.exiting = true;
    this._active.set(false);
    return this.router
      .navigate([], { queryParams: { [KIOSK_PARAM]: null }, queryParamsHandling: 'merge', replaceUrl: true })
      .finally(() => (this.exiting = false));
  }

  private follow(url: string): void {
    if (kioskRequested(url)) {
      this._active.set(true);
    } else if (this._active() && !this.exiting && !url.startsWith('/login')) {
      // Navigated inside the app without the parameter: stay a kiosk (the URL says so too).
      void this.router.navigate([], { queryParams: { [KIOSK_PARAM]: 1 }, queryParamsHandling: 'merge', replaceUrl: true });
    } else {
      this._active.set(false);
    }
  }
}
