import { TestBed } from '@angular/core/testing';
import { THEME_STORAGE_KEY, ThemeService } from './theme.service';

describe('ThemeService', () => {
  const root = document.documentElement;
  let prefersDark = false;
  /** jsdom has no matchMedia of its own (if it ever gets one, it is put back after each test). */
  const ownMatchMedia = Object.getOwnPropertyDescriptor(window, 'matchMedia');

  beforeEach(() => {
    localStorage.clear();
    root.removeAttribute('data-theme');
    window.matchMedia = (query: string) =>
      ({ matches: query === '(prefers-color-scheme: dark)' && prefersDark, media: query }) as MediaQueryList;
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    if (ownMatchMedia) Object.defineProperty(window, 'matchMedia', ownMatchMedia);
    else Reflect.deleteProperty(window, 'matchMedia');
  });

  function create(): ThemeService {
    const theme = TestBed.inject(ThemeService);
    TestBed.tick(); // run the effect that applies it to <html>
    return theme;
  }

  it.each([
    [true, 'dark'],
    [false, 'light'],
  ])('follows the system preference on a first visit (prefers dark: %s)', (dark, expected) => {
    prefersDark = dark;
    expect(create().theme()).toBe(expected);
    expect(root.getAttribute('data-theme')).toBe(expected);
  });

  it('toggles, applies the theme to <html> and keeps the choice for the next visit', () => {
    prefersDark = false;
    const theme = create();
    theme.toggle();
    TestBed.tick();
    expect(theme.theme()).toBe('dark');
    expect(root.getAttribute('data-theme')).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    // Next visit: the stored choice wins over the system preference.
    TestBed.resetTestingModule();
    root.removeAttribute('data-theme');
    expect(create().theme()).toBe('dark');
    expect(root.getAttribute('data-theme')).toBe('dark');

    TestBed.inject(ThemeService).toggle();
    TestBed.tick();
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    expect(root.getAttribute('data-theme')).toBe('light');
  });

  it('ignores a stored value that is not a theme', () => {
    prefersDark = true;
    localStorage.setItem(THEME_STORAGE_KEY, 'purple');
    expect(create().theme()).toBe('dark');
  });
});
