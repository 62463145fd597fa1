import { Controller, Get, Header, Inject, NotFoundException, Param, Query, Req } from '@nestjs/common';
import {
  can,
  idSchema,
  incidentDurationMs,
  incidentListQuerySchema,
  isWatchEvent,
  type IncidentTimeline,
  type IncidentView,
  type SessionUser,
  type StoredEvent,
} from '@vigil/shared';
import type { Request } from 'express';
import { requireSession } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { buildTimeline } from './incident-timeline';
import { IncidentsReadModel } from './incidents-read-model';
import { renderPostmortem } from './postmortem';

export interface IncidentListItem extends Omit<IncidentView, 'notes' | 'pins' | 'changes'> {
  durationMs: number;
  notes: number;
  pins: number;
}

/** Who watched is personal: only for those who run incidents, replay (review included) or manage users. */
function seesWatchers(user: SessionUser): boolean {
  return (['incidents.manage', 'replay', 'users.manage'] as const).some((capability) => can(user, { kind: 'capability', capability }));
}

/** The read side of incidents: the live server and a review server mount it alike. */
@Controller('api/incidents')
export class IncidentsController {
  constructor(@Inject(IncidentsReadModel) private readonly incidents: IncidentsReadModel) {}

  @Get()
  list(@Query() query: unknown): { incidents: IncidentListItem[] } {
    const q = parseOrThrow(incidentListQuerySchema, query ?? {}, 'query');
    const now = this.incidents.now();
    const items = this.incidents
      .list()
      .filter((view) => q.status === undefined || view.status === q.status)
      .sort((a, b) => Date.parse(b.from) - Date.parse(a.from))
      .map(({ notes, pins, changes: _changes, ...rest }) => ({
        ...rest,
        durationMs: incidentDurationMs(rest, now),
        notes: notes.length,
        pins: pins.length,
      }));
    return { incidents: items };
  }

  @Get(':id')
  get(@Param('id') id: string): IncidentView {
    return this.load(id);
  }

  @Get(':id/timeline')
  timeline(@Param('id') id: string, @Req() request: Request): Promise<IncidentTimeline> {
    return this.timelineFor(this.load(id), requireSession(request).user);
  }

  @Get(':id/postmortem.md')
  @Header('Content-Type', 'text/markdown; charset=utf-8')
  async postmortem(@Param('id') id: string, @Req() request: Request): Promise<string> {
    const view = this.load(id);
    const markdown = renderPostmortem(await this.timelineFor(view, requireSession(request).user), this.incidents.now());
    request.res?.setHeader('Content-Disposition', `attachment; filename="postmortem-${view.incidentId}.md"`);
    return markdown;
  }

  private async timelineFor(incident: IncidentView, user: SessionUser): Promise<IncidentTimeline> {
    const watchers = seesWatchers(user);
    const visible = (event: StoredEvent): boolean =>
      isWatchEvent(event)
        ? watchers
        : event.type.startsWith('user.')
          ? false
          : can(user, { kind: 'view', environment: event.meta.environment });
    const from = new Date(incident.from);
    const to = new Date(incident.to ?? this.incidents.now());
    return buildTimeline({
      incident,
      events: this.incidents.windowEvents(from, to),
      openAtStart: await this.incidents.openStreamsAt(from),
      visible,
      head: await this.incidents.head(),
    });
  }

  private load(id: string): IncidentView {
    const incidentId = parseOrThrow(idSchema, id, 'id');
    const view = this.incidents.incident(incidentId);
    if (!view) throw new NotFoundException({ message: `no incident ${incidentId}` });
    return view;
  }
}
