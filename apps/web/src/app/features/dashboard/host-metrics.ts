import { serviceStatus, type ServiceView } from '@vigil/shared';
import { NO_VALUE } from '../../ui/display-format';

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
