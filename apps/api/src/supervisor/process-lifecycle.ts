import { Logger } from '@nestjs/common';
import type { EventMeta } from '@vigil/shared';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { instanceEnv, resolveCommand } from './child-env';
import type { ChildrenFile } from './children-file';
import { errorMessage } from './error-message';
import { describeExit, waitHealthy } from './health';
import { label, type ExitInfo, type Instance, type ManagedService } from './managed-service';
import { groupExists, signalGroup } from './process-group';
import { RestartPolicy, startReason } from './restart-policy';
import type { ServiceJournal } from './service-journal';
import type { ServiceVersions } from './service-versions';

/** After SIGKILL, how long to wait for the exit before giving up on it. */
const KILL_WAIT_MS = 5000;

/** The process a launch spawned, as the health watch sees it. */
interface Spawned {
  child: ChildProcess;
  pid: number | null;
  generation: number;
  exited: Promise<ExitInfo>;
}

/** Resolves true if `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(
    (done) =>
      (timer = setTimeout(() => {
        done(false);
      }, ms)),
  );
  try {
    return await Promise.race([
      promise.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The life of one instance's process: spawn (argument array, never a shell, its
 * own process group, a minimal environment, recorded in children.json), the
 * health wait, the exit (handed to the restart policy unless Vigil stopped it)
 * and the stop on purpose (SIGTERM, grace, SIGKILL).
 */
export class ProcessLifecycle {
  private readonly logger = new Logger('Supervisor');
  private readonly policy: RestartPolicy;
  private isShuttingDown = false;
  /** Starts made while Vigil boots carry this correlation id and say `reason: 'boot'`, so they never count as restarts. */
  private bootCorrelationId?: string;

  constructor(
    private readonly children: ChildrenFile,
    private readonly journal: ServiceJournal,
    private readonly versions: ServiceVersions,
  ) {
    this.policy = new RestartPolicy({
      relaunch: (svc, inst, meta) => {
        // Nobody waits for a policy restart's health: its failure is handled (and caught) in watchHealth.
        void this.launch(svc, inst, meta);
      },
      shuttingDown: () => this.isShuttingDown,
    });
  }

  /** Set once Vigil shuts down: nothing is spawned or restarted any more. */
  get shuttingDown(): boolean {
    return this.isShuttingDown;
  }

  markBoot(correlationId: string): void {
    this.bootCorrelationId = correlationId;
  }

  /** Stops every instance of every service, for good. */
  async shutdown(services: Iterable<ManagedService>): Promise<void> {
    this.isShuttingDown = true;
    const meta: EventMeta = { correlationId: randomUUID() };
    await Promise.all(
      [...services].flatMap((svc) =>
        [...svc.instances.values()].map((inst) => this.stop(svc, inst, { ...meta, environment: svc.environment })),
      ),
    );
  }

  /** A start by a command: spawn with a fresh backoff, and the instance's health wait to await. */
  spawnFresh(svc: ManagedService, inst: Instance, meta: EventMeta): Promise<void> {
    this.policy.resetBackoff(svc, inst);
    return this.launch(svc, inst, meta);
  }

  /**
   * Stops one instance on purpose: SIGTERM to its group, stopGraceSeconds, then
   * SIGKILL. Cancels a pending automatic restart. True when a process was stopped.
   */
  async stop(svc: ManagedService, inst: Instance, meta: EventMeta): Promise<boolean> {
    this.policy.cancel(inst);
    const pid = inst.pid;
    if (!inst.child || pid === null || !inst.exited) {
      inst.status = 'stopped';
      return false;
    }
    const exited = inst.exited;
    inst.stopping = meta;
    inst.status = 'stopping';
    inst.healthAbort?.abort(new Error(`${label(svc)} #${inst.index} is being stopped`));
    signalGroup(pid, 'SIGTERM');
    if (!(await within(exited, svc.config.stopGraceSeconds * 1000))) {
      this.logger.warn(`${label(svc)} #${inst.index} (pid ${pid}) ignored SIGTERM for ${svc.config.stopGraceSeconds} s: SIGKILL`);
      signalGroup(pid, 'SIGKILL');
      if (!(await within(exited, KILL_WAIT_MS))) this.logger.error(`${label(svc)} #${inst.index} (pid ${pid}) did not exit after SIGKILL`);
    }
    return true;
  }

