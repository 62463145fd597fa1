import {
  MAX_INSTANCES,
  MAX_VERSION_LENGTH,
  MIN_INSTANCES,
  VERSION_PATTERN,
  can,
  denialReason,
  serviceStatus,
  type Action,
  type CommandView,
  type ServiceView,
  type SessionUser,
} from '@vigil/shared';
import { NO_VALUE, formatUptime } from '../../ui/display-format';

/** The service commands this page offers. */
export type ServiceAction = 'start' | 'stop' | 'restart' | 'scale' | 'deploy' | 'logs';
export const SERVICE_ACTIONS: readonly ServiceAction[] = ['restart', 'stop', 'start', 'scale', 'deploy', 'logs'];

/** Destructive actions ask for confirmation first. */
export const DESTRUCTIVE_ACTIONS: readonly ServiceAction[] = ['stop', 'restart', 'deploy', 'scale'];

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
  host?: string,
): ControlState {
  const action: Action = host ? { kind: 'command', type, target, environment, host } : { kind: 'command', type, target, environment };
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
  /** The agent host that runs it; '' for this server's own services. */
  host: string;
}

/** What the host filter shows for this server's own services. */
export const LOCAL_HOST_LABEL = 'this server';

/** The host filter's choices: every host of the services shown ('' = this server), sorted, this server first. */
export function hostChoices(services: readonly Pick<ServiceView, 'host'>[]): string[] {
  const hosts = new Set(services.map((service) => service.host ?? ''));
  return [...hosts].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
}

/** Uptime of the longest-running instance, in seconds, or null when none runs. */
export function uptimeSeconds(view: ServiceView, now: number): number | null {
  const starts = view.instances
    .flatMap((instance) => (instance.state === 'running' && instance.startedAt ? [Date.parse(instance.startedAt)] : []))
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
    host: view.host ?? '',
  };
}

/** The rows of one environment (of one host, when given: '' = this server), by host then service name. */
export function serviceRowsFor(services: readonly ServiceView[], environment: string, now: number, host?: string): ServiceRow[] {
  return services
    .filter((view) => view.environment === environment && (host === undefined || (view.host ?? '') === host))
    .sort((a, b) => (a.host ?? '').localeCompare(b.host ?? '') || a.service.localeCompare(b.service))
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

/** Validates the scale input by the scale command's bounds; null when fine, else the message to show. */
export function scaleError(value: unknown): string | null {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === '' || value === null || value === undefined || !Number.isInteger(n)) return 'Enter a whole number of instances.';
  if (n < MIN_INSTANCES || n > MAX_INSTANCES) return `Instances must be between ${MIN_INSTANCES} and ${MAX_INSTANCES}.`;
  return null;
}

/** The deploy command's version rule (the zod-free shared one: no schema library in the page). */
export function versionError(value: string): string | null {
  const version = value.trim();
  if (!version) return 'Enter a version.';
  if (version.length > MAX_VERSION_LENGTH || !VERSION_PATTERN.test(version)) return 'Letters, digits, ".", "_", "+" and "-" only.';
  return null;
}

/** The snack bar text for a command that finished. */
export function completionMessage(command: Pick<CommandView, 'type' | 'target' | 'environment' | 'state' | 'reason'>): string {
  const what = `${command.type} ${command.target} in ${command.environment}`;
  if (command.state === 'completed') return `Completed: ${what}`;
  return `${command.state[0].toUpperCase()}${command.state.slice(1)}: ${what}${command.reason ? ` (${command.reason})` : ''}`;
}
