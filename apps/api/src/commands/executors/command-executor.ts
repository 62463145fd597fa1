import type { CommandAcceptedData } from '@vigil/shared';

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** What an executor gets: the accepted command, a way to report, and a cancel signal. */
export interface ExecutionContext {
  command: CommandAcceptedData;
  signal: AbortSignal;
  output(lines: OutputLine[]): void;
  progress(percent: number, step: string): void;
}

export interface ExecutionResult {
  exitCode?: number;
  result?: Record<string, unknown>;
}

/** Runs one command type. Throwing fails the command with the error's message. */
export interface CommandExecutor {
  readonly type: string;
  hasTarget(target: string, environment: string): boolean;
  run(context: ExecutionContext): Promise<ExecutionResult>;
}
