import { type BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { OpenCommands } from './run/open-commands';

/** Why a running command was stopped early. */
export interface AbortCause {
  kind: 'cancelled' | 'timeout' | 'shutdown';
  reason: string;
  by?: string;
}

interface Running {
  commandId: string;
  type: string;
  environment: string;
  target: string;
  controller: AbortController;
  lockKey?: string;
}

/**
 * Commands in flight: one per target at a time (read-only ones excepted), and
 * the handle to cancel each. In memory on purpose: after a restart nothing is
 * running, and recovery has closed every unfinished command as interrupted.
 *
 * In a cluster the locks are this process's, and beyond them the cluster's open
 * commands (folded from the log) count too: a target busy on another node answers
 * 409, and a command running on another node can be cancelled from here. That view
 * trails the log by the tailer's latency, so two requests sent to two nodes within
 * those milliseconds may both be accepted; the owning node then runs them one after
 * the other (each service has its own operation lock).
 */
@Injectable()
export class RunningCommands implements BeforeApplicationShutdown {
  private readonly byId = new Map<string, Running>();
  private readonly locks = new Map<string, string>();

  constructor(@Optional() @Inject(OpenCommands) private readonly cluster?: OpenCommands) {}

  /**
   * Takes the target for a command. Answers 'acquired', 'already-held' (by this
   * same command: an idempotent repeat), or the id of the command holding it.
   */
  lock(environment: string, target: string, commandId: string): 'acquired' | 'already-held' | { heldBy: string } {
    const key = `${environment}/${target}`;
    const holder = this.locks.get(key);
    if (holder === commandId) return 'already-held';
    if (holder !== undefined) return { heldBy: holder };
    this.locks.set(key, commandId);
    return 'acquired';
  }

  unlock(environment: string, target: string, commandId: string): void {
    const key = `${environment}/${target}`;
    if (this.locks.get(key) === commandId) this.locks.delete(key);
  }

  holder(environment: string, target: string): string | undefined {
    return this.locks.get(`${environment}/${target}`) ?? this.cluster?.holder(environment, target);
  }

  begin(commandId: string, type: string, environment: string, target: string): AbortController {
    const controller = new AbortController();
    this.byId.set(commandId, { commandId, type, environment, target, controller });
    return controller;
  }

  isRunning(commandId: string): boolean {
    return this.byId.has(commandId);
  }

  /** A command running here, or (in a cluster) open on any node. */
  get(commandId: string): { type: string; environment: string; target: string } | undefined {
    const running = this.byId.get(commandId) ?? this.cluster?.get(commandId);
    return running && { type: running.type, environment: running.environment, target: running.target };
  }

  abort(commandId: string, cause: AbortCause): boolean {
    const running = this.byId.get(commandId);
    if (!running || running.controller.signal.aborted) return false;
    running.controller.abort(cause);
    return true;
  }

  abortAll(cause: AbortCause): void {
    for (const running of this.byId.values()) if (!running.controller.signal.aborted) running.controller.abort(cause);
  }

  end(commandId: string): void {
    const running = this.byId.get(commandId);
    if (!running) return;
    this.byId.delete(commandId);
    this.unlock(running.environment, running.target, commandId);
  }

  get count(): number {
    return this.byId.size;
  }

  /** On SIGTERM: stop what runs, and give each a moment to record `command.interrupted`. */
  async beforeApplicationShutdown(): Promise<void> {
    this.abortAll({ kind: 'shutdown', reason: 'Vigil shut down while the command was running' });
    const deadline = Date.now() + 5_000;
    while (this.byId.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
