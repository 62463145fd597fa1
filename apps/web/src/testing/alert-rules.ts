import type { ThresholdAlertRule } from '@vigil/shared';

/** A threshold rule (host CPU > 90, warning) with the given fields changed. */
export function thresholdRule(partial: Partial<ThresholdAlertRule> = {}): ThresholdAlertRule {
  return {
    kind: 'threshold',
    name: 'r',
    severity: 'warning',
    labels: {},
    message: '',
    metric: 'cpu_percent',
    source: 'host',
    environment: '*',
    comparator: '>',
    threshold: 90,
    forSeconds: 0,
    ...partial,
  };
}
