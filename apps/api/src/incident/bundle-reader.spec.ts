import { initialDashboardState, metricSourceKey, type AlertRule, type IncidentBundleLine, type StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleError, readBundle } from './bundle-reader';
import { BundleReplaySource } from './bundle-replay-source';

const FROM = '2026-11-27T03:00:00.000Z';
const TO = '2026-11-27T03:10:00.000Z';

function event(position: number, minute: number, type = 'command.accepted'): StoredEvent {
  return {
    position,
    stream: `command-c${position}`,
    version: 1,
    type,
    data: { commandId: `c${position}`, type: 'ping', target: 'vigil', environment: 'staging', params: {}, requestHash: 'x' },
    meta: { correlationId: 'k', environment: 'staging' },
    time: `2026-11-27T03:0${minute}:00.000Z`,
    hash: 'a'.repeat(64),
  } as StoredEvent;
}

function lines(): IncidentBundleLine[] {
  return [
    { kind: 'header', format: 'vigil-incident', version: 1, from: FROM, to: TO, createdAt: TO, events: 2, samples: 1 },
    { kind: 'snapshot', position: 4, state: { ...initialDashboardState(), position: 4 } },
    { kind: 'event', event: event(5, 2) },
    { kind: 'metrics', sample: { source: 'host', time: '2026-11-27T03:03:00.000Z', values: { cpu_percent: 12 } } },
    { kind: 'event', event: event(6, 5) },
  ];
}

const RULES: AlertRule[] = [
  {
    name: 'cpu-high',
    kind: 'threshold',
    metric: 'cpu_percent',
    source: 'host',
    environment: '*',
    comparator: '>',
    threshold: 90,
    forSeconds: 30,
    severity: 'critical',
    labels: {},
    message: '{{rule}} at {{value}}',
  },
  {
    name: 'worker-crash',
    kind: 'service',
    service: 'worker',
    environment: 'staging',
    trigger: 'crash',
    restarts: 3,
    withinMinutes: 5,
    severity: 'error',
    labels: { team: 'ops' },
    message: '{{rule}}',
  },
];

/** The same bundle as a current export writes it: the alert rules right after the snapshot. */
function withRules(all: (string | IncidentBundleLine)[], rules: unknown = RULES): (string | IncidentBundleLine)[] {
  return [all[0], all[1], JSON.stringify({ kind: 'alert-rules', rules }), ...all.slice(2)];
}

