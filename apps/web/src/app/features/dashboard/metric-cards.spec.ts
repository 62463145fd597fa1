import type { AlertRule, MetricSample } from '@vigil/shared';
import { thresholdRule } from '../../../testing/alert-rules';
import { cardState, environmentCards, formatPerSecond, hostCards, metricCardGroups, type CardGroup, type MetricCard } from './metric-cards';

const rule = thresholdRule;

/** The default config's host rules, as GET /api/alert-rules lists them. */
const DEFAULT_RULES: AlertRule[] = [
  rule({ name: 'host-cpu-high', metric: 'cpu_percent', threshold: 90, clearThreshold: 80 }),
  rule({ name: 'host-memory-high', metric: 'memory_percent', threshold: 90 }),
  rule({ name: 'host-disk-full', source: 'host-storage', metric: 'fs.root.used_percent', threshold: 90, severity: 'error' }),
  {
    kind: 'service',
    name: 'service-crashed',
    severity: 'error',
    labels: {},
    message: '',
    service: '*',
    environment: '*',
    trigger: 'crash',
    restarts: 3,
    withinMinutes: 5,
  },
];

const host = (values: Record<string, number>, extra: Partial<MetricSample> = {}): MetricSample => ({
  source: 'host',
  time: '2026-01-01T12:00:01.000Z',
  values,
  ...extra,
});
const storage = (used: number): MetricSample => ({
  source: 'host-storage',
  time: '2026-01-01T12:00:00.000Z',
  values: { 'fs.root.used_percent': used },
});
const service = (environment: string, source: string, values: Record<string, number>, time = '2026-01-01T12:00:02.000Z'): MetricSample => ({
  environment,
  source,
  time,
  values,
});

