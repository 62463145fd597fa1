import {
  can,
  denialReason,
  isTerminalCommandState,
  serviceStatus,
  type Action,
  type CommandView,
  type ServiceView,
  type SessionUser,
} from '@vigil/shared';

export const NO_VALUE = '—';

/** The service commands this page offers. */
export type ServiceAction = 'start' | 'stop' | 'restart' | 'scale' | 'deploy' | 'logs';
export const SERVICE_ACTIONS: readonly ServiceAction[] = ['restart', 'stop', 'start', 'scale', 'deploy', 'logs'];

/** Destructive actions ask for confirmation first. */
export const DESTRUCTIVE_ACTIONS: readonly ServiceAction[] = ['stop', 'restart', 'deploy', 'scale'];

/** Scale bounds the page allows (the server knows maxInstances and answers 400 beyond it). */
export const MIN_INSTANCES = 0;
export const MAX_INSTANCES = 10;

export interface ControlState {
  allowed: boolean;
  /** Why not, for the title attribute; null when allowed. */
  reason: string | null;
}

/** Permission → enabled, or disabled with `denialReason()` as the tooltip. */
export function controlState(
  user: Pick<SessionUser, 'role' | 'grants'> | null | undefined,
  type: ServiceAction,
  target: string,
  environment: string,
): ControlState {
  const action: Action = { kind: 'command', type, target, environment };
  if (!user) return { allowed: false, reason: 'not signed in' };
  return can(user, action) ? { allowed: true, reason: null } : { allowed: false, reason: denialReason(user, action) };
}

/** Environments the user may view, sorted, from the services' environments. */
export function visibleEnvironments(
  user: Pick<SessionUser, 'grants'> | null | undefined,
  services: readonly Pick<ServiceView, 'environment'>[],
): string[] {
  const names = new Set(services.map((service) => service.environment));
  return [...names].filter((environment) => can(user, { kind: 'view', environment })).sort();
}

/** 75 → "1m 15s"; 3_700 → "1h 1m"; 90_000 → "1d 1h"; null → "—". */
export function formatUptime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return NO_VALUE;
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)}h ${Math.floor((s % 3_600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3_600)}h`;
}

/** 850 → "850 ms"; 12_345 → "12.3 s"; 125_000 → "2m 5s"; undefined → "—". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return NO_VALUE;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return formatUptime(ms / 1_000);
}

export interface ServiceRow {
  key: string;
  environment: string;
  service: string;
  status: 'running' | 'degraded' | 'stopped';
  version: string;
  running: number;
  desired: number;
  pids: string;
  uptime: string;
  restarts: number;
}

/** Uptime of the longest-running instance, in seconds, or null when none runs. */
export function uptimeSeconds(view: ServiceView, now: number): number | null {
  const starts = view.instances
    .filter((instance) => instance.state === 'running' && instance.startedAt)
    .map((instance) => Date.parse(instance.startedAt!))
    .filter((time) => Number.isFinite(time));
  if (starts.length === 0) return null;
  return Math.max(0, (now - Math.min(...starts)) / 1_000);
}

export function serviceRow(view: ServiceView, now: number): ServiceRow {
  const running = view.instances.filter((instance) => instance.state === 'running');
  const pids = running.map((instance) => instance.pid).filter((pid): pid is number => pid !== null);
  return {
    key: `${view.environment}/${view.service}`,
    environment: view.environment,
    service: view.service,
    status: serviceStatus(view),
    version: view.version,
    running: running.length,
    desired: view.desiredInstances,
    pids: pids.length ? pids.join(', ') : NO_VALUE,
    uptime: formatUptime(uptimeSeconds(view, now)),
    restarts: view.restarts,
  };
}

/** The rows of one environment, by service name. */
export function serviceRowsFor(services: readonly ServiceView[], environment: string, now: number): ServiceRow[] {
  return services
    .filter((view) => view.environment === environment)
    .sort((a, b) => a.service.localeCompare(b.service))
    .map((view) => serviceRow(view, now));
}

/** "Deploy web-server 2.1.0 to production?" and friends. */
export function confirmationMessage(
  type: ServiceAction,
  service: string,
  environment: string,
  params: { version?: string; instances?: number } = {},
): string {
  switch (type) {
    case 'deploy':
      return `Deploy ${service} ${params.version ?? ''} to ${environment}?`.replace(/\s+/g, ' ');
    case 'scale':
      return `Scale ${service} in ${environment} to ${params.instances ?? 0} instance${params.instances === 1 ? '' : 's'}?`;
    case 'stop':
      return `Stop ${service} in ${environment}?`;
    case 'restart':
      return `Restart ${service} in ${environment}?`;
    default:
      return `${type[0].toUpperCase()}${type.slice(1)} ${service} in ${environment}?`;
  }
}

/** Validates the scale input; null when fine, else the message to show. */
export function scaleError(value: unknown): string | null {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === '' || value === null || value === undefined || !Number.isInteger(n)) return 'Enter a whole number of instances.';
  if (n < MIN_INSTANCES || n > MAX_INSTANCES) return `Instances must be between ${MIN_INSTANCES} and ${MAX_INSTANCES}.`;
  return null;
}

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Same rule as the shared versionSchema (without importing zod into the page). */
export function versionError(value: string): string | null {
  const version = value.trim();
  if (!version) return 'Enter a version.';
  if (version.length > 64 || !VERSION.test(version)) return 'Letters, digits, ".", "_", "+" and "-" only.';
  return null;
}

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

/** The snack bar text for a command that finished. */
export function completionMessage(command: Pick<CommandView, 'type' | 'target' | 'environment' | 'state' | 'reason'>): string {
  const what = `${command.type} ${command.target} in ${command.environment}`;
  if (command.state === 'completed') return `Completed: ${what}`;
  return `${command.state[0].toUpperCase()}${command.state.slice(1)}: ${what}${command.reason ? ` (${command.reason})` : ''}`;
}
