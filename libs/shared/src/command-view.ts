import type { Actor, StoredEvent } from './events';

export type CommandState =
  'awaiting-approval' | 'accepted' | 'denied' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'rejected' | 'expired';

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
  /** For a command that needed approval: who may approve, until when, and who decided. */
  approval?: CommandApproval;
}

export interface CommandApproval {
  approvers: string[];
  expiresAt: string;
  /** Username of whoever approved or rejected it. */
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

export const TERMINAL_COMMAND_STATES: readonly CommandState[] = [
  'denied',
  'completed',
  'failed',
  'cancelled',
  'interrupted',
  'rejected',
  'expired',
];

type OpeningEvent = StoredEvent<'command.accepted'> | StoredEvent<'command.denied'> | StoredEvent<'command.approval-requested'>;

export function isTerminalCommandState(state: CommandState): boolean {
  return TERMINAL_COMMAND_STATES.includes(state);
}

/** The view a `command.accepted`, `command.denied` or `command.approval-requested` starts. */
export function acceptanceView(event: OpeningEvent): CommandView {
  const data = event.data;
  const view: CommandView = {
    commandId: data.commandId,
    type: data.type,
    target: data.target,
    environment: data.environment,
    params: event.type === 'command.denied' ? {} : event.data.params,
    state: event.type === 'command.accepted' ? 'accepted' : event.type === 'command.denied' ? 'denied' : 'awaiting-approval',
    reason: event.type === 'command.denied' ? event.data.reason : undefined,
    actor: event.meta.actor,
    ip: event.meta.ip,
    acceptedAt: event.time,
    acceptedPosition: event.position,
    finishedAt: event.type === 'command.denied' ? event.time : undefined,
    output: [],
    position: event.position,
  };
  if (event.type === 'command.approval-requested') view.approval = { approvers: event.data.approvers, expiresAt: event.data.expiresAt };
  return view;
}

/** The approval part of a view after a decision (approve or reject); nothing without one. */
function decided(view: CommandView | undefined, by: string, at: string, comment: string | undefined): Partial<CommandView> {
  if (!view?.approval) return {};
  return { approval: { ...view.approval, decidedBy: by, decidedAt: at, ...(comment === undefined ? {} : { comment }) } };
}

/** A `command.output` event's lines, numbered from its `seq`. */
export function commandOutputLines(event: StoredEvent<'command.output'>): CommandOutputLine[] {
  return event.data.lines.map((line, index) => ({ seq: event.data.seq + index, ...line }));
}

/**
 * What an event changes in an existing command's view, as the fields to set in the
 * order evolveCommand sets them (so an in-place fold gives the same key order);
 * undefined for events that set nothing. Not for accepted/denied (a new view) or
 * output (appended lines).
 */
export function commandViewChanges(event: StoredEvent, view?: CommandView): Partial<CommandView> | undefined {
  switch (event.type) {
    case 'command.approved':
      return { state: 'accepted', ...decided(view, event.data.by, event.time, event.data.comment), position: event.position };
    case 'command.rejected':
      return {
        state: 'rejected',
        finishedAt: event.time,
        reason: event.data.reason,
        ...decided(view, event.data.by, event.time, undefined),
        position: event.position,
      };
    case 'command.expired':
      return { state: 'expired', finishedAt: event.time, reason: event.data.reason, position: event.position };
    case 'command.started':
      return { state: 'running', startedAt: event.time, position: event.position };
    case 'command.progress':
      return { progress: { percent: event.data.percent, step: event.data.step }, position: event.position };
    case 'command.completed':
      return {
        state: 'completed',
        finishedAt: event.time,
        durationMs: event.data.durationMs,
        exitCode: event.data.exitCode,
        result: event.data.result,
        position: event.position,
      };
    case 'command.failed':
      return {
        state: 'failed',
        finishedAt: event.time,
        durationMs: event.data.durationMs,
        exitCode: event.data.exitCode,
        reason: event.data.reason,
        position: event.position,
      };
    case 'command.cancelled':
      return {
        state: 'cancelled',
        finishedAt: event.time,
        durationMs: event.data.durationMs,
        reason: event.data.reason,
        position: event.position,
      };
    case 'command.interrupted':
      return { state: 'interrupted', finishedAt: event.time, reason: event.data.reason, position: event.position };
    default:
      return undefined;
  }
}

/** Whether an event starts a command's view (and replaces one with the same id). */
export function startsCommandView(event: StoredEvent): event is OpeningEvent {
  return event.type === 'command.accepted' || event.type === 'command.denied' || event.type === 'command.approval-requested';
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
  if (startsCommandView(event)) return acceptanceView(event);
  if (event.type === 'command.output') {
    if (!view) return view;
    const output = view.output.concat(commandOutputLines(event));
    const bounded = output.length > maxOutputLines ? output.slice(output.length - maxOutputLines) : output;
    return { ...view, output: bounded, position: event.position };
  }
  const changes = commandViewChanges(event, view);
  return changes && view ? { ...view, ...changes } : view;
}

export function foldCommand(events: Iterable<StoredEvent>): CommandView | undefined {
  let view: CommandView | undefined;
  for (const event of events) view = evolveCommand(view, event);
  return view;
}
