import type { AlertRule, ThresholdAlertRule } from '@vigil/shared';
import { thresholdRule } from '../../../testing/alert-rules';
import { thresholdState } from './threshold';

/** Threshold 80 here, as these cases were written against it. */
const rule = (partial: Partial<ThresholdAlertRule>) => thresholdRule({ threshold: 80, ...partial });

describe('thresholdState', () => {
  const rules: AlertRule[] = [
    rule({ name: 'cpu-warn', threshold: 80 }),
    rule({ name: 'cpu-crit', threshold: 95, severity: 'critical' }),
    rule({ name: 'mem', metric: 'memory_percent', threshold: 90, severity: 'error' }),
    rule({ name: 'low-instances', metric: 'instances_running', source: 'web-*', environment: 'production', comparator: '<', threshold: 2 }),
    { kind: 'absent', name: 'gone', severity: 'critical', labels: {}, message: '', source: '*', environment: '*', seconds: 30 },
  ];

  it('is normal below every threshold, or without a value', () => {
    expect(thresholdState(50, rules, 'cpu_percent', 'host')).toBe('normal');
    expect(thresholdState(undefined, rules, 'cpu_percent', 'host')).toBe('normal');
    expect(thresholdState(NaN, rules, 'cpu_percent', 'host')).toBe('normal');
  });

  it('takes the worst matching severity', () => {
    expect(thresholdState(85, rules, 'cpu_percent', 'host')).toBe('warning');
    expect(thresholdState(96, rules, 'cpu_percent', 'host')).toBe('critical');
    expect(thresholdState(91, rules, 'memory_percent', 'host')).toBe('critical'); // error reads as critical
    expect(thresholdState(80, rules, 'cpu_percent', 'host')).toBe('normal'); // '>' is strict
    expect(thresholdState(80, [rule({ comparator: '>=' })], 'cpu_percent', 'host')).toBe('warning');
  });

  it('matches source and environment globs', () => {
    expect(thresholdState(1, rules, 'instances_running', 'web-server', 'production')).toBe('warning');
    expect(thresholdState(1, rules, 'instances_running', 'web-server', 'staging')).toBe('normal');
    expect(thresholdState(1, rules, 'instances_running', 'api-server', 'production')).toBe('normal');
    expect(thresholdState(1, rules, 'instances_running', 'web-server')).toBe('normal'); // host-wide value, env-specific rule
    expect(thresholdState(99, rules, 'cpu_percent', 'vigil')).toBe('normal');
    expect(thresholdState(99, [rule({ source: '*' })], 'cpu_percent', 'api-server', 'staging')).toBe('warning');
  });

  it('uses the rules it is given, not fixed limits', () => {
    expect(thresholdState(99, [], 'cpu_percent', 'host')).toBe('normal');
    expect(thresholdState(30, [rule({ threshold: 20 })], 'cpu_percent', 'host')).toBe('warning');
  });
});
