import type { ServiceView } from '@vigil/shared';
import { formatBytes, formatPercent, formatRate, serviceRows } from './host-metrics';

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
