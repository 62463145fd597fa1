import type { IncidentTimeline, IncidentView, StoredEvent, TimelineRow } from '@vigil/shared';
import { isTimelineEvent, RowLabeller } from './timeline-rows';

export interface TimelineInput {
  incident: IncidentView;
  /** The log's events of the window, in position order. */
  events: AsyncIterable<StoredEvent>;
  /** Live streams open at the window's start: their stream.opened events. */
  openAtStart: StoredEvent[];
  /** Whether the reader may see an event (environments of their role; who watched only with the right). */
  visible: (event: StoredEvent) => boolean;
  head: { position: number; hash: string };
}

function noteRows(incident: IncidentView): TimelineRow[] {
  return incident.notes
    .map((note): TimelineRow => ({
      position: note.position,
      at: note.at,
      type: 'incident.noted',
      kind: 'note',
      summary: note.amends ? `${note.text} (amends note ${note.amends.slice(0, 8)})` : note.text,
      actor: note.by,
    }))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.position - b.position);
}

/**
 * An incident's timeline: the window's log events (alerts, commands with who and
 * outcome, deploys, service and host changes, silences, acks, approvals, who
 * watched) in log order, each marked with its pins, and the notes placed at the
 * moment they are about (after the events of that same moment).
 */
export async function buildTimeline(input: TimelineInput): Promise<IncidentTimeline> {
  const { incident } = input;
  const pins = new Map<number, string[]>();
  for (const pin of incident.pins) pins.set(pin.position, [...(pins.get(pin.position) ?? []), pin.reason]);
  const labeller = new RowLabeller();
  const logRows: TimelineRow[] = [];
  const open = new Map<string, { username: string; from: string }>();
  const watching: IncidentTimeline['watching'] = [];
  for (const event of input.openAtStart) {
    if (event.type === 'stream.opened' && input.visible(event))
      open.set(event.data.connectionId, { username: event.data.username, from: incident.from });
  }
  for await (const event of input.events) {
    if (!isTimelineEvent(event, incident.incidentId) || !input.visible(event)) continue;
    const row = labeller.row(event);
    const reasons = pins.get(event.position);
    if (reasons) row.pinned = reasons;
    logRows.push(row);
    if (event.type === 'stream.opened') open.set(event.data.connectionId, { username: event.data.username, from: event.time });
    if (event.type === 'stream.closed') {
      const started = open.get(event.data.connectionId);
      open.delete(event.data.connectionId);
      watching.push({ username: event.data.username, from: started?.from ?? incident.from, to: event.time });
    }
  }
  for (const still of open.values()) watching.push({ ...still, to: null });
  watching.sort((a, b) => Date.parse(a.from) - Date.parse(b.from));

  const rows: TimelineRow[] = [];
  const notes = noteRows(incident);
  let n = 0;
  for (const row of logRows) {
    while (n < notes.length && Date.parse(notes[n].at) < Date.parse(row.at)) rows.push(notes[n++]);
    rows.push(row);
  }
  rows.push(...notes.slice(n));
  return { incident, rows, watching, head: input.head };
}
