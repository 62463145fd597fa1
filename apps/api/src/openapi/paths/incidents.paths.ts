import {
  incidentListQuerySchema,
  incidentNoteBodySchema,
  incidentPinBodySchema,
  maintenanceMarkBodySchema,
  notificationListQuerySchema,
  openIncidentBodySchema,
  patchIncidentBodySchema,
} from '@vigil/shared';
import { z } from 'zod';
import { body, errors, json, secured, type FeaturePaths } from '../common';

const id = { path: z.object({ id: z.uuid() }) };

export const incidentsPaths: FeaturePaths = {
  '/api/incidents': {
    get: secured(undefined, {
      tags: ['incidents'],
      summary: 'Incidents with status, severity and duration',
      requestParams: { query: incidentListQuerySchema },
      responses: { '200': json('Incidents', z.looseObject({})), ...errors(400) },
    }),
    post: secured('incidents.manage', {
      tags: ['incidents'],
      summary: 'Open an incident over a window (incident.opened)',
      requestBody: body(openIncidentBodySchema),
      responses: { '201': json('The incident'), ...errors(400) },
    }),
  },
  '/api/incidents/{id}': {
    get: secured(undefined, {
      tags: ['incidents'],
      summary: 'One incident: its fields, notes and pins',
      requestParams: id,
      responses: { '200': json('The incident'), ...errors(400, 404) },
    }),
    patch: secured('incidents.manage', {
      tags: ['incidents'],
      summary: 'Change title, severity, commander or status (each its own event)',
      requestParams: id,
      requestBody: body(patchIncidentBodySchema),
      responses: { '200': json('The incident'), ...errors(400, 404) },
    }),
  },
  '/api/incidents/{id}/timeline': {
    get: secured(undefined, {
      tags: ['incidents'],
      summary: "The window's timeline merged by time: alerts, commands, deploys, hosts, silences, approvals, notes, pins, who watched",
      requestParams: id,
      responses: { '200': json('The timeline'), ...errors(400, 404) },
    }),
  },
  '/api/incidents/{id}/postmortem.md': {
    get: secured(undefined, {
      tags: ['incidents'],
      summary: 'A Markdown postmortem draft citing log positions, ending with the chain head hash',
      requestParams: id,
      responses: { '200': { description: 'Markdown', content: { 'text/markdown': { schema: z.string() } } }, ...errors(400, 404) },
    }),
  },
  '/api/incidents/{id}/notes': {
    post: secured('incidents.manage', {
      tags: ['incidents'],
      summary: 'Add a note about a moment (incident.noted); a correction amends an earlier note, both stay',
      requestParams: id,
      requestBody: body(incidentNoteBodySchema),
      responses: { '201': json('The note'), ...errors(400, 404) },
    }),
  },
  '/api/incidents/{id}/pins': {
    post: secured('incidents.manage', {
      tags: ['incidents'],
      summary: 'Pin an event of the window with a reason',
      requestParams: id,
      requestBody: body(incidentPinBodySchema),
      responses: { '201': json('The incident'), ...errors(400, 404) },
    }),
  },
  '/api/maintenance': {
    post: secured('incidents.manage', {
      tags: ['incidents'],
      summary: 'Mark a past window as maintenance (annotates the timeline; history is never rewritten)',
      requestBody: body(maintenanceMarkBodySchema),
      responses: { '201': json('The mark'), ...errors(400) },
    }),
  },
  '/api/notifications': {
    get: secured(undefined, {
      tags: ['notifications'],
      summary: 'Every delivery attempt with outcome, retries and escalations, from the notification.* events',
      requestParams: { query: notificationListQuerySchema },
      responses: { '200': json('Deliveries', z.looseObject({})), ...errors(400) },
    }),
  },
};
