import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { IncidentNote, IncidentOrigin, IncidentStatus, IncidentTimeline, IncidentView, Severity } from '@vigil/shared';
import type { Observable } from 'rxjs';

export interface IncidentListItem extends Omit<IncidentView, 'notes' | 'pins' | 'changes'> {
  durationMs: number;
  notes: number;
  pins: number;
}

export interface OpenIncident {
  title: string;
  severity: Severity;
  from: string;
  to?: string;
  origin?: IncidentOrigin;
}

export interface IncidentPatch {
  title?: string;
  severity?: Severity;
  commander?: string | null;
  status?: IncidentStatus;
  to?: string | null;
}

/** /api/incidents over HTTP; nothing else. */
@Injectable({ providedIn: 'root' })
export class IncidentsApiService {
  private readonly http = inject(HttpClient);

  list(): Observable<{ incidents: IncidentListItem[] }> {
    return this.http.get<{ incidents: IncidentListItem[] }>('/api/incidents');
  }

  timeline(incidentId: string): Observable<IncidentTimeline> {
    return this.http.get<IncidentTimeline>(`/api/incidents/${encodeURIComponent(incidentId)}/timeline`);
  }

  open(body: OpenIncident): Observable<IncidentView> {
    return this.http.post<IncidentView>('/api/incidents', body);
  }

  patch(incidentId: string, body: IncidentPatch): Observable<IncidentView> {
    return this.http.patch<IncidentView>(`/api/incidents/${encodeURIComponent(incidentId)}`, body);
  }

  note(incidentId: string, body: { text: string; at: string; amends?: string }): Observable<IncidentNote> {
    return this.http.post<IncidentNote>(`/api/incidents/${encodeURIComponent(incidentId)}/notes`, body);
  }

  pin(incidentId: string, body: { position: number; reason: string }): Observable<IncidentView> {
    return this.http.post<IncidentView>(`/api/incidents/${encodeURIComponent(incidentId)}/pins`, body);
  }

  postmortemUrl(incidentId: string): string {
    return `/api/incidents/${encodeURIComponent(incidentId)}/postmortem.md`;
  }
}
