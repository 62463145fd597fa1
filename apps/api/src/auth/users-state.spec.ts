import type { EventType, StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJwtSecret, readAuthSettings, SECRET_FILE } from './auth-settings';
import { parseCookies } from './cookies';
import { sessionEnded, userIdFor, userStreamOf, UsersState } from './users-state';

let position = 0;
function event<T extends EventType>(type: T, data: StoredEvent<T>['data'], time = '2026-01-01T00:00:00.000Z'): StoredEvent {
  position += 1;
  const userId = (data as { userId?: string }).userId ?? 'none';
  return { position, stream: userStreamOf(userId), version: 1, type, data, meta: { correlationId: 'c' }, time, hash: 'h' } as StoredEvent;
}

describe('users fold', () => {
  const alice = userIdFor('alice');
  const bob = userIdFor('bob');
  const later = new Date(Date.now() + 3600_000).toISOString();
  const earlier = new Date(Date.now() - 1000).toISOString();
  const events = (): StoredEvent[] => {
    position = 0;
    return [
      event('user.created', { userId: alice, username: 'alice', role: 'admin', passwordHash: 'h1' }, '2026-01-01T00:00:00.000Z'),
      event('user.created', { userId: bob, username: 'bob', role: 'viewer', passwordHash: 'h2' }, '2026-01-02T00:00:00.000Z'),
      event('user.logged-in', { userId: bob, username: 'bob', jti: 'j1', expiresAt: later }),
      event('user.role-changed', { userId: bob, username: 'bob', role: 'operator', previousRole: 'viewer' }),
      event('user.password-changed', { userId: bob, username: 'bob', passwordHash: 'h3' }),
      event('user.disabled', { userId: bob, username: 'bob' }),
      event('user.logged-out', { userId: bob, username: 'bob', jti: 'j1', expiresAt: later }),
      event('user.logged-out', { userId: bob, username: 'bob', jti: 'old', expiresAt: earlier }),
      event('user.login-failed', { username: 'bob', reason: 'user disabled' }),
      // A second creation of a taken name never replaces the first.
      event('user.created', { userId: 'other', username: 'alice', role: 'viewer', passwordHash: 'x' }),
    ];
  };

  it('folds created, role, password, disable and revocations; reports role, password and disable changes', () => {
    const state = new UsersState();
    const changes = events()
      .map((e) => state.apply(e))
      .filter(Boolean);
    expect(changes).toEqual([
      { userId: bob, reason: 'role changed from viewer to operator' },
      { userId: bob, reason: 'password changed' },
      { userId: bob, reason: 'user disabled' },
    ]);
    expect(state.byUsername.get('bob')).toMatchObject({
      id: bob,
      role: 'operator',
      disabled: true,
      passwordHash: 'h3',
      createdAt: '2026-01-02T00:00:00.000Z',
    });
    expect(state.byId.get(alice)).toMatchObject({ username: 'alice', role: 'admin', disabled: false });
    expect(state.byId.has('other')).toBe(false);
    expect(state.isRevoked('j1')).toBe(true);
    expect(state.isRevoked('old')).toBe(false);
    expect(state.list()).toEqual([
      { id: alice, username: 'alice', role: 'admin', disabled: false, createdAt: '2026-01-01T00:00:00.000Z' },
      {
        id: bob,
        username: 'bob',
        role: 'operator',
        disabled: true,
        createdAt: '2026-01-02T00:00:00.000Z',
        lastLoginAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(JSON.stringify(state.list())).not.toContain('passwordHash');
  });

  it('keeps each user’s open sessions: a login opens one, logout and a password change end them', () => {
    const state = new UsersState();
    const log = events();
    // Up to bob's login: one open session.
    log.slice(0, 3).forEach((e) => state.apply(e));
    expect([...(state.byId.get(bob)?.sessions.keys() ?? [])]).toEqual(['j1']);
    // The password change ends it.
    log.slice(3, 5).forEach((e) => state.apply(e));
    expect(state.byId.get(bob)?.sessions.size).toBe(0);
  });

  it('rebuilding from the same events gives the same state, and replays are ignored', () => {
    const first = new UsersState();
    const log = events();
    log.forEach((e) => first.apply(e));
    const second = new UsersState();
    log.forEach((e) => second.apply(e));
    log.forEach((e) => second.apply(e));
    expect(second.list()).toEqual(first.list());
    expect([...second.revoked]).toEqual([...first.revoked]);
  });

  it('re-enables, and prunes revocations once their tokens have expired', () => {
    const state = new UsersState();
    events().forEach((e) => state.apply(e));
    state.apply(event('user.enabled', { userId: bob, username: 'bob' }));
    expect(state.byId.get(bob)?.disabled).toBe(false);
    expect(state.pruneRevoked(Date.now())).toBe(0);
    expect(state.pruneRevoked(Date.now() + 2 * 3600_000)).toBe(1);
    expect(state.isRevoked('j1')).toBe(false);
  });

  it('derives one stable UUID per username', () => {
    expect(userIdFor('alice')).toBe(alice);
    expect(alice).not.toBe(bob);
    expect(alice).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('sessions ended by a password change', () => {
  const at = (time: string): StoredEvent[] => {
    position = 0;
    return [
      event('user.created', { userId: 'u', username: 'u', role: 'viewer', passwordHash: 'h1' }),
      event('user.password-changed', { userId: 'u', username: 'u', passwordHash: 'h2' }, time),
    ];
  };

  it('ends tokens of an older generation exactly, and old tokens without one up to the change second', () => {
    const state = new UsersState();
    for (const e of at('2026-01-01T00:00:10.400Z')) state.apply(e);
    const user = state.byId.get('u')!;
    expect(user.sessionGeneration).toBe(1);
    const second = Date.parse('2026-01-01T00:00:10.000Z') / 1000;
    expect(sessionEnded(user, { iat: second, gen: 0 })).toBe(true);
    expect(sessionEnded(user, { iat: second, gen: 1 })).toBe(false);
    // Old format: issued in the change's second (maybe before it), ended; a later second, kept.
    expect(sessionEnded(user, { iat: second })).toBe(true);
    expect(sessionEnded(user, { iat: second - 1 })).toBe(true);
    expect(sessionEnded(user, { iat: second + 1 })).toBe(false);
  });

  it('ends nothing for a user whose password never changed', () => {
    const state = new UsersState();
    state.apply(at('2026-01-01T00:00:10.400Z')[0]);
    expect(sessionEnded(state.byId.get('u')!, { iat: 0 })).toBe(false);
    expect(sessionEnded(state.byId.get('u')!, { iat: 0, gen: 0 })).toBe(false);
  });
});

describe('session cookies and the signing key', () => {
  it('parses Cookie headers', () => {
    const cookies = parseCookies('a=1; vigil_session=abc.def.ghi;  vigil_csrf="q%2Bz" ; broken; =x; a=2');
    expect(cookies.get('vigil_session')).toBe('abc.def.ghi');
    expect(cookies.get('vigil_csrf')).toBe('q+z');
    expect(cookies.get('a')).toBe('1');
    expect(parseCookies(undefined).size).toBe(0);
    expect(parseCookies('x=%E0%A4%A').get('x')).toBe('%E0%A4%A');
  });

  it('generates the key once with mode 0600 and reuses it; VIGIL_JWT_SECRET wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-secret-'));
    try {
      const first = loadJwtSecret({}, dir);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
      expect(loadJwtSecret({}, dir)).toBe(first);
      expect(loadJwtSecret({ jwtSecret: 'x'.repeat(40) }, dir)).toBe('x'.repeat(40));
      writeFileSync(join(dir, SECRET_FILE), 'short');
      expect(() => loadJwtSecret({}, dir)).toThrow(/no usable key/);
      expect(() => readAuthSettings({ VIGIL_JWT_SECRET: 'too-short' })).toThrow(/at least 32/);
      expect(readAuthSettings({ VIGIL_ADMIN_PASSWORD: 'pw-0123456789' })).toEqual({ adminPassword: 'pw-0123456789' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