describe('incident bundles: reading and replaying', () => {
  let dir: string;
  const write = (content: (string | IncidentBundleLine)[]): string => {
    const file = join(dir, 'incident.ndjson');
    writeFileSync(file, content.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
    return file;
  };

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-bundle-spec-'))));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a well-formed bundle', async () => {
    const bundle = await readBundle(write(lines()));
    expect(bundle.header).toMatchObject({ events: 2, samples: 1 });
    expect(bundle.snapshot.position).toBe(4);
    expect(bundle.items.map((item) => item.kind)).toEqual(['event', 'metrics', 'event']);
    // Written before export carried the alert rules: none, and still reviewable.
    expect(bundle.alertRules).toEqual([]);
  });

  it('reads the alert rules right after the snapshot', async () => {
    const bundle = await readBundle(write(withRules(lines())));
    expect(bundle.alertRules).toEqual(RULES);
    expect(bundle.snapshot.position).toBe(4);
    expect(bundle.items.map((item) => item.kind)).toEqual(['event', 'metrics', 'event']);
    expect((await readBundle(write(withRules(lines(), [])))).alertRules).toEqual([]);
    // Written before bundles carried the rules' timeline: an empty one.
    expect((await readBundle(write(withRules(lines())))).alertRulesTimeline).toEqual([]);
  });

  it('reads the alert rules timeline, and refuses one out of time order', async () => {
    const timeline = [
      { at: FROM, rules: [RULES[0]] },
      { at: '2026-11-27T03:04:00.000Z', rules: RULES },
    ];
    const all = lines();
    const withTimeline = [all[0], all[1], { kind: 'alert-rules', rules: RULES, timeline }, ...all.slice(2)] as IncidentBundleLine[];
    expect((await readBundle(write(withTimeline))).alertRulesTimeline).toEqual(timeline);
    const reversed = [
      all[0],
      all[1],
      { kind: 'alert-rules', rules: RULES, timeline: [...timeline].reverse() },
      ...all.slice(2),
    ] as IncidentBundleLine[];
    await expect(readBundle(write(reversed))).rejects.toThrow(/line 3: the alert rules timeline is not in time order/);
  });

  it.each<[string, (all: (string | IncidentBundleLine)[]) => (string | IncidentBundleLine)[], RegExp]>([
    ['a line that is not JSON', (all) => [...all.slice(0, 3), '{oops', ...all.slice(4)], /line 4: not JSON/],
    [
      'a field of the wrong type',
      (all) => [...all.slice(0, 2), { kind: 'event', event: { ...event(5, 2), position: -1 } }, ...all.slice(3)],
      /line 3: event\.position/,
    ],
    ['an unknown kind', (all) => [...all.slice(0, 2), '{"kind":"alert"}', ...all.slice(3)], /line 3: kind/],
    ['no header first', (all) => all.slice(1), /line 1: expected the header, found a snapshot line/],
    [
      'an item outside the window',
      (all) => [...all.slice(0, 2), { kind: 'event', event: { ...event(5, 2), time: '2026-11-27T04:00:00.000Z' } }, ...all.slice(3)],
      /line 3: time .* is outside the window/,
    ],
    ['items out of time order', (all) => [all[0], all[1], all[4], all[3], all[2]], /line 4: time .* is before the previous line's/],
    [
      'positions going back',
      (all) => [...all.slice(0, 4), { kind: 'event', event: event(3, 5) }],
      /line 5: event position 3 does not follow 5/,
    ],
    ['a truncated file', (all) => all.slice(0, 4), /the header says 2 events and 1 samples, the file holds 1 and 1/],
    ['an alert rule of the wrong shape', (all) => withRules(all, [{ ...RULES[0], threshold: 'high' }]), /line 3: rules\.0\.threshold/],
    ['an alert rule of an unknown kind', (all) => withRules(all, [RULES[1], { ...RULES[0], kind: 'guess' }]), /line 3: rules\.1\.kind/],
    ['two alert rules of one name', (all) => withRules(all, [RULES[0], RULES[0]]), /line 3: rules: rule names must be unique/],
    [
      'alert rules after an item',
      (all) => {
        const [header, snapshot, rules, ...items] = withRules(all);
        return [header, snapshot, items[0], rules, ...items.slice(1)];
      },
      /line 4: the alert rules belong right after the snapshot/,
    ],
    ['a second alert-rules line', (all) => withRules(withRules(all)), /line 4: the alert rules belong right after the snapshot/],
  ])('refuses %s, naming where', async (_what, change, message) => {
    const attempt = readBundle(write(change(lines())));
    await expect(attempt).rejects.toThrow(BundleError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('replays the window from the bundle and folds the items before a later start into its snapshot', async () => {
    const source = new BundleReplaySource(await readBundle(write(lines())));
    const all = [];
    for await (const item of source.items(new Date(FROM), new Date(TO))) all.push(item);
    expect(all).toHaveLength(3);
    const later = [];
    for await (const item of source.items(new Date('2026-11-27T03:03:00.000Z'), new Date(TO))) later.push(item);
    expect(later.map((item) => item.kind === 'event' && item.event.position)).toEqual([6]);

    expect((await source.snapshotAt(new Date(FROM))).position).toBe(4);
    const at = await source.snapshotAt(new Date('2026-11-27T03:03:00.000Z'));
    expect(at.position).toBe(5);
    expect(at.state.commands.map((command) => command.commandId)).toEqual(['c5']);
    expect(at.state.metrics[metricSourceKey({ source: 'host' })].values).toEqual({ cpu_percent: 12 });

    const { markers, truncated } = await source.markers(new Date(FROM), new Date(TO), () => true);
    expect(truncated).toBe(false);
    expect(markers.map((marker) => [marker.position, marker.kind, marker.label])).toEqual([
      [5, 'command', 'ping vigil@staging accepted'],
      [6, 'command', 'ping vigil@staging accepted'],
    ]);
  });
});
