import { evolveAlert, type AlertView } from './alerts';
import { evolveCommand, type CommandView } from './command-view';
import { DASHBOARD_LIMITS, type DashboardState, type EventSummary } from './dashboard-state';
import type { StoredEvent } from './events';
import { evolveHosts } from './host-view';
import { metricSourceKey } from './metrics';
import { evolveService, serviceKey, type ServiceView } from './service-view';
import type { StreamMessage } from './stream-messages';

/** stream.opened / stream.closed: recorded for incident timelines, never shown on the dashboard. */
export function isWatchEvent(event: Pick<StoredEvent, 'type'>): boolean {
  return event.type.startsWith('stream.');
}

/** An event as the dashboard lists it among the recent ones. */
export function summarizeEvent(event: StoredEvent): EventSummary {
  return {
    position: event.position,
    type: event.type,
    stream: event.stream,
    time: event.time,
    environment: event.meta.environment,
    actor: event.meta.actor?.username,
  };
}

/** The services part of evolveDashboard: a new record only when a service changed. */
export function evolveDashboardServices(services: Record<string, ServiceView>, event: StoredEvent): Record<string, ServiceView> {
  if (!event.type.startsWith('service.')) return services;
  const data = event.data as { service?: string; environment?: string };
  if (!data.service || !data.environment) return services;
  const key = serviceKey(data.environment, data.service);
  const next = evolveService(services[key], event);
  return next && next !== services[key] ? { ...services, [key]: next } : services;
}

/** The alerts part of evolveDashboard: a new list only when an alert changed. */
export function evolveDashboardAlerts(alerts: AlertView[], event: StoredEvent): AlertView[] {
  if (!event.type.startsWith('alert.')) return alerts;
  const alertId = (event.data as { alertId?: string }).alertId;
  if (!alertId) return alerts;
  const index = alerts.findIndex((alert) => alert.alertId === alertId);
  const current = index >= 0 ? alerts[index] : undefined;
  const next = evolveAlert(current, event);
  if (!next || next === current) return alerts;
  const updated = index >= 0 ? [...alerts.slice(0, index), next, ...alerts.slice(index + 1)] : [next, ...alerts];
  if (updated.length <= DASHBOARD_LIMITS.alerts) return updated;
  // Over the limit: drop the oldest alerts that are no longer firing.
  return updated.filter((alert, i) => i < DASHBOARD_LIMITS.alerts || alert.state === 'firing');
}

function evolveCommands(commands: CommandView[], event: StoredEvent): CommandView[] {
  if (!event.type.startsWith('command.')) return commands;
  const commandId = (event.data as { commandId?: string }).commandId;
  if (!commandId) return commands;
  const index = commands.findIndex((command) => command.commandId === commandId);
  const current = index >= 0 ? commands[index] : undefined;
  const next = evolveCommand(current, event, DASHBOARD_LIMITS.outputLinesPerCommand);
  if (!next || next === current) return commands;
  if (index >= 0) {
    const copy = commands.slice();
    copy[index] = next;
    return copy;
  }
  return prepend(next, commands, DASHBOARD_LIMITS.commands);
}

/** [item, ...list] cut to `limit`, in one copy: this runs for every event folded. */
function prepend<T>(item: T, list: readonly T[], limit: number): T[] {
  const length = Math.min(limit, list.length + 1);
  const next = new Array<T>(length);
  next[0] = item;
  for (let i = 1; i < length; i++) next[i] = list[i - 1];
  return next;
}

/**
 * The dashboard reducer: evolve(state, message) → state. Pure, shared by the
 * server's snapshot projection, the live web client and replay, so all three
 * show the same thing for the same events.
 */
export function evolveDashboard(state: DashboardState, message: StreamMessage): DashboardState {
  if (message.type === 'snapshot') return message.state;
  if (message.type === 'closed') return state;
  if (message.type === 'metrics') {
    const { type: _type, ...sample } = message;
    return { ...state, metrics: { ...state.metrics, [metricSourceKey(sample)]: sample } };
  }
  // Idempotent on re-delivery: an event at or before the folded position is ignored.
  if (message.position <= state.position) return state;
  // Who watched (stream.opened|closed) is bookkeeping for incident timelines, not dashboard news.
  if (isWatchEvent(message)) return { ...state, position: message.position };
  const hosts = message.type.startsWith('host.') ? evolveHosts(state.hosts ?? {}, message) : state.hosts;
  return {
    ...state,
    position: message.position,
    commands: evolveCommands(state.commands, message),
    services: evolveDashboardServices(state.services, message),
    alerts: evolveDashboardAlerts(state.alerts, message),
    recentEvents: prepend(summarizeEvent(message), state.recentEvents, DASHBOARD_LIMITS.recentEvents),
    ...(hosts ? { hosts } : {}),
  };
}
