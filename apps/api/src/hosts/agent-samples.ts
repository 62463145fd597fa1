import { hostMetricSource, type MetricInfo, type MetricSample } from '@vigil/shared';
import type { z } from 'zod';
import type { agentSampleSchema } from '@vigil/shared';
import { describeMetric } from '../metrics/collectors/metric-units';
import type { MetricsService } from '../metrics/metrics.service';
import type { HostsRegistry } from './hosts-registry';

/** Samples older than this when they arrive were buffered while the server was away: history only, not live. */
const LIVE_WINDOW_MS = 10_000;

type AgentSample = z.infer<typeof agentSampleSchema>;

/**
 * An agent's samples into the metrics pipeline: host-wide ones under the source
 * `host@<name>` (`<source>@<name>` for other host-wide sources), a service's under
 * its own name, only for services this host declared (others are dropped and
 * counted). Recent samples go live (streams, alerts, history); back-filled ones
 * only into history, so an alert never fires on an old value.
 */
export function ingestAgentSamples(
  host: string,
  samples: readonly AgentSample[],
  metrics: MetricsService,
  hosts: HostsRegistry,
): { accepted: number; rejected: number; backfilled: number } {
  let accepted = 0;
  let rejected = 0;
  let backfilled = 0;
  const now = Date.now();
  for (const raw of samples) {
    if (raw.environment !== undefined && hosts.hostOfService(raw.environment, raw.source) !== host) {
      rejected += 1;
      continue;
    }
    const sample: MetricSample = {
      ...(raw.environment !== undefined ? { environment: raw.environment } : {}),
      source: raw.environment !== undefined ? raw.source : raw.source === 'host' ? hostMetricSource(host) : `${raw.source}@${host}`,
      host,
      time: new Date(raw.time).toISOString(),
      values: raw.values,
      ...(raw.error !== undefined ? { error: raw.error } : {}),
    };
    const units = raw.units;
    const describe = (metric: string): MetricInfo => {
      const given = units?.[metric];
      return given ? { name: metric, unit: given.unit, kind: given.kind } : describeMetric(metric);
    };
    if (now - Date.parse(sample.time) > LIVE_WINDOW_MS) {
      metrics.backfill(sample, describe);
      backfilled += 1;
    } else {
      metrics.publish(sample, describe, 'ingest');
    }
    accepted += 1;
  }
  return { accepted, rejected, backfilled };
}
