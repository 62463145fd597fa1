import type { MetricSample } from '@vigil/shared';
import {
  LIVE_WINDOW_MS,
  alertMarks,
  deployMarks,
  appendLive,
  formatTick,
  historySeries,
  hostFigures,
  serviceRequests,
  sumHistories,
  trimBefore,
  type Point,
} from './series';
import { interfaceMetrics, requestsPerSecond, sumNetwork } from '../../core/metric-values';

const T0 = Date.parse('2026-11-27T02:00:00.000Z');

function hostSample(at: number, values: Record<string, number>): MetricSample {
  return { source: 'host', time: new Date(at).toISOString(), values };
}

describe('series building', () => {
  it('takes CPU and memory percent and sums network without lo', () => {
    const figures = hostFigures(
      hostSample(T0, {
        cpu_percent: 12.5,
        memory_percent: 40,
        'net.eth0.rx_bytes_per_s': 100,
        'net.eth1.rx_bytes_per_s': 50,
        'net.lo.rx_bytes_per_s': 9999,
        'net.eth0.tx_bytes_per_s': 7,
        'net.eth0.errors_per_s': 3,
      }),
    );
    expect(figures).toEqual({ time: T0, cpu: 12.5, memory: 40, rx: 150, tx: 7 });
    expect(interfaceMetrics({ 'net.lo.rx_bytes_per_s': 1, 'net.eth0.rx_bytes_per_s': 2 }, 'rx_bytes_per_s')).toEqual([
      'net.eth0.rx_bytes_per_s',
    ]);
    expect(sumNetwork({ 'net.lo.tx_bytes_per_s': 1 }, 'tx_bytes_per_s')).toBeUndefined();
  });

  it('leaves out missing values and bad times', () => {
    expect(hostFigures(hostSample(T0, {}))).toEqual({ time: T0, cpu: undefined, memory: undefined, rx: undefined, tx: undefined });
    expect(hostFigures({ source: 'host', time: 'nope', values: {} })).toBeNull();
  });

  it('sums every demo_requests_total_per_s value of a service', () => {
    expect(
      requestsPerSecond({ 'demo_requests_total_per_s{code="200"}': 10, 'demo_requests_total_per_s{code="500"}': 2, cpu_percent: 50 }),
    ).toBe(12);
    expect(requestsPerSecond({ cpu_percent: 50 })).toBeUndefined();
    const metrics: Record<string, MetricSample> = {
      '*/host': hostSample(T0, { cpu_percent: 1 }),
      'staging/web': { environment: 'staging', source: 'web', time: new Date(T0).toISOString(), values: { demo_requests_total_per_s: 4 } },
      'production/api': {
        environment: 'production',
        source: 'api',
        time: new Date(T0).toISOString(),
        values: { 'demo_requests_total_per_s{code="200"}': 3, 'demo_requests_total_per_s{code="404"}': 1 },
      },
      'production/worker': { environment: 'production', source: 'worker', time: new Date(T0).toISOString(), values: { cpu_percent: 3 } },
    };
    expect(serviceRequests(metrics)).toEqual([
      { key: 'production/api', time: T0, value: 4 },
      { key: 'staging/web', time: T0, value: 4 },
    ]);
  });

  it('builds avg, min and max series from history and sums histories by bucket', () => {
    expect(historySeries([[T0, 2, 1, 3]])).toEqual({ avg: [{ x: T0, y: 2 }], min: [{ x: T0, y: 1 }], max: [{ x: T0, y: 3 }] });
    expect(
      sumHistories([
        {
          points: [
            [T0, 1, 0, 2],
            [T0 + 60_000, 2, 0, 2],
          ],
        },
        {
          points: [
            [T0 + 60_000, 5, 0, 9],
            [T0, 3, 0, 4],
          ],
        },
      ]),
    ).toEqual([
      { x: T0, y: 4 },
      { x: T0 + 60_000, y: 7 },
    ]);
  });

  it('formats ticks by span', () => {
    const at = new Date(2026, 10, 27, 9, 5, 7).getTime();
    expect(formatTick(at, LIVE_WINDOW_MS)).toBe('09:05:07');
    expect(formatTick(at, 86_400_000)).toBe('09:05');
    expect(formatTick(at, 7 * 86_400_000)).toBe('11-27 09:05');
  });

  it('marks alert raise and resolve times inside the range', () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const marks = alertMarks(
      [
        { rule: 'a', startedAt: iso(T0 + 1000), resolvedAt: iso(T0 + 5000) },
        { rule: 'b', startedAt: iso(T0 - 10 * 60_000) },
      ],
      T0,
      T0 + 60_000,
    );
    expect(marks).toEqual([
      { x: T0 + 1000, kind: 'raised', rule: 'a' },
      { x: T0 + 5000, kind: 'resolved', rule: 'a' },
    ]);
  });
});

describe('deploy marks', () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const deploy = (state: string, finishedAt?: number, type = 'deploy') => ({
    type,
    state,
    target: 'web-server',
    environment: 'staging',
    finishedAt: finishedAt === undefined ? undefined : iso(finishedAt),
  });

  it('marks finished deploys inside the range, in time order, and nothing else', () => {
    const marks = deployMarks(
      [
        deploy('completed', T0 + 9000),
        deploy('failed', T0 + 2000),
        deploy('running'),
        deploy('completed', T0 + 3000, 'restart'),
        deploy('completed', T0 - 1),
      ],
      T0,
      T0 + 60_000,
    );
    expect(marks).toEqual([
      { x: T0 + 2000, label: 'deploy web-server@staging failed' },
      { x: T0 + 9000, label: 'deploy web-server@staging completed' },
    ]);
  });
});

describe('live window', () => {
  it('trims in place to the last 5 minutes', () => {
    const points: Point[] = [];
    const same = points;
    for (let s = 0; s <= 400; s += 10) appendLive(points, { x: T0 + s * 1000, y: s });
    expect(points).toBe(same);
    expect(points[0].x).toBe(T0 + 100_000);
    expect(points[points.length - 1].x).toBe(T0 + 400_000);
    expect(points[points.length - 1].x - points[0].x).toBeLessThanOrEqual(LIVE_WINDOW_MS);
  });

  it('ignores a sample that is not newer than the last one', () => {
    const points: Point[] = [{ x: T0, y: 1 }];
    expect(appendLive(points, { x: T0, y: 2 })).toBe(false);
    expect(appendLive(points, { x: T0 - 1, y: 2 })).toBe(false);
    expect(appendLive(points, { x: T0 + 1, y: 2 })).toBe(true);
    expect(points).toHaveLength(2);
  });

  it('trimBefore drops only older points', () => {
    const points: Point[] = [1, 2, 3, 4].map((x) => ({ x, y: x }));
    expect(trimBefore(points, 3)).toBe(2);
    expect(points.map((p) => p.x)).toEqual([3, 4]);
    expect(trimBefore(points, 0)).toBe(0);
  });
});
