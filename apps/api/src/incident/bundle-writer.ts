import {
  dashboardForEnvironment,
  environmentMatches,
  wireEvent,
  type AlertRule,
  type AlertRulesMoment,
  type IncidentBundleLine,
} from '@vigil/shared';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { ReplayItem, ReplaySource } from '../replay/replay-source';

export interface BundleWindow {
  from: Date;
  to: Date;
  /** Only this environment's events and samples (and those without one), as `?environment=` does. */
  environment?: string;
}

/** What goes into a bundle besides the source's snapshot and items. */
export interface BundleExtras {
  /** The alert rules in force at the window's end (alertRulesAt), as GET /api/alert-rules lists them. */
  alertRules: AlertRule[];
  /** The rules at the window's start and after each change inside it (alertRulesTimeline). */
  alertRulesTimeline: AlertRulesMoment[];
  createdAt?: Date;
  /** `vigil export --incident`: the incident line written after the rules. */
  incident?: Omit<Extract<IncidentBundleLine, { kind: 'incident' }>, 'kind'>;
}

export interface BundleCounts {
  events: number;
  samples: number;
}

/** Writes, waiting for 'drain' when the reader is behind (rejects if the output fails meanwhile). */
async function write(out: Writable, text: string | Buffer): Promise<void> {
  // A destroyed stream never drains: stop instead of waiting forever.
  if (out.destroyed) throw new Error('the output was closed');
  if (!out.write(text)) await once(out, 'drain');
}

/** Resolves `work`, or rejects with the output's error (a closed pipe: `vigil export | head`) if it fails first. */
async function failingWith<T>(out: Writable, work: () => Promise<T>): Promise<T> {
  let failure: Error | undefined;
  const onError = (error: Error): void => {
    failure ??= error;
  };
  out.on('error', onError);
  try {
    const result = await work();
    if (failure) throw failure;
    return result;
  } catch (error) {
    throw failure ?? error;
  } finally {
    out.off('error', onError);
  }
}

/** Events as they go on the wire: a bundle leaves the server, so no password hash goes with it. */
function itemLine(item: ReplayItem): IncidentBundleLine {
  return item.kind === 'event' ? { kind: 'event', event: wireEvent(item.event) } : { kind: 'metrics', sample: item.sample };
}

function itemEnvironment(item: ReplayItem): string | undefined {
  return item.kind === 'event' ? item.event.meta.environment : item.sample.environment;
}

/**
 * Writes an incident bundle to `out`: the header (with the counts), the dashboard
 * snapshot at `from`, the alert rules at `to` (all of them: GET /api/alert-rules
 * does not filter by environment either), then the window's events and samples
 * interleaved by time, one JSON object a line. The header comes first but its
 * counts are known only at the end, so the items go to a temporary file first and
 * are copied after it: memory stays at one item whatever the window's size.
 */
export async function writeBundle(source: ReplaySource, window: BundleWindow, out: Writable, extras: BundleExtras): Promise<BundleCounts> {
  const createdAt = extras.createdAt ?? new Date();
  const counts: BundleCounts = { events: 0, samples: 0 };
  const dir = mkdtempSync(join(tmpdir(), 'vigil-export-'));
  const spool = join(dir, 'items.ndjson');
  try {
    const spoolOut = createWriteStream(spool);
    for await (const item of source.items(window.from, window.to)) {
      if (!environmentMatches(itemEnvironment(item), window.environment)) continue;
      if (item.kind === 'event') counts.events += 1;
      else counts.samples += 1;
      await write(spoolOut, `${JSON.stringify(itemLine(item))}\n`);
    }
    spoolOut.end();
    await once(spoolOut, 'close');

    const snapshot = await source.snapshotAt(window.from);
    const header: IncidentBundleLine = {
      kind: 'header',
      format: 'vigil-incident',
      version: 1,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      createdAt: createdAt.toISOString(),
      ...counts,
    };
    const snapshotLine: IncidentBundleLine = {
      kind: 'snapshot',
      position: snapshot.position,
      state: dashboardForEnvironment(snapshot.state, window.environment),
    };
    const rulesLine: IncidentBundleLine = { kind: 'alert-rules', rules: extras.alertRules, timeline: extras.alertRulesTimeline };
    const lines: IncidentBundleLine[] = [header, snapshotLine, rulesLine];
    if (extras.incident)
      lines.push({
        kind: 'incident',
        ...extras.incident,
        events: extras.incident.events.map(wireEvent),
        openStreams: extras.incident.openStreams.map(wireEvent),
      });
    return await failingWith(out, async () => {
      await write(out, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      for await (const chunk of createReadStream(spool)) await write(out, chunk as Buffer);
      return counts;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
