import { metricSourceKey, type MetricSample } from '@vigil/shared';

/**
 * How the web app reads the values of a metric sample: which source keys are host-wide,
 * which names are network interfaces and which are the demo services' request rates.
 * The metric cards and the charts read samples the same way from here.
 */

/** Keys of the host-wide sources in `DashboardState.metrics`. */
export const HOST_SOURCE_KEY = metricSourceKey({ source: 'host' });
export const HOST_STORAGE_KEY = metricSourceKey({ source: 'host-storage' });

/** The latest sample of the source `key`, or undefined before its first (the state holds only sources seen so far). */
export function latestSample(metrics: Readonly<Record<string, MetricSample>>, key: string): MetricSample | undefined {
  return Object.hasOwn(metrics, key) ? metrics[key] : undefined;
}

/** One named value of a sample, or undefined when the collector did not report it. */
export function valueOf(values: Readonly<Record<string, number>>, name: string): number | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

/** Prefix of the demo services' request-rate values (one value per label set, e.g. `{code="200"}`). */
export const REQUESTS_PREFIX = 'demo_requests_total_per_s';

export type InterfaceSuffix = 'rx_bytes_per_s' | 'tx_bytes_per_s';

/** Names of the non-loopback interface metrics (`net.<iface>.<suffix>`) for `suffix` present in a sample. */
export function interfaceMetrics(values: Record<string, number>, suffix: InterfaceSuffix): string[] {
  return Object.keys(values).filter((name) => {
    const match = /^net\.(.+)\.([a-z_]+)$/.exec(name);
    return !!match && match[2] === suffix && match[1] !== 'lo';
  });
}

/** The sum of `net.<iface>.<suffix>` over every interface except loopback; undefined if none. */
export function sumNetwork(values: Record<string, number>, suffix: InterfaceSuffix): number | undefined {
  return sumFinite(values, interfaceMetrics(values, suffix));
}

/** The names of a service sample's `demo_requests_total_per_s…` values. */
export function requestMetrics(values: Record<string, number>): string[] {
  return Object.keys(values).filter((name) => name.startsWith(REQUESTS_PREFIX));
}

/** Requests/s of one service sample: the sum of every `demo_requests_total_per_s…` value; undefined if none. */
export function requestsPerSecond(values: Record<string, number>): number | undefined {
  return sumFinite(values, requestMetrics(values));
}

/** The sum of the finite values among `names` (names of `values`); undefined if none. */
function sumFinite(values: Record<string, number>, names: readonly string[]): number | undefined {
  let total: number | undefined;
  for (const name of names) {
    const value = values[name];
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}
