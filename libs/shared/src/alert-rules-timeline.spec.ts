import { rulesInForceAt, type AlertRulesMoment } from './alerts';
import type { AlertRule } from './events';

const rule = (name: string, threshold: number): AlertRule => ({
  name,
  kind: 'threshold',
  metric: 'cpu_percent',
  source: 'host',
  environment: '*',
  comparator: '>',
  threshold,
  forSeconds: 0,
  severity: 'warning',
  labels: {},
  message: '{{rule}}',
});

const TIMELINE: AlertRulesMoment[] = [
  { at: '2026-11-27T03:00:00.000Z', rules: [rule('cpu', 90)] },
  { at: '2026-11-27T03:05:00.000Z', rules: [rule('cpu', 50)] },
  { at: '2026-11-27T03:05:00.000Z', rules: [rule('cpu', 50), rule('cpu2', 70)] },
  { at: '2026-11-27T03:08:00.000Z', rules: [] },
];

describe('rulesInForceAt', () => {
  it.each([
    ['before the first moment: the first', '2026-11-27T02:00:00.000Z', [rule('cpu', 90)]],
    ['at the first moment', '2026-11-27T03:00:00.000Z', [rule('cpu', 90)]],
    ['between moments: the earlier', '2026-11-27T03:04:59.999Z', [rule('cpu', 90)]],
    ['two changes at one time: the later', '2026-11-27T03:05:00.000Z', [rule('cpu', 50), rule('cpu2', 70)]],
    ['after the last: the last, even when empty', '2026-11-27T04:00:00.000Z', []],
  ])('%s', (_what, at, expected) => {
    expect(rulesInForceAt(TIMELINE, Date.parse(at))).toEqual(expected);
  });

  it('knows nothing from an empty timeline', () => {
    expect(rulesInForceAt([], Date.now())).toBeUndefined();
  });
});
