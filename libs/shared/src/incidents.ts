import type { StoredEvent } from './events';
import type { IncidentOrigin, IncidentStatus } from './incident-events';
import type { Severity } from './severities';

/** An incident as the API lists it and its page shows it, folded from its stream by `evolveIncident`. */
export interface IncidentNote {
  noteId: string;
  text: string;
  at: string;
  by: string;
  /** When it was written, and where in the log. */
  writtenAt: string;
  position: number;
  amends?: string;
  /** Later notes that correct this one. */
  amendedBy: string[];
}
export interface IncidentPin {
  position: number;
  eventType: string;
  eventTime: string;
  reason: string;
  by: string;
  pinnedAt: string;
}
export interface IncidentChange {
  type: string;
  by: string;
  at: string;
  position: number;
  value: string | null;
}
export interface IncidentView {
  incidentId: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  commander: string | null;
  from: string;
  to: string | null;
  origin?: IncidentOrigin;
  openedBy: string;
  openedAt: string;
  /** The first time it was marked resolved (kept if reopened later). */
  resolvedAt?: string;
  notes: IncidentNote[];
  pins: IncidentPin[];
  changes: IncidentChange[];
  /** Position of the last event folded in. */
  position: number;
}

export const INCIDENT_EVENT_TYPES = [
  'incident.opened',
  'incident.title-changed',
  'incident.severity-changed',
  'incident.commander-changed',
  'incident.status-changed',
  'incident.window-changed',
  'incident.noted',
  'incident.pinned',
] as const;

function change(view: IncidentView, event: StoredEvent, by: string, value: string | null): IncidentView {
  return {
    ...view,
    position: event.position,
    changes: [...view.changes, { type: event.type, by, at: event.time, position: event.position, value }],
  };
}

/** The incident fold: pure, the same on the server, in review and in tests. */
export function evolveIncident(view: IncidentView | undefined, event: StoredEvent): IncidentView | undefined {
  if (event.type === 'incident.opened') {
    if (view) return view;
    const d = event.data;
    return {
      incidentId: d.incidentId,
      title: d.title,
      severity: d.severity,
      status: 'investigating',
      commander: null,
      from: d.from,
      to: d.to ?? null,
      ...(d.origin ? { origin: d.origin } : {}),
      openedBy: d.by,
      openedAt: event.time,
      notes: [],
      pins: [],
      changes: [],
      position: event.position,
    };
  }
  if (!view || event.position <= view.position) return view;
  switch (event.type) {
    case 'incident.title-changed':
      return { ...change(view, event, event.data.by, event.data.title), title: event.data.title };
    case 'incident.severity-changed':
      return { ...change(view, event, event.data.by, event.data.severity), severity: event.data.severity };
    case 'incident.commander-changed':
      return { ...change(view, event, event.data.by, event.data.commander), commander: event.data.commander };
    case 'incident.status-changed': {
      const resolvedAt = view.resolvedAt ?? (event.data.status === 'resolved' ? event.time : undefined);
      return {
        ...change(view, event, event.data.by, event.data.status),
        status: event.data.status,
        ...(resolvedAt ? { resolvedAt } : {}),
      };
    }
    case 'incident.window-changed':
      return {
        ...change(view, event, event.data.by, `${event.data.from} – ${event.data.to ?? 'open'}`),
        from: event.data.from,
        to: event.data.to,
      };
    case 'incident.noted': {
      const d = event.data;
      const note: IncidentNote = {
        noteId: d.noteId,
        text: d.text,
        at: d.at,
        by: d.by,
        writtenAt: event.time,
        position: event.position,
        ...(d.amends ? { amends: d.amends } : {}),
        amendedBy: [],
      };
      const notes = view.notes.map((n) => (n.noteId === d.amends ? { ...n, amendedBy: [...n.amendedBy, d.noteId] } : n));
      return { ...view, position: event.position, notes: [...notes, note] };
    }
    case 'incident.pinned': {
      const d = event.data;
      const pin: IncidentPin = {
        position: d.position,
        eventType: d.eventType,
        eventTime: d.eventTime,
        reason: d.reason,
        by: d.by,
        pinnedAt: event.time,
      };
      return { ...view, position: event.position, pins: [...view.pins, pin] };
    }
    default:
      return view;
  }
}

export function foldIncident(events: readonly StoredEvent[]): IncidentView | undefined {
  return events.reduce<IncidentView | undefined>(evolveIncident, undefined);
}

/** How long it lasted (or has lasted so far): from its window's start to its end, its resolution or `now`. */
export function incidentDurationMs(view: Pick<IncidentView, 'from' | 'to' | 'resolvedAt' | 'status'>, now: number): number {
  const end = view.to ? Date.parse(view.to) : view.resolvedAt ? Date.parse(view.resolvedAt) : now;
  return Math.max(0, end - Date.parse(view.from));
}

/** One row of an incident's timeline: a log event of its window, or a note placed at its `at`. */
export interface TimelineRow {
  /** Where the row's event is in the log. */
  position: number;
  /** The moment the row is about (a note's `at`; else the event's time). */
  at: string;
  type: string;
  kind:
    | 'alert'
    | 'command'
    | 'deploy'
    | 'service'
    | 'host'
    | 'silence'
    | 'approval'
    | 'note'
    | 'pin'
    | 'watch'
    | 'maintenance'
    | 'rule'
    | 'notification'
    | 'incident';
  summary: string;
  actor?: string;
  environment?: string;
  /** Commands: how they ended. */
  outcome?: string;
  /** The pin reasons for this row's event. */
  pinned?: string[];
}

export interface IncidentTimeline {
  incident: IncidentView;
  rows: TimelineRow[];
  /** Who had a live stream open, as intervals (to null: still open at the window's end). */
  watching: { username: string; from: string; to: string | null }[];
  /** The log's head when this was answered: position and hash (the chain the rows cite). */
  head: { position: number; hash: string };
}
