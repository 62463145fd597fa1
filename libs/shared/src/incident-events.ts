import type { Severity } from './severities';

/**
 * Incidents and stream sessions as events. An incident lives in its own stream
 * (`incident-<incidentId>`); each field change is its own event, notes are never
 * edited (a correction is a new note that `amends` an earlier one), pins name a
 * log position of the window with a reason.
 */

export const INCIDENT_STATUSES = ['investigating', 'mitigated', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Where an incident was opened from (the page prefilled its window from it). */
export interface IncidentOrigin {
  kind: 'alert' | 'command' | 'replay';
  id?: string;
}

export interface IncidentOpenedData {
  incidentId: string;
  title: string;
  severity: Severity;
  /** The window the incident covers: from (and to, once known). */
  from: string;
  to?: string;
  origin?: IncidentOrigin;
  by: string;
}
export interface IncidentTitleChangedData {
  incidentId: string;
  title: string;
  by: string;
}
export interface IncidentSeverityChangedData {
  incidentId: string;
  severity: Severity;
  by: string;
}
export interface IncidentCommanderChangedData {
  incidentId: string;
  /** A username, or null when nobody commands any more. */
  commander: string | null;
  by: string;
}
export interface IncidentStatusChangedData {
  incidentId: string;
  status: IncidentStatus;
  by: string;
}
export interface IncidentWindowChangedData {
  incidentId: string;
  from: string;
  to: string | null;
  by: string;
}
export interface IncidentNotedData {
  incidentId: string;
  noteId: string;
  text: string;
  /** The moment on the timeline the note is about (may be in the past). */
  at: string;
  by: string;
  /** The note this one corrects; both stay. */
  amends?: string;
}
export interface IncidentPinnedData {
  incidentId: string;
  /** The log position of the pinned event. */
  position: number;
  /** The pinned event's type and time, so the pin reads on its own. */
  eventType: string;
  eventTime: string;
  reason: string;
  by: string;
}
/** A past window marked as maintenance: an annotation on timelines, nothing rewritten. */
export interface MaintenanceMarkedData {
  markId: string;
  from: string;
  to: string;
  reason: string;
  environment?: string;
  by: string;
}

/** One live stream connection opened by a user (no filter details: who, not what). */
export interface StreamOpenedData {
  connectionId: string;
  userId: string;
  username: string;
}
export interface StreamClosedData {
  connectionId: string;
  userId: string;
  username: string;
}

export function incidentStreamOf(incidentId: string): string {
  return `incident-${incidentId}`;
}
/** stream.opened / stream.closed of every connection. */
export const STREAM_SESSIONS_STREAM = 'stream-sessions';
export const MAINTENANCE_STREAM = 'maintenance';
