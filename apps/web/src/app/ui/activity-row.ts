import { isTerminalCommandState, type CommandView } from '@vigil/shared';
import { formatDuration } from './display-format';

/** One line of the activity feed: who ran what where, its state, how long, and a deploy's progress. */
export interface ActivityRow {
  commandId: string;
  who: string;
  what: string;
  target: string;
  environment: string;
  state: CommandView['state'];
  duration: string;
  /** A deploy: it has a progress bar. */
  deploy: boolean;
  /** Deploy progress 0..100; null for other commands, and for a deploy that has reported none yet (indeterminate). */
  percent: number | null;
  step: string | null;
  terminal: boolean;
}

export function activityRow(command: CommandView, now: number): ActivityRow {
  const terminal = isTerminalCommandState(command.state);
  let durationMs = command.durationMs;
  if (durationMs === undefined && command.startedAt) {
    const end = command.finishedAt ? Date.parse(command.finishedAt) : now;
    durationMs = end - Date.parse(command.startedAt);
  }
  const deploy = command.type === 'deploy';
  // Completed is all the way, whatever the last step said; before any report the bar is
  // indeterminate, not "0 %"; a deploy that ended otherwise stays where it stopped.
  const percent = !deploy ? null : command.state === 'completed' ? 100 : (command.progress?.percent ?? (terminal ? 0 : null));
  return {
    commandId: command.commandId,
    who: command.actor?.username ?? 'system',
    what: command.type,
    target: command.target,
    environment: command.environment,
    state: command.state,
    duration: formatDuration(durationMs),
    deploy,
    percent: percent === null ? null : Math.max(0, Math.min(100, Math.round(percent))),
    step: command.progress?.step ?? null,
    terminal,
  };
}
