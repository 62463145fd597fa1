import type { NewEvent } from '@vigil/shared';
import type { ExecutionResult } from '../executors/command-executor';
import type { AbortCause } from '../running-commands';

/** How an executor's run ended: with its result, or with what it threw. */
export type RunEnd = { result: ExecutionResult } | { error: unknown };

function isAbortCause(value: unknown): value is AbortCause {
  return typeof value === 'object' && value !== null && 'kind' in value && 'reason' in value;
}

function exitCodeOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'exitCode' in error && typeof error.exitCode === 'number'
    ? error.exitCode
    : undefined;
}

/**
 * The one terminal event of a run. An abort wins over the run's own ending (a run
 * that finishes after a cancel is still cancelled): cancel → `command.cancelled`,
 * shutdown → `command.interrupted`, timeout or any error → `command.failed`.
 */
export function terminalEvent(commandId: string, durationMs: number, end: RunEnd, signal: AbortSignal): NewEvent {
  if ('result' in end && !signal.aborted) {
    const { exitCode, result } = end.result;
    return { type: 'command.completed', data: { commandId, durationMs, exitCode, result } };
  }
  const error: unknown = 'error' in end ? end.error : signal.reason;
  const cause = signal.aborted && isAbortCause(signal.reason) ? signal.reason : undefined;
  if (cause?.kind === 'cancelled')
    return { type: 'command.cancelled', data: { commandId, durationMs, reason: cause.reason, by: cause.by } };
  if (cause?.kind === 'shutdown') return { type: 'command.interrupted', data: { commandId, reason: cause.reason } };
  const reason = cause?.reason ?? (error instanceof Error ? error.message : String(error));
  return { type: 'command.failed', data: { commandId, durationMs, reason, exitCode: exitCodeOf(error) } };
}