  /**
   * Spawns one instance's process; its health is watched in the background.
   * Returns that health wait (also kept as inst.healthy until the next launch).
   */
  private launch(svc: ManagedService, inst: Instance, meta: EventMeta): Promise<void> {
    if (this.isShuttingDown) throw new Error('Vigil is shutting down');
    this.policy.cancel(inst);
    const generation = ++inst.generation;
    const command = resolveCommand(svc.config.command);
    const args = svc.config.args;
    const versionFile = this.versions.file(svc.environment, svc.config.name);
    inst.version = this.versions.current(svc.environment, svc.config.name);
    inst.stopping = null;
    inst.unhealthy = false;
    inst.status = 'starting';
    inst.spawnedAtMs = Date.now();
    inst.startedAt = new Date(inst.spawnedAtMs).toISOString();

    let resolveExit!: (exit: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((done) => (resolveExit = done));
    inst.exited = exited;

    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: resolve(svc.config.cwd),
        env: instanceEnv(svc.config, { environment: svc.environment, index: inst.index, port: inst.port, versionFile }),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      this.logger.error(`${label(svc)} #${inst.index} could not be spawned: ${errorMessage(error)}`);
      inst.child = null;
      inst.pid = null;
      const failed = Promise.reject(new Error(`${label(svc)} #${inst.index} could not be spawned: ${errorMessage(error)}`));
      failed.catch(() => undefined);
      inst.healthy = failed;
      setImmediate(() => {
        this.onExit(svc, inst, generation, null, { code: null, signal: null }, resolveExit);
      });
      return failed;
    }
    const pid = child.pid ?? null;
    inst.child = child;
    inst.pid = pid;
    let exitHandled = false;
    const handleExit = (exit: ExitInfo) => {
      if (exitHandled) return;
      exitHandled = true;
      this.onExit(svc, inst, generation, pid, exit, resolveExit);
    };
    child.on('error', (error) => {
      this.logger.error(`${label(svc)} #${inst.index}: ${error.message}`);
      // A spawn failure (e.g. ENOENT) has no pid and may bring no 'exit'.
      if (pid === null) handleExit({ code: null, signal: null });
    });
    child.on('exit', (code, signal) => {
      handleExit({ code, signal });
    });
    if (child.stdout) svc.logs.attach(inst.index, 'stdout', child.stdout);
    if (child.stderr) svc.logs.attach(inst.index, 'stderr', child.stderr);
    if (pid !== null) {
      this.children.add({
        pid,
        command,
        args,
        environment: svc.environment,
        service: svc.config.name,
        instance: inst.index,
        startedAt: inst.startedAt,
      });
    }

    const healthy = this.watchHealth(svc, inst, { child, pid, generation, exited }, meta);
    healthy.catch(() => undefined);
    inst.healthy = healthy;
    return healthy;
  }

  /** Healthy in time: `running` and service.started. Never healthy: killed, and its exit counts as a failure. */
  private watchHealth(svc: ManagedService, inst: Instance, spawned: Spawned, meta: EventMeta): Promise<void> {
    const { child, pid, generation, exited } = spawned;
    const describe = `${label(svc)} #${inst.index}`;
    const abort = new AbortController();
    inst.healthAbort = abort;
    const healthUrl = svc.config.healthUrl?.replaceAll('{port}', String(inst.port));
    return waitHealthy({
      url: healthUrl,
      timeoutMs: svc.config.startTimeoutSeconds * 1000,
      exited,
      signal: abort.signal,
      describe,
    }).then(
      () => {
        if (generation !== inst.generation || inst.child !== child) throw new Error(`${describe} was replaced before it was healthy`);
        inst.status = 'running';
        this.journal.record(
          svc,
          'service.started',
          { instance: inst.index, pid, port: inst.port, version: inst.version, reason: startReason(meta, this.bootCorrelationId) },
          meta,
        );
      },
      (error: unknown) => {
        // Never healthy in time: kill it; its exit counts as a failure for the restart policy.
        if (!abort.signal.aborted && generation === inst.generation && inst.child === child && !inst.stopping && pid !== null) {
          this.logger.warn(`${errorMessage(error)}: killing pid ${pid}`);
          inst.unhealthy = true;
          signalGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), svc.config.stopGraceSeconds * 1000);
          timer.unref();
          void exited.then(() => {
            clearTimeout(timer);
          });
        }
        throw error;
      },
    );
  }

  private onExit(
    svc: ManagedService,
    inst: Instance,
    generation: number,
    pid: number | null,
    exit: ExitInfo,
    resolveExit: (exit: ExitInfo) => void,
  ): void {
    try {
      if (pid !== null) {
        this.children.remove(pid);
        // Whatever the instance left behind in its group must not hold its port.
        if (groupExists(pid)) signalGroup(pid, 'SIGKILL');
      }
      if (generation !== inst.generation) return;
      const expected = inst.stopping !== null;
      const meta = inst.stopping ?? { environment: svc.environment, correlationId: randomUUID() };
      inst.child = null;
      inst.pid = null;
      inst.healthAbort?.abort(new Error(`${label(svc)} #${inst.index} exited (${describeExit(exit)})`));
      inst.lastExit = { code: exit.code, signal: exit.signal, at: new Date().toISOString() };
      this.journal.record(
        svc,
        'service.exited',
        { instance: inst.index, pid: pid ?? undefined, code: exit.code, signal: exit.signal, expected },
        meta,
      );
      if (expected) {
        inst.status = 'stopped';
        return;
      }
      const failed = exit.code !== 0 || exit.signal !== null || inst.unhealthy;
      this.logger.warn(`${label(svc)} #${inst.index} (pid ${pid ?? '-'}) exited unexpectedly (${describeExit(exit)})`);
      this.policy.afterUnexpectedExit(svc, inst, failed);
    } catch (error) {
      this.logger.error(`handling the exit of ${label(svc)} #${inst.index} failed: ${errorMessage(error)}`);
    } finally {
      resolveExit(exit);
    }
  }
}
