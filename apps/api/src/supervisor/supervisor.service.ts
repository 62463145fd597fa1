import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventMeta, EventType, ServiceEventData } from '@vigil/shared';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { SETTINGS, VIGIL_CONFIG } from '../config/config.module';
import type { Settings } from '../config/settings';
import type { ServiceConfig, VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { SamplerService } from '../metrics/sampler.service';
import { ChildrenFile, cmdlineMatches } from './children-file';
import { describeExit, waitHealthy } from './health';
import { LineSplitter } from './line-splitter';
import { OpLock, raceAbort } from './op-lock';
import { isAlive } from './proc';
import { groupExists, signalGroup, terminateForeign } from './process-group';
import { RingBuffer } from './ring-buffer';
import { runStep } from './run-step';
import { ServiceCollector, type LiveInstance } from './service.collector';

/** What a command executor passes in. */
export interface RunOptions {
  /** Cancel/timeout: stop waiting, kill what was spawned for this operation. */
  signal: AbortSignal;
  /** Progress text for the command's output. */
  output(lines: { stream: 'stdout' | 'stderr'; text: string }[]): void;
  progress(percent: number, step: string): void;
  /** Goes into the meta of the service.* events appended. */
  correlationId: string;
  causationId?: string;
}

export interface InstanceStatus {
  index: number;
  pid: number | null;
  port: number | null;
  status: 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed' | 'backoff';
  startedAt: string | null;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: string };
}

export interface ServiceStatus {
  environment: string;
  service: string;
  version: string;
  desiredInstances: number;
  instances: InstanceStatus[];
}

export interface LogLine {
  time: string;
  instance: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Thrown for an environment/service pair that is not configured. */
export class UnknownServiceError extends Error {
  constructor(environment: string, service: string) {
    super(`no service "${service}" in environment "${environment}"`);
    this.name = 'UnknownServiceError';
  }
}

/** The minimum of SamplerService the supervisor uses (tests may pass the real one). */
export type CollectorRegistry = Pick<SamplerService, 'add' | 'remove'>;

/** Lines kept per instance. */
export const LOG_LINES_PER_INSTANCE = 1000;
/** An instance that ran this long before exiting starts its backoff again from initialBackoffMs. */
export const BACKOFF_RESET_AFTER_MS = 30_000;
/** After SIGKILL, how long to wait for the exit before giving up on it. */
const KILL_WAIT_MS = 5000;
const DEFAULT_VERSION = '1.0.0';
/** Environment variables passed from Vigil's own environment; nothing else (no secrets). */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

interface ExitInfo {
  code: number | null;
  signal: string | null;
}

interface LogEntry {
  seq: number;
  line: LogLine;
}

interface Instance {
  index: number;
  port: number | null;
  child: ChildProcess | null;
  pid: number | null;
  status: InstanceStatus['status'];
  startedAt: string | null;
  spawnedAtMs: number;
  version: string | null;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: string };
  logs: RingBuffer<LogEntry>;
  nextBackoffMs: number;
  backoffTimer: NodeJS.Timeout | null;
  /** Set when Vigil stops the process on purpose: its exit is expected, with this meta. */
  stopping: EventMeta | null;
  /** Killed because it never became healthy: its exit counts as a failure. */
  unhealthy: boolean;
  /** Settles when the current process exits. */
  exited: Promise<ExitInfo> | null;
  /** Settles when the current process is healthy (rejects on timeout, exit, stop). */
  healthy: Promise<void> | null;
  healthAbort: AbortController | null;
  generation: number;
}

