import type { AlertView } from '@vigil/shared';

let counter = 0;

/** A folded alert as the dashboard state holds it; ids are unique UUIDs per call. */
export function alertView(overrides: Partial<AlertView> = {}): AlertView {
  counter += 1;
  const alertId = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  const startedAt = overrides.startedAt ?? '2026-01-01T12:00:00.000Z';
  return {
    alertId,
    rule: 'cpu-high',
    ruleKind: 'threshold',
    source: 'host',
    environment: 'staging',
    metric: 'cpu_percent',
    severity: 'warning',
    labels: {},
    message: `cpu_percent 95 on host (${alertId})`,
    threshold: 90,
    value: 95,
    state: 'firing',
    startedAt,
    timeline: [{ type: 'raised', at: startedAt, position: counter * 10, value: 95 }],
    position: counter * 10,
    ...overrides,
  };
}
