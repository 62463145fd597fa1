import type { SamplerService } from '../metrics/sampler.service';

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