interface Managed {
  environment: string;
  config: ServiceConfig;
  stream: string;
  desired: number;
  /** Stopped by a command: the restart policy leaves it alone until start/restart/scale. */
  stopped: boolean;
  deploying: boolean;
  instances: Map<number, Instance>;
  lock: OpLock;
  followers: Set<(line: LogLine) => void>;
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
 * Runs the configured services as real child processes: argument arrays (never a
 * shell), each instance in its own process group with a minimal environment,
 * restarted by policy with exponential backoff, logs kept in a ring buffer per
 * instance, every live child recorded in `<dataDir>/supervisor/children.json`.
 *
 * `VIGIL_SUPERVISOR=off` keeps bootstrap from starting services (leftover cleanup
 * and metrics registration still happen; commands still work).
 */

/** Correlation ids of automatic restarts start with this, so their events say so. */
const POLICY_PREFIX = 'restart-policy:';
@Injectable()
export class Supervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Supervisor');
  private readonly services = new Map<string, Managed>();
  private readonly children: ChildrenFile;
  private readonly pendingAppends = new Set<Promise<void>>();
  private readonly collectors: ServiceCollector[] = [];
  private logSeq = 0;
  private shuttingDown = false;
  private startup: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SETTINGS) private readonly settings: Pick<Settings, 'dataDir'>,
    @Inject(VIGIL_CONFIG) private readonly vigilConfig: VigilConfig,
    @Inject(SamplerService) private readonly sampler: CollectorRegistry,
  ) {
    this.children = new ChildrenFile(join(settings.dataDir, 'supervisor', 'children.json'));
    for (const environment of vigilConfig.environments) {
      for (const config of environment.services) {
        this.services.set(key(environment.name, config.name), {
          environment: environment.name,
          config,
          stream: `service-${config.name}@${environment.name}`,
          desired: config.instances,
          stopped: false,
          deploying: false,
          instances: new Map(),
          lock: new OpLock(),
          followers: new Set(),
        });
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts made while Vigil boots are marked `reason: 'boot'`, so they never count as restarts. */
  private bootCorrelationId?: string;

  async onApplicationBootstrap(): Promise<void> {
    await this.cleanupLeftovers();
    this.registerCollectors();
    if (process.env.VIGIL_SUPERVISOR === 'off') {
      this.logger.log('VIGIL_SUPERVISOR=off: configured services are not started');
      return;
    }
    const options = this.internalOptions();
    this.bootCorrelationId = options.correlationId;
    const starts = [...this.services.values()]
      .filter((svc) => svc.config.instances > 0)
      .map((svc) =>
        this.start(svc.environment, svc.config.name, options).catch((error: unknown) => {
          this.logger.error(`${label(svc)} did not start: ${errorMessage(error)}`);
        }),
      );
    // Not awaited: the API answers while services come up.
    this.startup = Promise.all(starts).then(() => undefined);
  }

  /** Settles when the services started at bootstrap are up (or failed to be). */
  whenStarted(): Promise<void> {
    return this.startup;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const collector of this.collectors) this.sampler.remove(collector.source, collector.environment);
    const meta: EventMeta = { correlationId: randomUUID() };
    await Promise.all(
      [...this.services.values()].flatMap((svc) =>
        [...svc.instances.values()].map((inst) => this.stopInstance(svc, inst, { ...meta, environment: svc.environment })),
      ),
    );
    await Promise.all([...this.pendingAppends]);
  }

  // ---------------------------------------------------------------- queries

  has(environment: string, service: string): boolean {
    return this.services.has(key(environment, service));
  }

  config(environment: string, service: string): ServiceConfig | undefined {
    return this.services.get(key(environment, service))?.config;
  }

  status(environment?: string): ServiceStatus[] {
    return [...this.services.values()]
      .filter((svc) => environment === undefined || svc.environment === environment)
      .map((svc) => {
        const instances = [...svc.instances.values()]
          .filter((inst) => inst.index < svc.desired || inst.child !== null || inst.status === 'backoff')
          .sort((a, b) => a.index - b.index);
        const runningVersion = instances.find((inst) => inst.child !== null)?.version;
        return {
          environment: svc.environment,
          service: svc.config.name,
          version: runningVersion ?? this.currentVersion(svc.environment, svc.config.name),
          desiredInstances: svc.desired,
          instances: instances.map((inst) => ({
            index: inst.index,
            pid: inst.pid,
            port: inst.port,
            status: inst.status,
            startedAt: inst.startedAt,
            restarts: inst.restarts,
            ...(inst.lastExit ? { lastExit: { ...inst.lastExit } } : {}),
          })),
        };
      });
  }

  currentVersion(environment: string, service: string): string {
    const file = this.versionFile(environment, service);
    try {
      if (!existsSync(file)) return DEFAULT_VERSION;
      return readFileSync(file, 'utf8').trim() || DEFAULT_VERSION;
    } catch {
      return DEFAULT_VERSION;
    }
  }

  logs(environment: string, service: string, lines: number): LogLine[] {
    const svc = this.require(environment, service);
    const count = Math.max(0, Math.floor(lines));
    const entries = [...svc.instances.values()].flatMap((inst) => inst.logs.last(count));
    entries.sort((a, b) => a.seq - b.seq);
    return entries.slice(Math.max(0, entries.length - count)).map((entry) => entry.line);
  }

  followLogs(environment: string, service: string, onLine: (line: LogLine) => void): () => void {
    const svc = this.require(environment, service);
    svc.followers.add(onLine);
    return () => {
      svc.followers.delete(onLine);
    };
  }

  // ---------------------------------------------------------------- operations

  async start(environment: string, service: string, options: RunOptions): Promise<void> {
    const svc = this.require(environment, service);
    await svc.lock.run(async () => {
      svc.stopped = false;
      if (svc.desired < 1) svc.desired = 1;
      await this.bringUp(svc, range(svc.desired), options);
    }, options.signal);
  }

  async stop(environment: string, service: string, options: RunOptions): Promise<void> {
    const svc = this.require(environment, service);
    await svc.lock.run(async () => {
      svc.stopped = true;
      await this.stopInstances(svc, [...svc.instances.values()], options);
    }, options.signal);
  }

  async restart(environment: string, service: string, options: RunOptions): Promise<void> {
    const svc = this.require(environment, service);
    await svc.lock.run(async () => {
      svc.stopped = false;
      if (svc.desired < 1) svc.desired = 1;
      const meta = metaOf(svc, options);
      const total = svc.desired;
      for (const index of range(total)) {
        if (options.signal.aborted) throw options.signal.reason;
        const inst = this.instance(svc, index);
        options.progress(Math.round((index / total) * 100), `restarting instance ${index}`);
        const oldPid = inst.pid;
        await this.stopInstance(svc, inst, meta);
        this.launch(svc, inst, meta);
        inst.nextBackoffMs = svc.config.restart.initialBackoffMs;
        try {
          await raceAbort(inst.healthy!, options.signal);
        } catch (error) {
          if (options.signal.aborted) await this.stopInstance(svc, inst, meta);
          throw error;
        }
        options.output([{ stream: 'stdout', text: `instance ${index}: pid ${oldPid ?? '-'} → ${inst.pid}, healthy` }]);
      }
      options.progress(100, 'restarted');
    }, options.signal);
  }

  async scale(environment: string, service: string, instances: number, options: RunOptions): Promise<{ from: number; to: number }> {
    const svc = this.require(environment, service);
    const max = svc.config.maxInstances;
    if (!Number.isInteger(instances) || instances < 0 || instances > max) {
      throw new RangeError(`instances must be an integer from 0 to ${max}, got ${instances}`);
    }
    return svc.lock.run(async () => {
      const from = svc.desired;
      const to = instances;
      svc.desired = to;
      if (to > 0) svc.stopped = false;
      this.track(this.append(svc, 'service.scaled', { from, to }, metaOf(svc, options)));
      const surplus = [...svc.instances.values()].filter((inst) => inst.index >= to);
      await this.stopInstances(svc, surplus, options);
      if (to > 0) await this.bringUp(svc, range(to), options);
      options.output([{ stream: 'stdout', text: `${label(svc)} scaled from ${from} to ${to} instance(s)` }]);
      return { from, to };
    }, options.signal);
  }

  async runDeployStep(environment: string, service: string, version: string, options: RunOptions): Promise<void> {
    const svc = this.require(environment, service);
    const deploy = svc.config.deploy;
    if (!deploy) throw new Error(`${label(svc)} has no deploy step configured`);
    if (typeof version !== 'string' || version.length === 0 || version.length > 200 || /[\0\r\n]/.test(version)) {
      throw new Error('version must be 1 to 200 characters on one line');
    }
    if (svc.deploying) throw new Error(`a deploy step of ${label(svc)} is already running`);
    if (this.shuttingDown) throw new Error('Vigil is shutting down');
    svc.deploying = true;
    try {
      const versionFile = this.versionFile(environment, service);
      mkdirSync(dirname(versionFile), { recursive: true });
      const command = resolveCommand(deploy.command);
      const env: NodeJS.ProcessEnv = {
        ...this.baseEnv(svc),
        VIGIL_DEPLOY_VERSION: version,
        VIGIL_ENVIRONMENT: environment,
        VIGIL_SERVICE: service,
        VIGIL_VERSION_FILE: versionFile,
      };
      await runStep({
        command,
        args: deploy.args,
        cwd: resolve(svc.config.cwd),
        env,
        timeoutMs: deploy.timeoutSeconds * 1000,
        graceMs: svc.config.stopGraceSeconds * 1000,
        signal: options.signal,
        describe: `deploy step of ${label(svc)}`,
        onSpawn: (pid) => {
          this.children.add({ pid, command, args: deploy.args, environment, service, instance: -1, startedAt: new Date().toISOString() });
        },
        onExit: (pid) => {
          this.children.remove(pid);
        },
        onLines: (lines) => {
          let batch: { stream: 'stdout' | 'stderr'; text: string }[] = [];
          for (const line of lines) {
            const progress = line.stream === 'stdout' ? /^PROGRESS\s+(-?\d+(?:\.\d+)?)(?:\s+(.*))?$/.exec(line.text) : null;
            if (!progress) {
              batch.push(line);
              continue;
            }
            if (batch.length > 0) options.output(batch);
            batch = [];
            options.progress(Math.min(100, Math.max(0, Number(progress[1]))), (progress[2] ?? '').trim());
          }
          if (batch.length > 0) options.output(batch);
        },
      });
    } finally {
      svc.deploying = false;
    }
  }

  // ---------------------------------------------------------------- internals

  private require(environment: string, service: string): Managed {
    const svc = this.services.get(key(environment, service));
    if (!svc) throw new UnknownServiceError(environment, service);
    return svc;
  }

  private instance(svc: Managed, index: number): Instance {
    let inst = svc.instances.get(index);
    if (!inst) {
      inst = {
        index,
        port: svc.config.ports ? svc.config.ports.from + index : null,
        child: null,
        pid: null,
        status: 'stopped',
        startedAt: null,
        spawnedAtMs: 0,
        version: null,
        restarts: 0,
        logs: new RingBuffer<LogEntry>(LOG_LINES_PER_INSTANCE),
        nextBackoffMs: svc.config.restart.initialBackoffMs,
        backoffTimer: null,
        stopping: null,
        unhealthy: false,
        exited: null,
        healthy: null,
        healthAbort: null,
        generation: 0,
      };
      svc.instances.set(index, inst);
    }
    return inst;
  }

  private versionFile(environment: string, service: string): string {
    return join(this.settings.dataDir, 'deploy', environment, service, 'VERSION');
  }

  private baseEnv(svc: Managed): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const name of INHERITED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
    return { ...env, ...svc.config.env };
  }

  private childEnv(svc: Managed, inst: Instance): NodeJS.ProcessEnv {
    return {
      ...this.baseEnv(svc),
      ...(inst.port !== null ? { PORT: String(inst.port) } : {}),
      VIGIL_SERVICE: svc.config.name,
      VIGIL_ENVIRONMENT: svc.environment,
      VIGIL_INSTANCE: String(inst.index),
      VIGIL_VERSION_FILE: this.versionFile(svc.environment, svc.config.name),
    };
  }

  /** Spawns the given instances that have no live process and waits until all are healthy. */
  private async bringUp(svc: Managed, indexes: number[], options: RunOptions): Promise<void> {
    const meta = metaOf(svc, options);
    const spawned: Instance[] = [];
    const waits: Promise<void>[] = [];
    for (const index of indexes) {
      const inst = this.instance(svc, index);
      if (inst.child && inst.status !== 'stopping' && inst.healthy) {
        waits.push(inst.healthy);
        continue;
      }
      if (inst.child) await this.stopInstance(svc, inst, meta);
      inst.nextBackoffMs = svc.config.restart.initialBackoffMs;
      this.launch(svc, inst, meta);
      spawned.push(inst);
      waits.push(inst.healthy!);
    }
    try {
      await raceAbort(Promise.all(waits), options.signal);
    } catch (error) {
      if (options.signal.aborted) await Promise.all(spawned.map((inst) => this.stopInstance(svc, inst, meta)));
      throw error;
    }
    for (const inst of spawned) {
      options.output([
        { stream: 'stdout', text: `instance ${inst.index} started: pid ${inst.pid}${inst.port !== null ? `, port ${inst.port}` : ''}` },
      ]);
    }
  }

  private async stopInstances(svc: Managed, instances: Instance[], options: RunOptions): Promise<void> {
    const meta = metaOf(svc, options);
    await Promise.all(
      instances.map(async (inst) => {
        const pid = inst.pid;
        if (await this.stopInstance(svc, inst, meta)) {
          this.track(this.append(svc, 'service.stopped', { instance: inst.index, pid }, meta));
          options.output([{ stream: 'stdout', text: `instance ${inst.index} stopped (pid ${pid})` }]);
        }
      }),
    );
  }

  /**
   * Stops one instance on purpose: SIGTERM to its group, stopGraceSeconds, then
   * SIGKILL. Cancels a pending automatic restart. True when a process was stopped.
   */
  private async stopInstance(svc: Managed, inst: Instance, meta: EventMeta): Promise<boolean> {
    if (inst.backoffTimer) {
      clearTimeout(inst.backoffTimer);
      inst.backoffTimer = null;
    }
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

  /** Spawns one instance's process; its health is watched in the background (inst.healthy). */
  private launch(svc: Managed, inst: Instance, meta: EventMeta): void {
    if (this.shuttingDown) throw new Error('Vigil is shutting down');
    if (inst.backoffTimer) {
      clearTimeout(inst.backoffTimer);
      inst.backoffTimer = null;
    }
    const generation = ++inst.generation;
    const command = resolveCommand(svc.config.command);
    const args = svc.config.args;
    inst.version = this.currentVersion(svc.environment, svc.config.name);
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
        env: this.childEnv(svc, inst),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      this.logger.error(`${label(svc)} #${inst.index} could not be spawned: ${errorMessage(error)}`);
      inst.child = null;
      inst.pid = null;
      inst.healthy = Promise.reject(new Error(`${label(svc)} #${inst.index} could not be spawned: ${errorMessage(error)}`));
      inst.healthy.catch(() => undefined);
      setImmediate(() => {
        this.onExit(svc, inst, generation, null, { code: null, signal: null }, resolveExit);
      });
      return;
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
    if (child.stdout) this.attachOutput(svc, inst, 'stdout', child.stdout);
    if (child.stderr) this.attachOutput(svc, inst, 'stderr', child.stderr);
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

    const describe = `${label(svc)} #${inst.index}`;
    const abort = new AbortController();
    inst.healthAbort = abort;
    const healthUrl = svc.config.healthUrl?.replaceAll('{port}', String(inst.port));
    inst.healthy = waitHealthy({
      url: healthUrl,
      timeoutMs: svc.config.startTimeoutSeconds * 1000,
      exited,
      signal: abort.signal,
      describe,
    }).then(
      () => {
        if (generation !== inst.generation || inst.child !== child) throw new Error(`${describe} was replaced before it was healthy`);
        inst.status = 'running';
        this.track(
          this.append(
            svc,
            'service.started',
            { instance: inst.index, pid, port: inst.port, version: inst.version, reason: this.startReason(meta) },
            meta,
          ),
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
    inst.healthy.catch(() => undefined);
  }

  private onExit(
    svc: Managed,
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
      this.track(
        this.append(
          svc,
          'service.exited',
          { instance: inst.index, pid: pid ?? undefined, code: exit.code, signal: exit.signal, expected },
          meta,
        ),
      );
      if (expected) {
        inst.status = 'stopped';
        return;
      }
      const failed = exit.code !== 0 || exit.signal !== null || inst.unhealthy;
      this.logger.warn(`${label(svc)} #${inst.index} (pid ${pid ?? '-'}) exited unexpectedly (${describeExit(exit)})`);
      if (Date.now() - inst.spawnedAtMs >= BACKOFF_RESET_AFTER_MS) inst.nextBackoffMs = svc.config.restart.initialBackoffMs;
      const policy = svc.config.restart.policy;
      const wanted = policy === 'always' || (policy === 'on-failure' && failed);
      if (wanted && !svc.stopped && !this.shuttingDown && inst.index < svc.desired) this.scheduleRestart(svc, inst);
      else inst.status = failed ? 'crashed' : 'stopped';
    } catch (error) {
      this.logger.error(`handling the exit of ${label(svc)} #${inst.index} failed: ${errorMessage(error)}`);
    } finally {
      resolveExit(exit);
    }
  }

  private scheduleRestart(svc: Managed, inst: Instance): void {
    const delay = inst.nextBackoffMs;
    inst.nextBackoffMs = Math.min(delay * 2, svc.config.restart.maxBackoffMs);
    inst.status = 'backoff';
    const timer = setTimeout(() => {
      if (inst.backoffTimer !== timer) return;
      inst.backoffTimer = null;
      svc.lock
        .run(async () => {
          // A command may have handled the instance meanwhile.
          if (inst.status !== 'backoff' || inst.child || svc.stopped || this.shuttingDown || inst.index >= svc.desired) return;
          inst.restarts += 1;
          this.logger.log(`${label(svc)} #${inst.index}: restart ${inst.restarts} after ${delay} ms`);
          this.launch(svc, inst, { environment: svc.environment, correlationId: `${POLICY_PREFIX}${randomUUID()}` });
        })
        .catch((error: unknown) => {
          this.logger.error(`restarting ${label(svc)} #${inst.index} failed: ${errorMessage(error)}`);
        });
    }, delay);
    timer.unref();
    inst.backoffTimer = timer;
  }

  private attachOutput(svc: Managed, inst: Instance, stream: 'stdout' | 'stderr', pipe: Readable): void {
    const splitter = new LineSplitter();
    pipe.on('data', (chunk: Buffer) => {
      this.pushLines(svc, inst, stream, splitter.push(chunk));
    });
    pipe.on('end', () => {
      this.pushLines(svc, inst, stream, splitter.end());
    });
    pipe.on('error', (error) => {
      this.logger.warn(`${label(svc)} #${inst.index} ${stream}: ${error.message}`);
    });
  }

  private pushLines(svc: Managed, inst: Instance, stream: 'stdout' | 'stderr', texts: string[]): void {
    for (const text of texts) {
      const line: LogLine = { time: new Date().toISOString(), instance: inst.index, stream, text };
      inst.logs.push({ seq: ++this.logSeq, line });
      for (const follower of svc.followers) {
        try {
          follower(line);
        } catch (error) {
          this.logger.warn(`a log follower of ${label(svc)} threw: ${errorMessage(error)}`);
        }
      }
    }
  }

  private async append(svc: Managed, type: EventType, data: Record<string, unknown>, meta: EventMeta): Promise<void> {
    const payload: ServiceEventData = { service: svc.config.name, environment: svc.environment, ...data };
    try {
      await this.store.append(svc.stream, 'any', [{ type, data: payload }], meta);
    } catch (error) {
      this.logger.warn(`could not append ${type} for ${label(svc)}: ${errorMessage(error)}`);
    }
  }

  private track(work: Promise<void>): void {
    this.pendingAppends.add(work);
    void work.finally(() => this.pendingAppends.delete(work));
  }

  /** Waits for the event appends made so far (tests; shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pendingAppends]);
  }

  /** Kills what an earlier Vigil left running (it was killed itself), before anything starts. */
  private async cleanupLeftovers(): Promise<void> {
    const records = this.children.read();
    const meta: EventMeta = { correlationId: randomUUID() };
    await Promise.all(
      records.map(async (record) => {
        const svc = this.services.get(key(record.environment, record.service));
        const alive = record.pid !== process.pid && isAlive(record.pid) && cmdlineMatches(record.pid, record.command, record.args);
        if (alive) {
          const graceSeconds = svc?.config.stopGraceSeconds ?? 5;
          this.logger.warn(`stopping leftover ${record.service}@${record.environment} #${record.instance} (pid ${record.pid})`);
          if (!(await terminateForeign(record.pid, graceSeconds * 1000))) this.logger.error(`leftover pid ${record.pid} did not exit`);
        }
        // The log still says this instance runs (its exit was never seen): close that record.
        if (svc && record.instance >= 0) {
          await this.append(
            svc,
            'service.exited',
            {
              instance: record.instance,
              pid: record.pid,
              code: null,
              signal: alive ? 'SIGTERM' : null,
              expected: true,
              reason: 'left over from a previous run of Vigil',
            },
            { ...meta, environment: record.environment },
          );
        }
      }),
    );
    this.children.write();
  }

  private registerCollectors(): void {
    const timeoutCapMs = this.vigilConfig.metrics.collectorTimeoutSeconds * 1000;
    for (const svc of this.services.values()) {
      const intervalMs = svc.config.metricsIntervalSeconds * 1000;
      const collector = new ServiceCollector({
        source: svc.config.name,
        environment: svc.environment,
        intervalMs,
        timeoutMs: Math.min(timeoutCapMs, intervalMs),
        metricsUrl: svc.config.metricsUrl,
        instances: () => this.liveInstances(svc),
      });
      this.collectors.push(collector);
      this.sampler.add(collector);
    }
  }

  private liveInstances(svc: Managed): LiveInstance[] {
    return [...svc.instances.values()]
      .filter((inst) => inst.child !== null && inst.pid !== null)
      .map((inst) => ({ index: inst.index, pid: inst.pid!, port: inst.port, running: inst.status === 'running' }));
  }

  /** Why an instance (re)started: Vigil booting, the restart policy, or a command. */
  private startReason(meta: EventMeta): 'boot' | 'policy' | 'command' {
    if (meta.correlationId === this.bootCorrelationId) return 'boot';
    return meta.correlationId.startsWith(POLICY_PREFIX) ? 'policy' : 'command';
  }

  private internalOptions(): RunOptions {
    return {
      signal: new AbortController().signal,
      output: () => undefined,
      progress: () => undefined,
      correlationId: randomUUID(),
    };
  }
}

function key(environment: string, service: string): string {
  return `${environment}/${service}`;
}

function label(svc: Managed): string {
  return `${svc.config.name}@${svc.environment}`;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function resolveCommand(command: string): string {
  return command === 'node' ? process.execPath : command;
}

function metaOf(svc: Managed, options: RunOptions): EventMeta {
  return {
    environment: svc.environment,
    correlationId: options.correlationId,
    ...(options.causationId ? { causationId: options.causationId } : {}),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
