import type { MetricSample, ServiceView } from '@vigil/shared';
import { formatBytes, formatPercent, formatRate, hostMetricsView, serviceRows, sumNetwork } from './host-metrics';

const host = (values: Record<string, number>, extra: Partial<MetricSample> = {}): MetricSample => ({
  source: 'host',
  time: '2026-01-01T12:00:01.000Z',
  values,
  ...extra,
});

describe('host metrics formatting', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 2)).toBe('5.0 MiB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatBytes(7.25 * 1024 ** 3)).toBe('7.3 GiB');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });

  it('formats rates and percentages', () => {
    expect(formatRate(2048)).toBe('2.0 KiB/s');
    expect(formatRate(undefined)).toBe('—');
    expect(formatPercent(12.345)).toBe('12.3 %');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('sums network rates over interfaces except lo', () => {
    const values = {
      'net.lo.rx_bytes_per_s': 1_000_000,
      'net.eth0.rx_bytes_per_s': 1000,
      'net.wlan0.rx_bytes_per_s': 24,
      'net.eth0.tx_bytes_per_s': 10,
      'cpu_percent': 5,
    };
    expect(sumNetwork(values, 'rx_bytes_per_s')).toBe(1024);
    expect(sumNetwork(values, 'tx_bytes_per_s')).toBe(10);
    expect(sumNetwork({ 'net.lo.tx_bytes_per_s': 3 }, 'tx_bytes_per_s')).toBeUndefined();
  });
});

describe('hostMetricsView', () => {
  it('shows dashes before the first sample', () => {
    const view = hostMetricsView({});
    expect(view).toEqual({
      time: null,
      error: null,
      cpu: '—',
      memory: '—',
      memoryUsed: '—',
      network: { rx: '—', tx: '—' },
      disk: { read: '—', write: '—' },
      rootUsed: '—',
    });
  });

  it('derives the cards from the host and host-storage samples', () => {
    const view = hostMetricsView({
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
      '*/host-storage': { source: 'host-storage', time: '2026-01-01T12:00:00.000Z', values: { 'fs.root.used_percent': 71.26 } },
      'staging/web': { environment: 'staging', source: 'host', time: 'x', values: { cpu_percent: 99 } },
    });
    expect(view.time).toBe('2026-01-01T12:00:01.000Z');
    expect(view.error).toBeNull();
    expect(view.cpu).toBe('42.0 %');
    expect(view.memory).toBe('50.0 %');
    expect(view.memoryUsed).toBe('2.0 GiB / 4.0 GiB');
    expect(view.network).toEqual({ rx: '2.0 KiB/s', tx: '512 B/s' });
    expect(view.disk).toEqual({ read: '1.0 MiB/s', write: '0 B/s' });
    expect(view.rootUsed).toBe('71.3 %');
  });

  it('reports the collector error and what values it could get', () => {
    const view = hostMetricsView({
      '*/host': host({ cpu_percent: 3 }, { error: 'timed out reading /proc/meminfo' }),
      '*/host-storage': { source: 'host-storage', time: 't', values: {}, error: 'df failed' },
    });
    expect(view.error).toBe('timed out reading /proc/meminfo; storage: df failed');
    expect(view.cpu).toBe('3.0 %');
    expect(view.memory).toBe('—');
    expect(view.memoryUsed).toBe('—');
    expect(view.rootUsed).toBe('—');
  });
});

describe('serviceRows', () => {
  const view = (environment: string, service: string, overrides: Partial<ServiceView> = {}): ServiceView => ({
    environment,
    service,
    version: '1.2.0',
    desiredInstances: 2,
    instances: [
      { index: 0, pid: 101, port: 3001, state: 'running', startedAt: 't', restarts: 1 },
      { index: 1, pid: null, port: null, state: 'crashed', startedAt: 't', restarts: 0 },
    ],
    restarts: 1,
    position: 5,
    ...overrides,
  });

  it('makes one sorted row per service with status, instances, PIDs and restarts', () => {
    const rows = serviceRows({
      'staging/web': view('staging', 'web'),
      'production/web': view('production', 'web', { instances: [], restarts: 0, version: '2.0.0' }),
      'production/api': view('production', 'api', { desiredInstances: 1 }),
    });
    expect(rows.map((row) => row.key)).toEqual(['production/api', 'production/web', 'staging/web']);
    expect(rows[0]).toMatchObject({ status: 'running', running: 1, desired: 1, pids: '101' });
    expect(rows[1]).toMatchObject({ status: 'stopped', running: 0, desired: 2, pids: '—', version: '2.0.0', restarts: 0 });
    expect(rows[2]).toEqual({
      key: 'staging/web',
      environment: 'staging',
      name: 'web',
      status: 'degraded',
      version: '1.2.0',
      running: 1,
      desired: 2,
      pids: '101',
      restarts: 1,
    });
  });
});
