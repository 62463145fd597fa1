import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { LoginResponse, MeResponse, SessionUser } from '@vigil/shared';
import { firstValueFrom } from 'rxjs';
import { loginUrlTree } from './return-url';

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';

export const LOGIN_URL = '/api/auth/login';
export const LOGOUT_URL = '/api/auth/logout';
export const ME_URL = '/api/auth/me';

/**
 * The CSRF header, as `CSRF_HEADER` in @vigil/shared names it (a unit test keeps the two
 * equal). Not imported as a value: today that module also builds zod schemas at load
 * time, which would pull all of zod into the initial bundle.
 */
export const CSRF_HEADER_NAME = 'x-csrf-token';

export const SESSION_EXPIRED_MESSAGE = 'Your session has expired; please sign in again.';

/** setTimeout's delay is a signed 32-bit integer: longer waits fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Who is signed in. The session itself lives in the HttpOnly `vigil_session` cookie
 * (so the browser authenticates EventSource on its own); this service only mirrors
 * the user and keeps the CSRF token that cookie-authenticated writes must send.
 */
@Injectable({ providedIn: 'root' })
export class SessionService {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);

  private readonly _user = signal<SessionUser | null>(null);
  private readonly _csrfToken = signal<string | null>(null);
  private readonly _expiresAt = signal<string | null>(null);
  private readonly _status = signal<SessionStatus>('unknown');
  private readonly _expiredMessage = signal<string | null>(null);

  readonly user = this._user.asReadonly();
  readonly csrfToken = this._csrfToken.asReadonly();
  readonly expiresAt = this._expiresAt.asReadonly();
  /** 'unknown' until the first `restore()` answers. */
  readonly status = this._status.asReadonly();
  /** Set when a signed-in session ended without the user signing out; the login page shows it. */
  readonly expiredMessage = this._expiredMessage.asReadonly();
  readonly signedIn = computed(() => this._status() === 'signed-in');

  private restoring: Promise<boolean> | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.clearExpiryTimer();
    });
  }

  /**
   * Asks the server who we are (GET /api/auth/me). Resolves true when signed in.
   * Concurrent calls share one request. A network failure keeps a known session
   * (the server may just be restarting) but resolves an unknown one as signed out.
   */
  restore(): Promise<boolean> {
    this.restoring ??= firstValueFrom(this.http.get<MeResponse>(ME_URL))
      .then((me) => {
        this.signIn(me);
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 401) {
          this.clear(); // the interceptor already did, and said why if it was an expiry
        } else if (this._status() === 'unknown') {
          this._status.set('signed-out');
        }
        return this._status() === 'signed-in';
      })
      .finally(() => (this.restoring = null));
    return this.restoring;
  }

  /** Resolves once the status is known (restoring at most once at start). */
  async ready(): Promise<SessionStatus> {
    if (this._status() === 'unknown') await this.restore();
    return this._status();
  }

  /** POST /api/auth/login. Rejects with the HttpErrorResponse on 401, 429 and the like. */
  async login(username: string, password: string): Promise<SessionUser> {
    const response = await firstValueFrom(this.http.post<LoginResponse>(LOGIN_URL, { username, password }));
    this.signIn(response);
    return response.user;
  }

  /** Ends the session on the server (best effort), forgets it here and shows the login page. */
  async logout(): Promise<void> {
    const token = this._csrfToken();
    // Clear first: the stream stops at once and a 401 from the logout call is not an "expiry".
    this.clear();
    try {
      await firstValueFrom(this.http.post(LOGOUT_URL, null, { headers: token ? { [CSRF_HEADER_NAME]: token } : {}, responseType: 'text' }));
    } catch {
      // Already gone on the server, or unreachable: locally we are signed out either way.
    }
    await this.router.navigateByUrl('/login');
  }

  /**
   * The user ended their own sessions on the server (a password change, "sign out
   * everywhere"): forget this one too and show the login page with why.
   */
  async endedByUser(message: string): Promise<void> {
    this.clear();
    this._expiredMessage.set(message);
    await this.router.navigateByUrl('/login');
  }

  /**
   * The server said 401 to an authenticated call: forget the session and send the user
   * to the login page. Says "expired" only if we believed we were signed in.
   */
  expire(): void {
    const wasSignedIn = this._status() === 'signed-in';
    this.clear();
    if (!wasSignedIn) return;
    this._expiredMessage.set(SESSION_EXPIRED_MESSAGE);
    // Back to this very page after signing in again (a wall display keeps its kiosk view).
    void this.router.navigateByUrl(loginUrlTree(this.router, this.router.url));
  }

  private signIn(session: MeResponse | LoginResponse): void {
    this._user.set(session.user);
    this._csrfToken.set(session.csrfToken);
    this._expiresAt.set(session.expiresAt);
    this._expiredMessage.set(null);
    this._status.set('signed-in');
    this.scheduleExpiryCheck(session.expiresAt);
  }

  private clear(): void {
    this.clearExpiryTimer();
    this._user.set(null);
    this._csrfToken.set(null);
    this._expiresAt.set(null);
    this._status.set('signed-out');
  }

  /** When the token's lifetime is up, ask the server (it answers 401 if the session really ended). */
  private scheduleExpiryCheck(expiresAt: string): void {
    this.clearExpiryTimer();
    const due = Date.parse(expiresAt);
    if (Number.isNaN(due)) return;
    const delay = Math.min(Math.max(0, due - Date.now()) + 1_000, MAX_TIMER_MS);
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      if (this._status() === 'signed-in') void this.restore();
    }, delay);
  }

  private clearExpiryTimer(): void {
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }
}
