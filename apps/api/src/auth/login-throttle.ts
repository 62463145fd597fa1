import { type ExecutionContext, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerStorage } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const MINUTE_MS = 60_000;
/** Login attempts per minute from one IP, whatever the usernames. */
export const LOGIN_ATTEMPTS_PER_IP_PER_MINUTE = 30;

interface Attempts {
  hits: number[];
  blockedUntil: number;
}

/**
 * In-memory sliding-window counters for the login throttle. Unlike the
 * throttler's default storage it can forget a key, so a successful login clears
 * that (IP, username)'s failures; the per-IP window keeps counting everything.
 */
@Injectable()
export class LoginAttempts implements ThrottlerStorage, OnModuleDestroy {
  private readonly attempts = new Map<string, Attempts>();
  private readonly sweep = setInterval(() => {
    this.evictIdle();
  }, MINUTE_MS).unref();

  increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    let entry = this.attempts.get(key);
    if (!entry) {
      entry = { hits: [], blockedUntil: 0 };
      this.attempts.set(key, entry);
    }
    entry.hits = entry.hits.filter((time) => time > now - ttl);
    if (entry.blockedUntil <= now) {
      entry.hits.push(now);
      if (entry.hits.length > limit) entry.blockedUntil = now + blockDuration;
    }
    const isBlocked = entry.blockedUntil > now;
    return Promise.resolve({
      totalHits: entry.hits.length,
      timeToExpire: Math.max(0, Math.ceil(((entry.hits[0] ?? now) + ttl - now) / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((entry.blockedUntil - now) / 1000) : 0,
    });
  }

  forget(key: string): void {
    this.attempts.delete(key);
  }

  private evictIdle(now = Date.now()): void {
    for (const [key, entry] of this.attempts) {
      if (entry.blockedUntil <= now && entry.hits.every((time) => time <= now - MINUTE_MS)) this.attempts.delete(key);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }
}

function usernameOf(request: Request): string {
  const body = request.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.slice(0, 64).toLowerCase() : '';
}

/** The (IP, username) key a successful login clears. */
export function loginUserKey(ip: string | undefined, username: string): string {
  return `login-user:${ip ?? ''}|${username.toLowerCase()}`;
}

/**
 * Rate limit for POST /api/auth/login (@nestjs/throttler): `auth.loginAttemptsPerMinute`
 * per (IP, username), and a looser limit per IP so one address cannot sweep many
 * usernames. Over either: 429 in the standard error body, with Retry-After.
 */
@Injectable()
export class LoginThrottleGuard extends ThrottlerGuard {
  constructor(
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    @Inject(LoginAttempts) attempts: LoginAttempts,
    @Inject(Reflector) reflector: Reflector,
  ) {
    super(
      {
        throttlers: [
          {
            name: 'login-user',
            limit: config.auth.loginAttemptsPerMinute,
            ttl: MINUTE_MS,
            getTracker: (request) => `${(request as Request).ip ?? ''}|${usernameOf(request as Request)}`,
          },
          {
            name: 'login-ip',
            limit: LOGIN_ATTEMPTS_PER_IP_PER_MINUTE,
            ttl: MINUTE_MS,
            getTracker: (request) => (request as Request).ip ?? '',
          },
        ],
        generateKey: (_context, tracker, name) => `${name}:${tracker}`,
      },
      attempts,
      reflector,
    );
    // Sets up the throttlers now (it only copies options), so the guard works
    // whether or not the framework calls the hook on guard instances.
    void super.onModuleInit();
  }

  /** The throttler names its header `Retry-After-<throttler>`; clients and proxies know only the standard one. */
  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }

  protected override getErrorMessage(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<string> {
    return Promise.resolve(`too many login attempts: try again in ${detail.timeToBlockExpire} s`);
  }
}
