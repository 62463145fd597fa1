import { metricSourceKey, serviceStatus, type MetricSample, type ServiceView } from '@vigil/shared';

/** Keys of the host-wide sources in `DashboardState.metrics`. */
export const HOST_KEY = metricSourceKey({ source: 'host' });
export const HOST_STORAGE_KEY = metricSourceKey({ source: 'host-storage' });

/** Shown for a value not known yet (no sample, or the collector did not report it). */
export const NO_VALUE = '—';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB"; one decimal below 100, none above; "—" for a missing value. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return NO_VALUE;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number | undefined): string {
  const text = formatBytes(bytesPerSecond);
  return text === NO_VALUE ? text : `${text}/s`;
}

/** 12.345 → "12.3 %". */
export function formatPercent(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) return NO_VALUE;
  return `${percent.toFixed(1)} %`;
}

/** The sum of `net.<iface>.<suffix>` over every interface except loopback; undefined if none. */
export function sumNetwork(values: Record<string, number>, suffix: 'rx_bytes_per_s' | 'tx_bytes_per_s'): number | undefined {
  let total: number | undefined;
  for (const [name, value] of Object.entries(values)) {
    const match = /^net\.(.+)\.([a-z_]+)$/.exec(name);
    if (!match || match[2] !== suffix || match[1] === 'lo' || !Number.isFinite(value)) continue;
    total = (total ?? 0) + value;
  }
  return total;
}

export interface ServiceRow {
  key: string;
  environment: string;
  name: string;
  status: 'running' | 'degraded' | 'stopped';
  version: string;
  running: number;
  desired: number;
  pids: string;
  restarts: number;
}

/** One table row per service, sorted by environment then name. */
export function serviceRows(services: Record<string, ServiceView>): ServiceRow[] {
  return Object.entries(services)
    .map(([key, view]) => {
      const pids = view.instances.map((instance) => instance.pid).filter((pid): pid is number => pid !== null);
      return {
        key,
        environment: view.environment,
        name: view.service,
        status: serviceStatus(view),
        version: view.version,
        running: view.instances.filter((instance) => instance.state === 'running').length,
        desired: view.desiredInstances,
        pids: pids.length ? pids.join(', ') : NO_VALUE,
        restarts: view.restarts,
      };
    })
    .sort((a, b) => a.environment.localeCompare(b.environment) || a.name.localeCompare(b.name));
}
