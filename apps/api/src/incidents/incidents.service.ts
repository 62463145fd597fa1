import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  incidentStreamOf,
  MAINTENANCE_STREAM,
  type EventMeta,
  type IncidentNote,
  type IncidentOrigin,
  type IncidentStatus,
  type IncidentView,
  type NewEvent,
  type Severity,
  type StoredEvent,
} from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../event-store/event-store';
import { LiveIncidents } from './live-incidents';

export interface IncidentPatch {
  title?: string;
  severity?: Severity;
  commander?: string | null;
  status?: IncidentStatus;
  from?: string;
  to?: string | null;
}

const iso = (value: string): string => new Date(value).toISOString();
/** Clocks differ a little between a browser and the server: "now" in a form may be a few seconds ahead. */
const FUTURE_SLACK_MS = 60_000;

/** The write side of incidents: every change is its own event in the incident's stream. */
@Injectable()
export class IncidentsService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(LiveIncidents) private readonly incidents: LiveIncidents,
  ) {}

  async open(
    input: { title: string; severity: Severity; from: string; to?: string; origin?: IncidentOrigin },
    by: string,
    meta: EventMeta,
  ): Promise<IncidentView> {
    const incidentId = randomUUID();
    const data = {
      incidentId,
      title: input.title,
      severity: input.severity,
      from: iso(input.from),
      ...(input.to ? { to: iso(input.to) } : {}),
      ...(input.origin ? { origin: input.origin } : {}),
      by,
    };
    return this.write(incidentId, 0, [{ type: 'incident.opened', data }], meta);
  }

  async patch(incidentId: string, patch: IncidentPatch, by: string, meta: EventMeta): Promise<IncidentView> {
    const view = this.existing(incidentId);
    const events: NewEvent[] = [];
    if (patch.title !== undefined && patch.title !== view.title)
      events.push({ type: 'incident.title-changed', data: { incidentId, title: patch.title, by } });
    if (patch.severity !== undefined && patch.severity !== view.severity)
      events.push({ type: 'incident.severity-changed', data: { incidentId, severity: patch.severity, by } });
    if (patch.commander !== undefined && patch.commander !== view.commander)
      events.push({ type: 'incident.commander-changed', data: { incidentId, commander: patch.commander, by } });
    if (patch.status !== undefined && patch.status !== view.status)
      events.push({ type: 'incident.status-changed', data: { incidentId, status: patch.status, by } });
    if (patch.from !== undefined || patch.to !== undefined) {
      const from = patch.from === undefined ? view.from : iso(patch.from);
      const to = patch.to === undefined ? view.to : patch.to === null ? null : iso(patch.to);
      if (to !== null && Date.parse(to) <= Date.parse(from)) throw this.bad('body.to', 'to must be after from');
      if (from !== view.from || to !== view.to) events.push({ type: 'incident.window-changed', data: { incidentId, from, to, by } });
    }
    if (events.length === 0) return view;
    return this.write(incidentId, 'any', events, meta);
  }

  async note(incidentId: string, input: { text: string; at: string; amends?: string }, by: string, meta: EventMeta): Promise<IncidentNote> {
    const view = this.existing(incidentId);
    if (Date.parse(input.at) > Date.now() + FUTURE_SLACK_MS) throw this.bad('body.at', 'a note is about a moment that has happened');
    if (input.amends !== undefined && !view.notes.some((note) => note.noteId === input.amends))
      throw new NotFoundException({ message: `incident ${incidentId} has no note ${input.amends}` });
    const noteId = randomUUID();
    const data = { incidentId, noteId, text: input.text, at: iso(input.at), by, ...(input.amends ? { amends: input.amends } : {}) };
    const after = await this.write(incidentId, 'any', [{ type: 'incident.noted', data }], meta);
    const note = after.notes.find((n) => n.noteId === noteId);
    if (!note) throw new Error(`note ${noteId} was committed but not folded`);
    return note;
  }

  /** Pins one event of the incident's window (from < time <= to, or now while open). */
  async pin(incidentId: string, input: { position: number; reason: string }, by: string, meta: EventMeta): Promise<IncidentView> {
    const view = this.existing(incidentId);
    const event = await this.eventAt(input.position);
    if (!event) throw new NotFoundException({ message: `the log has no event at position ${input.position}` });
    const time = Date.parse(event.time);
    const end = view.to ? Date.parse(view.to) : Date.now();
    if (time <= Date.parse(view.from) || time > end)
      throw this.bad('body.position', `event ${input.position} (${event.time}) is outside the incident's window`);
    const data = { incidentId, position: event.position, eventType: event.type, eventTime: event.time, reason: input.reason, by };
    return this.write(incidentId, 'any', [{ type: 'incident.pinned', data }], meta);
  }

  /** Marks a past window as maintenance: an annotation in timelines; nothing before it changes. */
  async markMaintenance(
    input: { from: string; to: string; reason: string; environment?: string },
    by: string,
    meta: EventMeta,
  ): Promise<StoredEvent> {
    const data = {
      markId: randomUUID(),
      from: iso(input.from),
      to: iso(input.to),
      reason: input.reason,
      by,
      ...(input.environment ? { environment: input.environment } : {}),
    };
    const [event] = await this.store.append(MAINTENANCE_STREAM, 'any', [{ type: 'maintenance.marked', data }], meta);
    return event;
  }

  private async eventAt(position: number): Promise<StoredEvent | undefined> {
    if (position > this.store.position) return undefined;
    for await (const event of this.store.read(position, { toPosition: position })) return event;
    return undefined;
  }

  private existing(incidentId: string): IncidentView {
    const view = this.incidents.incident(incidentId);
    if (!view) throw new NotFoundException({ message: `no incident ${incidentId}` });
    return view;
  }

  private bad(path: string, message: string): BadRequestException {
    return new BadRequestException({ message, details: [{ path, message }] });
  }

  private async write(incidentId: string, expected: number | 'any', events: NewEvent[], meta: EventMeta): Promise<IncidentView> {
    const stored = await this.store.append(incidentStreamOf(incidentId), expected, events, meta);
    // Folded now, so the answer shows what was written (follow may see it too: the fold skips repeats).
    for (const event of stored) this.incidents.apply(event);
    return this.existing(incidentId);
  }
}
