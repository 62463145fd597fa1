import type { CommandAcceptedData, CommandRequest, EventMeta } from '@vigil/shared';

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** What an executor gets: the accepted command, a way to report, and a cancel signal. */
export interface ExecutionContext {
  command: CommandAcceptedData;
  /** Aborted on cancel, timeout or shutdown; `signal.reason` is an AbortCause. */
  signal: AbortSignal;
  /** Meta for events the executor appends itself (service.*): same correlation as the command. */
  meta: EventMeta;
  output(lines: OutputLine[]): void;
  progress(percent: number, step: string): void;
}

export interface ExecutionResult {
  exitCode?: number;
  result?: Record<string, unknown>;
}

/** A request that passed the schema but not the target's own limits: 400 with this detail. */
export class InvalidParamsError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidParamsError';
  }
}

/** Runs one command type. Throwing fails the command with the error's message. */
export interface CommandExecutor {
  readonly type: string;
  /** Longest a run may take before it is aborted and failed. */
  timeoutMs(command: CommandAcceptedData): number;
  hasTarget(target: string, environment: string): boolean;
  /** decide-time checks beyond the schema (e.g. scale within maxInstances); throw InvalidParamsError. */
  validate?(request: CommandRequest): void;
  run(context: ExecutionContext): Promise<ExecutionResult>;
}
