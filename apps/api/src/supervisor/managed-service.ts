import type { EventMeta } from '@vigil/shared';
import type { ChildProcess } from 'node:child_process';
import type { ServiceConfig } from '../config/vigil-config.schema';
import { ServiceLogs } from './log-buffers';
import { OpLock } from './op-lock';
import type { LiveInstance } from './service.collector';
import type { InstanceStatus, RunOptions } from './supervisor.types';

/** How a process ended. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** One instance slot of a service: its current process, if any, and what outlives it (restarts, backoff). */
export interface Instance {
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
  /** Bumped on every launch, so the exit of a replaced process is told apart from the current one's. */
  generation: number;
}

/** One configured service of one environment, as the supervisor runs it. */
export interface ManagedService {
  environment: string;
  config: ServiceConfig;
  /** The event stream its service.* events go to. */
  stream: string;
  desired: number;
  /** Stopped by a command: the restart policy leaves it alone until start/restart/scale. */
  stopped: boolean;
  deploying: boolean;
  instances: Map<number, Instance>;
  /** One operation at a time (commands and policy restarts alike). */
  lock: OpLock;
  logs: ServiceLogs;
}

export function serviceKey(environment: string, service: string): string {
  return `${environment}/${service}`;
}

export function managedService(environment: string, config: ServiceConfig): ManagedService {
  return {
    environment,
    config,
    stream: `service-${config.name}@${environment}`,
    desired: config.instances,
    stopped: false,
    deploying: false,
    instances: new Map(),
    lock: new OpLock(),
    logs: new ServiceLogs(`${config.name}@${environment}`),
  };
}

/** `name@environment`, for log lines and messages. */
export function label(svc: ManagedService): string {
  return `${svc.config.name}@${svc.environment}`;
}

/** The instance slot `index`, created (stopped, no process) on first use. */
export function instanceOf(svc: ManagedService, index: number): Instance {
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

/** The instances that have a process now (what the service's collector measures). */
export function liveInstances(svc: ManagedService): LiveInstance[] {
  return [...svc.instances.values()].flatMap((inst) =>
    inst.child !== null && inst.pid !== null
      ? [{ index: inst.index, pid: inst.pid, port: inst.port, running: inst.status === 'running' }]
      : [],
  );
}

/** The meta of the service.* events an operation appends: the command's correlation. */
export function metaOf(svc: ManagedService, options: RunOptions): EventMeta {
  return {
    environment: svc.environment,
    correlationId: options.correlationId,
    ...(options.causationId ? { causationId: options.causationId } : {}),
  };
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
