import type { AlertRule, MetricSample } from '@vigil/shared';
import {
  HOST_SOURCE_KEY,
  HOST_STORAGE_KEY,
  REQUESTS_PREFIX,
  interfaceMetrics,
  latestSample,
  sumNetwork,
  valueOf,
} from '../../core/metric-values';
import { NO_VALUE } from '../../ui/display-format';
import { formatBytes, formatPercent, formatRate } from './host-metrics';
import { thresholdState, type ThresholdState } from './threshold';

/** Gauge of open connections the demo services export (summed over instances by the collector). */
export const CONNECTIONS_METRIC = 'demo_active_connections';

/** One value a card is built from, as the alert evaluator sees it: a metric of one source. */
export interface Contribution {
  metric: string;
  source: string;
  environment?: string;
  value: number;
}

export interface MetricCard {
  id: 'cpu' | 'memory' | 'disk' | 'network' | 'requests' | 'connections';
  label: string;
  /** Main figure, or several lines (network in/out, disk read/write). */
  lines: { label?: string; text: string }[];
  sub?: string;
  state: ThresholdState;
}

export interface CardGroup {
  /** `host`, or the environment's name. */
  key: string;
  title: string;
  environment?: string;
  /** ISO time of the newest sample behind the cards, null before the first. */
  time: string | null;
  error: string | null;
  cards: MetricCard[];
}

const ORDER: Record<ThresholdState, number> = { normal: 0, warning: 1, critical: 2 };

/**
 * The worst threshold state over a card's contributions, each judged by the alert
 * rules exactly as the evaluator would judge that source's metric.
 */
export function cardState(contributions: readonly Contribution[], rules: readonly AlertRule[]): ThresholdState {
  let worst: ThresholdState = 'normal';
  for (const { value, metric, source, environment } of contributions) {
    const state = thresholdState(value, rules, metric, source, environment);
    if (ORDER[state] > ORDER[worst]) worst = state;
  }
  return worst;
}

/** The named values of one sample that pass `pick`, as contributions. */
function contributions(sample: MetricSample | undefined, pick: (metric: string) => boolean): Contribution[] {
  if (!sample) return [];
  return Object.entries(sample.values)
    .filter(([metric, value]) => pick(metric) && Number.isFinite(value))
    .map(([metric, value]) => ({ metric, value, source: sample.source, environment: sample.environment }));
}

const sum = (parts: readonly Contribution[]) => (parts.length ? parts.reduce((total, part) => total + part.value, 0) : undefined);

/**
 * CPU, memory, disk and network of the machine (host-wide samples): this server's, or
 * with `agentHost` those of that agent's host (sources `host@<name>`, `host-storage@<name>`).
 */
export function hostCards(metrics: Record<string, MetricSample>, rules: readonly AlertRule[], agentHost?: string): CardGroup {
  const host = latestSample(metrics, agentHost ? `*/host@${agentHost}` : HOST_SOURCE_KEY);
  const storage = latestSample(metrics, agentHost ? `*/host-storage@${agentHost}` : HOST_STORAGE_KEY);
  const values = host?.values ?? {};
  const used = valueOf(values, 'memory.used_bytes');
  const total = valueOf(values, 'memory.total_bytes');
  const netNames = new Set([...interfaceMetrics(values, 'rx_bytes_per_s'), ...interfaceMetrics(values, 'tx_bytes_per_s')]);
  const errors = [host?.error, storage?.error ? `storage: ${storage.error}` : undefined].filter((e): e is string => !!e);
  const only =
    (...names: string[]) =>
    (metric: string) =>
      names.includes(metric);
  return {
    key: agentHost ? `host@${agentHost}` : 'host',
    title: agentHost ? `Host ${agentHost}` : 'Host',
    time: host?.time ?? null,
    error: errors.length ? errors.join('; ') : null,
    cards: [
      {
        id: 'cpu',
        label: 'CPU',
        lines: [{ text: formatPercent(values['cpu_percent']) }],
        state: cardState(contributions(host, only('cpu_percent')), rules),
      },
      {
        id: 'memory',
        label: 'Memory',
        lines: [{ text: formatPercent(values['memory_percent']) }],
        sub: used === undefined && total === undefined ? NO_VALUE : `${formatBytes(used)} / ${formatBytes(total)}`,
        state: cardState(contributions(host, only('memory_percent', 'memory.used_bytes')), rules),
      },
      {
        id: 'disk',
        label: 'Disk',
        lines: [
          { label: 'read', text: formatRate(values['disk.read_bytes_per_s']) },
          { label: 'written', text: formatRate(values['disk.write_bytes_per_s']) },
        ],
        sub: `root ${formatPercent(storage?.values['fs.root.used_percent'])} used`,
        state: cardState(
          [
            ...contributions(storage, only('fs.root.used_percent')),
            ...contributions(host, only('disk.read_bytes_per_s', 'disk.write_bytes_per_s')),
          ],
          rules,
        ),
      },
      {
        id: 'network',
        label: 'Network',
        lines: [
          { label: 'received', text: formatRate(sumNetwork(values, 'rx_bytes_per_s')) },
          { label: 'sent', text: formatRate(sumNetwork(values, 'tx_bytes_per_s')) },
        ],
        state: cardState(
          contributions(host, (metric) => netNames.has(metric)),
          rules,
        ),
      },
    ],
  };
}

/** "12.3/s" with one decimal below 100; "—" without a value. */
export function formatPerSecond(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)}/s`;
}

function formatCount(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? NO_VALUE : String(Math.round(value));
}

/** Requests/s and active connections of one environment, summed over its services' samples. */
export function environmentCards(environment: string, metrics: Record<string, MetricSample>, rules: readonly AlertRule[]): CardGroup {
  const samples = Object.values(metrics).filter((sample) => sample.environment === environment);
  const requests = samples.flatMap((sample) => contributions(sample, (metric) => metric.startsWith(REQUESTS_PREFIX)));
  const connections = samples.flatMap((sample) => contributions(sample, (metric) => metric === CONNECTIONS_METRIC));
  const times = samples.map((sample) => sample.time).sort();
  const errors = samples.filter((sample) => sample.error).map((sample) => `${sample.source}: ${sample.error}`);
  return {
    key: environment,
    title: environment,
    environment,
    time: times[times.length - 1] ?? null,
    error: errors.length ? errors.join('; ') : null,
    cards: [
      { id: 'requests', label: 'Requests/s', lines: [{ text: formatPerSecond(sum(requests)) }], state: cardState(requests, rules) },
      {
        id: 'connections',
        label: 'Active connections',
        lines: [{ text: formatCount(sum(connections)) }],
        state: cardState(connections, rules),
      },
    ],
  };
}

/** The agents' hosts that sent host-wide samples (`host@<name>`), by name. */
export function agentHostsIn(metrics: Record<string, MetricSample>): string[] {
  const names = new Set<string>();
  for (const sample of Object.values(metrics)) {
    if (sample.environment === undefined && sample.source.startsWith('host@')) names.add(sample.source.slice('host@'.length));
  }
  return [...names].sort();
}

/** This server's host group, one per agent host, then one group per environment, in the order given. */
export function metricCardGroups(
  metrics: Record<string, MetricSample>,
  environments: readonly string[],
  rules: readonly AlertRule[],
): CardGroup[] {
  return [
    hostCards(metrics, rules),
    ...agentHostsIn(metrics).map((host) => hostCards(metrics, rules, host)),
    ...environments.map((environment) => environmentCards(environment, metrics, rules)),
  ];
}
