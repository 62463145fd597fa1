import type { AlertRule, AlertRulesMoment, DashboardState, IncidentBundleLine } from '@vigil/shared';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ReplayItem } from '../replay/replay-source';
import { bundleLineSchema } from './bundle-line.schema';

type Header = Extract<IncidentBundleLine, { kind: 'header' }>;

/** A parsed incident bundle, held in memory (an incident window, not a whole log). */
export interface IncidentBundle {
  file: string;
  header: Header;
  snapshot: { position: number; state: DashboardState };
  /** The alert rules in force at the window's end; empty for a bundle written before export carried them. */
  alertRules: AlertRule[];
  /** The rules at the window's start and after each change in it; empty for bundles written before it. */
  alertRulesTimeline: AlertRulesMoment[];
  /** `vigil export --incident`: the incident's own events, the streams open at its start, the log's head. */
  incident?: Omit<Extract<IncidentBundleLine, { kind: 'incident' }>, 'kind'>;
  /** Events and samples in file order: by time, events in position order. */
  items: ReplayItem[];
}

/** A bundle that cannot be reviewed: the message names the file and the line. */
export class BundleError extends Error {}

function itemTime(item: ReplayItem): string {
  return item.kind === 'event' ? item.event.time : item.sample.time;
}

/**
 * Reads and checks a bundle written by `vigil export`: every line parses and has
 * its kind's shape, the header comes first, the snapshot second, the alert rules
 * (if there: older bundles have none) third, items lie in the header's window in
 * time order, event positions increase past the snapshot's, and the counts match
 * the header's.
 */
export async function readBundle(file: string): Promise<IncidentBundle> {
  const fail: (line: number, message: string) => never = (line, message) => {
    throw new BundleError(`${file} line ${line}: ${message}`);
  };
  let header: Header | undefined;
  let snapshot: IncidentBundle['snapshot'] | undefined;
  let alertRules: AlertRule[] = [];
  let alertRulesTimeline: AlertRulesMoment[] = [];
  const items: ReplayItem[] = [];
  let incident: IncidentBundle['incident'];
  let events = 0;
  let lastTime = '';
  let lastPosition = 0;
  let number = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      number += 1;
      if (text.trim() === '') fail(number, 'empty line');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        fail(number, `not JSON (${(error as Error).message})`);
      }
      const parsed = bundleLineSchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        fail(number, `${issue.path.join('.') || 'line'}: ${issue.message}`);
      }
      const line = parsed.data as IncidentBundleLine;
      if (number === 1) {
        if (line.kind !== 'header') fail(number, `expected the header, found a ${line.kind} line`);
        header = line;
        if (Date.parse(header.from) >= Date.parse(header.to)) fail(number, 'the window is empty (from is not before to)');
        lastTime = header.from;
        continue;
      }
      if (number === 2) {
        if (line.kind !== 'snapshot') fail(number, `expected the snapshot, found a ${line.kind} line`);
        snapshot = { position: (line as { position: number }).position, state: (line as { state: DashboardState }).state };
        lastPosition = snapshot.position;
        continue;
      }
      if (line.kind === 'header' || line.kind === 'snapshot') fail(number, `a second ${line.kind}`);
      if (line.kind === 'alert-rules') {
        if (number !== 3) fail(number, 'the alert rules belong right after the snapshot (line 3)');
        alertRules = line.rules;
        alertRulesTimeline = line.timeline ?? [];
        const times = alertRulesTimeline.map((moment) => Date.parse(moment.at));
        if (times.some((time, i) => i > 0 && time < times[i - 1])) fail(number, 'the alert rules timeline is not in time order');
        continue;
      }
      if (line.kind === 'incident') {
        if (items.length > 0 || incident) fail(number, 'the incident belongs before the items, once');
        const { kind: _kind, ...rest } = line;
        incident = rest;
        continue;
      }
      const item: ReplayItem = line.kind === 'event' ? { kind: 'event', event: line.event } : { kind: 'metrics', sample: line.sample };
      const time = itemTime(item);
      const window = header ?? fail(number, 'an item before the header');
      if (Date.parse(time) <= Date.parse(window.from) || Date.parse(time) > Date.parse(window.to))
        fail(number, `time ${time} is outside the window (${window.from}, ${window.to}]`);
      if (Date.parse(time) < Date.parse(lastTime)) fail(number, `time ${time} is before the previous line's ${lastTime}`);
      lastTime = time;
      if (item.kind === 'event') {
        if (item.event.position <= lastPosition) fail(number, `event position ${item.event.position} does not follow ${lastPosition}`);
        lastPosition = item.event.position;
        events += 1;
      }
      items.push(item);
    }
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError(`${file}: ${(error as Error).message}`);
  } finally {
    lines.close();
  }
  if (!header) throw new BundleError(`${file}: empty file (no header line)`);
  if (!snapshot) throw new BundleError(`${file}: no snapshot line after the header`);
  const samples = items.length - events;
  if (events !== header.events || samples !== header.samples) {
    throw new BundleError(
      `${file}: the header says ${header.events} events and ${header.samples} samples, the file holds ${events} and ${samples} (truncated?)`,
    );
  }
  return { file, header, snapshot, alertRules, alertRulesTimeline, items, ...(incident ? { incident } : {}) };
}