const card = (group: CardGroup, id: MetricCard['id']): MetricCard => {
  const found = group.cards.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} card in ${group.key}`);
  return found;
};
const text = (c: MetricCard) => c.lines.map((line) => (line.label ? `${line.label} ${line.text}` : line.text)).join(' | ');

describe('cardState', () => {
  it('is the worst state over the contributions, each judged against its own source and metric', () => {
    const rules = [
      rule({ metric: 'demo_active_connections', source: '*', environment: 'production', threshold: 50 }),
      rule({ metric: 'demo_active_connections', source: 'api-*', environment: 'production', threshold: 100, severity: 'critical' }),
    ];
    const at = (source: string, value: number, environment = 'production') => ({
      metric: 'demo_active_connections',
      source,
      environment,
      value,
    });
    expect(cardState([], rules)).toBe('normal');
    expect(cardState([at('web-server', 10), at('api-server', 20)], rules)).toBe('normal');
    expect(cardState([at('web-server', 60), at('api-server', 20)], rules)).toBe('warning');
    expect(cardState([at('web-server', 60), at('api-server', 120)], rules)).toBe('critical');
    // web-server at 120 only meets the warning rule (the critical one is for api-*).
    expect(cardState([at('web-server', 120)], rules)).toBe('warning');
    expect(cardState([at('api-server', 120, 'staging')], rules)).toBe('normal');
  });
});

describe('hostCards', () => {
  it('shows dashes and normal before the first sample', () => {
    const group = hostCards({}, DEFAULT_RULES);
    expect(group.time).toBeNull();
    expect(group.error).toBeNull();
    expect(text(card(group, 'cpu'))).toBe('—');
    expect(card(group, 'memory').sub).toBe('—');
    expect(text(card(group, 'network'))).toBe('received — | sent —');
    expect(card(group, 'disk').sub).toBe('root — used');
    expect(group.cards.every((c) => c.state === 'normal')).toBe(true);
  });

  it('derives values from the host and host-storage samples', () => {
    const group = hostCards(
      {
        '*/host': host({
          cpu_percent: 42.04,
          memory_percent: 50,
          'memory.used_bytes': 2 * 1024 ** 3,
          'memory.total_bytes': 4 * 1024 ** 3,
          'net.eth0.rx_bytes_per_s': 2048,
          'net.eth0.tx_bytes_per_s': 512,
          'net.lo.tx_bytes_per_s': 99_999,
          'disk.read_bytes_per_s': 1024 ** 2,
          'disk.write_bytes_per_s': 0,
        }),
        '*/host-storage': storage(71.26),
        'staging/web': service('staging', 'host', { cpu_percent: 99 }),
      },
      DEFAULT_RULES,
    );
    expect(group.time).toBe('2026-01-01T12:00:01.000Z');
    expect(text(card(group, 'cpu'))).toBe('42.0 %');
    expect(text(card(group, 'memory'))).toBe('50.0 %');
    expect(card(group, 'memory').sub).toBe('2.0 GiB / 4.0 GiB');
    expect(text(card(group, 'network'))).toBe('received 2.0 KiB/s | sent 512 B/s');
    expect(text(card(group, 'disk'))).toBe('read 1.0 MiB/s | written 0 B/s');
    expect(card(group, 'disk').sub).toBe('root 71.3 % used');
    expect(group.cards.map((c) => c.state)).toEqual(['normal', 'normal', 'normal', 'normal']);
  });

  it('takes each card level from the alert rules', () => {
    const metrics = { '*/host': host({ cpu_percent: 95, memory_percent: 50 }), '*/host-storage': storage(93) };
    const group = hostCards(metrics, DEFAULT_RULES);
    expect(card(group, 'cpu').state).toBe('warning');
    expect(card(group, 'memory').state).toBe('normal');
    expect(card(group, 'disk').state).toBe('critical'); // severity error reads as critical
    // Other rules, other levels: nothing is hard-coded.
    expect(hostCards(metrics, []).cards.every((c) => c.state === 'normal')).toBe(true);
    const strict = hostCards(metrics, [rule({ metric: 'memory_percent', threshold: 40, severity: 'critical' })]);
    expect(card(strict, 'memory').state).toBe('critical');
    expect(card(strict, 'cpu').state).toBe('normal');
    const net = hostCards({ '*/host': host({ 'net.eth0.rx_bytes_per_s': 5e6 }) }, [
      rule({ metric: 'net.eth0.rx_bytes_per_s', threshold: 1e6 }),
    ]);
    expect(card(net, 'network').state).toBe('warning');
  });

  it('reports the collector errors', () => {
    const group = hostCards(
      {
        '*/host': host({ cpu_percent: 3 }, { error: 'timed out reading /proc/meminfo' }),
        '*/host-storage': { source: 'host-storage', time: 't', values: {}, error: 'df failed' },
      },
      DEFAULT_RULES,
    );
    expect(group.error).toBe('timed out reading /proc/meminfo; storage: df failed');
    expect(text(card(group, 'cpu'))).toBe('3.0 %');
    expect(text(card(group, 'memory'))).toBe('—');
  });
});

describe('environmentCards', () => {
  const metrics: Record<string, MetricSample> = {
    'production/web-server': service('production', 'web-server', {
      'demo_requests_total_per_s{code="200"}': 30,
      'demo_requests_total_per_s{code="500"}': 2.5,
      demo_active_connections: 4,
      cpu_percent: 3,
    }),
    'production/api-server': service(
      'production',
      'api-server',
      { 'demo_requests_total_per_s{code="200"}': 10, demo_active_connections: 3 },
      '2026-01-01T12:00:05.000Z',
    ),
    'production/worker': service('production', 'worker', { cpu_percent: 1 }),
    'staging/web-server': service('staging', 'web-server', { 'demo_requests_total_per_s{code="200"}': 1 }),
    '*/host': host({ cpu_percent: 10 }),
  };

  it("sums requests/s and connections over the environment's services", () => {
    const group = environmentCards('production', metrics, []);
    expect(group).toMatchObject({
      key: 'production',
      title: 'production',
      environment: 'production',
      time: '2026-01-01T12:00:05.000Z',
      error: null,
    });
    expect(text(card(group, 'requests'))).toBe('42.5/s');
    expect(text(card(group, 'connections'))).toBe('7');
    const staging = environmentCards('staging', metrics, []);
    expect(text(card(staging, 'requests'))).toBe('1.0/s');
    expect(text(card(staging, 'connections'))).toBe('—');
    expect(text(card(environmentCards('lab', metrics, []), 'requests'))).toBe('—');
  });

  it("judges each service's series by the rules for that environment", () => {
    const rules = [
      rule({
        name: 'errors',
        metric: 'demo_requests_total_per_s{code="500"}',
        source: 'web-*',
        environment: 'production',
        threshold: 1,
        severity: 'critical',
      }),
      rule({ name: 'busy', metric: 'demo_active_connections', source: '*', environment: 'staging', threshold: 2 }),
    ];
    expect(card(environmentCards('production', metrics, rules), 'requests').state).toBe('critical');
    expect(card(environmentCards('production', metrics, rules), 'connections').state).toBe('normal'); // the connections rule is for staging
    const busy = { 'staging/web-server': service('staging', 'web-server', { demo_active_connections: 3 }) };
    expect(card(environmentCards('staging', busy, rules), 'connections').state).toBe('warning');
  });

  it('formats rates', () => {
    expect(formatPerSecond(undefined)).toBe('—');
    expect(formatPerSecond(0)).toBe('0.0/s');
    expect(formatPerSecond(123.4)).toBe('123/s');
  });

  it('puts the host group first, then the environments in the order given', () => {
    expect(metricCardGroups(metrics, ['staging', 'production'], []).map((group) => group.key)).toEqual(['host', 'staging', 'production']);
  });

  it("gives each agent host (source host@<name>) its own group after the server's, judged by rules on that source", () => {
    const withAgents: Record<string, MetricSample> = {
      ...metrics,
      '*/host@edge-1': host({ cpu_percent: 95 }, { source: 'host@edge-1', host: 'edge-1' }),
      '*/host@core-1': host({ cpu_percent: 10 }, { source: 'host@core-1', host: 'core-1' }),
    };
    const groups = metricCardGroups(
      withAgents,
      ['staging'],
      [rule({ name: 'edge-cpu', source: 'host@*', metric: 'cpu_percent', threshold: 90 })],
    );
    expect(groups.map((group) => [group.key, group.title])).toEqual([
      ['host', 'Host'],
      ['host@core-1', 'Host core-1'],
      ['host@edge-1', 'Host edge-1'],
      ['staging', 'staging'],
    ]);
    expect(card(groups[2], 'cpu').state).not.toBe('normal');
    expect(card(groups[1], 'cpu').state).toBe('normal');
  });
});
