import type { Page } from 'playwright-core';

/** What the page's EventSources received, as recorded by `recordPageStream`. */
export interface PageStreamRecord {
  /** URLs the page opened streams with, in order (resumes carry `lastEventId`). */
  opened: string[];
  /** Positions of the `snapshot` messages, in order of arrival. */
  snapshots: number[];
  /** Positions of the durable events, in order of arrival (duplicates kept). */
  positions: number[];
  /** Every `command.progress` event's data, in order of arrival. */
  progress: { commandId: string; percent: number; step: string }[];
}

/**
 * Wraps the page's EventSource before any app script runs, so a test sees every
 * message the app's stream received (the app's own handler still gets each one).
 * Written as page source text: the test project has no DOM types.
 */
const RECORDER = `(() => {
  const Native = window.EventSource;
  const record = { opened: [], snapshots: [], positions: [], progress: [] };
  window.__vigilStreamRecord = record;
  window.EventSource = class extends Native {
    constructor(url, init) {
      super(url, init);
      record.opened.push(String(url));
      this.addEventListener('message', (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        if (message && message.type === 'snapshot') record.snapshots.push(message.position);
        else if (message && typeof message.position === 'number' && typeof message.hash === 'string') {
          record.positions.push(message.position);
          if (message.type === 'command.progress') record.progress.push(message.data);
        }
      });
    }
  };
})();`;

/** Call before `page.goto`: records what the page's streams receive from then on. */
export async function recordPageStream(page: Page): Promise<void> {
  await page.addInitScript({ content: RECORDER });
}

export async function pageStreamRecord(page: Page): Promise<PageStreamRecord> {
  return page.evaluate<PageStreamRecord>('window.__vigilStreamRecord');
}

/** Positions that arrived more than once, and the gaps between `from` (exclusive) and the last one received. */
export function streamGapsAndRepeats(positions: readonly number[], from: number): { repeated: number[]; missing: number[] } {
  const seen = new Set<number>();
  const repeated: number[] = [];
  for (const position of positions) {
    if (seen.has(position)) repeated.push(position);
    seen.add(position);
  }
  const last = Math.max(from, ...positions);
  const missing: number[] = [];
  for (let position = from + 1; position <= last; position++) if (!seen.has(position)) missing.push(position);
  return { repeated, missing };
}
