import type { Actor, StoredEvent } from './events';

export type CommandState =
  | 'accepted'
  | 'denied'
  | 'running'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

export interface CommandOutputLine {
  seq: number;
  stream: 'stdout' | 'stderr';
  text: string;
  time: string;
}

/** One command as people see it: folded from its own event stream. */
export interface CommandView {
  commandId: string;
  type: string;
  target: string;
  environment: string;
  params: Record<string, unknown>;
  state: CommandState;
  actor?: Actor;
  ip?: string;
  acceptedAt: string;
  acceptedPosition: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  exitCode?: number;
  reason?: string;
  result?: Record<string, unknown>;
  progress?: { percent: number; step: string };
  output: CommandOutputLine[];
  /** Position of the last event folded in. */
  position: number;
}

export const TERMINAL_COMMAND_STATES: readonly CommandState[] = ['denied', 'completed', 'failed', 'cancelled', 'interrupted'];

export function isTerminalCommandState(state: CommandState): boolean {
  return TERMINAL_COMMAND_STATES.includes(state);
}

/**
 * evolve() for one command. `maxOutputLines` bounds memory where a view is kept
 * for long (the dashboard); the command API passes Infinity to return everything.
 */
export function evolveCommand(
  view: CommandView | undefined,
  event: StoredEvent,
  maxOutputLines = Number.POSITIVE_INFINITY,
): CommandView | undefined {
  switch (event.type) {
    case 'command.accepted':
    case 'command.denied': {
      const data = event.data;
      return {
        commandId: data.commandId,
        type: data.type,
        target: data.target,
        environment: data.environment,
        params: event.type === 'command.accepted' ? event.data.params : {},
        state: event.type === 'command.accepted' ? 'accepted' : 'denied',
        reason: event.type === 'command.denied' ? event.data.reason : undefined,
        actor: event.meta.actor,
        ip: event.meta.ip,
        acceptedAt: event.time,
        acceptedPosition: event.position,
        finishedAt: event.type === 'command.denied' ? event.time : undefined,
        output: [],
        position: event.position,
      };
    }
    case 'command.started':
      return view && { ...view, state: 'running', startedAt: event.time, position: event.position };
    case 'command.output': {
      if (!view) return view;
      const lines = event.data.lines.map((line, index) => ({ seq: event.data.seq + index, ...line }));
      const output = view.output.concat(lines);
      const bounded = output.length > maxOutputLines ? output.slice(output.length - maxOutputLines) : output;
      return { ...view, output: bounded, position: event.position };
    }
    case 'command.progress':
      return view && { ...view, progress: { percent: event.data.percent, step: event.data.step }, position: event.position };
    case 'command.completed':
      return view && {
        ...view,
        state: 'completed',
        finishedAt: event.time,
        durationMs: event.data.durationMs,
        exitCode: event.data.exitCode,
        result: event.data.result,
        position: event.position,
      };
    case 'command.failed':
      return view && {
        ...view,
        state: 'failed',
        finishedAt: event.time,
        durationMs: event.data.durationMs,
        exitCode: event.data.exitCode,
        reason: event.data.reason,
        position: event.position,
      };
    case 'command.cancelled':
      return view && {
        ...view,
        state: 'cancelled',
        finishedAt: event.time,
        durationMs: event.data.durationMs,
        reason: event.data.reason,
        position: event.position,
      };
    case 'command.interrupted':
      return view && { ...view, state: 'interrupted', finishedAt: event.time, reason: event.data.reason, position: event.position };
    default:
      return view;
  }
}

export function foldCommand(events: Iterable<StoredEvent>): CommandView | undefined {
  let view: CommandView | undefined;
  for (const event of events) view = evolveCommand(view, event);
  return view;
}
