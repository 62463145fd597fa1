import { globMatches, type AlertRule, type Severity, type ThresholdAlertRule } from '@vigil/shared';

export type ThresholdState = 'normal' | 'warning' | 'critical';

/** How a rule's severity colours a card: error and critical read as critical, warning and info as warning. */
const LEVEL: Record<Severity, Exclude<ThresholdState, 'normal'>> = {
  info: 'warning',
  warning: 'warning',
  error: 'critical',
  critical: 'critical',
};

function breaches(rule: ThresholdAlertRule, value: number): boolean {
  switch (rule.comparator) {
    case '>':
      return value > rule.threshold;
    case '>=':
      return value >= rule.threshold;
    case '<':
      return value < rule.threshold;
    case '<=':
      return value <= rule.threshold;
  }
}

/**
 * The threshold state of one value, from the alert rules (never hard-coded limits): the
 * worst severity among the threshold rules for this metric whose source and environment
 * globs match and whose condition the value meets. `*` also matches a host-wide value
 * (no environment); any other environment glob needs one.
 */
export function thresholdState(
  value: number | undefined | null,
  rules: readonly AlertRule[],
  metric: string,
  source: string,
  environment?: string,
): ThresholdState {
  if (value === undefined || value === null || !Number.isFinite(value)) return 'normal';
  let state: ThresholdState = 'normal';
  for (const rule of rules) {
    if (rule.kind !== 'threshold' || rule.metric !== metric) continue;
    if (!globMatches(rule.source, source)) continue;
    if (environment === undefined ? rule.environment !== '*' : !globMatches(rule.environment, environment)) continue;
    if (!breaches(rule, value)) continue;
    state = LEVEL[rule.severity];
    if (state === 'critical') return state;
  }
  return state;
}
