import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { loginUrlTree, safeReturnUrl } from './return-url';

describe('return to the page after signing in', () => {
  it.each([
    ['/audit?actor=olivia', '/audit?actor=olivia'],
    ['/?kiosk=1', '/?kiosk=1'],
    [
      '/replay?from=2026-11-27T03:00:00.000Z&to=2026-11-27T03:20:00.000Z',
      '/replay?from=2026-11-27T03:00:00.000Z&to=2026-11-27T03:20:00.000Z',
    ],
    [null, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/login', '/'],
    ['/login?returnUrl=%2Faudit', '/'],
  ])('%s → %s', (raw, expected) => {
    expect(safeReturnUrl(raw)).toBe(expected);
  });

  it('remembers the page in the login URL, except the plain dashboard', () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const router = TestBed.inject(Router);
    expect(router.serializeUrl(loginUrlTree(router, '/services?kiosk=1'))).toBe('/login?returnUrl=%2Fservices%3Fkiosk%3D1');
    expect(router.serializeUrl(loginUrlTree(router, '/'))).toBe('/login');
    expect(router.serializeUrl(loginUrlTree(router, '//evil.example'))).toBe('/login');
    TestBed.resetTestingModule();
  });
});
