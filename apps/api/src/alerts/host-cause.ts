import { hostMetricSource, type AlertRaisedData, type AlertView } from '@vigil/shared';

/** Who knows which host runs a service and whether it is offline (the hosts registry). */
export interface HostLookup {
  hostOfService(environment: string, service: string): string | undefined;
  isOnline(host: string): boolean;
}

/**
 * An alert of a service whose agent host is down is caused by that host: it is still
 * recorded, labelled `host` and `causedBy` (the firing host-offline alert's id, or
 * `host:<name>` while that alert is pending), and not notified on its own, since the
 * host's alert already says it. Anything else is returned unchanged.
 */
export function withHostCause(data: AlertRaisedData, hosts: HostLookup, firing: readonly AlertView[]): AlertRaisedData {
  if (data.environment === undefined || data.source.includes('@')) return data;
  const host = hosts.hostOfService(data.environment, data.source);
  if (host === undefined) return data;
  const hostAlert = firing.find((alert) => alert.state === 'firing' && alert.source === hostMetricSource(host));
  if (!hostAlert && hosts.isOnline(host)) return data;
  return { ...data, labels: { ...data.labels, host, causedBy: hostAlert?.alertId ?? `host:${host}` } };
}

/** Whether a raised alert is one withHostCause marked (delivered under its host's alert instead). */
export function isCausedByHost(data: Pick<AlertRaisedData, 'labels'>): boolean {
  return typeof data.labels.causedBy === 'string';
}
