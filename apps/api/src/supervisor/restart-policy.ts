import { Logger } from '@nestjs/common';
import type { EventMeta } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { errorMessage } from './error-message';
import { label, type Instance, type ManagedService } from './managed-service';

/** An instance that ran this long before exiting starts its backoff again from initialBackoffMs. */
export const BACKOFF_RESET_AFTER_MS = 30_000;
/** Correlation ids of automatic restarts start with this, so their events say so. */
const POLICY_PREFIX = 'restart-policy:';

/** Why an instance (re)started, as its service.started event says. */
export type StartReason = 'boot' | 'policy' | 'command';

/** Vigil booting (the boot correlation), the restart policy (its prefix), or else a command. */
export function startReason(meta: EventMeta, bootCorrelationId: string | undefined): StartReason {
  if (meta.correlationId === bootCorrelationId) return 'boot';
  return meta.correlationId.startsWith(POLICY_PREFIX) ? 'policy' : 'command';
}

export interface RestartHooks {
  /** Spawns the instance again (under the service's lock). */
  relaunch(svc: ManagedService, inst: Instance, meta: EventMeta): void;
  shuttingDown(): boolean;
}

/**
 * The restart policy of each service (`always`, `on-failure`, `never`) with
 * exponential backoff from initialBackoffMs to maxBackoffMs per instance.
 */
export class RestartPolicy {
  private readonly logger = new Logger('Supervisor');

  constructor(private readonly hooks: RestartHooks) {}

  /** After an exit nobody asked for: a restart after the instance's backoff, or it stays crashed/stopped. */
  afterUnexpectedExit(svc: ManagedService, inst: Instance, failed: boolean): void {
    if (Date.now() - inst.spawnedAtMs >= BACKOFF_RESET_AFTER_MS) this.resetBackoff(svc, inst);
    const policy = svc.config.restart.policy;
    const wanted = policy === 'always' || (policy === 'on-failure' && failed);
    if (wanted && !svc.stopped && !this.hooks.shuttingDown() && inst.index < svc.desired) this.schedule(svc, inst);
    else inst.status = failed ? 'crashed' : 'stopped';
  }

  /** A start by a command begins the backoff afresh. */
  resetBackoff(svc: ManagedService, inst: Instance): void {
    inst.nextBackoffMs = svc.config.restart.initialBackoffMs;
  }

  /** Drops a pending automatic restart (a launch or a stop takes over). */
  cancel(inst: Instance): void {
    if (inst.backoffTimer) {
      clearTimeout(inst.backoffTimer);
      inst.backoffTimer = null;
    }
  }

  private schedule(svc: ManagedService, inst: Instance): void {
    const delay = inst.nextBackoffMs;
    inst.nextBackoffMs = Math.min(delay * 2, svc.config.restart.maxBackoffMs);
    inst.status = 'backoff';
    const timer = setTimeout(() => {
      if (inst.backoffTimer !== timer) return;
      inst.backoffTimer = null;
      svc.lock
        .run(() => {
          // A command may have handled the instance meanwhile.
          if (inst.status !== 'backoff' || inst.child || svc.stopped || this.hooks.shuttingDown() || inst.index >= svc.desired) return;
          inst.restarts += 1;
          this.logger.log(`${label(svc)} #${inst.index}: restart ${inst.restarts} after ${delay} ms`);
          this.hooks.relaunch(svc, inst, { environment: svc.environment, correlationId: `${POLICY_PREFIX}${randomUUID()}` });
        })
        .catch((error: unknown) => {
          this.logger.error(`restarting ${label(svc)} #${inst.index} failed: ${errorMessage(error)}`);
        });
    }, delay);
    timer.unref();
    inst.backoffTimer = timer;
  }
}
