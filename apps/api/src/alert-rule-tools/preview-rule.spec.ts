import { alertRuleSchema, type MetricSample, type StoredEvent } from '@vigil/shared';
import { inMemoryItems, type ReplayItem } from '../replay/replay-source';
import { previewRule } from './preview-rule';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const sample = (s: number, value: number, source = 'web'): ReplayItem => ({
  kind: 'metrics',
  sample: { environment: 'staging', source, time: at(s), values: { cpu: value } } satisfies MetricSample,
});
const window = (items: ReplayItem[], seconds = 600) => [inMemoryItems(items), new Date(T0), new Date(T0 + seconds * 1000)] as const;

describe('previewRule', () => {
  const threshold = alertRuleSchema.parse({
    kind: 'threshold',
    name: 'hot',
    metric: 'cpu',
    comparator: '>',
    threshold: 80,
    forSeconds: 10,
  });

  it('says when a draft threshold rule would have fired and resolved, after its forSeconds', async () => {
    const items = [sample(0, 50), sample(5, 90), sample(10, 95), sample(15, 96), sample(20, 40), sample(25, 99)];
    const preview = await previewRule(threshold, ...window(items));
    expect(preview.samples).toBe(6);
    expect(preview.firings).toEqual([
      expect.objectContaining({ source: 'web', environment: 'staging', raisedAt: at(15), value: 96, resolvedAt: at(20) }),
    ]);
  });

  it('finds nothing when the condition never holds long enough, and judges each source apart', async () => {
    const items = [sample(0, 90), sample(5, 70), sample(10, 90, 'api'), sample(21, 91, 'api')];
    const preview = await previewRule(threshold, ...window(items));
    expect(preview.firings.map((firing) => [firing.source, firing.raisedAt, firing.resolvedAt])).toEqual([['api', at(21), undefined]]);
  });

  it('runs the clock for absent rules between samples and up to the end of the window', async () => {
    const absent = alertRuleSchema.parse({ kind: 'absent', name: 'quiet', seconds: 30 });
    const preview = await previewRule(absent, ...window([sample(0, 1), sample(10, 1)], 60));
    expect(preview.firings).toEqual([expect.objectContaining({ source: 'web', raisedAt: at(40) })]);
  });

  it('feeds service events to service rules', async () => {
    const crash = alertRuleSchema.parse({ kind: 'service', name: 'crashed', trigger: 'crash' });
    const exited = {
      position: 1,
      stream: 'service-web@staging',
      version: 1,
      type: 'service.exited',
      data: { service: 'web', environment: 'staging', code: 1, expected: false },
      meta: { correlationId: 'c' },
      time: at(5),
      hash: 'h',
    } as unknown as StoredEvent;
    const preview = await previewRule(crash, ...window([{ kind: 'event', event: exited }]));
    expect(preview.events).toBe(1);
    expect(preview.firings).toEqual([expect.objectContaining({ source: 'web', raisedAt: at(5), value: 1 })]);
  });
});
