import type { CommandView } from './command-view';
import type { MetricSample } from './metrics';
import type { AlertView } from './alerts';
import type { HostView } from './host-events';
import type { ServiceView } from './service-view';

/** How much the dashboard keeps: enough for a wall screen, bounded for a long-lived tab. */
export const DASHBOARD_LIMITS = {
  commands: 100,
  alerts: 50,
  recentEvents: 50,
  outputLinesPerCommand: 200,
} as const;

export interface EventSummary {
  position: number;
  type: string;
  stream: string;
  time: string;
  environment?: string;
  actor?: string;
}

export interface DashboardState {
  /** Last durable position folded in (0 = empty log). */
  position: number;
  /** Most recent commands, newest first. */
  commands: CommandView[];
  /** Most recent events, newest first. */
  recentEvents: EventSummary[];
  /** Latest sample of every metric source, by metricSourceKey(). */
  metrics: Record<string, MetricSample>;
  /** Supervised services, by serviceKey(environment, service). */
  services: Record<string, ServiceView>;
  /** The latest alerts, newest first (firing ones are kept however old). */
  alerts: AlertView[];
  /** Enrolled agent hosts, by name: who was online at each moment (absent in states from before agents). */
  hosts?: Record<string, HostView>;
}

export function initialDashboardState(): DashboardState {
  return { position: 0, commands: [], recentEvents: [], metrics: {}, services: {}, alerts: [] };
}

/** User and API-token events: only those who manage users see them. */
function isIdentityEvent(type: string): boolean {
  return type.startsWith('user.') || type.startsWith('token.');
}

/**
 * The part of the state whose environment passes `visible` (host-wide entries have
 * none); user events only where `seeUsers`.
 */
export function filterDashboard(
  state: DashboardState,
  visible: (environment: string | undefined) => boolean,
  seeUsers = true,
): DashboardState {
  return {
    position: state.position,
    commands: state.commands.filter((command) => visible(command.environment)),
    recentEvents: state.recentEvents.filter((event) => (isIdentityEvent(event.type) ? seeUsers : visible(event.environment))),
    metrics: Object.fromEntries(Object.entries(state.metrics).filter(([, sample]) => visible(sample.environment))),
    services: Object.fromEntries(Object.entries(state.services).filter(([, view]) => visible(view.environment))),
    alerts: state.alerts.filter((alert) => visible(alert.environment)),
    ...(state.hosts
      ? {
          hosts: Object.fromEntries(
            Object.entries(state.hosts).map(([name, host]) => [
              name,
              { ...host, services: host.services.filter((service) => visible(service.environment)) },
            ]),
          ),
        }
      : {}),
  };
}

/** The part of the state one environment's viewer sees. */
export function dashboardForEnvironment(state: DashboardState, environment: string | undefined): DashboardState {
  if (environment === undefined) return state;
  return filterDashboard(state, (env) => env === undefined || env === environment);
}

/** The environments a state shows anything of: its services' (in order), then its samples', without repeats. */
export function environmentsIn(state: DashboardState): string[] {
  const present = new Set<string>();
  for (const view of Object.values(state.services)) present.add(view.environment);
  for (const sample of Object.values(state.metrics)) if (sample.environment) present.add(sample.environment);
  return [...present];
}
