import { DOCUMENT, Injectable, effect, inject, signal } from '@angular/core';

export type Theme = 'light' | 'dark';

/** Where the chosen theme is kept between visits. */
export const THEME_STORAGE_KEY = 'vigil.theme';

/**
 * Light or dark for the whole app. The first visit follows the system
 * (prefers-color-scheme); a choice made with the toggle is kept in localStorage.
 * Applied as `data-theme` on <html>, which sets `color-scheme` (styles.scss), so
 * Material's light-dark() tokens and the app's colours switch together.
 */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly _theme = signal<Theme>(this.initial());

  readonly theme = this._theme.asReadonly();

  constructor() {
    effect(() => {
      this.document.documentElement.setAttribute('data-theme', this._theme());
    });
  }

  toggle(): void {
    this.set(this._theme() === 'dark' ? 'light' : 'dark');
  }

  set(theme: Theme): void {
    this._theme.set(theme);
    try {
      this.document.defaultView?.localStorage.setItem(THEME_STORAGE_KEY, theme);
    } catch {
      // Storage may be off (private mode, quota): the choice then lasts for this visit.
    }
  }

  private initial(): Theme {
    const view = this.document.defaultView;
    try {
      const stored = view?.localStorage.getItem(THEME_STORAGE_KEY);
      if (stored === 'light' || stored === 'dark') return stored;
    } catch {
      // Unreadable storage: fall back to the system preference.
    }
    // Not every window has matchMedia, whatever the DOM types say (jsdom has none).
    if (!view || typeof view.matchMedia !== 'function') return 'light';
    return view.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
}
