import { spawn } from 'node:child_process';
import { LineSplitter } from './line-splitter';
import { groupExists, signalGroup } from './process-group';

export interface StepLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface StepOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** SIGTERM → SIGKILL delay when the step is cancelled or times out. */
  graceMs: number;
  signal: AbortSignal;
  /** Lines in the order they arrived. */
  onLines(lines: StepLine[]): void;
  onSpawn?(pid: number): void;
  onExit?(pid: number): void;
  describe: string;
}

/** A step's non-zero exit. */
export class StepFailedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly exitSignal: string | null,
  ) {
    super(message);
    this.name = 'StepFailedError';
  }
}

/**
 * Runs a one-shot program (a deploy step): argument array, no shell, its own
 * process group. Streams its output line by line; kills the group on abort or
 * timeout and waits for it to exit before rejecting.
 */
export async function runStep(options: StepOptions): Promise<void> {
  options.signal.throwIfAborted();
  await new Promise<void>((resolve, reject) => {
    let child;
    try {
      child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(new Error(`${options.describe} could not be started: ${(error as Error).message}`));
      return;
    }
    const pid = child.pid;
    let stopReason: Error | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const stop = (reason: Error) => {
      if (stopReason || settled) return;
      stopReason = reason;
      if (pid === undefined) return;
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.graceMs);
    };
    const onAbort = () => {
      stop(options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled'));
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const timeout = setTimeout(() => {
      stop(new Error(`${options.describe} timed out after ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      if (pid !== undefined) {
        // Nothing of the step may outlive it.
        if (groupExists(pid)) signalGroup(pid, 'SIGKILL');
        options.onExit?.(pid);
      }
      if (error) reject(error);
      else resolve();
    };

    if (pid !== undefined) options.onSpawn?.(pid);
    const emit = (lines: StepLine[]) => {
      if (lines.length === 0) return;
      try {
        options.onLines(lines);
      } catch {
        // a failing consumer must not break the step
      }
    };
    for (const stream of ['stdout', 'stderr'] as const) {
      const pipe = child[stream];
      const splitter = new LineSplitter();
      pipe.on('data', (chunk: Buffer) => {
        emit(splitter.push(chunk).map((text) => ({ stream, text })));
      });
      pipe.on('end', () => {
        emit(splitter.end().map((text) => ({ stream, text })));
      });
      pipe.on('error', () => undefined);
    }
    child.on('error', (error) => {
      if (pid === undefined) finish(new Error(`${options.describe} could not be started: ${error.message}`));
    });
    // A straggler of the step holding the pipes open must not keep it "running".
    child.on('exit', () => {
      if (pid !== undefined && groupExists(pid)) signalGroup(pid, 'SIGKILL');
    });
    // 'close' waits for both pipes, so every line is out before the promise settles.
    child.on('close', (code, signal) => {
      if (stopReason) finish(stopReason);
      else if (code === 0) finish();
      else if (code !== null) finish(new StepFailedError(`${options.describe} exited with code ${code}`, code, null));
      else finish(new StepFailedError(`${options.describe} was killed by ${signal}`, null, signal));
    });
  });
}
